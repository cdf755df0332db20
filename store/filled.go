package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
)

// A Template is the JSON text of many objects cut at its holes, the
// places where one object differs from another (package stripe's
// prepared creates: the ids, the time, the request's values). A Filled
// is one object made from it: the template, shared, and its own values.
// A store that keeps an object as a Filled (Object.Filled) keeps a few
// bytes per object rather than its whole text, and joins the text only
// when it is read. A Template's text never changes once made; it keeps
// the texts of the last few fills joined (at most 16), for the reads
// that follow, and what Contains found in its text. It is safe for
// concurrent use.
type Template struct {
	text  []string // len(holes)+1 pieces
	holes []int    // for each hole, the index of the value it holds
	nvals int      // how many values a fill has
	size  int      // the bytes of text
	// recent are the texts of the fills joined last, which the reads
	// that follow one (a create's answer, then its event; retrieves of
	// one object) take rather than join again: a bounded cache, the
	// only part of a template that changes.
	recent [recentJoins]atomic.Pointer[joinedFill]
	next   atomic.Uint32
	// holds says whether the text contains the string Contains looked
	// for last (a charge's `"failed"`), searched once, not per fill.
	holds atomic.Pointer[textHolds]
}

// recentJoins bounds the joined texts a template keeps.
const recentJoins = 16

// joinedFill is a fill's joined text.
type joinedFill struct {
	f    *Filled
	text string
}

// NewTemplate makes the template whose text is text[0], the value of
// holes[0], text[1], ... text[len(holes)]: holes[i] is the index, among
// the values of a fill, of the value that hole i holds (several holes may
// hold one value; every value must be held by some hole).
func NewTemplate(text []string, holes []int) (*Template, error) {
	if len(text) != len(holes)+1 {
		return nil, fmt.Errorf("store: a template of %d holes needs %d pieces of text, not %d", len(holes), len(holes)+1, len(text))
	}
	t := &Template{text: text, holes: holes}
	for _, h := range holes {
		if h < 0 {
			return nil, fmt.Errorf("store: template hole value %d is negative", h)
		}
		t.nvals = max(t.nvals, h+1)
	}
	held := make([]bool, t.nvals)
	for _, h := range holes {
		held[h] = true
	}
	for i, ok := range held {
		if !ok {
			return nil, fmt.Errorf("store: template value %d is held by no hole", i)
		}
	}
	for _, s := range text {
		t.size += len(s)
	}
	return t, nil
}

// Values is how many values a fill of t takes.
func (t *Template) Values() int { return t.nvals }

// A Filled is an object's JSON as a Template and the values of its holes.
// It never changes once made: what reads it reads the same bytes for as
// long as it is held.
type Filled struct {
	t *Template
	// vals holds the end of each value (4 bytes each, little-endian),
	// then the values, one after the other.
	vals string
	size int // the length of the joined text
}

// errFillSize is the error of a fill whose values are too long.
var errFillSize = errors.New("store: a fill's values must be shorter than 4 GiB")

// Fill makes the object of t with values (their text as it stands in the
// JSON), which must be t.Values() many.
func (t *Template) Fill(values ...string) (*Filled, error) {
	if len(values) != t.nvals {
		return nil, fmt.Errorf("store: a template of %d values filled with %d", t.nvals, len(values))
	}
	n := 4 * len(values)
	for _, v := range values {
		n += len(v)
	}
	if n > math.MaxUint32 {
		return nil, errFillSize
	}
	// The ends, then the values, written once into the string kept.
	var b strings.Builder
	b.Grow(n)
	var le [4]byte
	end := 4 * len(values)
	for _, v := range values {
		end += len(v)
		binary.LittleEndian.PutUint32(le[:], uint32(end))
		b.Write(le[:])
	}
	for _, v := range values {
		b.WriteString(v)
	}
	f := &Filled{t: t, vals: b.String(), size: t.size}
	for _, h := range t.holes {
		f.size += len(f.Value(h))
	}
	return f, nil
}

// Value is the fill's value i, a part of the text f keeps.
func (f *Filled) Value(i int) string {
	start := 4 * f.t.nvals
	if i > 0 {
		start = f.end(i - 1)
	}
	return f.vals[start:f.end(i)]
}

// end is where value i ends in vals.
func (f *Filled) end(i int) int {
	v := f.vals[4*i : 4*i+4]
	return int(uint32(v[0]) | uint32(v[1])<<8 | uint32(v[2])<<16 | uint32(v[3])<<24)
}

// Len is the length of the object's JSON.
func (f *Filled) Len() int { return f.size }

// String joins the object's JSON: the text joined for it lately, if its
// template still keeps it, else a new one (which the template keeps, in
// place of the oldest).
func (f *Filled) String() string {
	if s, ok := f.recent(); ok {
		return s
	}
	var b strings.Builder
	b.Grow(f.size)
	f.each(func(s string) bool {
		b.WriteString(s)
		return true
	})
	s := b.String()
	t := f.t
	t.recent[t.next.Add(1)%recentJoins].Store(&joinedFill{f, s})
	return s
}

