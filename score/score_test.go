package score_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/stance-project/stance/model"
	"github.com/stance-project/stance/score"
)

const doc1 = "رفض البنتاغون أي تنسيق عسكري مع موسكو. ورحبت روسيا بالعرض الأمريكي للتعاون ضد داعش."
const doc2 = "وقالت واشنطن إنها قد تعمل مع موسكو إذا أوقفت غاراتها على المدنيين."

func engine(t testing.TB) score.Engine {
	t.Helper()
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &score.Local{Model: m}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type line struct {
	DocID     string          `json:"doc_id"`
	Source    string          `json:"source"`
	Line      int             `json:"line"`
	Text      string          `json:"text"`
	Error     string          `json:"error"`
	Sentences json.RawMessage `json:"sentences"`
}

func readLines(t *testing.T, b []byte) []line {
	t.Helper()
	var out []line
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var x line
		if err := json.Unmarshal(l, &x); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		out = append(out, x)
	}
	return out
}

func run(t *testing.T, opt score.Options) (*score.Summary, []byte) {
	t.Helper()
	var out bytes.Buffer
	if opt.Stdout == nil {
		opt.Stdout = &out
	}
	if opt.Engine == nil {
		opt.Engine = engine(t)
	}
	if opt.Format == "" {
		opt.Format = score.OutJSONL
	}
	if opt.Workers == 0 {
		opt.Workers = 4
	}
	sum, err := score.Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if opt.Out != "" {
		b, err := os.ReadFile(opt.Out)
		if err != nil {
			t.Fatal(err)
		}
		return sum, b
	}
	return sum, out.Bytes()
}

func TestEveryInputKind(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a/one.txt", doc1)
	write(t, dir, "b.jsonl", fmt.Sprintf("{\"id\":\"j1\",\"text\":%q}\n{\"id\":7,\"text\":%q}\n", doc1, doc2))
	write(t, dir, "c.csv", "id,text\nc1,\""+doc2+"\"\n")
	write(t, dir, "ignored.md", "# not an input")
	sum, out := run(t, score.Options{Inputs: []string{dir}, Per: score.PerDocument})
	got := readLines(t, out)
	var ids []string
	for _, l := range got {
		ids = append(ids, l.DocID)
		if l.Error != "" {
			t.Errorf("%s: %s", l.DocID, l.Error)
		}
	}
	want := []string{filepath.Join(dir, "a/one.txt"), "j1", "7", "c1"}
	if strings.Join(ids, "|") != strings.Join(want, "|") {
		t.Fatalf("documents %v, want %v", ids, want)
	}
	if sum.Documents != 4 || sum.Errors != 0 || sum.Sentences != 6 {
		t.Fatalf("summary %+v", sum)
	}
	t.Run("Stdin", func(t *testing.T) {
		_, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(doc2), StdinFormat: score.FormatTXT})
		if l := readLines(t, out); len(l) != 1 || l[0].Text == "" {
			t.Fatalf("stdin as txt: %v", l)
		}
	})
}

func TestBadInputBecomesErrorRecords(t *testing.T) {
	dir := t.TempDir()
	// A record naming "text" twice is ambiguous: an error, not a guess.
	// Field names match in any case, as encoding/json matched them.
	bad := write(t, dir, "bad.jsonl", "{\"id\":\"ok\",\"text\":\""+doc2+"\"}\nnot json\n{\"id\":\"e\",\"text\":\"   \"}\n{\"id\":\"u\",\"text\":\"\xff\xfe\"}\n{\"id\":\"n\"}\n"+
		"{\"id\":\"d\",\"text\":\"a\",\"text\":\""+doc2+"\"}\n{\"ID\":\"c\",\"Text\":\""+doc2+"\"}\n")
	missing := filepath.Join(dir, "missing.txt")
	noText := write(t, dir, "x.csv", "id,body\n1,abc\n")
	sum, out := run(t, score.Options{Inputs: []string{bad, missing, noText}})
	lines := readLines(t, out)
	errs := map[string]string{}
	for _, l := range lines {
		if l.Error != "" {
			errs[fmt.Sprintf("%s:%d", filepath.Base(l.Source), l.Line)] = l.Error
		}
	}
	for _, want := range []string{"bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "bad.jsonl:5", "bad.jsonl:6", "missing.txt:0", "x.csv:1"} {
		if errs[want] == "" {
			t.Errorf("no error record for %s; got %v", want, errs)
		}
	}
	if e := errs["bad.jsonl:6"]; !strings.Contains(e, "duplicate") {
		t.Errorf("duplicate field: error %q does not say so", e)
	}
	if e := errs["bad.jsonl:7"]; e != "" {
		t.Errorf("capitalised field names: error %q", e)
	}
	if sum.Errors != 7 || sum.Documents != 9 {
		t.Fatalf("summary: %d errors in %d documents, want 7 in 9", sum.Errors, sum.Documents)
	}
}

