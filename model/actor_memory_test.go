package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/arabic"
)

// The scratch's memory of holder texts must give the actor the table gives,
// for texts met again, for new ones, and after it has filled and started
// afresh.
func TestRememberedActorIsTheTablesActor(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../testdata/corpus/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			var r struct{ Holder *struct{ Text string } }
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if r.Holder != nil {
				// As written and with a quotation mark around, as spans
				// that close a quotation end.
				texts = append(texts, r.Holder.Text, "«"+r.Holder.Text+"»")
			}
		}
	}
	if len(texts) < 2*maxRememberedActors {
		t.Fatalf("%d holder texts, want more than %d to fill the memory", len(texts), 2*maxRememberedActors)
	}
	sc := &scratch{}
	for pass := range 2 {
		for _, text := range texts {
			id, side := m.rememberedActor(sc, text)
			if wantID, wantSide := m.actorOf(arabic.Normalize(text)); id != wantID || side != wantSide {
				t.Fatalf("pass %d, %q: remembered %s (%s), the table says %s (%s)", pass, text, id, side, wantID, wantSide)
			}
			if len(sc.actors) > maxRememberedActors {
				t.Fatalf("the memory holds %d texts, more than %d", len(sc.actors), maxRememberedActors)
			}
		}
	}
}
