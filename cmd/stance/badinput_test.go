package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoredDocument is one line of `stance score --per document`.
type scoredDocument struct {
	DocID     string `json:"doc_id"`
	Source    string `json:"source"`
	Line      int    `json:"line"`
	Error     string `json:"error"`
	Sentences []struct {
		StartByte int    `json:"start_byte"`
		EndByte   int    `json:"end_byte"`
		Text      string `json:"text"`
		Stance    string `json:"stance"`
	} `json:"sentences"`
}

// TestScoreBadInputCatalogue feeds `stance score` the inputs archives
// really contain. Each becomes a correct result or an error record naming
// the problem, nothing is dropped, and the exit code says records failed.
func TestScoreBadInputCatalogue(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text string
		wantError  string // "" for a result
	}{
		{"empty", "", "empty text"},
		{"whitespace", " \t\n\u00a0 \n", "empty text"},
		{"punctuation", "«»… ؟!،؛ -- ...", "no letters"},
		{"invalid-utf8", "رفض \xff\xfe البنتاغون", "not valid UTF-8"},
		{"ten-megabytes", strings.Repeat("ورفض البنتاغون التنسيق مع موسكو. ", 10<<20/60), ""},
		{"long-sentence", strings.Repeat("تنسيق عسكري ", 100000/12), ""},
		{"control-characters", "رفض\x00 البنتاغون\x07 التنسيق\x1b مع موسكو.", ""},
		{"bidi-marks", "\u202bرفض البنتاغون\u202c \u200fالتنسيق\u200e مع موسكو.\u2066", ""},
		{"mixed-latin-arabic", "The Pentagon رفض أي تنسيق with Moscow في سوريا (Syria).", ""},
	}
	var inputs []string
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name+".txt")
		if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, path)
	}
	// Ten thousand documents in one file, as an export would hold them.
	var many bytes.Buffer
	for i := range 10000 {
		fmt.Fprintf(&many, "{\"id\":\"m%d\",\"text\":\"وقال المتحدث إن واشنطن لا تنسق مع موسكو.\"}\n", i)
	}
	manyPath := filepath.Join(dir, "many.jsonl")
	if err := os.WriteFile(manyPath, many.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, manyPath)

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"score", "--per", "document", "--progress", "never"}, inputs...), &stdout, &stderr)
	if code != 3 {
		t.Fatalf("exit code %d, want 3 (some records failed); stderr:\n%s", code, stderr.String())
	}
	byName := map[string]scoredDocument{}
	manyIDs := 0
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<30) // the ten-megabyte document is one long line
	for sc.Scan() {
		var d scoredDocument
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("output line is not JSON: %v", err)
		}
		if filepath.Base(d.Source) == "many.jsonl" {
			if d.DocID != fmt.Sprintf("m%d", manyIDs) || d.Error != "" {
				t.Fatalf("document %d of many.jsonl: %+v", manyIDs, d)
			}
			manyIDs++
			continue
		}
		byName[strings.TrimSuffix(filepath.Base(d.Source), ".txt")] = d
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read output: %v", err)
	}
	if manyIDs != 10000 {
		t.Errorf("many.jsonl: %d documents out, want 10000 in order", manyIDs)
	}
	for _, tt := range tests {
		d, ok := byName[tt.name]
		if !ok {
			t.Errorf("%s: no output record", tt.name)
			continue
		}
		if tt.wantError != "" {
			if !strings.Contains(d.Error, tt.wantError) {
				t.Errorf("%s: error %q, want one mentioning %q", tt.name, d.Error, tt.wantError)
			}
			if !strings.Contains(stderr.String(), tt.name+".txt: ") {
				t.Errorf("%s: the summary on stderr does not list the failure", tt.name)
			}
			continue
		}
		if d.Error != "" || len(d.Sentences) == 0 {
			t.Errorf("%s: error %q with %d sentences, want a result", tt.name, d.Error, len(d.Sentences))
			continue
		}
		for _, s := range d.Sentences {
			if tt.text[s.StartByte:s.EndByte] != s.Text {
				t.Fatalf("%s: sentence offsets [%d,%d) do not give its text", tt.name, s.StartByte, s.EndByte)
			}
		}
	}
	if !strings.Contains(stderr.String(), "4 errors") {
		t.Errorf("summary does not count the four failed records:\n%s", stderr.String())
	}
}