func TestOrderFollowsInputWithManyWorkers(t *testing.T) {
	var in strings.Builder
	for i := range 300 {
		text := doc1
		if i%3 == 0 {
			text = strings.Repeat(doc2+" ", 1+i%7) // uneven work
		}
		fmt.Fprintf(&in, "{\"id\":\"d%03d\",\"text\":%q}\n", i, text)
	}
	_, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(in.String()), StdinFormat: score.FormatJSONL, Per: score.PerDocument, Workers: 16})
	lines := readLines(t, out)
	if len(lines) != 300 {
		t.Fatalf("%d documents out, want 300", len(lines))
	}
	for i, l := range lines {
		if want := fmt.Sprintf("d%03d", i); l.DocID != want {
			t.Fatalf("position %d holds %s, want %s", i, l.DocID, want)
		}
	}
}

func TestResumeSkipsDoneAndRedoesFailed(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "in.jsonl", fmt.Sprintf("{\"id\":\"a\",\"text\":%q}\n{\"id\":\"b\",\"text\":%q}\n", doc1, doc2))
	out := filepath.Join(dir, "out.jsonl")
	first, _ := run(t, score.Options{Inputs: []string{in}, Out: out, Per: score.PerDocument})
	if first.Documents != 2 {
		t.Fatalf("first run %+v", first)
	}
	// Add a document and simulate a kill of a second run: its .partial
	// file holds a, a failed b, and a cut-off line of c.
	in2 := write(t, dir, "in.jsonl", fmt.Sprintf("{\"id\":\"a\",\"text\":%q}\n{\"id\":\"b\",\"text\":%q}\n{\"id\":\"c\",\"text\":%q}\n", doc1, doc2, doc1))
	b, _ := os.ReadFile(out)
	lines := bytes.SplitAfter(b, []byte("\n"))
	partial := append([]byte{}, lines[0]...)
	partial = append(partial, []byte(`{"doc_id":"b","source":"x","error":"server: UNAVAILABLE"}`+"\n")...)
	partial = append(partial, lines[0]...) // another complete document, which resume must redo as the last one
	partial = append(partial, []byte(`{"doc_id":"c","sent`)...)
	os.WriteFile(out+score.PartialSuffix, partial, 0o644)
	os.Remove(out)

	sum, got := run(t, score.Options{Inputs: []string{in2}, Out: out, Per: score.PerDocument, Resume: true})
	var ids []string
	for _, l := range readLines(t, got) {
		if l.Error != "" {
			t.Errorf("error record survived: %v", l)
		}
		ids = append(ids, l.DocID)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Fatalf("after resume the output holds %v, want a,b,c once each", ids)
	}
	if sum.Skipped != 1 || sum.Documents != 2 {
		t.Fatalf("resume summary %+v, want 1 skipped and 2 scored", sum)
	}
	if _, err := os.Stat(out + score.PartialSuffix); !os.IsNotExist(err) {
		t.Fatal("the .partial file is left after a completed run")
	}
}

func TestCSVOutput(t *testing.T) {
	_, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(doc1), StdinFormat: score.FormatTXT, Format: score.OutCSV})
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "doc_id" || rows[1][6] == "" {
		t.Fatalf("csv rows %v", rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows {
		if len(row) != len(rows[0]) {
			t.Fatalf("row of %d columns under a header of %d: %v", len(row), len(rows[0]), row)
		}
	}
	// The first sentence's holder is البنتاغون: its columns are all filled.
	for _, name := range []string{"holder", "actor", "side", "holder_confidence", "holder_from_context"} {
		k, ok := col[name]
		if !ok {
			t.Fatalf("no column %q in %v", name, rows[0])
		}
		if rows[1][k] == "" {
			t.Errorf("column %q empty for a sentence with a holder: %v", name, rows[1])
		}
	}
	if got := rows[1][col["side"]]; got != "us" {
		t.Errorf("side %q, want us", got)
	}
	if rows[0][len(rows[0])-1] != "error" {
		t.Errorf("last column %q, want error", rows[0][len(rows[0])-1])
	}
}

// TestHTMLReport parses the page and checks it is right-to-left, that every
// sentence span has the sentence's text and stance, and that evidence sits
// inside its sentence.
func TestHTMLReport(t *testing.T) {
	_, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(fmt.Sprintf("{\"id\":\"a\",\"text\":%q}\n{\"id\":\"b\",\"text\":%q}\nbroken\n", doc1, doc2)), StdinFormat: score.FormatJSONL, Format: score.OutHTML, Per: score.PerSentence})
	checkHTML(t, out)
}

