package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/renameio/v2"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/corpus"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/training"
)

type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, ",") }
func (p *pathList) Set(v string) error { *p = append(*p, v); return nil }

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", stderr)
	var data pathList
	fs.Var(&data, "data", "annotated .jsonl file or folder of them (repeatable); seed standoff files are not training data")
	seeds := fs.String("seeds", "", "folder of the seed articles, scored in the report (default $"+training.SeedsEnv+" or "+training.DefaultSeedsDir+"; skipped when missing)")
	seedAnnotations := fs.String("seed-annotations", "testdata/seeds.standoff.jsonl", "standoff annotations of the seed articles")
	out := fs.String("out", "", "model file to write (required)")
	report := fs.String("report", "", "Markdown training report to write")
	folds := fs.Int("folds", 5, "cross-validation folds")
	seed := fs.Uint64("seed", 1, "seed of the fold split")
	quiet := fs.Bool("quiet", false, "no progress lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stance train --data PATH... --out FILE [--report FILE] [--seeds DIR]\n\nTrains stance and sentiment heads by document-grouped cross-validation and a\nsmall search, then fits the final model on all data. Same data, same bytes.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(data) == 0 || *out == "" {
		return fmt.Errorf("%w: --data and --out are required", errUsage)
	}
	recs, err := loadRecords(data)
	if err != nil {
		return err
	}
	var seedRecs []stance.Record
	dir := training.SeedsDir(*seeds)
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		if seedRecs, err = training.LoadSeeds(*seedAnnotations, dir); err != nil {
			return err
		}
	} else if *seeds != "" {
		return fmt.Errorf("seeds folder %s: not found", dir)
	} else {
		fmt.Fprintf(stderr, "stance train: seed articles not found at %s; the report has no seed figures (set --seeds or %s)\n", dir, training.SeedsEnv)
	}
	cfg := training.Config{Folds: *folds, Seed: *seed}
	if !*quiet {
		cfg.Progress = stderr
	}
	res, err := training.Train(recs, seedRecs, cfg)
	if err != nil {
		return err
	}
	if err := model.WriteFile(*out, res.Model); err != nil {
		return err
	}
	if *report != "" {
		var buf bytes.Buffer
		res.Report.WriteMarkdown(&buf)
		if err := renameio.WriteFile(*report, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	fmt.Fprintf(stderr, "stance train: wrote %s\n", *out)
	return nil
}

// loadRecords reads guide records from files and folders (recursively),
// refusing standoff seed files: the seeds are for evaluation only.
func loadRecords(paths []string) ([]stance.Record, error) {
	sets, err := training.LoadSets(paths, "")
	if err != nil {
		return nil, err
	}
	var recs []stance.Record
	for _, s := range sets {
		if s.Role == corpus.RoleSeeds {
			return nil, fmt.Errorf("%s: seed annotations are for evaluation, not training", s.Path)
		}
		recs = append(recs, s.Records...)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no records in %s", strings.Join(paths, ", "))
	}
	return recs, nil
}
