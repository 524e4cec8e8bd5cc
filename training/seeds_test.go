package training_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/segment"
	"github.com/stance-project/stance/training"
)

const annotations = "../testdata/seeds.standoff.jsonl"

// seedsDir returns the seed articles folder, failing with a clear message
// when it is missing: these tests need the real articles.
func seedsDir(t *testing.T) string {
	t.Helper()
	dir, err := training.LocateSeeds("..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadSeedsReproducesEverySentence(t *testing.T) {
	dir := seedsDir(t)
	recs, err := training.LoadSeeds(annotations, dir)
	if err != nil {
		t.Fatalf("LoadSeeds: %v", err)
	}
	files := map[string]string{}
	var sos []training.Standoff
	data, _ := os.ReadFile(annotations)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var so training.Standoff
		if err := decodeStrict(line, &so); err != nil {
			t.Fatal(err)
		}
		sos = append(sos, so)
	}
	if len(recs) != len(sos) {
		t.Fatalf("%d records from %d annotations", len(recs), len(sos))
	}
	covered := map[string][]bool{}
	for i, rec := range recs {
		so := sos[i]
		if _, ok := files[so.File]; !ok {
			b, err := os.ReadFile(filepath.Join(dir, so.File))
			if err != nil {
				t.Fatal(err)
			}
			files[so.File] = string(b)
			covered[so.File] = make([]bool, len([]rune(string(b))))
		}
		want := string([]rune(files[so.File])[so.Start:so.End])
		if rec.Text != want {
			t.Errorf("%s: text %q, want %q", rec.ID, rec.Text, want)
		}
		for k := so.Start; k < so.End; k++ {
			covered[so.File][k] = true
		}
	}
	// Every non-space character of every article belongs to a sentence.
	for name, cov := range covered {
		for k, r := range []rune(files[name]) {
			if !cov[k] && !strings.ContainsRune(" \n\r\t\u00a0", r) {
				t.Errorf("%s: code point %d (%q) is not in any annotated sentence", name, k, r)
				break
			}
		}
	}
	if len(covered) != 5 {
		t.Errorf("annotations cover %d seed files, want 5", len(covered))
	}
}

func TestLoadSeedsRejectsChangedArticle(t *testing.T) {
	src := seedsDir(t)
	dir := t.TempDir()
	entries, _ := os.ReadDir(src)
	for i, e := range entries {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		if i == 0 {
			b = append(b, ' ')
		}
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	_, err := training.LoadSeeds(annotations, dir)
	if err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("LoadSeeds on an edited article: err = %v, want a sha256 mismatch", err)
	}
}

func TestLoadSeedsMissingFolderSaysHowToSetIt(t *testing.T) {
	_, err := training.LoadSeeds(annotations, filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, training.ErrSeedsMissing) || !strings.Contains(err.Error(), training.SeedsEnv) {
		t.Fatalf("err = %v, want ErrSeedsMissing naming %s", err, training.SeedsEnv)
	}
}

// TestTestdataPassesCorpusCheck runs the validator on the whole of testdata/,
// as `stance corpus check testdata` does in CI.
func TestTestdataPassesCorpusCheck(t *testing.T) {
	sets, err := training.LoadSets([]string{"../testdata"}, seedsDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lx, err := lexicon.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep := corpus.Check(sets, lx)
	for _, p := range rep.Problems {
		t.Error(p)
	}
	if st := rep.Stats[corpus.RoleSeeds]; st == nil || st.Documents != 5 {
		t.Errorf("seed stats %+v, want 5 documents", st)
	}
}

func decodeStrict(line string, v any) error {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// TestSegmenterAgreesWithSeedSentences checks that the segmenter cuts the
// real articles exactly where the annotated sentences are.
func TestSegmenterAgreesWithSeedSentences(t *testing.T) {
	dir := seedsDir(t)
	data, err := os.ReadFile(annotations)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][2]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var so training.Standoff
		if err := decodeStrict(line, &so); err != nil {
			t.Fatal(err)
		}
		want[so.File] = append(want[so.File], [2]int{so.Start, so.End})
	}
	for file, spans := range want {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		got := segment.Split(string(b), nil)
		if len(got) != len(spans) {
			t.Errorf("%s: %d sentences, annotations have %d", file, len(got), len(spans))
			continue
		}
		for i, s := range got {
			if s.RuneStart != spans[i][0] || s.RuneEnd != spans[i][1] {
				t.Errorf("%s sentence %d: [%d,%d), annotation [%d,%d)", file, i+1, s.RuneStart, s.RuneEnd, spans[i][0], spans[i][1])
			}
		}
	}
}

// TestLocateSeedsLooksFromTheRootOrTheEnvironment checks that the default
// folder is found from a package's folder, that $STANCE_SEEDS wins as it
// is, and that a missing folder is named with the way to point elsewhere.
func TestLocateSeedsLooksFromTheRootOrTheEnvironment(t *testing.T) {
	t.Setenv(training.SeedsEnv, "")
	if dir, err := training.LocateSeeds(".."); err != nil || dir != filepath.Join("..", training.DefaultSeedsDir) {
		t.Errorf("from the package folder: %q, %v; want %q", dir, err, filepath.Join("..", training.DefaultSeedsDir))
	}
	other := t.TempDir()
	t.Setenv(training.SeedsEnv, other)
	if dir, err := training.LocateSeeds(".."); err != nil || dir != other {
		t.Errorf("with %s=%s: %q, %v", training.SeedsEnv, other, dir, err)
	}
	missing := filepath.Join(other, "missing")
	t.Setenv(training.SeedsEnv, missing)
	if _, err := training.LocateSeeds(".."); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), training.SeedsEnv) {
		t.Errorf("missing folder: %v, want an error naming %s and %s", err, missing, training.SeedsEnv)
	}
}
