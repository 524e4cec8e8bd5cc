package training

import (
	"fmt"

	"github.com/stance-project/stance"
	"math"
	"strings"
	"testing"

	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/evaluation"
)

// classGrid builds a one-column golearn grid of class labels.
func classGrid(t *testing.T, labels []string, ys []int) base.FixedDataGrid {
	t.Helper()
	inst := base.NewDenseInstances()
	attr := base.NewCategoricalAttribute()
	attr.SetName("label")
	for _, l := range labels {
		attr.GetSysValFromString(l)
	}
	spec := inst.AddAttribute(attr)
	if err := inst.AddClassAttribute(attr); err != nil {
		t.Fatal(err)
	}
	if err := inst.Extend(len(ys)); err != nil {
		t.Fatal(err)
	}
	for i, y := range ys {
		inst.Set(spec, i, attr.GetSysValFromString(labels[y]))
	}
	return inst
}

// TestHeadMetricsAgreeWithGolearn cross-checks our confusion matrix,
// precision, recall, F1 and accuracy against golearn's evaluation package.
func TestHeadMetricsAgreeWithGolearn(t *testing.T) {
	labels := []string{"supporting", "opposing", "conditional", "none"}
	gold := []int{0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 0, 2, 1}
	pred := []int{0, 1, 1, 1, 3, 2, 0, 3, 3, 2, 3, 0, 0, 2, 1}
	ours := headMetrics(labels, gold, pred, nil)
	cm, err := evaluation.GetConfusionMatrix(classGrid(t, labels, gold), classGrid(t, labels, pred))
	if err != nil {
		t.Fatal(err)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 || (math.IsNaN(b) && a == 0) }
	for _, g := range labels {
		for _, p := range labels {
			if ours.Confusion[g][p] != cm[g][p] {
				t.Errorf("confusion[%s][%s] = %d, golearn %d", g, p, ours.Confusion[g][p], cm[g][p])
			}
		}
		c := ours.PerClass[g]
		if !close(c.Precision, evaluation.GetPrecision(g, cm)) || !close(c.Recall, evaluation.GetRecall(g, cm)) || !close(c.F1, evaluation.GetF1Score(g, cm)) {
			t.Errorf("%s: P/R/F1 %v/%v/%v, golearn %v/%v/%v", g, c.Precision, c.Recall, c.F1,
				evaluation.GetPrecision(g, cm), evaluation.GetRecall(g, cm), evaluation.GetF1Score(g, cm))
		}
	}
	if !close(ours.Accuracy, evaluation.GetAccuracy(cm)) {
		t.Errorf("accuracy %v, golearn %v", ours.Accuracy, evaluation.GetAccuracy(cm))
	}
}

