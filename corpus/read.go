// Package corpus reads and checks annotated sentences in the guide's JSON
// Lines format: schema, labels, unique ids, span offsets, document order,
// near-duplicates, and the counts the data card reports.
package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/stance-project/stance"
)

// maxLine bounds one JSON line; a sentence record is far smaller, and the
// bound keeps a corrupt file from exhausting memory.
const maxLine = 1 << 20

// Read parses guide records, one a line. Unknown fields, malformed JSON and
// blank lines in the middle are errors that name the source and line.
func Read(r io.Reader, source string) ([]stance.Record, error) {
	var recs []stance.Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec stance.Record
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", source, n, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%s:%d: more than one JSON value on the line", source, n)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", source, n+1, err)
	}
	return recs, nil
}

// ReadFile reads guide records from a file.
func ReadFile(path string) ([]stance.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}
