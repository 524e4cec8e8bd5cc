package score

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// Options configure a scoring run.
type Options struct {
	Inputs      []string  // files, folders, or "-"
	Stdin       io.Reader // read for "-"
	StdinFormat string    // format of "-": jsonl, csv or txt
	Format      string    // jsonl, csv or html
	Per         string    // sentence or document (jsonl only)
	Out         string    // output file; empty for Stdout
	Stdout      io.Writer
	Resume      bool // skip documents already in Out (or in its .partial file)
	Workers     int
	Engine      Engine
	// Progress, when set, receives a progress line about twice a second.
	Progress func(p Progress)
}

// Progress is the state of a run, for the progress line.
type Progress struct {
	Documents, Sentences, Errors int
	Elapsed                      time.Duration
	BytesDone, BytesTotal        int64 // BytesTotal is 0 when unknown (stdin)
}

// Summary is the final account of a run.
type Summary struct {
	Documents int                      `json:"documents"`
	Skipped   int                      `json:"skipped_resumed"`
	Sentences int                      `json:"sentences"`
	Errors    int                      `json:"errors"`
	Stance    map[stance.Stance]int    `json:"stance"`
	Sentiment map[stance.Sentiment]int `json:"sentiment"`
	Elapsed   time.Duration            `json:"-"`
	// SentencesPerSecond is the throughput of this run.
	SentencesPerSecond float64 `json:"sentences_per_second"`
	// ErrorSamples are the first few error records, for the final report.
	ErrorSamples []string `json:"error_samples,omitempty"`
	// Actors counts, per canonical actor, the stances it holds across the
	// archive (none with --no-holders), keyed by model.ActorLabel: holders
	// of no row of the actor table are "other", or "other (us)" and "other
	// (russia)" when their words name a side (مسؤول أمريكي).
	Actors map[string]*ActorTotals `json:"actors,omitempty"`
}

// ActorTotals are one actor's stance counts across an archive.
type ActorTotals struct {
	Side   lexicon.Side          `json:"side"`
	Stance map[stance.Stance]int `json:"stance"`
}

// PartialSuffix names the file a run writes before renaming it to Out.
const PartialSuffix = ".partial"

