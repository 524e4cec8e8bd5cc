// Package training builds models from annotated sentences: it loads the
// corpus and the standoff seed annotations, extracts features, fits the
// stance and sentiment heads, cross-validates, and writes reports.
package training

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stance-project/stance"
)

// SeedsEnv names the environment variable that points at the seed articles.
const SeedsEnv = "STANCE_SEEDS"

// DefaultSeedsDir is where the seed articles sit beside a clone.
const DefaultSeedsDir = "../shared/seeds"

// SeedsDir resolves the seeds folder: the flag value when set, then
// $STANCE_SEEDS, then the default.
func SeedsDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv(SeedsEnv); v != "" {
		return v
	}
	return DefaultSeedsDir
}

// LocateSeeds is SeedsDir("") for code whose working folder is not the
// clone's root, as a package's tests and benchmarks run in the package's
// folder: root leads from there to the clone's root ("..", "../.."). The
// error says where it looked and how to point elsewhere.
func LocateSeeds(root string) (string, error) {
	dir := SeedsDir("")
	if !filepath.IsAbs(dir) && os.Getenv(SeedsEnv) == "" {
		dir = filepath.Join(root, dir)
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("seed articles not found at %s: set %s to the folder of the five seed .txt files", dir, SeedsEnv)
	}
	return dir, nil
}

// StandoffSpan is a span of a standoff record, relative to the sentence,
// without its text: the text stays in the seed file.
type StandoffSpan struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Standoff is an annotation of one sentence of a seed article. Start and End
// are code-point offsets of the sentence in the file.
type Standoff struct {
	ID        string           `json:"id"`
	DocID     string           `json:"doc_id"`
	File      string           `json:"file"`
	SHA256    string           `json:"sha256"`
	Start     int              `json:"start"`
	End       int              `json:"end"`
	Stance    stance.Stance    `json:"stance"`
	Sentiment stance.Sentiment `json:"sentiment"`
	Holder    *StandoffSpan    `json:"holder,omitempty"`
	Evidence  []StandoffSpan   `json:"evidence"`
	Mixed     bool             `json:"mixed,omitempty"`
	Note      string           `json:"note,omitempty"`
}

// ErrSeedsMissing is returned when the seeds folder does not exist.
var ErrSeedsMissing = errors.New("seed articles not found")

// LoadSeeds joins standoff annotations with the seed articles in dir and
// returns ordinary guide records. Every file's sha256 must match the
// annotation, so an edited article is caught instead of silently misaligned.
func LoadSeeds(annotations, dir string) ([]stance.Record, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: folder %q does not exist; pass --seeds DIR or set %s (default %s, beside the clone)",
			ErrSeedsMissing, dir, SeedsEnv, DefaultSeedsDir)
	}
	data, err := os.ReadFile(annotations)
	if err != nil {
		return nil, fmt.Errorf("read seed annotations: %w", err)
	}
	texts := map[string]string{}
	var recs []stance.Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var so Standoff
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&so); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", annotations, line, err)
		}
		text, ok := texts[so.File]
		if !ok {
			text, err = readSeed(dir, so.File, so.SHA256)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", annotations, line, err)
			}
			texts[so.File] = text
		}
		rec, err := so.join(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %w", annotations, line, so.ID, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", annotations, err)
	}
	return recs, nil
}

func readSeed(dir, name, want string) (string, error) {
	if name != filepath.Base(name) || !fs.ValidPath(name) {
		return "", fmt.Errorf("seed file name %q must be a plain file name", name)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return "", fmt.Errorf("read seed article: %w", err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != want {
		return "", fmt.Errorf("seed article %s has sha256 %s, the annotations were made on %s", name, got, want)
	}
	return string(b), nil
}

func (so Standoff) join(file string) (stance.Record, error) {
	text, err := stance.SliceRunes(file, so.Start, so.End)
	if err != nil {
		return stance.Record{}, fmt.Errorf("sentence: %w", err)
	}
	rec := stance.Record{
		ID: so.ID, DocID: so.DocID, Text: text, Stance: so.Stance, Sentiment: so.Sentiment,
		Mixed: so.Mixed, Note: so.Note, Evidence: []stance.Span{},
	}
	span := func(s StandoffSpan) (stance.Span, error) {
		t, err := stance.SliceRunes(text, s.Start, s.End)
		return stance.Span{Start: s.Start, End: s.End, Text: t}, err
	}
	if so.Holder != nil {
		h, err := span(*so.Holder)
		if err != nil {
			return rec, fmt.Errorf("holder: %w", err)
		}
		rec.Holder = &h
	}
	for i, e := range so.Evidence {
		s, err := span(e)
		if err != nil {
			return rec, fmt.Errorf("evidence[%d]: %w", i, err)
		}
		rec.Evidence = append(rec.Evidence, s)
	}
	return rec, nil
}
