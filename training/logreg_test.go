package training

import (
	"slices"
	"testing"
)

// TestFrozenColumnsKeepZeroWeight fits a head where one column predicts the
// label perfectly and checks that, frozen, it gets no weight at all while
// the other columns are fitted as without it.
func TestFrozenColumnsKeepZeroWeight(t *testing.T) {
	// Columns: 0 is the label itself, 1 agrees with it three times in four.
	x := &rows{ptr: []int32{0}, nCol: 2}
	var y []int
	for i := range 40 {
		label := i % 2
		x.idx = append(x.idx, 0)
		x.val = append(x.val, float32(label))
		if label == 1 || i%8 == 0 {
			x.idx = append(x.idx, 1)
			x.val = append(x.val, 1)
		}
		x.ptr = append(x.ptr, int32(len(x.idx)))
		y = append(y, label)
	}
	free, err := fitLogreg(x, y, 2, fitSettings{l2: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	frozen, err := fitLogreg(x, y, 2, fitSettings{l2: 1e-3, frozen: []bool{true, false}})
	if err != nil {
		t.Fatal(err)
	}
	if free.w[0] == 0 && free.w[1] == 0 {
		t.Fatalf("unfrozen fit gave column 0 no weight: %v", free.w)
	}
	if frozen.w[0] != 0 || frozen.w[1] != 0 {
		t.Errorf("frozen column 0 has weights %v, want exactly zero", frozen.w[:2])
	}
	if frozen.w[2] == 0 && frozen.w[3] == 0 {
		t.Errorf("column 1 got no weight with column 0 frozen: %v", frozen.w)
	}
}

func TestToneColumnsAreTheSentimentListsOnly(t *testing.T) {
	names := []string{"l|negative", "l|negative~neg", "l|positive~contrast", "l|positive~but",
		"l|negation", "l|opposition", "w|سلبي", "k|support+coord", "l|positives"}
	want := []bool{true, true, true, true, false, false, false, false, false}
	if got := toneColumns(names); !slices.Equal(got, want) {
		t.Errorf("toneColumns(%q) = %v, want %v", names, got, want)
	}
}
