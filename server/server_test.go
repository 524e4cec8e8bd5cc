package server_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	stancev1 "github.com/stance-project/stance/api/stance/v1"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/server"
)

const token = "s3cret"

const article = "وجدد مسؤول في البنتاغون رفض بلاده أي تبادل للمعلومات الاستخباراتية مع الجيش الروسي 🇺🇸. " +
	"وقال السيناتور إن واشنطن قد تقبل العمل مع موسكو إذا أوقفت غاراتها على الأحياء السكنية.\n" +
	"وأسفرت الغارات عن مقتل عشرين مدنيا في ريف إدلب."

type fixture struct {
	conn   *grpc.ClientConn
	client stancev1.StanceServiceClient
	admin  stancev1.ModelAdminServiceClient
	cancel context.CancelFunc
	done   chan error
}

// start runs the service on an in-process listener and waits until it is SERVING.
func start(t *testing.T, mod func(*server.RunOptions)) *fixture {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	opt := server.RunOptions{
		Config:       server.Config{AdminToken: token, Limits: server.Limits{MaxDocumentBytes: 4096, MaxBatch: 5}},
		DrainTimeout: 5 * time.Second,
		Ready:        func(*server.Loaded) { close(ready) },
	}
	if mod != nil {
		mod(&opt)
	}
	f := &fixture{cancel: cancel, done: make(chan error, 1)}
	go func() { f.done <- server.Run(ctx, lis, opt) }()
	select {
	case <-ready:
	case err := <-f.done:
		t.Fatalf("server stopped before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server not ready after 30s")
	}
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	f.conn = conn
	f.client = stancev1.NewStanceServiceClient(conn)
	f.admin = stancev1.NewModelAdminServiceClient(conn)
	t.Cleanup(func() {
		conn.Close()
		cancel()
		if err := <-f.done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return f
}

func wantCode(t *testing.T, err error, code codes.Code, field string) {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != code {
		t.Fatalf("code %s (%v), want %s", st.Code(), err, code)
	}
	if field == "" {
		return
	}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if v.GetField() == field {
					return
				}
			}
		}
	}
	t.Fatalf("error %v has no BadRequest violation for field %q", err, field)
}

func TestClassifyReturnsUsableOffsets(t *testing.T) {
	f := start(t, nil)
	resp, err := f.client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: article})
	if err != nil {
		t.Fatal(err)
	}
	res := resp.GetResult()
	if len(res.GetSentences()) != 3 || res.GetModelVersion() == "" {
		t.Fatalf("got %d sentences, version %q", len(res.GetSentences()), res.GetModelVersion())
	}
	runes, units := []rune(article), utf16.Encode([]rune(article))
	check := func(o *stancev1.Offsets, text string) {
		t.Helper()
		if got := string(runes[o.GetStartCodePoint():o.GetEndCodePoint()]); got != text {
			t.Errorf("code points give %q, want %q", got, text)
		}
		if got := article[o.GetStartByte():o.GetEndByte()]; got != text {
			t.Errorf("bytes give %q, want %q", got, text)
		}
		if got := string(utf16.Decode(units[o.GetStartUtf16():o.GetEndUtf16()])); got != text {
			t.Errorf("UTF-16 units give %q, want %q", got, text)
		}
	}
	for _, s := range res.GetSentences() {
		check(s.GetOffsets(), s.GetText())
		sum := 0.0
		for _, p := range s.GetStanceProbabilities() {
			sum += p.GetProbability()
		}
		if len(s.GetStanceProbabilities()) != 4 || sum < 0.999 || sum > 1.001 {
			t.Errorf("stance probabilities %v", s.GetStanceProbabilities())
		}
		for _, e := range append(s.GetStanceEvidence(), s.GetSentimentEvidence()...) {
			check(e.GetOffsets(), e.GetText())
		}
	}
	if res.GetSentences()[2].GetStance() != stancev1.Stance_STANCE_NONE {
		t.Errorf("casualty sentence: %s", res.GetSentences()[2].GetStance())
	}
	sum := res.GetSummary()
	total := uint32(0)
	for _, c := range sum.GetStanceCounts() {
		total += c.GetSentences()
	}
	if total != 3 || sum.GetOverallStance() == stancev1.Stance_STANCE_UNSPECIFIED {
		t.Errorf("summary %v", sum)
	}
}

func TestClassifyRejectsBadInput(t *testing.T) {
	f := start(t, nil)
	tests := []struct {
		name  string
		req   *stancev1.ClassifyRequest
		field string
	}{
		{"Empty", &stancev1.ClassifyRequest{}, "text"},
		{"WhiteSpace", &stancev1.ClassifyRequest{Text: " \n\t "}, "text"},
		{"Punctuation", &stancev1.ClassifyRequest{Text: "... ؟! 123"}, "text"},
		{"TooLong", &stancev1.ClassifyRequest{Text: strings.Repeat("تنسيق ", 1000)}, "text"},
		{"UnknownEnum", &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{Evidence: 9}}, "options.evidence"},
		{"TooManySpans", &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{MaxEvidenceSpans: 1000}}, "options.max_evidence_spans"},
		{"UnknownHolderMode", &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{Holders: 7}}, "options.holders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.Classify(context.Background(), tt.req)
			wantCode(t, err, codes.InvalidArgument, tt.field)
		})
	}
}

