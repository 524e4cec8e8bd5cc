package score

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"

	"github.com/stance-project/stance"
	"github.com/stance-project/stance/lexicon"
	"github.com/stance-project/stance/model"
)

// The HTML report is one self-contained, right-to-left page: every sentence
// coloured by stance with its evidence highlighted, its holder outlined in
// the colour of its side, and its probabilities and holder on hover, a
// summary per document, and a chart of stance counts and a table of actors
// across the archive. Documents are written as they come, so the page streams like the
// other formats; the overview is written last and shown first by CSS order.
const htmlHead = `<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stance report</title>
<style>
body { font-family: "Noto Naskh Arabic", "Amiri", "Segoe UI", Tahoma, sans-serif; margin: 0; padding: 1.5rem; display: flex; flex-direction: column; gap: 1rem; background: #fafafa; color: #222; line-height: 1.9; }
#overview { order: -1; background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; }
.doc { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; }
.doc h2 { font-size: 1rem; margin: 0 0 .3rem; direction: ltr; text-align: right; color: #555; }
.docsum { font-size: .85rem; color: #555; margin-bottom: .5rem; }
.s { border-radius: 4px; padding: 0 .15rem; }
.s.supporting, .swatch.supporting { background: #d7f0d9; }
.s.opposing, .swatch.opposing { background: #f8d6d6; }
.s.conditional, .swatch.conditional { background: #fbeec6; }
.s.none, .swatch.none { background: transparent; border: 1px solid #ccc; }
mark.ev { background: none; border-bottom: 3px solid #333; font-weight: 600; color: inherit; }
mark.holder, .legend .key { background: none; color: inherit; outline: 1px dashed #555; outline-offset: 1px; border-radius: 3px; }
mark.holder.us, .key.us { outline-color: #1f5fa8; } mark.holder.russia, .key.russia { outline-color: #a8321f; }
.err { color: #a00; direction: ltr; text-align: right; }
.legend span { display: inline-block; padding: 0 .5rem; margin-inline-end: .5rem; border-radius: 4px; }
svg text { font-family: inherit; font-size: 12px; }
table { border-collapse: collapse; } td, th { padding: .2rem .6rem; border-bottom: 1px solid #eee; }
</style>
</head>
<body>
`

var stanceArabic = map[stance.Stance]string{
	stance.Supporting: "مؤيد", stance.Opposing: "معارض", stance.Conditional: "مشروط", stance.None: "بلا موقف",
}

// actorArabic names the canonical actors of the actor table in the
// report's language; the id stays on the element (data-actor) and shows on
// hover, and an id not listed here is shown as it is.
var actorArabic = map[string]string{
	"us.defense": "وزارة الدفاع الأمريكية", "us.state": "الخارجية الأمريكية", "us.white_house": "البيت الأبيض",
	"us.intelligence": "الاستخبارات الأمريكية", "us.congress": "الكونغرس",
	"ru.kremlin": "الكرملين", "ru.foreign_ministry": "الخارجية الروسية", "ru.defense": "وزارة الدفاع الروسية",
	"ru.parliament": "البرلمان الروسي", "sy.government": "الحكومة السورية", "sy.opposition": "المعارضة السورية",
	"tr.government": "الحكومة التركية", "ir.government": "الحكومة الإيرانية",
	"media": "وسائل الإعلام", "analyst": "محللون وباحثون", lexicon.OtherActor: "جهات أخرى",
}

// otherBySide names the holders no row of the table names, by the side
// their words name (model.ActorLabel's "other (us)").
var otherBySide = map[lexicon.Side]string{lexicon.SideUS: "جهات أمريكية أخرى", lexicon.SideRussia: "جهات روسية أخرى"}

// actorCell writes an actor's name in Arabic, with label, its
// model.ActorLabel, as data and hover text.
func actorCell(w io.Writer, tag, label string, side lexicon.Side) {
	name, ok := actorArabic[label]
	if other, isOther := otherBySide[side]; isOther && label == model.ActorLabel(lexicon.OtherActor, side) {
		name, ok = other, true
	}
	if !ok {
		name = label
	}
	fmt.Fprintf(w, `<%s class="actor" dir="auto" data-actor="%s" title="%s">%s</%s>`, tag, html.EscapeString(label), html.EscapeString(label), html.EscapeString(name), tag)
}

