package server

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/model"
)

// maxEvidenceSpans bounds options.max_evidence_spans.
const maxEvidenceSpans = 20

// invalid returns INVALID_ARGUMENT with a google.rpc.BadRequest detail
// naming the field, so that clients can point at what to fix.
func invalid(field, format string, args ...any) error {
	desc := fmt.Sprintf(format, args...)
	st := status.New(codes.InvalidArgument, field+": "+desc)
	if d, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: desc}}}); err == nil {
		st = d
	}
	return st.Err()
}

func fieldIndex(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// validateText accepts UTF-8 text with at least one letter, within the
// document size limit.
func (s *Server) validateText(field, text string) error {
	if len(text) > s.cfg.Limits.MaxDocumentBytes {
		return invalid(field, "%d bytes, want at most %d (split the document or raise --max-document-bytes)", len(text), s.cfg.Limits.MaxDocumentBytes)
	}
	if !utf8.ValidString(text) {
		return invalid(field, "not valid UTF-8")
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			return nil
		}
	}
	if text == "" {
		return invalid(field, "empty, want at least one letter")
	}
	return invalid(field, "no letters (only white space, digits or punctuation), want at least one letter")
}

func (s *Server) validateOptions(field string, o *stancev1.Options) (model.Options, error) {
	var opt model.Options
	switch o.GetEvidence() {
	case stancev1.EvidenceMode_EVIDENCE_MODE_UNSPECIFIED, stancev1.EvidenceMode_EVIDENCE_MODE_INCLUDE:
	case stancev1.EvidenceMode_EVIDENCE_MODE_EXCLUDE:
		opt.NoEvidence = true
	default:
		return opt, invalid(field+".evidence", "unknown value %d, want EVIDENCE_MODE_INCLUDE or EVIDENCE_MODE_EXCLUDE", int32(o.GetEvidence()))
	}
	switch o.GetHolders() {
	case stancev1.HolderMode_HOLDER_MODE_UNSPECIFIED, stancev1.HolderMode_HOLDER_MODE_INCLUDE:
	case stancev1.HolderMode_HOLDER_MODE_EXCLUDE:
		opt.NoHolders = true
	default:
		return opt, invalid(field+".holders", "unknown value %d, want HOLDER_MODE_INCLUDE or HOLDER_MODE_EXCLUDE", int32(o.GetHolders()))
	}
	if n := o.GetMaxEvidenceSpans(); n > maxEvidenceSpans {
		return opt, invalid(field+".max_evidence_spans", "%d, want at most %d", n, maxEvidenceSpans)
	}
	opt.MaxEvidence = int(o.GetMaxEvidenceSpans())
	return opt, nil
}
