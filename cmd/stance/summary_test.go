package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/score"
)

// TestSummaryListsActorsMostFirst checks the actors block of stance
// score's closing summary: most stances first, ties by name, at most
// maxSummaryActors rows with a count of the rest, and nothing without
// holders.
func TestSummaryListsActorsMostFirst(t *testing.T) {
	totals := func(sup, opp, cond int) *score.ActorTotals {
		return &score.ActorTotals{Side: lexicon.SideUS, Stance: map[stance.Stance]int{stance.Supporting: sup, stance.Opposing: opp, stance.Conditional: cond}}
	}
	many := map[string]*score.ActorTotals{}
	for i := range maxSummaryActors + 3 {
		many[fmt.Sprintf("actor%02d", i)] = totals(1, 0, 0)
	}
	tests := []struct {
		name   string
		actors map[string]*score.ActorTotals
		want   []string // the lines after the heading, trimmed and spaces squeezed
	}{
		{"none", nil, nil},
		{"by count, then name", map[string]*score.ActorTotals{
			"ru.kremlin": totals(3, 0, 0), "us.defense": totals(1, 5, 2), "media": totals(1, 1, 1), "analyst": totals(0, 3, 0),
		}, []string{"us.defense 1 / 5 / 2", "analyst 0 / 3 / 0", "media 1 / 1 / 1", "ru.kremlin 3 / 0 / 0"}},
		{"capped", many, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			printActors(&b, tc.actors)
			out := b.String()
			if len(tc.actors) == 0 {
				if out != "" {
					t.Errorf("printed %q for no actors", out)
				}
				return
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if !strings.HasPrefix(lines[0], "  actors, by stances held (supporting / opposing / conditional):") {
				t.Errorf("heading %q", lines[0])
			}
			rows := lines[1:]
			if len(tc.actors) > maxSummaryActors {
				if len(rows) != maxSummaryActors+1 || !strings.Contains(rows[maxSummaryActors], "... and 3 more") {
					t.Errorf("capped list:\n%s", out)
				}
				return
			}
			for i, want := range tc.want {
				if got := strings.Join(strings.Fields(rows[i]), " "); got != want {
					t.Errorf("row %d %q, want %q", i, got, want)
				}
			}
		})
	}
}