var stanceColour = map[stance.Stance]string{
	stance.Supporting: "#3a9d4a", stance.Opposing: "#c94040", stance.Conditional: "#d9a520", stance.None: "#9e9e9e",
}

type htmlFormat struct{}

func (htmlFormat) head() []byte { return []byte(htmlHead) }

// probsTitle is the hover text of a sentence.
func probsTitle(s model.Sentence) string {
	var b strings.Builder
	for k, st := range stance.Stances {
		fmt.Fprintf(&b, "%s %.2f · ", st, s.StanceProbs[k])
	}
	fmt.Fprintf(&b, "| sentiment %s", s.Sentiment)
	for k, se := range stance.Sentiments {
		fmt.Fprintf(&b, " · %s %.2f", se, s.SentimentProbs[k])
	}
	if h := s.Holder; h != nil {
		fmt.Fprintf(&b, " | holder %s (%s, %.2f", h.Text, model.ActorLabel(h.Actor, h.Side), h.Confidence)
		if h.FromContext {
			b.WriteString(", from an earlier sentence")
		}
		b.WriteString(")")
	}
	return b.String()
}

// highlighted returns the sentence's HTML with its stance evidence and its
// holder marked. Evidence may cover the holder's words: an evidence mark
// stays whole and the holder's is cut at its edges, so that the marks nest.
// A holder from context lies in an earlier sentence and is only named in
// the title.
func highlighted(s model.Sentence) string {
	ev := append([]model.Span(nil), s.StanceEvidence...)
	sort.Slice(ev, func(i, j int) bool { return ev[i].Start < ev[j].Start })
	hs, he, open := -1, -1, ""
	if h := s.Holder; h != nil && !h.FromContext && h.Start >= s.Start && h.End <= s.End && h.Start < h.End {
		hs, he = h.Start-s.Start, h.End-s.Start
		open = fmt.Sprintf(`<mark class="holder %s" data-actor="%s" data-confidence="%.3f">`,
			html.EscapeString(string(h.Side)), html.EscapeString(h.Actor), h.Confidence)
	}
	var b strings.Builder
	// write writes s.Text[from:to] with the holder's part of it marked.
	write := func(from, to int) {
		a, z := max(from, hs), min(to, he)
		if a >= z {
			b.WriteString(html.EscapeString(s.Text[from:to]))
			return
		}
		b.WriteString(html.EscapeString(s.Text[from:a]))
		b.WriteString(open)
		b.WriteString(html.EscapeString(s.Text[a:z]))
		b.WriteString("</mark>")
		b.WriteString(html.EscapeString(s.Text[z:to]))
	}
	pos := 0
	for _, e := range ev {
		start, end := e.Start-s.Start, e.End-s.Start
		if start < pos || end > len(s.Text) || start > end {
			continue // overlapping or out of range: never the case for one head's spans
		}
		write(pos, start)
		fmt.Fprintf(&b, `<mark class="ev" data-weight="%.3f">`, e.Weight)
		write(start, end)
		b.WriteString("</mark>")
		pos = end
	}
	write(pos, len(s.Text))
	return b.String()
}

func (htmlFormat) encode(r Result) ([]byte, error) {
	var b bytes.Buffer
	d := r.Doc
	fmt.Fprintf(&b, "<section class=\"doc\" data-id=\"%s\">\n<h2>%s</h2>\n", html.EscapeString(d.ID), html.EscapeString(d.ID))
	if r.Err != nil {
		loc := d.Source
		if d.Line > 0 {
			loc = fmt.Sprintf("%s:%d", d.Source, d.Line)
		}
		fmt.Fprintf(&b, "<p class=\"err\">%s: %s</p>\n</section>\n", html.EscapeString(loc), html.EscapeString(r.Err.Error()))
		return b.Bytes(), nil
	}
	sum := model.Summarize(r.Sentences)
	fmt.Fprintf(&b, "<p class=\"docsum\">الموقف العام: <b>%s</b> (%.0f%%) — ", stanceArabic[sum.Overall], 100*sum.OverallConfidence)
	for k, st := range stance.Stances {
		fmt.Fprintf(&b, "%s %d · ", stanceArabic[st], sum.StanceCounts[k])
	}
	fmt.Fprintf(&b, "%d جملة", len(r.Sentences))
	for _, a := range sum.Actors {
		b.WriteString(" — ")
		actorCell(&b, "span", model.ActorLabel(a.Actor, a.Side), a.Side)
		fmt.Fprintf(&b, ": %s", stanceArabic[a.Overall])
	}
	fmt.Fprint(&b, "</p>\n<p>")
	for _, s := range r.Sentences {
		fmt.Fprintf(&b, "<span class=\"s %s\" data-index=\"%d\" title=\"%s\">%s</span> ", s.Stance, s.Index, html.EscapeString(probsTitle(s)), highlighted(s))
	}
	fmt.Fprint(&b, "</p>\n</section>\n")
	return b.Bytes(), nil
}