// recent is f's text if its template keeps it.
func (f *Filled) recent() (string, bool) {
	for i := range f.t.recent {
		if j := f.t.recent[i].Load(); j != nil && j.f == f {
			return j.text, true
		}
	}
	return "", false
}

// Head is the first n bytes of the object's JSON (all of it if shorter):
// a part of the template's text when its first piece holds them, else
// these bytes joined, never the whole text.
func (f *Filled) Head(n int) string {
	n = min(n, f.size)
	if first := f.t.text[0]; len(first) >= n {
		return first[:n]
	}
	var b strings.Builder
	b.Grow(n)
	f.each(func(s string) bool {
		b.WriteString(s[:min(len(s), n-b.Len())])
		return b.Len() < n
	})
	return b.String()
}

// Contains reports whether the object's JSON contains s, read piece by
// piece, unjoined: s may straddle pieces. Whether the template's pieces
// of text hold s is searched once per template (for the last s asked);
// a fill's own search is then its values and the bounds around them.
func (f *Filled) Contains(s string) bool {
	if len(s) == 0 {
		return true
	}
	t := f.t
	if t.textHolds(s) {
		return true
	}
	// tail holds the last len(s)-1 bytes read, which with the next
	// bytes may hold s across the pieces' bounds.
	var buf [64]byte
	tail := buf[:0]
	if len(s) > len(buf)/2 {
		tail = make([]byte, 0, 2*len(s))
	}
	next := func(p string, search bool) bool {
		if search && strings.Contains(p, s) {
			return true
		}
		if len(tail) > 0 {
			k := len(tail)
			tail = append(tail, p[:min(len(p), len(s)-1)]...)
			if strings.Contains(string(tail), s) { // tail is short: converted on the stack
				return true
			}
			tail = tail[:k]
		}
		tail = append(tail, p[max(0, len(p)-(len(s)-1)):]...)
		if over := len(tail) - (len(s) - 1); over > 0 {
			tail = append(tail[:0], tail[over:]...)
		}
		return false
	}
	for i, h := range t.holes {
		if next(t.text[i], false) || next(f.Value(h), true) {
			return true
		}
	}
	return next(t.text[len(t.holes)], false)
}

// textHolds reports whether one of t's pieces of text contains s.
func (t *Template) textHolds(s string) bool {
	if h := t.holds.Load(); h != nil && h.s == s {
		return h.ok
	}
	ok := false
	for _, p := range t.text {
		if strings.Contains(p, s) {
			ok = true
			break
		}
	}
	t.holds.Store(&textHolds{s: strings.Clone(s), ok: ok})
	return ok
}

// textHolds is whether a template's pieces of text contain s.
type textHolds struct {
	s  string
	ok bool
}

// AppendTo appends the object's JSON to b.
func (f *Filled) AppendTo(b []byte) []byte {
	b = growBy(b, f.size)
	f.each(func(s string) bool {
		b = append(b, s...)
		return true
	})
	return b
}

// WriteTo writes the object's JSON to w, piece by piece.
func (f *Filled) WriteTo(w io.Writer) (int64, error) {
	var n int64
	var err error
	f.each(func(s string) bool {
		var k int
		k, err = io.WriteString(w, s)
		n += int64(k)
		return err == nil
	})
	return n, err
}

func growBy(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n)
		copy(nb, b)
		return nb
	}
	return b
}

// each calls fn with the pieces of the JSON in order (pieces of text and
// values), until fn returns false.
func (f *Filled) each(fn func(string) bool) {
	t := f.t
	for i, h := range t.holes {
		if !fn(t.text[i]) || !fn(f.Value(h)) {
			return
		}
	}
	fn(t.text[len(t.holes)])
}

// sub is the JSON's bytes [i, j): a part of the template's text or of a
// value when one piece holds them all, else joined.
func (f *Filled) sub(i, j int) string {
	if i >= j {
		return ""
	}
	var out string
	var b []byte
	pos := 0
	f.each(func(s string) bool {
		end := pos + len(s)
		if end > i && pos < j {
			lo, hi := max(i-pos, 0), min(j-pos, len(s))
			if b == nil && lo == i-pos && hi == j-pos {
				out = s[lo:hi] // one piece holds them: shared
				return false
			}
			b = append(b, s[lo:hi]...)
		}
		pos = end
		return pos < j
	})
	if b == nil {
		return out
	}
	return string(b)
}

// prefixOf reports whether js starts with the object's JSON.
func (f *Filled) prefixOf(js string) bool {
	if len(js) < f.size {
		return false
	}
	if s, ok := f.recent(); ok {
		return js[:len(s)] == s // the same text, most often: compared at once
	}
	pos := 0
	ok := true
	f.each(func(s string) bool {
		if js[pos:pos+len(s)] != s {
			ok = false
			return false
		}
		pos += len(s)
		return true
	})
	return ok
}
