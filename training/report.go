package training

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stance-project/stance"
)

// WriteMarkdown writes the training report: the search, cross-validated
// figures with per-class tables and confusion matrices, the golearn
// baseline, and the seed-article figures.
func (r *Report) WriteMarkdown(w io.Writer) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# Training report\n\n")
	p("- training sentences: %d in %d documents (corpus sha256 `%s`)\n", r.Sentences, r.Documents, r.CorpusSHA256)
	p("- code version: `%s`\n", CodeVersion)
	p("- cross-validation: %d folds grouped by document\n", r.Folds)
	p("- chosen: `%s`, vocabulary %d features\n", r.Chosen, r.Vocabulary)
	p("- calibration: temperature %.3f (stance), %.3f (sentiment)\n", r.TemperatureStance, r.TemperatureSent)
	if t := r.EvidenceTagger; t != nil {
		p("- evidence: words chosen by the evidence tagger (%d features, threshold %.2f)", t.Features, t.Threshold)
	} else {
		p("- evidence: words chosen by their share of the strongest word's contribution (at least %.2f)", r.Evidence.MinShare)
	}
	p(", gaps of up to %d words bridged, within clause %t, at most %d words a span (0: no cap)\n\n", r.Evidence.MaxGap, r.Evidence.WithinClause, r.Evidence.MaxWords)

	p("## Search (cross-validated stance macro-F1 ± standard error over folds; the most regularised candidate within one standard error of the best is chosen)\n\n| candidate | stance macro-F1 | ± |\n|---|---|---|\n")
	rows := append([]SearchRow(nil), r.Search...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].StanceMacroF1 > rows[j].StanceMacroF1 })
	for _, s := range rows {
		p("| `%s` | %.4f | %.4f |\n", s.Candidate, s.StanceMacroF1, s.StdErr)
	}
	p("\n## Summary\n\n| data | model | stance macro-F1 | stance acc | stance ECE | sentiment macro-F1 | sentiment acc | sentiment ECE | evidence token-F1 |\n|---|---|---|---|---|---|---|---|---|\n")
	line := func(data, name string, e EvalReport, probs bool) {
		ece := func(v float64) string {
			if !probs {
				return "–"
			}
			return fmt.Sprintf("%.4f", v)
		}
		ev := "–"
		if probs {
			ev = fmt.Sprintf("%.4f (n=%d)", e.Evidence.TokenF1, e.Evidence.N)
		}
		p("| %s | %s | %.4f | %.4f | %s | %.4f | %.4f | %s | %s |\n", data, name,
			e.Stance.MacroF1, e.Stance.Accuracy, ece(e.Stance.ECE), e.Sentiment.MacroF1, e.Sentiment.Accuracy, ece(e.Sentiment.ECE), ev)
	}
	line("cross-validation", "stance (logistic regression)", r.CV, true)
	line("cross-validation", "baseline (golearn Bernoulli NB)", r.BaselineCV, false)
	if r.Seeds != nil {
		line(fmt.Sprintf("seed articles (n=%d)", r.Seeds.N), "stance (logistic regression)", *r.Seeds, true)
		line(fmt.Sprintf("seed articles (n=%d)", r.SeedsBaseline.N), "baseline (golearn Bernoulli NB)", *r.SeedsBaseline, false)
	}
	if e := r.Seeds; e != nil {
		p("\n95 %% bootstrap intervals on the %d seed sentences (2,000 resamples of the sentences): stance macro-F1 %.2f–%.2f, sentiment macro-F1 %.2f–%.2f, evidence token-F1 %.2f–%.2f.\n",
			e.N, e.Stance.MacroF1Interval.Lo, e.Stance.MacroF1Interval.Hi, e.Sentiment.MacroF1Interval.Lo, e.Sentiment.MacroF1Interval.Hi,
			e.Evidence.TokenF1Interval.Lo, e.Evidence.TokenF1Interval.Hi)
	}
	if n := len(r.SeedOnlyEntries); n > 0 {
		var list []string
		for _, e := range r.SeedOnlyEntries {
			list = append(list, e.File+" "+e.Entry)
		}
		p("\n%d lexicon entries match seed sentences and no training sentence (%s): training learns nothing from them, so the seed figures lean on them; `bench/seed_only_entries.py` gives the figures without them.\n",
			n, strings.Join(list, ", "))
	}
	for _, h := range []struct {
		name string
		e    *EvalReport
	}{{"seed articles", r.Seeds}} {
		if h.e != nil && h.e.Holder != nil {
			hm := h.e.Holder
			p("\nHolders on the %s: exact %.4f (%.2f–%.2f), token-overlap F1 %.4f (%.2f–%.2f), actor accuracy %.4f (%.2f–%.2f) over %d sentences with a gold holder.\n",
				h.name, hm.Exact, hm.ExactInterval.Lo, hm.ExactInterval.Hi, hm.OverlapF1, hm.OverlapF1Interval.Lo, hm.OverlapF1Interval.Hi,
				hm.ActorAccuracy, hm.ActorAccuracyInterval.Lo, hm.ActorAccuracyInterval.Hi, hm.N)
		}
	}
	p("\n## Cross-validation detail\n\n")
	writeHead(w, "Stance", labelNames(stance.Stances), r.CV.Stance)
	writeHead(w, "Sentiment", labelNames(stance.Sentiments), r.CV.Sentiment)
	writeHead(w, "Baseline stance", labelNames(stance.Stances), r.BaselineCV.Stance)
	if r.Seeds != nil {
		p("## Seed articles detail\n\n")
		writeHead(w, "Stance", labelNames(stance.Stances), r.Seeds.Stance)
		writeHead(w, "Sentiment", labelNames(stance.Sentiments), r.Seeds.Sentiment)
		writeHead(w, "Baseline stance", labelNames(stance.Stances), r.SeedsBaseline.Stance)
	}
	return nil
}

// writeHead writes a per-class table and a confusion matrix.
func writeHead(w io.Writer, title string, labels []string, h HeadMetrics) {
	fmt.Fprintf(w, "### %s\n\n| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n", title)
	for _, l := range labels {
		c := h.PerClass[l]
		fmt.Fprintf(w, "| %s | %.4f | %.4f | %.4f | %d |\n", l, c.Precision, c.Recall, c.F1, c.Support)
	}
	fmt.Fprintf(w, "\nConfusion (rows gold, columns predicted):\n\n| gold \\ predicted |")
	for _, l := range labels {
		fmt.Fprintf(w, " %s |", l)
	}
	fmt.Fprint(w, "\n|---|")
	for range labels {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, g := range labels {
		fmt.Fprintf(w, "| %s |", g)
		for _, pr := range labels {
			fmt.Fprintf(w, " %d |", h.Confusion[g][pr])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}
