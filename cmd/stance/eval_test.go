package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
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
		{"holder", rep["holder"], []string{"actor_accuracy", "exact", "n", "overlap_f1"}},
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
