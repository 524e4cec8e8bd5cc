package model

import (
	"testing"

	"github.com/stance-project/stance"
)

func TestStrongestRun(t *testing.T) {
	tests := []struct {
		name        string
		contr       []float64
		first, last int
		wantA       int
		wantB       int
		wantSum     float64
	}{
		{"AllPositive", []float64{1, 2, 3}, 0, 2, 0, 2, 6},
		{"NegativeEdgesCut", []float64{-1, 2, 3, -4}, 0, 3, 1, 2, 5},
		{"BridgeWorthCrossing", []float64{2, -1, 2}, 0, 2, 0, 2, 3},
		{"BridgeNotWorthIt", []float64{1, -3, 2}, 0, 2, 2, 2, 2},
		{"WithinBounds", []float64{9, -1, 1, 9}, 1, 2, 2, 2, 1},
		{"AllNegative", []float64{-2, -1, -3}, 0, 2, 1, 1, -1},
		{"TieGoesToTheEarliest", []float64{2, -2, 2}, 0, 2, 0, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, sum := strongestRun(tt.contr, tt.first, tt.last)
			if a != tt.wantA || b != tt.wantB || sum != tt.wantSum {
				t.Errorf("strongestRun = [%d, %d] %v, want [%d, %d] %v", a, b, sum, tt.wantA, tt.wantB, tt.wantSum)
			}
		})
	}
}

// Every stance the model gives comes with evidence: the analyst has words
// to check. A run of chosen words that pushes against the label on balance
// gives its strongest stretch rather than nothing, and a rhetorical
// question's words carry the question's weight. The challenge set holds
// such sentences (a question in quotes after its speaker; «لا يستبعد
// التعاون» bridged to «لكنه حذر من»).
func TestEveryStanceHasEvidence(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range challengeTexts(t) {
		r := m.ClassifySentence(text, Options{})
		if r.Stance != stance.None && len(r.StanceEvidence) == 0 {
			t.Errorf("stance %s without evidence: %s", r.Stance, text)
		}
	}
}
