package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const challengeSet = "../../testdata/challenge.jsonl"

// TestEvalJSONHasTheIssuesKeys checks that `stance eval --format json`
// prints exactly the keys issue #3 fixes, with the holder figures of #6.
func TestEvalJSONHasTheIssuesKeys(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"eval", "--data", challengeSet, "--format", "json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	keys := func(v any) []string { return slices.Sorted(maps.Keys(v.(map[string]any))) }
	for _, tc := range []struct {
		path string
		v    any
		want []string
	}{
		{"top level", rep, []string{"evidence", "holder", "n", "sentiment", "stance"}},
		{"stance", rep["stance"], []string{"accuracy", "confusion", "ece", "macro_f1", "per_class"}},
		{"sentiment", rep["sentiment"], []string{"accuracy", "confusion", "ece", "macro_f1", "per_class"}},
		{"stance.per_class", rep["stance"].(map[string]any)["per_class"], []string{"conditional", "none", "opposing", "supporting"}},
		{"stance.per_class.none", rep["stance"].(map[string]any)["per_class"].(map[string]any)["none"], []string{"f1", "precision", "recall", "support"}},
		{"sentiment.confusion", rep["sentiment"].(map[string]any)["confusion"], []string{"negative", "neutral", "positive"}},
		{"evidence", rep["evidence"], []string{"n", "token_f1"}},
		{"holder", rep["holder"], []string{"actor_accuracy", "exact", "misses", "n", "overlap_f1"}},
		{"holder.misses", rep["holder"].(map[string]any)["misses"], []string{"around", "elsewhere", "inside", "none_found", "overlapping"}},
	} {
		if got := keys(tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("%s keys %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestEvalTextGivesIntervalsAndComparisons checks the text output's
// bootstrap intervals and --against: a model against itself differs by
// nothing, and --against is refused with JSON output or a missing file.
func TestEvalTextGivesIntervalsAndComparisons(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"eval", "--data", challengeSet, "--against", "embedded"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"stance: macro-F1 0.", "(95 % interval 0.",
		"against embedded (this model minus that one, 95 % paired interval):",
		"stance macro-F1 +0.0000 (+0.00 to +0.00); sentences right with this model only: 0, with that one only: 0",
		"evidence token-F1 +0.0000 (+0.00 to +0.00)",
		"holder exact match +0.0000 (+0.00 to +0.00); sentences right with this model only: 0, with that one only: 0",
		"holder actor accuracy +0.0000 (+0.00 to +0.00); sentences right with this model only: 0, with that one only: 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"JSON", []string{"--against", "embedded", "--format", "json"}, 2, "--against prints text"},
		{"MissingFile", []string{"--against", "no-such.model"}, 1, "--against: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"eval", "--data", challengeSet}, tc.args...)
			if code := run(context.Background(), args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit code %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.want)
			}
		})
	}
}

// TestEvalErrorsListsTheSentencesBehindTheFigures checks that --errors
// lists exactly the sentences the figures count as wrong: as many wrong
// stances as accuracy leaves, as many wrong holders as the misses add up
// to, each where its match says; and that a path it cannot write fails
// the run.
func TestEvalErrorsListsTheSentencesBehindTheFigures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "errors.jsonl")
	var stdout, stderr bytes.Buffer
	args := []string{"eval", "--data", challengeSet, "--format", "json", "--errors", path}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	var rep struct {
		N      int
		Stance struct{ Accuracy float64 }
		Holder struct {
			Exact  float64
			N      int
			Misses map[string]int
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wrongStance, wrongHolder := 0, map[string]int{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e struct {
			ID     string
			Text   string
			Wrong  []string
			Stance struct{ Gold, Predicted string }
			Holder *struct {
				Gold      struct{ Text string }
				Predicted *struct{ Text string }
				Match     string
			}
		}
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("line %s: %v", line, err)
		}
		if e.ID == "" || e.Text == "" || len(e.Wrong) == 0 {
			t.Errorf("record without id, text or what is wrong: %s", line)
		}
		if slices.Contains(e.Wrong, "stance") != (e.Stance.Gold != e.Stance.Predicted) {
			t.Errorf("%s: wrong %v, stance %s predicted %s", e.ID, e.Wrong, e.Stance.Gold, e.Stance.Predicted)
		}
		if slices.Contains(e.Wrong, "stance") {
			wrongStance++
		}
		if slices.Contains(e.Wrong, "holder") != (e.Holder != nil) {
			t.Errorf("%s: wrong %v with holder %v", e.ID, e.Wrong, e.Holder)
		}
		if e.Holder != nil {
			wrongHolder[e.Holder.Match]++
			if (e.Holder.Predicted == nil) != (e.Holder.Match == "none_found") || e.Holder.Match == "exact" || e.Holder.Gold.Text == "" {
				t.Errorf("%s: holder %+v", e.ID, *e.Holder)
			}
		}
	}
	if want := rep.N - int(rep.Stance.Accuracy*float64(rep.N)+0.5); wrongStance != want {
		t.Errorf("%d wrong stances listed, accuracy leaves %d", wrongStance, want)
	}
	if !maps.Equal(wrongHolder, withoutZeros(rep.Holder.Misses)) {
		t.Errorf("wrong holders listed by match %v, misses %v", wrongHolder, rep.Holder.Misses)
	}
	if want := rep.Holder.N - int(rep.Holder.Exact*float64(rep.Holder.N)+0.5); sum(wrongHolder) != want {
		t.Errorf("%d wrong holders listed, exact match leaves %d", sum(wrongHolder), want)
	}

	stderr.Reset()
	args = []string{"eval", "--data", challengeSet, "--errors", filepath.Join(t.TempDir(), "no-such-dir", "errors.jsonl")}
	if code := run(context.Background(), args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "write errors") {
		t.Errorf("unwritable --errors: exit code %d, stderr %q; want 1 and \"write errors\"", code, stderr.String())
	}
}

func withoutZeros(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