func TestClassifyOptions(t *testing.T) {
	f := start(t, nil)
	resp, err := f.client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{Evidence: stancev1.EvidenceMode_EVIDENCE_MODE_EXCLUDE}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range resp.GetResult().GetSentences() {
		if len(s.GetStanceEvidence())+len(s.GetSentimentEvidence()) > 0 {
			t.Fatal("EXCLUDE returned evidence")
		}
	}
	resp, err = f.client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{MaxEvidenceSpans: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range resp.GetResult().GetSentences() {
		if len(s.GetStanceEvidence()) > 1 {
			t.Fatal("max_evidence_spans 1 returned more spans")
		}
	}
}

// TestClassifyHolders checks that holders come by default and on
// HOLDER_MODE_INCLUDE, and not on HOLDER_MODE_EXCLUDE.
func TestClassifyHolders(t *testing.T) {
	f := start(t, nil)
	for _, tc := range []struct {
		mode stancev1.HolderMode
		want bool
	}{
		{stancev1.HolderMode_HOLDER_MODE_UNSPECIFIED, true},
		{stancev1.HolderMode_HOLDER_MODE_INCLUDE, true},
		{stancev1.HolderMode_HOLDER_MODE_EXCLUDE, false},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			resp, err := f.client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: article, Options: &stancev1.Options{Holders: tc.mode}})
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for _, s := range resp.GetResult().GetSentences() {
				if h := s.GetHolder(); h != nil {
					found++
					if got := article[h.GetOffsets().GetStartByte():h.GetOffsets().GetEndByte()]; got != h.GetText() || h.GetSide() == stancev1.Side_SIDE_UNSPECIFIED || h.GetActor() == "" {
						t.Errorf("holder %v (offsets give %q)", h, got)
					}
				}
			}
			switch {
			case tc.want && found == 0:
				t.Error("no holder found in an article whose stances name their holders")
			case !tc.want && found > 0:
				t.Errorf("%d holders returned, want none", found)
			}
		})
	}
}

func TestClassifyBatch(t *testing.T) {
	f := start(t, nil)
	docs := []*stancev1.Document{{Id: "a", Text: article}, {Id: "b", Text: "رحبت موسكو بالعرض الأمريكي."}, {Id: "c", Text: "قتل عشرة مدنيين."}}
	resp, err := f.client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range resp.GetResults() {
		if r.GetId() != docs[i].GetId() {
			t.Errorf("result %d has id %q, want %q", i, r.GetId(), docs[i].GetId())
		}
	}
	t.Run("Summary", func(t *testing.T) { checkBatchSummary(t, resp) })
	t.Run("TooMany", func(t *testing.T) {
		many := make([]*stancev1.Document, 6)
		for i := range many {
			many[i] = &stancev1.Document{Text: "نص."}
		}
		_, err := f.client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Documents: many})
		wantCode(t, err, codes.InvalidArgument, "documents")
	})
	t.Run("Empty", func(t *testing.T) {
		_, err := f.client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{})
		wantCode(t, err, codes.InvalidArgument, "documents")
	})
	t.Run("BadDocumentNamed", func(t *testing.T) {
		_, err := f.client.ClassifyBatch(context.Background(), &stancev1.ClassifyBatchRequest{Documents: []*stancev1.Document{{Text: "نص."}, {Text: "  "}}})
		wantCode(t, err, codes.InvalidArgument, "documents[1].text")
	})
	t.Run("Deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
		defer cancel()
		time.Sleep(time.Millisecond)
		_, err := f.client.ClassifyBatch(ctx, &stancev1.ClassifyBatchRequest{Documents: docs})
		wantCode(t, err, codes.DeadlineExceeded, "")
	})
}

func TestClassifyStream(t *testing.T) {
	f := start(t, nil)
	stream, err := f.client.ClassifyStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"one", "two", "three"}
	for _, id := range ids {
		if err := stream.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Id: id, Text: article}}); err != nil {
			t.Fatal(err)
		}
	}
	stream.CloseSend()
	for _, id := range ids {
		resp, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if resp.GetResult().GetId() != id || len(resp.GetResult().GetSentences()) != 3 {
			t.Fatalf("got %q with %d sentences, want %q with 3", resp.GetResult().GetId(), len(resp.GetResult().GetSentences()), id)
		}
	}
	t.Run("BadDocumentEndsStream", func(t *testing.T) {
		stream, err := f.client.ClassifyStream(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		stream.Send(&stancev1.ClassifyStreamRequest{Document: &stancev1.Document{Id: "x", Text: ""}})
		_, err = stream.Recv()
		wantCode(t, err, codes.InvalidArgument, "document.text")
	})
}

func TestGetModelInfo(t *testing.T) {
	f := start(t, nil)
	info, err := f.client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if info.GetSource() != server.EmbeddedSource || len(info.GetModelVersion()) != 16 || len(info.GetStanceLabels()) != 4 ||
		info.GetTrainingSentences() == 0 || info.GetMetrics()["cv.stance.macro_f1"] == 0 || info.GetLoadedAt() == nil {
		t.Fatalf("model info %v", info)
	}
}

