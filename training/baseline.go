package training

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/naive"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/features"
)

// The baseline is golearn's Bernoulli naive Bayes over the presence of the
// most frequent light stems: the simple model every report compares against.
const (
	baselineFeatures = 2000
	baselineMinDF    = 2
)

var baselineConfig = features.Config{Stems: true}

// baselineColumns picks the stems present in the most training sentences.
func baselineColumns(ex *extracted, train []int) []uint64 {
	df := map[uint64]int{}
	for _, i := range train {
		seen := map[uint64]bool{}
		for _, h := range ex.hashes[i] {
			if !seen[h] {
				seen[h] = true
				df[h]++
			}
		}
	}
	var cols []uint64
	for h, n := range df {
		if n >= baselineMinDF && strings.HasPrefix(ex.names[h], "s|") {
			cols = append(cols, h)
		}
	}
	sort.Slice(cols, func(a, b int) bool {
		if df[cols[a]] != df[cols[b]] {
			return df[cols[a]] > df[cols[b]]
		}
		return ex.names[cols[a]] < ex.names[cols[b]]
	})
	if len(cols) > baselineFeatures {
		cols = cols[:baselineFeatures]
	}
	return cols
}

// naiveBayes is one fitted golearn classifier and its columns.
type naiveBayes struct {
	cols []uint64
	pos  map[uint64]int // column of each hash
	nb   *naive.BernoulliNBClassifier
}

func fitNaiveBayes(ex *extracted, train []int, y []int, labels []string) (*naiveBayes, error) {
	cols := baselineColumns(ex, train)
	inst := base.NewDenseInstances()
	specs := make([]base.AttributeSpec, len(cols))
	for i := range cols {
		specs[i] = inst.AddAttribute(base.NewBinaryAttribute("f" + strconv.Itoa(i)))
	}
	class := base.NewCategoricalAttribute()
	class.SetName("label")
	for _, l := range labels {
		class.GetSysValFromString(l)
	}
	classSpec := inst.AddAttribute(class)
	if err := inst.AddClassAttribute(class); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if err := inst.Extend(len(train)); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	pos := make(map[uint64]int, len(cols))
	for i, h := range cols {
		pos[h] = i
	}
	// Extend's rows start with every binary attribute 0: only the present
	// ones are set, a few dozen cells of a row's 2,000, all from one value
	// (golearn copies it into the row's bits).
	present := []byte{1}
	for row, r := range train {
		for _, h := range ex.hashes[r] {
			if c, ok := pos[h]; ok {
				inst.Set(specs[c], row, present)
			}
		}
		inst.Set(classSpec, row, class.GetSysValFromString(labels[y[r]]))
	}
	nb := naive.NewBernoulliNBClassifier()
	if err := nb.Fit(inst); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return &naiveBayes{cols: cols, pos: pos, nb: nb}, nil
}

// predict shares one byte slice per attribute value among all columns:
// golearn only reads them. Setting every cell of the training rows and a
// new slice per column and prediction cost a third of the baseline's time
// (CPU profile of TestDefaultModelIsReproducible: 15.2 s before, 10.3 s
// after both changes).
func (m *naiveBayes) predict(hashes []uint64, labels []string) int {
	absent, present := []byte{0}, []byte{1}
	vec := make([][]byte, len(m.cols))
	for i := range vec {
		vec[i] = absent
	}
	for _, h := range hashes {
		if c, ok := m.pos[h]; ok {
			vec[c] = present
		}
	}
	got := m.nb.PredictOne(vec)
	for i, l := range labels {
		if l == got {
			return i
		}
	}
	return len(labels) - 1
}

// fitPredictBaseline fits both baseline heads on the train rows of ex and
// writes their predictions for the test rows into st and sm, by row.
func fitPredictBaseline(ex *extracted, train, test, gold, goldSent, st, sm []int) error {
	for _, h := range []struct {
		y, out []int
		labels []string
	}{{gold, st, labelNames(stance.Stances)}, {goldSent, sm, labelNames(stance.Sentiments)}} {
		nb, err := fitNaiveBayes(ex, train, h.y, h.labels)
		if err != nil {
			return err
		}
		for _, r := range test {
			h.out[r] = nb.predict(ex.hashes[r], h.labels)
		}
	}
	return nil
}

// baselineCV cross-validates the baseline on the training folds.
func (t *trainer) baselineCV(gold, goldSent []int) (EvalReport, error) {
	ex := extract(features.New(baselineConfig, t.lx), t.recs)
	st, sm := make([]int, len(t.recs)), make([]int, len(t.recs))
	// Folds write disjoint rows of st and sm, so they run side by side.
	errs := make([]error, len(t.folds))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for f := range t.folds {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			errs[f] = fitPredictBaseline(ex, t.trainPart(f), t.folds[f], gold, goldSent, st, sm)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return EvalReport{}, err
	}
	return EvalReport{
		N:         len(t.recs),
		Stance:    headMetrics(labelNames(stance.Stances), gold, st, nil),
		Sentiment: headMetrics(labelNames(stance.Sentiments), goldSent, sm, nil),
	}, nil
}

// baselineOn fits the baseline on all training records and scores others.
func (t *trainer) baselineOn(test []stance.Record) (EvalReport, error) {
	joined := append(append([]stance.Record{}, t.recs...), test...)
	ex := extract(features.New(baselineConfig, t.lx), joined)
	gold, goldSent := goldLabels(joined) // the test rows' labels are only read for scoring
	var train, rows []int
	for i := range joined {
		if i < len(t.recs) {
			train = append(train, i)
		} else {
			rows = append(rows, i)
		}
	}
	st, sm := make([]int, len(joined)), make([]int, len(joined))
	if err := fitPredictBaseline(ex, train, rows, gold, goldSent, st, sm); err != nil {
		return EvalReport{}, err
	}
	n := len(t.recs)
	return EvalReport{
		N:         len(test),
		Stance:    headMetrics(labelNames(stance.Stances), gold[n:], st[n:], nil),
		Sentiment: headMetrics(labelNames(stance.Sentiments), goldSent[n:], sm[n:], nil),
	}, nil
}
