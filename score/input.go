// Package score runs batch scoring: it streams documents from files,
// folders or standard input, classifies them in process or on remote
// `stance serve` replicas, and writes results in input order as JSON Lines,
// CSV or an HTML report, with error records for anything it could not read.
package score

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Doc is one document from the inputs, or the record of one that could not be read.
type Doc struct {
	Seq    int    // position in the input stream, from 0
	Source string // file path, or "-" for standard input
	Line   int    // 1-based line in a .jsonl or .csv file; 0 for a .txt file
	ID     string
	Text   string
	Bytes  int64 // input bytes this document accounts for, for progress
	Err    error // why the record could not be read; Text is empty then
}

// Input formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
	FormatTXT   = "txt"
)

// maxRecord bounds one input line or .txt file.
const maxRecord = 64 << 20

// Inputs lists the files behind the given paths: files as given, folders
// searched recursively for .txt, .jsonl and .csv files in name order, and
// "-" for standard input.
func Inputs(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			// A path that cannot be read becomes an error record when read.
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && formatOf(path, "") != "" {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// formatOf tells an input's format from its extension; stdin uses def.
func formatOf(path, def string) string {
	if path == "-" {
		return def
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".txt":
		return FormatTXT
	}
	return ""
}

// checkText returns why a text cannot be classified, or nil.
func checkText(text string) error {
	if !utf8.ValidString(text) {
		return errors.New("text is not valid UTF-8")
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			return nil
		}
	}
	if strings.TrimSpace(text) == "" {
		return errors.New("empty text")
	}
	return errors.New("text has no letters")
}

// reader sends the documents of every input, in order, to out.
type reader struct {
	stdin       io.Reader
	stdinFormat string
	seq         int
	out         chan<- Doc
	ctx         context.Context
}

func (r *reader) emit(d Doc) error {
	d.Seq = r.seq
	r.seq++
	if d.Err == nil {
		if err := checkText(d.Text); err != nil {
			d.Err, d.Text = err, ""
		}
	}
	select {
	case r.out <- d:
		return nil
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
}

// Read streams the documents of inputs to out and closes it. A file that
// cannot be read becomes an error record, never a silent drop.
func Read(ctx context.Context, inputs []string, stdin io.Reader, stdinFormat string, out chan<- Doc) error {
	defer close(out)
	r := &reader{stdin: stdin, stdinFormat: stdinFormat, out: out, ctx: ctx}
	for _, in := range inputs {
		if err := r.file(in); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) file(path string) error {
	format := formatOf(path, r.stdinFormat)
	var f io.Reader
	if path == "-" {
		f = r.stdin
	} else {
		file, err := os.Open(path)
		if err != nil {
			return r.emit(Doc{Source: path, ID: path, Err: fmt.Errorf("cannot read: %w", err)})
		}
		defer file.Close()
		f = file
	}
	switch format {
	case FormatTXT:
		b, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
		switch {
		case err != nil:
			return r.emit(Doc{Source: path, ID: path, Err: fmt.Errorf("cannot read: %w", err)})
		case len(b) > maxRecord:
			return r.emit(Doc{Source: path, ID: path, Bytes: int64(len(b)), Err: fmt.Errorf("longer than %d bytes", maxRecord)})
		}
		return r.emit(Doc{Source: path, ID: path, Text: string(b), Bytes: int64(len(b))})
	case FormatJSONL:
		return r.jsonl(path, f)
	case FormatCSV:
		return r.csv(path, f)
	}
	return r.emit(Doc{Source: path, ID: path, Err: fmt.Errorf("unknown input format: want .txt, .jsonl or .csv")})
}

func (r *reader) jsonl(path string, f io.Reader) error {
	br := bufio.NewReaderSize(f, 1<<16)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return r.emit(Doc{Source: path, Line: line, ID: path + ":" + strconv.Itoa(line), Err: fmt.Errorf("cannot read: %w", err)})
		}
		size := int64(len(b))
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		d := Doc{Source: path, Line: line, Bytes: size}
		var rec struct {
			ID   jsontext.Value `json:"id"`
			Text *string        `json:"text"`
		}
		switch uerr := json.Unmarshal(b, &rec, inputOptions); {
		case !utf8.Valid(b):
			d.Err = errors.New("line is not valid UTF-8")
		case uerr != nil:
			d.Err = fmt.Errorf("not a valid JSON object: %v", uerr)
		case rec.Text == nil:
			d.Err = errors.New(`no "text" field`)
		default:
			d.Text = *rec.Text
		}
		d.ID = idOf(rec.ID, path, line)
		if err := r.emit(d); err != nil {
			return err
		}
	}
}

// inputOptions read JSONL records as encoding/json did (field names in any
// case), except that a record naming a field twice is an error rather than
// a silent choice of the last one.
var inputOptions = json.MatchCaseInsensitiveNames(true)

// idOf reads a JSON id (string or number); a missing id becomes source:line.
func idOf(raw jsontext.Value, path string, line int) string {
	switch raw.Kind() {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
	case '0':
		return string(raw)
	}
	return path + ":" + strconv.Itoa(line)
}

func (r *reader) csv(path string, f io.Reader) error {
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return r.emit(Doc{Source: path, Line: 1, ID: path, Err: fmt.Errorf("no CSV header: %v", err)})
	}
	idCol, textCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "id":
			idCol = i
		case "text":
			textCol = i
		}
	}
	if textCol < 0 {
		return r.emit(Doc{Source: path, Line: 1, ID: path, Err: errors.New(`CSV header has no "text" column`)})
	}
	prev := cr.InputOffset()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		d := Doc{Source: path, Line: line, Bytes: cr.InputOffset() - prev}
		prev = cr.InputOffset()
		switch {
		case err != nil:
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				d.Line = pe.Line
			}
			d.Err = fmt.Errorf("bad CSV record: %v", err)
		case textCol >= len(rec):
			d.Err = errors.New(`record has no "text" column`)
		default:
			d.Text = rec[textCol]
			if idCol >= 0 && idCol < len(rec) {
				d.ID = rec[idCol]
			}
		}
		if d.ID == "" {
			d.ID = path + ":" + strconv.Itoa(d.Line)
		}
		if err := r.emit(d); err != nil {
			return err
		}
	}
}
