package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/google/renameio/v2"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/training"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	modelPath := fs.String("model", "", "model file (default: the embedded model)")
	var data pathList
	fs.Var(&data, "data", "annotated .jsonl file or folder (repeatable); a .standoff.jsonl file is joined with the seed articles")
	seeds := fs.String("seeds", "", "folder of the seed articles, for standoff files (default $"+training.SeedsEnv+" or "+training.DefaultSeedsDir+")")
	format := fs.String("format", "text", "output: text or json")
	against := fs.String("against", "", "another model file, or \"embedded\" for the embedded model: print how --model differs from it, with paired intervals (text output only)")
	errorsPath := fs.String("errors", "", "write the sentences the model gets wrong (stance, sentiment or an annotated holder's span) to FILE, one JSON object a line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stance eval [--model FILE] [--against FILE|embedded] --data FILE.jsonl [--seeds DIR] [--format text|json] [--errors FILE]\n\nScores a model on annotated sentences (gold sentence boundaries): macro-F1,\naccuracy, expected calibration error, per-class figures and confusion for stance\nand sentiment, evidence token-F1, and for sentences with an annotated holder the\nholder's exact match, overlap F1, actor accuracy and where the wrong spans lie.\nThe text output gives each F1 a 95 % bootstrap interval (2,000 resamples of the\nsentences, seeded): how far the figure could move on another sample of sentences\nlike these. --against adds, for each F1, the difference from another model on the\nsame sentences with its paired interval, and how many sentences each model alone\ngets right. --errors lists the sentences behind the figures.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(data) == 0 {
		return fmt.Errorf("%w: --data is required", errUsage)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format %q, want text or json", errUsage, *format)
	}
	if *against != "" && *format != "text" {
		return fmt.Errorf("%w: --against prints text; the JSON output has fixed keys", errUsage)
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	var other *model.Model
	if *against != "" {
		path := *against
		if path == "embedded" {
			path = ""
		}
		if other, err = loadModel(path); err != nil {
			return fmt.Errorf("--against: %w", err)
		}
	}
	sets, err := training.LoadSets(data, training.SeedsDir(*seeds))
	if err != nil {
		return err
	}
	var recs []stance.Record
	for _, s := range sets {
		recs = append(recs, s.Records...)
	}
	if len(recs) == 0 {
		return fmt.Errorf("no records in %v", []string(data))
	}
	rep, wrong := training.EvaluateWithErrors(m, recs)
	if *errorsPath != "" {
		if err := writeErrors(*errorsPath, wrong); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	printEval(stdout, rep)
	if other != nil {
		printComparison(stdout, *against, training.Compare(m, other, recs))
	}
	return nil
}

func printComparison(w io.Writer, against string, c training.Comparison) {
	fmt.Fprintf(w, "\nagainst %s (this model minus that one, 95 %% paired interval):\n", against)
	type row struct {
		name         string
		d            training.Difference
		gained, lost int
	}
	rows := []row{
		{"stance macro-F1", c.Stance, c.StanceGained, c.StanceLost},
		{"sentiment macro-F1", c.Sentiment, c.SentimentGained, c.SentimentLost},
		{"evidence token-F1", c.Evidence, -1, -1},
	}
	if h := c.Holder; h != nil {
		rows = append(rows,
			row{"holder exact match", h.Exact, h.ExactGained, h.ExactLost},
			row{"holder overlap F1", h.OverlapF1, -1, -1},
			row{"holder actor accuracy", h.ActorAccuracy, h.ActorGained, h.ActorLost})
	}
	for _, d := range rows {
		fmt.Fprintf(w, "  %s %+.4f (%+.2f to %+.2f)", d.name, d.d.Delta, d.d.Interval.Lo, d.d.Interval.Hi)
		if d.gained >= 0 {
			fmt.Fprintf(w, "; sentences right with this model only: %d, with that one only: %d", d.gained, d.lost)
		}
		fmt.Fprintln(w)
	}
}

func printEval(w io.Writer, rep training.EvalReport) {
	fmt.Fprintf(w, "sentences: %d\n", rep.N)
	for _, h := range []struct {
		name   string
		labels []string
		m      training.HeadMetrics
	}{
		{"stance", []string{"supporting", "opposing", "conditional", "none"}, rep.Stance},
		{"sentiment", []string{"positive", "negative", "neutral"}, rep.Sentiment},
	} {
		fmt.Fprintf(w, "\n%s: macro-F1 %.4f (95 %% interval %.2f–%.2f)  accuracy %.4f  ECE %.4f\n", h.name, h.m.MacroF1, h.m.MacroF1Interval.Lo, h.m.MacroF1Interval.Hi, h.m.Accuracy, h.m.ECE)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "label\tprecision\trecall\tF1\tsupport\t\tgold \\ predicted:\t"+joinTabs(h.labels)+"\t")
		for _, l := range h.labels {
			c := h.m.PerClass[l]
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%d\t\t%s\t", l, c.Precision, c.Recall, c.F1, c.Support, l)
			for _, p := range h.labels {
				fmt.Fprintf(tw, "%d\t", h.m.Confusion[l][p])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nevidence: token-F1 %.4f (95 %% interval %.2f–%.2f) over %d sentences with gold evidence; %.4f over the %d of them whose stance was predicted right\n",
		rep.Evidence.TokenF1, rep.Evidence.TokenF1Interval.Lo, rep.Evidence.TokenF1Interval.Hi, rep.Evidence.N, rep.Evidence.RightLabelF1, rep.Evidence.RightLabelN)
	if h := rep.Holder; h != nil {
		fmt.Fprintf(w, "holder: exact %.4f (%.2f–%.2f), overlap F1 %.4f (%.2f–%.2f), actor accuracy %.4f (%.2f–%.2f) over %d sentences with a gold holder\n",
			h.Exact, h.ExactInterval.Lo, h.ExactInterval.Hi, h.OverlapF1, h.OverlapF1Interval.Lo, h.OverlapF1Interval.Hi,
			h.ActorAccuracy, h.ActorAccuracyInterval.Lo, h.ActorAccuracyInterval.Hi, h.N)
		fmt.Fprint(w, "  wrong spans:")
		for i, k := range training.HolderMisses {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "%s %s %d", sep, strings.ReplaceAll(string(k), "_", " "), h.Misses[k])
		}
		fmt.Fprintln(w)
	}
}

// writeErrors writes the wrong sentences to path as JSON Lines, atomically:
// a run that fails leaves no half-written file.
func writeErrors(path string, wrong []training.SentenceError) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, e := range wrong {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("encode error record %s: %w", e.ID, err)
		}
	}
	if err := renameio.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write errors: %w", err)
	}
	return nil
}

func joinTabs(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "\t"
		}
		out += s
	}
	return out
}

// loadModel loads a model file, or the embedded default model when path is empty.
func loadModel(path string) (*model.Model, error) {
	if path == "" {
		return model.Default()
	}
	return model.LoadFile(path)
}