// Run scores the inputs. Results are written in input order; with Out set
// they go to Out+".partial", renamed to Out when the run completes, so a
// killed run never leaves a truncated Out and --resume can pick it up.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.Resume && opt.Out == "" {
		return nil, errors.New("--resume needs --out: standard output cannot be resumed")
	}
	if opt.Resume && opt.Format == OutHTML {
		return nil, errors.New("--resume works with jsonl and csv output, not html")
	}
	inputs, err := Inputs(opt.Inputs)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, in := range inputs {
		if in == "-" {
			total = 0
			break
		}
		if st, err := os.Stat(in); err == nil {
			total += st.Size()
		}
	}

	// The destination: stdout, or a .partial file renamed at the end.
	var dst io.Writer = opt.Stdout
	var partial *os.File
	partialPath := opt.Out + PartialSuffix
	done := map[string]bool{}
	header := true
	if opt.Out != "" {
		if opt.Resume {
			if partial, done, err = resumeFile(opt.Out, partialPath, opt.Format); err != nil {
				return nil, err
			}
			if st, _ := partial.Stat(); st != nil && st.Size() > 0 {
				header = false
			}
		} else if partial, err = os.Create(partialPath); err != nil {
			return nil, fmt.Errorf("create output: %w", err)
		}
		defer partial.Close()
		dst = partial
	}
	f, err := newFormat(opt.Format, opt.Per)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(dst, 1<<16)
	if header {
		w.Write(f.head())
	}

	sum := &Summary{Stance: map[stance.Stance]int{}, Sentiment: map[stance.Sentiment]int{}, Actors: map[string]*ActorTotals{}}
	for _, s := range stance.Stances {
		sum.Stance[s] = 0
	}
	for _, s := range stance.Sentiments {
		sum.Sentiment[s] = 0
	}
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Reader → window → engine → reorder → writer. The window bounds how
	// far the reader runs ahead of the writer, so memory stays flat
	// whatever the input size.
	window := make(chan struct{}, opt.Workers*8)
	docs := make(chan Doc, opt.Workers*2)
	toEngine := make(chan Doc, opt.Workers*2)
	results := make(chan Result, opt.Workers*2)
	readErr := make(chan error, 1)
	go func() { readErr <- Read(ctx, inputs, opt.Stdin, opt.StdinFormat, docs) }()
	go func() {
		defer close(toEngine)
		seq := 0
		for d := range docs {
			if done[d.ID] {
				sum.Skipped++ // only this goroutine writes Skipped until results end
				continue
			}
			d.Seq = seq // dense, so that the writer never waits for a skipped one
			seq++
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			toEngine <- d
		}
	}()
	classified := make(chan Result, opt.Workers*2)
	go func() {
		opt.Engine.Run(ctx, opt.Workers, toEngine, classified)
		close(classified)
	}()
	// Render on every core; the writer below only orders and copies bytes.
	go func() {
		var wg sync.WaitGroup
		for range opt.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range classified {
					r.encoded, r.encodeErr = f.encode(r)
					results <- r
				}
			}()
		}
		wg.Wait()
		close(results)
	}()

	pending := map[int]Result{}
	var bytesDone int64
	lastProgress := time.Now()
	var writeErr error
	emit := func(r Result) {
		<-window
		bytesDone += r.Doc.Bytes
		if writeErr != nil {
			return
		}
		if r.encodeErr != nil {
			writeErr = fmt.Errorf("render %s: %w", r.Doc.ID, r.encodeErr)
			cancel()
			return
		}
		if _, err := w.Write(r.encoded); err != nil {
			writeErr = fmt.Errorf("write output: %w", err)
			cancel()
			return
		}
		sum.Documents++
		if r.Err != nil {
			sum.Errors++
			if len(sum.ErrorSamples) < 10 {
				loc := r.Doc.Source
				if r.Doc.Line > 0 {
					loc = fmt.Sprintf("%s:%d", r.Doc.Source, r.Doc.Line)
				}
				sum.ErrorSamples = append(sum.ErrorSamples, loc+": "+r.Err.Error())
			}
		}
		for _, s := range r.Sentences {
			sum.Sentences++
			sum.Stance[s.Stance]++
			sum.Sentiment[s.Sentiment]++
			if h := s.Holder; h != nil && s.Stance != stance.None {
				key := model.ActorLabel(h.Actor, h.Side)
				a := sum.Actors[key]
				if a == nil {
					a = &ActorTotals{Side: h.Side, Stance: map[stance.Stance]int{}}
					sum.Actors[key] = a
				}
				a.Stance[s.Stance]++
			}
		}
	}
	next := 0 // the Seq to write next
	for r := range results {
		pending[r.Doc.Seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			emit(p)
			next++
		}
		if opt.Progress != nil && time.Since(lastProgress) > 500*time.Millisecond {
			lastProgress = time.Now()
			opt.Progress(Progress{Documents: sum.Documents, Sentences: sum.Sentences, Errors: sum.Errors, Elapsed: time.Since(start), BytesDone: bytesDone, BytesTotal: total})
		}
	}
	if err := <-readErr; err != nil && writeErr == nil && !errors.Is(err, context.Canceled) {
		return sum, err
	}
	if writeErr != nil {
		return sum, writeErr
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	sum.Elapsed = time.Since(start)
	if s := sum.Elapsed.Seconds(); s > 0 {
		sum.SentencesPerSecond = float64(sum.Sentences) / s
	}
	w.Write(f.tail(sum))
	if err := w.Flush(); err != nil {
		return sum, fmt.Errorf("write output: %w", err)
	}
	if partial != nil {
		if err := partial.Sync(); err != nil {
			return sum, fmt.Errorf("write output: %w", err)
		}
		if err := partial.Close(); err != nil {
			return sum, fmt.Errorf("write output: %w", err)
		}
		if err := os.Rename(partialPath, opt.Out); err != nil {
			return sum, fmt.Errorf("write output: %w", err)
		}
	}
	return sum, nil
}