func checkHTML(t *testing.T, page []byte) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	text := func(n *html.Node) string {
		var b strings.Builder
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode {
				b.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
		return b.String()
	}
	var sentences, marks, holders, errs, bars int
	var rtl bool
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			class := attr(n, "class")
			switch {
			case n.Data == "html":
				rtl = attr(n, "dir") == "rtl"
			case n.Data == "span" && strings.HasPrefix(class, "s "):
				sentences++
				if attr(n, "title") == "" || !strings.Contains(attr(n, "title"), "supporting") {
					t.Errorf("sentence span without probabilities: %v", n.Attr)
				}
				if text(n) == "" {
					t.Error("empty sentence span")
				}
			case n.Data == "mark" && class == "ev":
				marks++
				if p := n.Parent; p == nil || !strings.HasPrefix(attr(p, "class"), "s ") {
					t.Error("evidence mark outside a sentence span")
				}
			case n.Data == "mark" && strings.HasPrefix(class, "holder "):
				holders++
				// Inside the sentence's span, or inside evidence inside it.
				p := n.Parent
				if p != nil && attr(p, "class") == "ev" {
					p = p.Parent
				}
				if p == nil || !strings.HasPrefix(attr(p, "class"), "s ") {
					t.Error("holder mark outside a sentence span")
				} else if !strings.Contains(attr(p, "title"), "holder "+text(n)) {
					t.Errorf("holder %q not named in its sentence's title %q", text(n), attr(p, "title"))
				}
				if attr(n, "data-actor") == "" || attr(n, "data-confidence") == "" {
					t.Errorf("holder mark without actor or confidence: %v", n.Attr)
				}
			case n.Data == "mark":
				t.Errorf("mark of unknown class %q", class)
			case class == "err":
				errs++
			case n.Data == "rect" && class == "bar":
				bars++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if !rtl || sentences != 3 || marks == 0 || holders == 0 || errs != 1 || bars != 4 {
		t.Fatalf("page: rtl %v, %d sentences, %d evidence marks, %d holder marks, %d errors, %d bars; want rtl, 3, >0, >0, 1, 4", rtl, sentences, marks, holders, errs, bars)
	}
}

// TestHTMLRendersInChromium opens the report in Debian's headless Chromium
// and checks the rendered page is right-to-left with its highlights styled.
func TestHTMLRendersInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt install chromium)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(doc1 + "\n" + doc2), StdinFormat: score.FormatTXT, Format: score.OutHTML, Out: page})
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+page)
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	for _, want := range []string{`data-direction="rtl"`, `data-highlight-style="solid"`} {
		if !strings.Contains(string(dom), want) {
			t.Errorf("rendered page lacks %s", want)
		}
	}
	if strings.Contains(string(dom), `data-highlights="0"`) || !strings.Contains(string(dom), `data-highlights="`) {
		t.Error("rendered page has no evidence highlights")
	}
}

// TestHolderActorsInOutputs checks that with holders the per-document
// summary lists actors and the HTML report has the actors table.
func TestHolderActorsInOutputs(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	eng := &score.Local{Model: m, Options: model.Options{}}
	text := "وقال المتحدث باسم البنتاغون بيتر كوك إن الولايات المتحدة لن تتعاون مع روسيا في سوريا."
	sum, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(text), StdinFormat: score.FormatTXT, Per: score.PerDocument, Engine: eng})
	if !strings.Contains(string(out), `"actors":[{"actor":"`) || len(sum.Actors) == 0 {
		t.Fatalf("no actor summary in %s", out)
	}
	_, page := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(text), StdinFormat: score.FormatTXT, Format: score.OutHTML, Engine: eng})
	if !strings.Contains(string(page), `<table id="actors">`) {
		t.Fatal("HTML report has no actors table")
	}
}

// TestHolderRecordHasNoWeight checks the JSONL fields of a holder and of an
// evidence span: a holder has offsets, an actor and a confidence, and no
// weight (the weight is evidence's, and a holder's would always be 0).
func TestHolderRecordHasNoWeight(t *testing.T) {
	text := "وقال المتحدث باسم البنتاغون بيتر كوك إن الولايات المتحدة لن تتعاون مع روسيا في سوريا."
	_, out := run(t, score.Options{Inputs: []string{"-"}, Stdin: strings.NewReader(text), StdinFormat: score.FormatTXT})
	var sent struct {
		Evidence []map[string]any `json:"evidence"`
		Holder   map[string]any   `json:"holder"`
	}
	if err := json.Unmarshal(out, &sent); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	if sent.Holder == nil || len(sent.Evidence) == 0 {
		t.Fatalf("want a holder and evidence in %s", out)
	}
	tests := []struct {
		name      string
		record    map[string]any
		want, not []string
	}{
		{"holder", sent.Holder, []string{"start", "end", "start_byte", "end_byte", "text", "actor", "side", "confidence"}, []string{"weight"}},
		{"evidence", sent.Evidence[0], []string{"start", "end", "start_byte", "end_byte", "text", "weight"}, []string{"actor", "confidence"}},
	}
	for _, tc := range tests {
		for _, k := range tc.want {
			if _, ok := tc.record[k]; !ok {
				t.Errorf("%s record %v has no %q", tc.name, tc.record, k)
			}
		}
		for _, k := range tc.not {
			if _, ok := tc.record[k]; ok {
				t.Errorf("%s record %v has %q", tc.name, tc.record, k)
			}
		}
	}
}
