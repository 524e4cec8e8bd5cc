package server

import (
	"testing"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
)

// FuzzValidate feeds arbitrary text and option values to the request
// validator: it never panics, rejects with INVALID_ARGUMENT only, and what
// it accepts is valid UTF-8 within the limit.
func FuzzValidate(f *testing.F) {
	f.Add("وقال المتحدث إن واشنطن لا تنسق.", int32(0), uint32(3), int32(0))
	f.Add("  \n", int32(9), uint32(1000), int32(-1))
	f.Add("\xff\xfe", int32(2), uint32(0), int32(1))
	s := New(Config{Limits: Limits{MaxDocumentBytes: 256, MaxBatch: 4}})
	f.Fuzz(func(t *testing.T, text string, evidence int32, spans uint32, holders int32) {
		err := s.validateText("text", text)
		if err != nil && status.Code(err) != codes.InvalidArgument {
			t.Fatalf("text error with code %s", status.Code(err))
		}
		if err == nil && (!utf8.ValidString(text) || len(text) > 256) {
			t.Fatalf("accepted %q", text)
		}
		_, err = s.validateOptions("options", &stancev1.Options{Evidence: stancev1.EvidenceMode(evidence), MaxEvidenceSpans: spans, Holders: stancev1.HolderMode(holders)})
		if err != nil && status.Code(err) != codes.InvalidArgument {
			t.Fatalf("options error with code %s", status.Code(err))
		}
	})
}
