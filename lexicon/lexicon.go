// Package lexicon holds the reviewed word lists the model and the corpus
// checker use: cues of support, opposition and condition, negation,
// contrast, reporting verbs, words naming the target and, among them, the
// words of joint action itself, and the actor table.
// The lists are data files under data/, embedded in the binary; their
// entries enter the model as features whose weights are learned.
package lexicon

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance-project/stance/arabic"
)

//go:embed data/*.txt data/*.tsv
var files embed.FS

// List is a set of normalised words and phrases. An entry that ends in *
// matches every word that starts with it; an entry of several words matches
// those words in a row.
type List struct {
	Name     string
	words    map[string]struct{}
	prefixes []string
	phrases  [][]string
}

// Side is the camp an actor belongs to.
type Side string

// The sides of the actor table.
const (
	SideUS     Side = "us"
	SideRussia Side = "russia"
	SideOther  Side = "other"
)

// Actor is a row of the actor table.
type Actor struct {
	Pattern string // normalised
	ID      string // canonical actor, e.g. us.defense
	Side    Side
	// Name is true for a person's name, which takes no ending: الروس
	// names «الروسي», but كين (Tim Kaine) does not name «الكيني» (Kenyan)
	// nor ماتيس «ماتيسون».
	Name bool
}

// Actors maps mentions to canonical actors.
type Actors struct {
	rows    []Actor                  // longest pattern first
	letters []letterSet              // letters of each row's pattern
	byFirst map[string][]actorPhrase // by first word, longest first
}

type actorPhrase struct {
	words []string
	actor Actor
}

// MatchAt returns the longest actor pattern that starts at words[i] (the
// first word also without its conjunction or in its bare form) and how many
// words it covers; 0 when none does.
func (a *Actors) MatchAt(words []string, i int) (int, Actor) {
	for _, first := range firstForms(words[i]) {
		if first == "" {
			continue
		}
		if n, act := matchPhrases(a.byFirst[first], words, i); n > 0 {
			return n, act
		}
	}
	return 0, Actor{}
}

// Mentions are the actor patterns that may start at one word, in the order
// MatchAt tries them. A caller that meets the same words again and again
// works them out once a word (MentionsOf) and spares MatchAt's forms of the
// word and their map lookups in every sentence.
type Mentions struct{ phrases []actorPhrase }

// MentionsOf returns the actor patterns that may start at the normalised
// word w.
func (a *Actors) MentionsOf(w string) Mentions {
	var m Mentions
	for _, first := range firstForms(w) {
		if first != "" {
			m.phrases = append(m.phrases, a.byFirst[first]...)
		}
	}
	return m
}

// MatchAt is Actors.MatchAt for a words[i] whose Mentions m are.
func (m Mentions) MatchAt(words []string, i int) (int, Actor) {
	return matchPhrases(m.phrases, words, i)
}

// Each calls fn with the words and the actor of each pattern of m, in the
// order MatchAt tries them. fn must not keep or change words.
func (m Mentions) Each(fn func(words []string, a Actor)) {
	for _, p := range m.phrases {
		fn(p.words, p.actor)
	}
}

// matchPhrases returns the first of phrases, in order, whose words after
// the first follow words[i].
func matchPhrases(phrases []actorPhrase, words []string, i int) (int, Actor) {
	for _, p := range phrases {
		if i+len(p.words) > len(words) {
			continue
		}
		ok := true
		for j := 1; j < len(p.words); j++ {
			if words[i+j] != p.words[j] {
				ok = false
				break
			}
		}
		if ok {
			return len(p.words), p.actor
		}
	}
	return 0, Actor{}
}

// MayStart reports whether some actor pattern starts with the normalised
// word w in one of the forms MatchAt tries: a word for which it is false
// never starts a match, whatever follows it.
func (a *Actors) MayStart(w string) bool {
	for _, first := range firstForms(w) {
		if _, ok := a.byFirst[first]; ok && first != "" {
			return true
		}
	}
	return false
}

