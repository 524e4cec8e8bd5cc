package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/training"
)

func runCorpus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return runCorpusExport(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("%w: stance corpus check [--format text|json] [--seeds DIR] PATH... | stance corpus export [--seeds DIR] PATH...", errUsage)
	}
	fs := newFlagSet("corpus check", stderr)
	format := fs.String("format", "text", "output format: text or json")
	seeds := fs.String("seeds", "", "folder of the seed articles (default $"+training.SeedsEnv+" or "+training.DefaultSeedsDir+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stance corpus check [flags] PATH...\n\nChecks annotated files (folders are searched for .jsonl) and prints their counts.\nExit status 1 when any problem is found.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: no PATH given", errUsage)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format %q, want text or json", errUsage, *format)
	}
	lx, err := lexicon.Default()
	if err != nil {
		return err
	}
	sets, err := training.LoadSets(fs.Args(), training.SeedsDir(*seeds))
	if err != nil {
		return err
	}
	rep := corpus.Check(sets, lx)
	files, err := lexicon.Files()
	if err != nil {
		return err
	}
	if rep.SeedOnlyEntries, err = corpus.SeedOnlyEntries(sets, files); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	if n := len(rep.Problems); n > 0 {
		return fmt.Errorf("%d problems", n)
	}
	return nil
}

func printReport(w io.Writer, rep corpus.Report) {
	for _, p := range rep.Problems {
		fmt.Fprintln(w, p)
	}
	roles := make([]corpus.Role, 0, len(rep.Stats))
	for r := range rep.Stats {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	for _, r := range roles {
		st := rep.Stats[r]
		fmt.Fprintf(w, "\n%s: %d sentences in %d documents, %d distinct holders, none share %.3f\n", r, st.Sentences, st.Documents, st.Holders, st.NoneShare)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "stance\\sentiment\t")
		for _, m := range stance.Sentiments {
			fmt.Fprintf(tw, "%s\t", m)
		}
		fmt.Fprintln(tw, "total\t")
		for _, s := range stance.Stances {
			fmt.Fprintf(tw, "%s\t", s)
			for _, m := range stance.Sentiments {
				fmt.Fprintf(tw, "%d\t", st.StanceSentiment[string(s)+"/"+string(m)])
			}
			fmt.Fprintf(tw, "%d\t\n", st.Stance[s])
		}
		fmt.Fprint(tw, "total\t")
		for _, m := range stance.Sentiments {
			fmt.Fprintf(tw, "%d\t", st.Sentiment[m])
		}
		fmt.Fprintf(tw, "%d\t\n", st.Sentences)
		tw.Flush()
		fmt.Fprint(w, "hard cases:")
		for _, k := range corpus.HardCaseKinds {
			fmt.Fprintf(w, " %s %d", k, st.HardCases[k])
		}
		fmt.Fprint(w, "\nholders by side (us/russia/other):")
		for _, s := range stance.Stances[:3] {
			h := st.HolderSides[s]
			fmt.Fprintf(w, " %s %d/%d/%d", s, h[lexicon.SideUS], h[lexicon.SideRussia], h[lexicon.SideOther])
		}
		fmt.Fprintln(w)
	}
	if len(rep.SeedOnlyEntries) > 0 {
		fmt.Fprintf(w, "\nlexicon entries that match seed sentences and no corpus sentence (%d):", len(rep.SeedOnlyEntries))
		for i, e := range rep.SeedOnlyEntries {
			if i == 0 || e.File != rep.SeedOnlyEntries[i-1].File {
				fmt.Fprintf(w, "\n  %s: %s", e.File, e.Entry)
			} else {
				fmt.Fprintf(w, ", %s", e.Entry)
			}
		}
		fmt.Fprintln(w)
	}
}

// runCorpusExport prints annotated files as guide records, one a line,
// joining standoff seed annotations with the articles: the form other
// tools (bench/bench.py) read. The seed text goes to stdout, never into
// the repository.
func runCorpusExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("corpus export", stderr)
	seeds := fs.String("seeds", "", "folder of the seed articles (default $"+training.SeedsEnv+" or "+training.DefaultSeedsDir+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: no PATH given", errUsage)
	}
	sets, err := training.LoadSets(fs.Args(), training.SeedsDir(*seeds))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, set := range sets {
		for _, r := range set.Records {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
	}
	return nil
}
