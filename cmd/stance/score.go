package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/score"
	"github.com/stance-project/stance/server"
)

// Exit codes of stance score, documented in its --help.
const (
	exitFailedRecords = 3
)

// exitError carries an exit code other than 1.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

const scoreHelp = `usage: stance score [flags] PATH...

Scores documents in batch. PATH is a file, a folder (searched recursively),
or - for standard input:
  .txt    one document per file (its id is the path)
  .jsonl  one document per line: {"id": ..., "text": ...}
  .csv    a header row with "text" and optionally "id" columns

Results are written in input order. A file that cannot be read, a line that
is not JSON, invalid UTF-8 or an empty text becomes an error record in the
output (with source and line) and in the summary; nothing is dropped. With
--out, output goes to FILE.partial and is renamed to FILE when the run ends;
--resume picks up FILE or a killed run's FILE.partial, skipping documents
already scored and redoing failed ones.

Classification runs in this process (the embedded model, or --model), or on
stance serve replicas with --addr host:port or --addr dns:///name:port (one
stream per worker, spread round-robin over every address of the name).

Exit status: 0 success (or failed records with --keep-going); 1 the run could
not complete (the output cannot be written, the model cannot be loaded...);
2 usage error; 3 the run completed but some records failed (a missing or
unreadable input file is such a record).

flags:`

func runScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("score", stderr)
	format := fs.String("format", score.OutJSONL, "output: jsonl, csv or html")
	per := fs.String("per", score.PerSentence, "jsonl granularity: sentence or document")
	out := fs.String("out", "", "output file (default: standard output)")
	modelPath := fs.String("model", "", "model file for in-process scoring (default: the embedded model)")
	addr := fs.String("addr", "", "score on stance serve at host:port or dns:///name:port instead of in process")
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers (in-process goroutines or server streams)")
	resume := fs.Bool("resume", false, "skip documents already in --out (or its .partial file)")
	keepGoing := fs.Bool("keep-going", false, "exit 0 even when some records failed")
	stdinFormat := fs.String("stdin-format", score.FormatJSONL, "format of - (standard input): jsonl, csv or txt")
	noEvidence := fs.Bool("no-evidence", false, "leave out evidence spans")
	maxEvidence := fs.Int("max-evidence", model.DefaultMaxEvidence, "evidence spans per head and sentence")
	noHolders := fs.Bool("no-holders", false, "leave out stance holders (about a tenth faster)")
	// --holders named an opt-in before holders became the default; scripts
	// that pass it keep working, and --holders=false still turns them off.
	holders := fs.Bool("holders", true, "name the holder of every sentence with a stance (the default)")
	gcPercent := fs.Int("gc-percent", envInt("STANCE_GC_PERCENT", server.DefaultGCPercent), "garbage collector target percentage, as GOGC; a GOGC environment variable wins ($STANCE_GC_PERCENT)")
	progress := fs.String("progress", "auto", "progress line on stderr: auto (when stderr is a terminal), always or never")
	fs.Usage = func() {
		fmt.Fprintln(stderr, scoreHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return fmt.Errorf("%w: no PATH given (a file, a folder or -)", errUsage)
	case *format != score.OutJSONL && *format != score.OutCSV && *format != score.OutHTML:
		return fmt.Errorf("%w: --format %q, want jsonl, csv or html", errUsage, *format)
	case *per != score.PerSentence && *per != score.PerDocument:
		return fmt.Errorf("%w: --per %q, want sentence or document", errUsage, *per)
	case *per == score.PerDocument && *format != score.OutJSONL:
		return fmt.Errorf("%w: --per document needs --format jsonl", errUsage)
	case *modelPath != "" && *addr != "":
		return fmt.Errorf("%w: --model and --addr exclude each other", errUsage)
	case *workers < 1:
		return fmt.Errorf("%w: --workers %d, want at least 1", errUsage, *workers)
	case *stdinFormat != score.FormatJSONL && *stdinFormat != score.FormatCSV && *stdinFormat != score.FormatTXT:
		return fmt.Errorf("%w: --stdin-format %q, want jsonl, csv or txt", errUsage, *stdinFormat)
	case *progress != "auto" && *progress != "always" && *progress != "never":
		return fmt.Errorf("%w: --progress %q, want auto, always or never", errUsage, *progress)
	case *noHolders && *holders && flagSet(fs, "holders"):
		return fmt.Errorf("%w: --holders and --no-holders exclude each other", errUsage)
	}
	setGCPercent(*gcPercent)
	opt := model.Options{NoEvidence: *noEvidence, MaxEvidence: *maxEvidence, NoHolders: *noHolders || !*holders}
	var engine score.Engine
	if *addr != "" {
		r, err := score.Dial(*addr, opt)
		if err != nil {
			return err
		}
		engine = r
	} else {
		m, err := loadModel(*modelPath)
		if err != nil {
			return err
		}
		engine = &score.Local{Model: m, Options: opt}
	}
	defer engine.Close()

	showProgress := *progress == "always" || (*progress == "auto" && isTerminal(stderr))
	o := score.Options{
		Inputs: fs.Args(), Stdin: os.Stdin, StdinFormat: *stdinFormat,
		Format: *format, Per: *per, Out: *out, Stdout: stdout, Resume: *resume,
		Workers: *workers, Engine: engine,
	}
	if showProgress {
		o.Progress = func(p score.Progress) { fmt.Fprintf(stderr, "\r\033[K%s", progressLine(p)) }
	}
	sum, err := score.Run(ctx, o)
	if showProgress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if sum != nil {
		printSummary(stderr, sum)
	}
	if err != nil {
		return err
	}
	if sum.Errors > 0 && !*keepGoing {
		return &exitError{code: exitFailedRecords, msg: fmt.Sprintf("%d of %d records failed (see the error records; --keep-going exits 0)", sum.Errors, sum.Documents)}
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func progressLine(p score.Progress) string {
	rate := float64(p.Sentences) / max(p.Elapsed.Seconds(), 1e-9)
	line := fmt.Sprintf("%d documents, %d sentences, %.0f sentences/s, %d errors", p.Documents, p.Sentences, rate, p.Errors)
	if p.BytesTotal > 0 && p.BytesDone > 0 {
		frac := float64(p.BytesDone) / float64(p.BytesTotal)
		eta := time.Duration(float64(p.Elapsed) * (1 - frac) / frac).Round(time.Second)
		line += fmt.Sprintf(", %.0f%%, ETA %s", 100*frac, eta)
	}
	return line
}

// maxSummaryActors bounds the actors the summary lists: an archive names
// many, and the HTML report and --per document have them all.
const maxSummaryActors = 12

// printActors lists the archive's actors by how many stances they hold,
// most first, with their counts by stance (none without holders).
func printActors(w io.Writer, actors map[string]*score.ActorTotals) {
	if len(actors) == 0 {
		return
	}
	total := func(a string) int {
		n := 0
		for _, c := range actors[a].Stance {
			n += c
		}
		return n
	}
	names := slices.Collect(maps.Keys(actors))
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(total(b), total(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	fmt.Fprintf(w, "  actors, by stances held (%s):\n", strings.Join([]string{string(stance.Supporting), string(stance.Opposing), string(stance.Conditional)}, " / "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range names[:min(len(names), maxSummaryActors)] {
		c := actors[a].Stance
		fmt.Fprintf(tw, "    %s\t%d / %d / %d\n", a, c[stance.Supporting], c[stance.Opposing], c[stance.Conditional])
	}
	tw.Flush()
	if len(names) > maxSummaryActors {
		fmt.Fprintf(w, "    ... and %d more (all of them in --format html and --per document)\n", len(names)-maxSummaryActors)
	}
}

func printSummary(w io.Writer, s *score.Summary) {
	var st, se []string
	for _, l := range stance.Stances {
		st = append(st, fmt.Sprintf("%s %d", l, s.Stance[l]))
	}
	for _, l := range stance.Sentiments {
		se = append(se, fmt.Sprintf("%s %d", l, s.Sentiment[l]))
	}
	fmt.Fprintf(w, "stance score: %d documents, %d sentences, %d errors", s.Documents, s.Sentences, s.Errors)
	if s.Skipped > 0 {
		fmt.Fprintf(w, ", %d skipped (already scored)", s.Skipped)
	}
	fmt.Fprintf(w, " in %s (%.0f sentences/s)\n  stance: %s\n  sentiment: %s\n", s.Elapsed.Round(time.Millisecond), s.SentencesPerSecond, strings.Join(st, ", "), strings.Join(se, ", "))
	printActors(w, s.Actors)
	for _, e := range s.ErrorSamples {
		fmt.Fprintf(w, "  error: %s\n", e)
	}
	if s.Errors > len(s.ErrorSamples) {
		fmt.Fprintf(w, "  ... and %d more error records in the output\n", s.Errors-len(s.ErrorSamples))
	}
}
