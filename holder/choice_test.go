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

func TestOverlapProbabilityIsTheShareOfTheCandidatesAroundTheBest(t *testing.T) {
	best := holder.Candidate{First: 2, Last: 3}
	tests := []struct {
		name  string
		zs    []float64
		cands []holder.Candidate
		want  float64
	}{
		{name: "no candidate", want: 0},
		{name: "the best alone against no holder", zs: []float64{0}, cands: []holder.Candidate{best}, want: 0.5},
		{
			name: "spans around the best add their share", zs: []float64{0, 0, 0},
			cands: []holder.Candidate{best, {First: 1, Last: 3}, {First: 3, Last: 3}}, want: 3.0 / 4,
		},
		{
			name: "a span elsewhere takes its share away", zs: []float64{0, 0},
			cands: []holder.Candidate{best, {First: 5, Last: 6}}, want: 1.0 / 3,
		},
		{
			name: "spans that touch the best's edges only from outside do not overlap", zs: []float64{0, 0, 0},
			cands: []holder.Candidate{best, {First: 0, Last: 1}, {First: 4, Last: 4}}, want: 1.0 / 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bestZ := math.Inf(-1)
			for _, z := range tt.zs {
				bestZ = max(bestZ, z)
			}
			if got := holder.OverlapProbability(bestZ, tt.zs, tt.cands, best); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("OverlapProbability = %v, want %v", got, tt.want)
			}
		})
	}
}