// firstForms are the forms of a word under which MatchAt and MayStart look
// for patterns starting with it: as it is, without its conjunction, bare;
// a form equal to the word itself is left empty.
func firstForms(w string) [3]string {
	f := [3]string{w, arabic.StripConjunction(w), arabic.Bare(w)}
	for k := 1; k < len(f); k++ {
		if f[k] == w {
			f[k] = ""
		}
	}
	return f
}

// FirstWords calls fn with every word MayStart and MatchAt look a word's
// forms up by: the first words of the patterns.
func (a *Actors) FirstWords(fn func(string)) {
	for w := range a.byFirst {
		fn(w)
	}
}

// Starts reports whether some actor pattern starts with the normalised word w
// as it is, without stripping anything from it.
func (a *Actors) Starts(w string) bool {
	_, ok := a.byFirst[w]
	return ok
}

// Find returns the actor whose pattern is the longest one found in the
// normalised text as whole words (containsMention), and false when none is.
func (a *Actors) Find(norm string) (Actor, bool) {
	// Most rows fail on a letter the text lacks: checking the letter sets
	// first spares their substring searches.
	have := lettersOf(norm)
	for i, r := range a.rows {
		if a.letters[i].within(have) && containsMention(norm, r.Pattern, r.Name) {
			return r, true
		}
	}
	return Actor{}, false
}