func TestExpectedCalibrationError(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []int
		conf       []float64
		want       float64
	}{
		{"Perfect", []int{0, 1}, []int{0, 1}, []float64{1, 1}, 0},
		{"Overconfident", []int{0, 1}, []int{0, 0}, []float64{1, 1}, 0.5},
		{"Calibrated", []int{0, 1, 0, 0}, []int{0, 0, 0, 1}, []float64{0.55, 0.55, 0.55, 0.55}, 0.05},
	}
	for _, tt := range tests {
		if got := expectedCalibrationError(tt.gold, tt.pred, tt.conf); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: ECE %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTokenF1(t *testing.T) {
	text := "رفض البنتاغون أي تبادل للمعلومات مع موسكو"
	gold := []runeRange{{0, 13}} // رفض البنتاغون
	tests := []struct {
		name string
		pred []runeRange
		want float64
	}{
		{"Exact", []runeRange{{0, 13}}, 1},
		{"Half", []runeRange{{0, 3}}, 2.0 / 3},
		{"Disjoint", []runeRange{{30, 40}}, 0},
		{"None", nil, 0},
	}
	for _, tt := range tests {
		if got := tokenF1(text, gold, tt.pred); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: token-F1 %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDocumentFoldsKeepDocumentsWhole(t *testing.T) {
	folds := documentFolds(testRecords(), 5, 1)
	seen := map[string]int{}
	for f, idx := range folds {
		for _, i := range idx {
			d := testRecords()[i].DocID
			if prev, ok := seen[d]; ok && prev != f {
				t.Fatalf("document %s in folds %d and %d", d, prev, f)
			}
			seen[d] = f
		}
	}
	again := documentFolds(testRecords(), 5, 1)
	for f := range folds {
		if len(folds[f]) != len(again[f]) {
			t.Fatal("the same seed gave different folds")
		}
	}
}

func testRecords() []stance.Record {
	var recs []stance.Record
	for d := range 12 {
		for s := range 3 {
			recs = append(recs, stance.Record{ID: fmt.Sprintf("d%02d-s%d", d, s), DocID: fmt.Sprintf("d%02d", d)})
		}
	}
	return recs
}

func TestLongestAnnotatedSpanIsThe99thPercentile(t *testing.T) {
	span := func(words int) stance.Span {
		return stance.Span{Text: strings.TrimSpace(strings.Repeat("كلمة ", words))}
	}
	var hundred []stance.Span
	for n := 1; n <= 100; n++ {
		hundred = append(hundred, span(n))
	}
	tests := []struct {
		name string
		recs []stance.Record
		want int
	}{
		{"no evidence: no cap", []stance.Record{{Text: "نص"}}, 0},
		{"one span", []stance.Record{{Evidence: []stance.Span{span(7)}}}, 7},
		{"one to a hundred words: the 99th percentile", []stance.Record{{Evidence: hundred}}, 100 * 99 / 100},
		{"punctuation is no word", []stance.Record{{Evidence: []stance.Span{{Text: "رفض، التعاون."}}}}, 2},
	}
	for _, tt := range tests {
		if got := longestAnnotatedSpan(tt.recs); got != tt.want {
			t.Errorf("%s: longestAnnotatedSpan = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestMacroF1IntervalBracketsTheFigure: the bootstrap's macro-F1 over all
// sentences is headMetrics', its interval holds the figure and narrows with
// more sentences, it is the same on every call, and a perfect predictor's
// interval is the point 1.
func TestMacroF1IntervalBracketsTheFigure(t *testing.T) {
	labels := []string{"a", "b", "c", "d"}
	sample := func(n int) (gold, pred []int) {
		for i := range n {
			g := i % 4
			p := g
			if i%3 == 0 { // a third wrong, spread over the labels
				p = (g + 1 + i%2) % 4
			}
			gold, pred = append(gold, g), append(pred, p)
		}
		return gold, pred
	}
	var widths []float64
	for _, n := range []int{93, 350, 3000} {
		gold, pred := sample(n)
		cm := make([]int, 16)
		for i := range gold {
			cm[gold[i]*4+pred[i]]++
		}
		want := headMetrics(labels, gold, pred, nil).MacroF1
		if got := macroF1(4, cm); math.Abs(got-want) > 1e-12 {
			t.Fatalf("n=%d: macroF1 %v, headMetrics %v", n, got, want)
		}
		iv := macroF1Interval(4, gold, pred)
		if !(iv.Lo < want && want < iv.Hi) {
			t.Errorf("n=%d: interval %v does not hold the macro-F1 %.4f", n, iv, want)
		}
		if again := macroF1Interval(4, gold, pred); again != iv {
			t.Errorf("n=%d: interval %v, then %v: not deterministic", n, iv, again)
		}
		widths = append(widths, iv.Hi-iv.Lo)
	}
	if !(widths[0] > widths[1] && widths[1] > widths[2]) {
		t.Errorf("interval widths %v for 93, 350 and 3000 sentences, want them narrowing", widths)
	}
	gold, _ := sample(50)
	if iv := macroF1Interval(4, gold, gold); iv != (Interval{1, 1}) {
		t.Errorf("perfect predictions: interval %v, want {1 1}", iv)
	}
	if iv := meanInterval(nil); iv != (Interval{}) {
		t.Errorf("no values: interval %v, want zero", iv)
	}
}

// TestMacroF1DifferenceIsPaired: a predictor that fixes a tenth of
// another's errors and breaks none is better on every resample, so the
// paired interval stays at or above zero, while each figure's own interval
// is far wider than the difference.
func TestMacroF1DifferenceIsPaired(t *testing.T) {
	var gold, a, b []int
	for i := range 300 {
		g := i % 3
		pb := g
		if i%4 == 0 {
			pb = (g + 1) % 3
		}
		pa := pb
		if i%40 == 0 {
			pa = g
		}
		gold, a, b = append(gold, g), append(a, pa), append(b, pb)
	}
	d := macroF1Difference(3, gold, a, b)
	labels := []string{"x", "y", "z"}
	want := headMetrics(labels, gold, a, nil).MacroF1 - headMetrics(labels, gold, b, nil).MacroF1
	if math.Abs(d.Delta-want) > 1e-12 || d.Delta <= 0 {
		t.Fatalf("delta %v, want %v > 0", d.Delta, want)
	}
	if d.Interval.Lo < 0 || d.Interval.Hi < d.Delta {
		t.Errorf("paired interval %v for a difference of %.4f with no sentence lost", d.Interval, d.Delta)
	}
	own := macroF1Interval(3, gold, b)
	if own.Hi-own.Lo <= d.Interval.Hi-d.Interval.Lo {
		t.Errorf("own interval %v no wider than the paired one %v", own, d.Interval)
	}
}

// TestMeanDifferenceIsPaired: per-sentence scores where a is right on a
// few sentences b misses and equal elsewhere differ by a positive mean
// on every resample.
func TestMeanDifferenceIsPaired(t *testing.T) {
	var a, b []float64
	for i := range 200 {
		s := float64(i % 2)
		a, b = append(a, s), append(b, s)
		if i%20 == 1 {
			b[i] = 0
		}
		if i%20 == 0 {
			a[i] = 1
		}
	}
	d := meanDifference(a, b)
	if want := mean(a) - mean(b); math.Abs(d.Delta-want) > 1e-12 || d.Delta <= 0 {
		t.Fatalf("delta %v, want %v > 0", d.Delta, want)
	}
	if d.Interval.Lo <= 0 || d.Interval.Hi < d.Delta {
		t.Errorf("paired interval %v for a difference of %.4f with no sentence lost", d.Interval, d.Delta)
	}
}

// TestMatchHolderSaysWhereTheSpanLies checks each place a predicted holder
// span can lie against the annotated one [10, 20).
func TestMatchHolderSaysWhereTheSpanLies(t *testing.T) {
	gold := stance.Span{Start: 10, End: 20}
	tests := []struct {
		name       string
		start, end int
		want       HolderMatch
	}{
		{"the same span", 10, 20, HolderExact},
		{"its first word only", 10, 14, HolderInside},
		{"its last word only", 15, 20, HolderInside},
		{"a title before it", 4, 20, HolderAround},
		{"words after it", 10, 27, HolderAround},
		{"its end and more", 15, 27, HolderOverlapping},
		{"its start and before", 4, 14, HolderOverlapping},
		{"right before it", 4, 10, HolderElsewhere},
		{"right after it", 20, 25, HolderElsewhere},
	}
	for _, tc := range tests {
		if got := MatchHolder(gold, tc.start, tc.end); got != tc.want {
			t.Errorf("%s [%d, %d): %s, want %s", tc.name, tc.start, tc.end, got, tc.want)
		}
	}
}