// resumeFile opens the .partial file to append to, and returns the ids of
// the documents it already holds. The partial file of a killed run is
// used as it is, cut back to its last complete document; otherwise the
// finished output is copied into it. Error records are dropped, so that
// failed documents are tried again.
func resumeFile(out, partialPath, format string) (*os.File, map[string]bool, error) {
	src := partialPath
	if _, err := os.Stat(partialPath); err != nil {
		src = out
	}
	var keep bytes.Buffer
	done := map[string]bool{}
	if b, err := os.ReadFile(src); err == nil {
		var err error
		if format == OutCSV {
			err = keptCSV(b, &keep, done)
		} else {
			err = keptJSONL(b, &keep, done)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("resume from %s: %w", src, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("resume: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(partialPath), filepath.Base(partialPath)+".*")
	if err != nil {
		return nil, nil, fmt.Errorf("resume: %w", err)
	}
	if _, err := tmp.Write(keep.Bytes()); err != nil {
		tmp.Close()
		return nil, nil, fmt.Errorf("resume: %w", err)
	}
	if err := os.Rename(tmp.Name(), partialPath); err != nil {
		tmp.Close()
		return nil, nil, fmt.Errorf("resume: %w", err)
	}
	return tmp, done, nil // the open file is now partialPath
}

// keptJSONL copies the successful documents of a JSON Lines output. A
// document's lines are contiguous and written together, but a kill can
// still cut the last one short, so the last document of a file is always
// redone; a line that does not parse ends the usable part.
func keptJSONL(b []byte, keep *bytes.Buffer, done map[string]bool) error {
	type group struct {
		id    string
		lines []byte
		ok    bool
	}
	var groups []group
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break // a cut-off last line
		}
		line := b[:i+1]
		b = b[i+1:]
		var r struct {
			DocID string  `json:"doc_id"`
			Error *string `json:"error"`
		}
		if err := json.Unmarshal(line, &r, inputOptions); err != nil {
			break
		}
		if len(groups) == 0 || groups[len(groups)-1].id != r.DocID {
			groups = append(groups, group{id: r.DocID, ok: true})
		}
		g := &groups[len(groups)-1]
		g.lines = append(g.lines, line...)
		g.ok = g.ok && r.Error == nil
	}
	if len(groups) > 0 {
		groups = groups[:len(groups)-1]
	}
	for _, g := range groups {
		if g.ok {
			keep.Write(g.lines)
			done[g.id] = true
		}
	}
	return nil
}

// keptCSV is keptJSONL for CSV output: the header, then the rows of
// complete, successful documents.
func keptCSV(b []byte, keep *bytes.Buffer, done map[string]bool) error {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = b[:bytes.LastIndexByte(b, '\n')+1] // drop a cut-off row
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return err
	}
	w := csv.NewWriter(keep)
	if len(rows) > 0 {
		w.Write(rows[0])
	}
	failed := map[string]bool{}
	for _, row := range rows[min(1, len(rows)):] {
		if len(row) == len(csvHeader) && row[len(row)-1] != "" {
			failed[row[0]] = true
		}
	}
	// The last document may be incomplete: redo it.
	last := ""
	if len(rows) > 1 {
		last = rows[len(rows)-1][0]
	}
	for _, row := range rows[min(1, len(rows)):] {
		if len(row) == 0 || failed[row[0]] || row[0] == last {
			continue
		}
		w.Write(row)
		done[row[0]] = true
	}
	w.Flush()
	return w.Error()
}