// modelFiles writes the default model and a truncated copy of it into a
// temporary folder.
func modelFiles(t *testing.T) (good, truncated string) {
	t.Helper()
	dir := t.TempDir()
	good = filepath.Join(dir, "good.model")
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := model.WriteFile(good, m.Proto()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated = filepath.Join(dir, "truncated.model")
	if err := os.WriteFile(truncated, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	return good, truncated
}

func TestReloadModel(t *testing.T) {
	good, truncated := modelFiles(t)
	dir := filepath.Dir(good)

	f := start(t, nil)
	auth := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
	before, _ := f.client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})

	_, err := f.admin.ReloadModel(context.Background(), &stancev1.ReloadModelRequest{Path: good})
	wantCode(t, err, codes.Unauthenticated, "")
	wrong := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer nope")
	_, err = f.admin.ReloadModel(wrong, &stancev1.ReloadModelRequest{Path: good})
	wantCode(t, err, codes.Unauthenticated, "")

	for _, bad := range []string{truncated, filepath.Join(dir, "missing.model")} {
		_, err = f.admin.ReloadModel(auth, &stancev1.ReloadModelRequest{Path: bad})
		wantCode(t, err, codes.FailedPrecondition, "")
		info, _ := f.client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
		if info.GetSource() != before.GetSource() {
			t.Fatalf("a failed reload changed the model to %s", info.GetSource())
		}
	}
	resp, err := f.admin.ReloadModel(auth, &stancev1.ReloadModelRequest{Path: good})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
	if resp.GetSource() != good || info.GetSource() != good || info.GetModelVersion() != resp.GetModelVersion() {
		t.Fatalf("after reload: %v / %v", resp, info)
	}
}

func TestHealthAndReflection(t *testing.T) {
	f := start(t, nil)
	h, err := healthpb.NewHealthClient(f.conn).Check(context.Background(), &healthpb.HealthCheckRequest{Service: "stance.v1.StanceService"})
	if err != nil || h.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health %v, %v", h, err)
	}
	rc, err := reflectionpb.NewServerReflectionClient(f.conn).ServerReflectionInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rc.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
	resp, err := rc.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	if !strings.Contains(strings.Join(names, " "), "stance.v1.ModelAdminService") {
		t.Fatalf("reflection lists %v", names)
	}
}

func TestPanicBecomesInternalWithoutStack(t *testing.T) {
	srv := server.New(server.Config{})
	_, err := srv.UnaryInterceptor(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x"}, func(context.Context, any) (any, error) {
		panic("boom at secret/path.go:12")
	})
	wantCode(t, err, codes.Internal, "")
	if strings.Contains(err.Error(), "boom") || strings.Contains(err.Error(), ".go") {
		t.Fatalf("panic text reached the client: %v", err)
	}
}

func TestNoModelIsUnavailable(t *testing.T) {
	srv := server.New(server.Config{})
	_, err := srv.Classify(context.Background(), &stancev1.ClassifyRequest{Text: article})
	wantCode(t, err, codes.Unavailable, "")
}

// checkBatchSummary checks a batch's summary against its documents: its
// counts are theirs summed, and every sentence an actor is credited with
// is a sentence of the document named beside it whose holder is that
// actor, each such sentence once.
func checkBatchSummary(t *testing.T, resp *stancev1.ClassifyBatchResponse) {
	t.Helper()
	sum := resp.GetSummary()
	if sum == nil {
		t.Fatal("batch response without a summary")
	}
	for k, c := range sum.GetStanceCounts() {
		want := uint32(0)
		for _, r := range resp.GetResults() {
			want += r.GetSummary().GetStanceCounts()[k].GetSentences()
		}
		if c.GetSentences() != want {
			t.Errorf("%s: %d sentences in the batch summary, %d in its documents", c.GetStance(), c.GetSentences(), want)
		}
	}
	credited, held := 0, 0
	for _, a := range sum.GetActors() {
		docs, sents := a.GetDocumentIndices(), a.GetSentenceIndices()
		if len(docs) != len(sents) || len(sents) == 0 {
			t.Fatalf("%s: %d document indices for %d sentence indices", a.GetActor(), len(docs), len(sents))
		}
		for i, d := range docs {
			h := resp.GetResults()[d].GetSentences()[sents[i]].GetHolder()
			if h.GetActor() != a.GetActor() || h.GetSide() != a.GetSide() {
				t.Errorf("%s credited with sentence %d of document %d, whose holder is %s", a.GetActor(), sents[i], d, h.GetActor())
			}
		}
		credited += len(sents)
	}
	for _, r := range resp.GetResults() {
		for _, a := range r.GetSummary().GetActors() {
			held += len(a.GetSentenceIndices())
			if len(a.GetDocumentIndices()) != 0 {
				t.Errorf("a document's own summary names documents: %v", a)
			}
		}
	}
	if credited != held || held == 0 {
		t.Errorf("%d sentences credited to actors in the batch, %d in its documents", credited, held)
	}
}