func (htmlFormat) tail(s *Summary) []byte {
	w := &bytes.Buffer{}
	fmt.Fprint(w, "<div id=\"overview\">\n<h1>تقرير المواقف من التنسيق العسكري الأمريكي الروسي</h1>\n")
	fmt.Fprintf(w, "<p>%d وثيقة، %d جملة، %d خطأ</p>\n<p class=\"legend\">", s.Documents, s.Sentences, s.Errors)
	for _, st := range stance.Stances {
		fmt.Fprintf(w, "<span class=\"swatch %s\">%s</span>", st, stanceArabic[st])
	}
	// The holder's outline, in the colours of the sides.
	fmt.Fprint(w, "<span class=\"key us\">صاحب الموقف: أمريكي</span><span class=\"key russia\">روسي</span><span class=\"key other\">غيرهما</span>")
	fmt.Fprint(w, "</p>\n")
	// Bar chart of stance counts across the archive.
	most := 1
	for _, st := range stance.Stances {
		most = max(most, s.Stance[st])
	}
	const barW, gap, height = 80, 30, 160
	fmt.Fprintf(w, "<svg id=\"chart\" role=\"img\" aria-label=\"stance counts\" width=\"%d\" height=\"%d\" direction=\"rtl\">\n", len(stance.Stances)*(barW+gap)+gap, height+50)
	for i, st := range stance.Stances {
		hgt := height * s.Stance[st] / most
		x := gap + i*(barW+gap)
		fmt.Fprintf(w, "<rect class=\"bar\" data-stance=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"></rect>", st, x, 10+height-hgt, barW, hgt, stanceColour[st])
		fmt.Fprintf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>", x+barW/2, 8+height-hgt, s.Stance[st])
		fmt.Fprintf(w, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x+barW/2, height+35, stanceArabic[st])
	}
	fmt.Fprint(w, "</svg>\n")
	if len(s.Actors) > 0 {
		// Who stands where, across the archive: actors by stance.
		names := make([]string, 0, len(s.Actors))
		for a := range s.Actors {
			names = append(names, a)
		}
		sort.Strings(names)
		fmt.Fprint(w, "<table id=\"actors\"><tr><th>الجهة</th>")
		for _, st := range stance.Stances[:3] {
			fmt.Fprintf(w, "<th>%s</th>", stanceArabic[st])
		}
		fmt.Fprint(w, "</tr>\n")
		for _, a := range names {
			fmt.Fprint(w, "<tr>")
			actorCell(w, "td", a, s.Actors[a].Side)
			for _, st := range stance.Stances[:3] {
				fmt.Fprintf(w, "<td>%d</td>", s.Actors[a].Stance[st])
			}
			fmt.Fprint(w, "</tr>\n")
		}
		fmt.Fprint(w, "</table>\n")
	}
	fmt.Fprint(w, "</div>\n")
	// Record how the browser laid the page out, for tests that render it.
	fmt.Fprint(w, `<script>
document.body.dataset.direction = getComputedStyle(document.body).direction;
document.body.dataset.highlights = document.querySelectorAll("mark.ev").length;
const m = document.querySelector("mark.ev");
document.body.dataset.highlightStyle = m ? getComputedStyle(m).borderBottomStyle : "";
</script>
</body>
</html>
`)
	return w.Bytes()
}
