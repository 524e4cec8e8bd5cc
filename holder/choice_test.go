package holder_test

import (
	"math"
	"testing"

	"github.com/stance-project/stance/holder"
)

func TestChoiceProbabilityIsTheBestCandidatesSoftmaxShare(t *testing.T) {
	tests := []struct {
		name string
		zs   []float64
		want float64
	}{
		{name: "no candidate", zs: nil, want: 0},
		{name: "one candidate as likely as no holder", zs: []float64{0}, want: 0.5},
		{name: "two equal candidates and no holder", zs: []float64{0, 0}, want: 1.0 / 3},
		{name: "a strong candidate with a far weaker one", zs: []float64{5, -60}, want: 1 / (1 + math.Exp(-5))},
		{name: "a rival close behind halves the share", zs: []float64{10, 10}, want: 1 / (2 + math.Exp(-10))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best := math.Inf(-1)
			for _, z := range tt.zs {
				best = max(best, z)
			}
			if got := holder.ChoiceProbability(best, tt.zs); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("ChoiceProbability(%v, %v) = %v, want %v", best, tt.zs, got, tt.want)
			}
		})
	}
}