// containsMention reports whether pattern occurs in text as whole words: it
// starts a word, or follows the article or a one-letter clitic that does
// (الصحيفة for صحيفة, وموسكو), and ends one, or goes on into a nisba,
// plural or feminine ending (الروسي and الروسية for الروس, باحثون for
// باحث). A bare substring test let كين (Kaine) catch كينشاك and زاسبكين,
// كيري catch كيريل and شيف catch شيفر.
func containsMention(text, pattern string, name bool) bool {
	for off := 0; off < len(text); {
		k := strings.Index(text[off:], pattern)
		if k < 0 {
			return false
		}
		start, end := off+k, off+k+len(pattern)
		off = start + 1
		if !wordStartsAt(text, start) {
			continue
		}
		rest := text[end:]
		if i := strings.IndexFunc(rest, notLetter); i >= 0 {
			rest = rest[:i]
		}
		if rest == "" || !name && (wordEndings[rest] || strings.HasSuffix(pattern, "ي") && endingsAfterYa[rest]) {
			return true
		}
	}
	return false
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// wordStartsAt reports whether byte i of text starts a word, or follows
// what may open one: a one-letter clitic (و، ف، ب، ل), the article ال or
// لل, alone or after such a clitic.
func wordStartsAt(text string, i int) bool {
	head := text[:i]
	if j := strings.LastIndexFunc(head, notLetter); j >= 0 {
		_, size := utf8.DecodeRuneInString(head[j:])
		head = head[j+size:]
	}
	head = strings.TrimPrefix(head, "لل")
	head = strings.TrimSuffix(head, "ال")
	return head == "" || (utf8.RuneCountInString(head) == 1 && strings.ContainsAny(head, "وفبل"))
}

// The endings a name or a noun takes in a mention, normalised: a nisba
// (ي، ية، يون، يين، يان، يتان، يتين), a plural or the feminine (ون، ين،
// ات، ان، ة); and what follows a pattern that already ends in ي.
var (
	wordEndings    = map[string]bool{"ي": true, "يه": true, "يون": true, "يين": true, "يان": true, "يتان": true, "يتين": true, "ون": true, "ين": true, "ات": true, "ان": true, "ه": true}
	endingsAfterYa = map[string]bool{"ه": true, "ون": true, "ين": true, "ان": true, "تان": true, "تين": true}
)

// letterSet is a set of runes by their low eight bits: the Arabic block and
// ASCII fold onto 256 bits. A text holds a pattern only if the pattern's set
// is within the text's (the converse may fail: the set is a filter).
type letterSet [4]uint64

func lettersOf(s string) letterSet {
	var l letterSet
	for _, r := range s {
		l[r&0xff>>6] |= 1 << (r & 63)
	}
	return l
}

func (l letterSet) within(o letterSet) bool {
	return l[0]&^o[0]|l[1]&^o[1]|l[2]&^o[2]|l[3]&^o[3] == 0
}

// Class names one of the cue lists.
type Class uint8

// The cue lists, in the order of their bits in a Mask.
const (
	Negation Class = iota
	Support
	Opposition
	Condition
	Until
	Contrast
	Reporting
	Coordination
	USSide
	RussiaSide
	Positive
	Negative
	// Adversative connectives (لكن، إلا أن، غير أن) open the clause that
	// carries the sentence's point, where Contrast (رغم، بينما) opens
	// background.
	Adversative
	// Joint names joint action itself (تنسيق، تعاون، مشترك): the words a
	// position on the target governs, where Coordination also holds the
	// military words around it.
	Joint
	NumClasses
)

var classFiles = [NumClasses]string{"negation", "support", "opposition", "condition", "until", "contrast", "reporting", "coordination", "us_side", "russia_side", "positive", "negative", "adversative", "joint"}

// optionalFiles are lists that models trained before they existed do not
// store; such a model loads with the list empty, as it was trained.
var optionalFiles = map[Class]bool{Adversative: true, Joint: true}

// String returns the list's file name without extension.
func (c Class) String() string {
	if c < NumClasses {
		return classFiles[c]
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// Mask is a set of classes.
type Mask uint16

// Has reports whether c is in the mask.
func (m Mask) Has(c Class) bool { return m&(1<<c) != 0 }

// Lexicon is the full set of lists and the actor table.
type Lexicon struct {
	lists  [NumClasses]*List
	Actors *Actors
	match  *matcher
}

// List returns the list of a class.
func (lx *Lexicon) List(c Class) *List { return lx.lists[c] }

// OtherActor is the canonical actor of a holder no row of the actor table
// names.
const OtherActor = "other"

// ActorOf maps a holder's normalised text to its canonical actor and side:
// the actor table's row (Actors.Find), or else OtherActor with the side
// its words name. News names many holders by their nationality alone
// (مسؤول أمريكي، مصادر روسية، دبلوماسي أمريكي سابق): their institution is
// unknown, their camp is not. The side is that of the first word on one
// side's list and not on the other's, and SideOther when no word is.
func (lx *Lexicon) ActorOf(norm string) Actor {
	if a, ok := lx.Actors.Find(norm); ok {
		return a
	}
	a := Actor{ID: OtherActor, Side: SideOther}
	for w := range strings.FieldsSeq(norm) {
		m := lx.WordMask(w)
		us, russia := m.Has(USSide), m.Has(RussiaSide)
		if us != russia {
			a.Side = SideUS
			if russia {
				a.Side = SideRussia
			}
			break
		}
	}
	return a
}

// Default parses the embedded data files.
func Default() (*Lexicon, error) {
	data, err := Files()
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse builds a lexicon from data files by name (negation.txt, ...,
// actors.tsv), as Files returns them; a model artifact stores the files it
// was trained with and parses them back on load.
//
// A file Parse does not know is an error rather than ignored: a model
// trained by a newer build with a list this build lacks would otherwise
// load and score its sentences without that list's features.
func Parse(data map[string][]byte) (*Lexicon, error) {
	if unknown := unknownFiles(data); len(unknown) > 0 {
		return nil, fmt.Errorf("lexicon: unknown file %s (this build reads %s); a model that stores it was trained by a newer build",
			strings.Join(unknown, ", "), strings.Join(knownFiles(), ", "))
	}
	lx := &Lexicon{}
	for c := range NumClasses {
		name := classFiles[c] + ".txt"
		b, ok := data[name]
		if !ok && !optionalFiles[c] {
			return nil, fmt.Errorf("lexicon: no %s", name)
		}
		l, err := ParseList(classFiles[c], b)
		if err != nil {
			return nil, err
		}
		lx.lists[c] = l
	}
	b, ok := data["actors.tsv"]
	if !ok {
		return nil, fmt.Errorf("lexicon: no actors.tsv")
	}
	var err error
	if lx.Actors, err = ParseActors(b); err != nil {
		return nil, err
	}
	lx.match = newMatcher(lx.lists[:])
	return lx, nil
}

// knownFiles returns the file names Parse reads, in class order.
func knownFiles() []string {
	names := make([]string, 0, NumClasses+1)
	for _, f := range classFiles {
		names = append(names, f+".txt")
	}
	return append(names, "actors.tsv")
}

// unknownFiles returns, sorted, the names in data that Parse does not read.
func unknownFiles(data map[string][]byte) []string {
	known := knownFiles()
	var out []string
	for name := range data {
		if !slices.Contains(known, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Files returns the embedded data files by name, for hashing into the model
// artifact so that a model records which lexicon it was trained with.
func Files() (map[string][]byte, error) {
	entries, err := files.ReadDir("data")
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		b, err := files.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}

// Entries yields the entries of a lexicon data file as Parse reads them:
// each line trimmed, blank and comment lines left out. A file Parse
// refuses may stop early.
func Entries(data []byte) iter.Seq[string] {
	return func(yield func(string) bool) {
		lines(data, func(_ int, line string) error {
			if !yield(line) {
				return errStopEntries
			}
			return nil
		})
	}
}

var errStopEntries = errors.New("stop")

func lines(data []byte, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ParseList reads a list file: one entry a line, # starts a comment line.
// Entries are normalised on load, so files may use any spelling.
func ParseList(name string, data []byte) (*List, error) {
	l := &List{Name: name, words: map[string]struct{}{}}
	err := lines(data, func(n int, line string) error {
		prefix := strings.HasSuffix(line, "*")
		line = strings.TrimSuffix(line, "*")
		ws := strings.Fields(arabic.Normalize(line))
		switch {
		case len(ws) == 0:
			return fmt.Errorf("lexicon %s line %d: empty entry", name, n)
		case len(ws) > 1 && prefix:
			return fmt.Errorf("lexicon %s line %d: a phrase cannot end in *", name, n)
		case len(ws) > 1:
			l.phrases = append(l.phrases, ws)
		case prefix:
			l.prefixes = append(l.prefixes, ws[0])
		default:
			l.words[ws[0]] = struct{}{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// ParseActors reads the actor table: pattern, actor id, side and, for a
// person's name, the word "name", tab-separated.
func ParseActors(data []byte) (*Actors, error) {
	a := &Actors{}
	err := lines(data, func(n int, line string) error {
		f := strings.Split(line, "\t")
		if len(f) != 3 && len(f) != 4 {
			return fmt.Errorf("lexicon actors line %d: want 3 or 4 tab-separated fields, got %d", n, len(f))
		}
		side := Side(f[2])
		if side != SideUS && side != SideRussia && side != SideOther {
			return fmt.Errorf("lexicon actors line %d: side %q, want us, russia or other", n, f[2])
		}
		if len(f) == 4 && f[3] != "name" {
			return fmt.Errorf("lexicon actors line %d: fourth field %q, want name or none", n, f[3])
		}
		a.rows = append(a.rows, Actor{Pattern: arabic.Normalize(strings.TrimSpace(f[0])), ID: f[1], Side: side, Name: len(f) == 4})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(a.rows, func(i, j int) bool { return len(a.rows[i].Pattern) > len(a.rows[j].Pattern) })
	a.byFirst = map[string][]actorPhrase{}
	a.letters = make([]letterSet, len(a.rows))
	for i, r := range a.rows {
		a.letters[i] = lettersOf(r.Pattern)
		ws := strings.Fields(r.Pattern)
		if len(ws) > 0 {
			a.byFirst[ws[0]] = append(a.byFirst[ws[0]], actorPhrase{words: ws, actor: r})
		}
	}
	return a, nil
}
