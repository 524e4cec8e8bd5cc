package corpus_test

import (
	"slices"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/lexicon"
)

func TestSeedOnlyEntriesAreThoseNoCorpusSentenceMatches(t *testing.T) {
	files, err := lexicon.Files()
	if err != nil {
		t.Fatal(err)
	}
	for name := range files {
		files[name] = nil
	}
	files["negative.txt"] = []byte("# tone\nاستعصاء\nقصف\nمجزره\nتدهور*\n")
	files["actors.tsv"] = []byte("شينون\tus.state\tus\nكيري\tus.state\tus\n")
	rec := func(text string) stance.Record {
		return stance.Record{ID: "x", DocID: "x", Text: text, Stance: stance.None, Sentiment: stance.Neutral}
	}
	sets := []corpus.Set{
		{Path: "c.jsonl", Role: corpus.RoleCorpus, Records: []stance.Record{rec("واستمر القصف على المدينة.")}},
		{Path: "s.jsonl", Role: corpus.RoleSeeds, Records: []stance.Record{
			rec("المباحثات في حالة استعصاء بعد القصف."),
			rec("وتدهورت العلاقات، وقال شينون إن الزيارة مهمة."),
		}},
	}
	got, err := corpus.SeedOnlyEntries(sets, files)
	if err != nil {
		t.Fatal(err)
	}
	// قصف is in the corpus too, مجزره in neither; تدهور* matches the seeds'
	// وتدهورت through its prefix and conjunction.
	want := []corpus.LexiconEntry{
		{File: "actors.tsv", Entry: "شينون"},
		{File: "negative.txt", Entry: "استعصاء"},
		{File: "negative.txt", Entry: "تدهور*"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("seed-only entries %v, want %v", got, want)
	}

	sets = sets[:1]
	if got, err := corpus.SeedOnlyEntries(sets, files); err != nil || got != nil {
		t.Errorf("without seeds: %v, %v; want nil, nil", got, err)
	}
}
