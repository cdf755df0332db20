package stripe

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// maxPrepared bounds the prepared creates a State keeps (a few KiB each):
// past it, creates of requests not yet seen render once, as without
// preparing.
const maxPrepared = 256

// maxPreparedBody is the largest request body a create is prepared for.
const maxPreparedBody = 4 << 10

// A preparedCreate is the object a create stores, worked out once for one
// request and filled in for each create of the same request: the same
// route, variant, form (compact or indented), test value outcome, path,
// query and body. Creating it renders the variant, finishes it with the
// test value and merges the request's parameters into it; none of that
// depends on more than those (catalog.Variant.FromParams,
// server.Outcome.Pure), except the ids the rendering makes and its time.
// So the object is kept as text cut at those holes, and a create is a
// fill: new ids, the time now.
//
// It is learnt by rendering the first such request twice, with different
// ids and times, and is kept only if filling the first rendering's text
// with the second's ids and time gives the second byte for byte: every
// byte that changed is a hole, and every hole changed. A request that
// fails the check is remembered as such and always rendered.
type preparedCreate struct {
	ok bool // false: this request's creates are rendered each time
	// typ is the object's type; self the index among ids of its own id.
	typ  string
	self int
	// prefixes are the prefixes of the ids the rendering makes ("ch").
	prefixes []string
	// text is the object's JSON cut at its holes: len(holes)+1 pieces.
	text []string
	// holes say what goes between two pieces: the id of that index
	// among prefixes, or the time (holeTime).
	holes []int
	size  int // the bytes of text, to size the buffer
	// layout is the store's reading of the object (ids and times keep
	// their length), nil if the store could not read it or values fill
	// it (members says where its members lie then).
	layout *store.Layout
	// members are where the object's top-level members lie in the text
	// the holes were cut from, when it has value holes (learnValues),
	// and holeAt and holeLen where each hole lay in it; members is nil
	// when a hole lies in a name or across a member's bounds.
	members         []store.Member
	holeAt, holeLen []int
	// tmpl is text and holes as the store keeps them (store.Template):
	// its value i is the hole kind kinds[i] (an id's index, holeTime or a
	// value hole), its value selfValue this object's id; nil keeps each
	// fill's text whole.
	tmpl      *store.Template
	kinds     []int
	selfValue int
	// lastLayout is the layout of the last fill with value holes, all
	// plain (plainValues): the store's reading of such a fill depends only
	// on the holes' lengths (where members lie; a value's kind is its
	// hole's), so fills of plain values of the same lengths share it.
	lastLayout atomic.Pointer[filledLayout]
}

// filledLayout is the store's reading of a fill whose holes had lens.
type filledLayout struct {
	lens   []int
	layout *store.Layout
}

// layoutOf is the store's reading of js, p filled with the ids and values
// written in it (lens: the length of each hole as filled): p.layout, or
// with value holes, the members moved as the values moved them, read by
// store.MembersLayout; nil when there is none (Put reads the object).
func (p *preparedCreate) layoutOf(js string, lens []int, values []string) *store.Layout {
	if p.members == nil {
		return p.layout
	}
	plain := plainValues(values)
	if last := p.lastLayout.Load(); plain && last != nil && slices.Equal(last.lens, lens) {
		return last.layout
	}
	l, err := store.MembersLayout(js, p.movedMembers(lens))
	if err != nil {
		return nil
	}
	if plain {
		p.lastLayout.Store(&filledLayout{lens: slices.Clone(lens), layout: l})
	}
	return l
}

// plainValues says whether every value (JSON text) is printable ASCII
// without a backslash: a string the store reads as its text, never one
// it must decode (an escape, a byte past ASCII).
func plainValues(values []string) bool {
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < 0x20 || c >= 0x7f || c == '\\' {
				return false
			}
		}
	}
	return true
}

// movedMembers are p.members in the text p fills with holes of lens.
func (p *preparedCreate) movedMembers(lens []int) []store.Member {
	ms := make([]store.Member, len(p.members))
	h, delta := 0, 0
	// moved is pos in js: pos is never inside a hole (learnValues).
	moved := func(pos int) int {
		for h < len(p.holeAt) && p.holeAt[h]+p.holeLen[h] <= pos {
			delta += lens[h] - p.holeLen[h]
			h++
		}
		return pos + delta
	}
	for i, m := range p.members {
		ms[i].Key.Start = moved(m.Key.Start)
		ms[i].Key.End = moved(m.Key.End)
		ms[i].Value.Start = moved(m.Value.Start)
		ms[i].Value.End = moved(m.Value.End)
	}
	return ms
}

// holeTime is a preparedCreate hole holding the create's time (Unix
// seconds, as the `now` helper writes it).
const holeTime = -1

// holeValue is the preparedCreate hole of the request's first value hole
// (formShape); holeValue-j is the hole of its value hole j.
const holeValue = -2

// fill is the object of a new create at now with the request's values
// (their JSON text, formShape.values), to store: its id and type, its
// JSON as p's template filled with this create's values (store.Filled),
// or whole when p keeps no template, and the store's reading of it (nil:
// Put reads it).
func (p *preparedCreate) fill(now time.Time, values []string) store.Object {
	ids := make([]string, len(p.prefixes))
	for i, prefix := range p.prefixes {
		ids[i] = render.NewID(prefix)
	}
	obj := store.Object{ID: ids[p.self], Type: p.typ, Layout: p.layout}
	var text func() string
	if f := p.filled(ids, now, values); f != nil {
		obj.ID, obj.Filled, text = f.Value(p.selfValue), f, f.String // the id shares the fill's bytes
	} else {
		obj.JSON = p.fillWith(ids, now, values)
		text = func() string { return obj.JSON }
	}
	if p.members != nil {
		var buf [32]int
		lens := p.appendHoleLens(buf[:0], ids, now, values)
		if l := p.sameLayout(lens, values); l != nil {
			obj.Layout = l
		} else {
			obj.Layout = p.layoutOf(text(), lens, values) // reads the text: joined, once, for the store's reading
		}
	}
	return obj
}

// filled is p's template filled with ids, the time now and values; nil
// when p keeps no template.
func (p *preparedCreate) filled(ids []string, now time.Time, values []string) *store.Filled {
	if p.tmpl == nil {
		return nil
	}
	var buf [8]string
	vals := buf[:0]
	for _, k := range p.kinds {
		switch {
		case k == holeTime:
			vals = append(vals, strconv.FormatInt(now.Unix(), 10))
		case k <= holeValue:
			vals = append(vals, values[holeValue-k])
		default:
			vals = append(vals, ids[k])
		}
	}
	f, err := p.tmpl.Fill(vals...)
	if err != nil {
		return nil
	}
	return f
}

// keepTemplate makes p's store.Template from its text and holes, each
// kind of hole one of its values; p keeps none if the store takes none.
func (p *preparedCreate) keepTemplate() {
	holes := make([]int, len(p.holes))
	var kinds []int
	for i, h := range p.holes {
		v := slices.Index(kinds, h)
		if v < 0 {
			v = len(kinds)
			kinds = append(kinds, h)
		}
		holes[i] = v
	}
	self := slices.Index(kinds, p.self)
	t, err := store.NewTemplate(p.text, holes)
	if err != nil || self < 0 {
		return
	}
	p.tmpl, p.kinds, p.selfValue = t, kinds, self
}

// sameLayout is the layout of the last fill with value holes when this
// fill's values, all plain, have its lengths; nil otherwise.
func (p *preparedCreate) sameLayout(lens []int, values []string) *store.Layout {
	if last := p.lastLayout.Load(); last != nil && slices.Equal(last.lens, lens) && plainValues(values) {
		return last.layout
	}
	return nil
}

// holeLens are the lengths of p's holes filled with ids, the time now and
// values.
func (p *preparedCreate) holeLens(ids []string, now time.Time, values []string) []int {
	return p.appendHoleLens(nil, ids, now, values)
}

// appendHoleLens appends holeLens to lens (a caller's buffer: what keeps
// them copies them).
func (p *preparedCreate) appendHoleLens(lens []int, ids []string, now time.Time, values []string) []int {
	var num [20]byte
	unix := len(strconv.AppendInt(num[:0], now.Unix(), 10))
	lens = slices.Grow(lens[:0], len(p.holes))[:len(p.holes)]
	for i, h := range p.holes {
		switch {
		case h == holeTime:
			lens[i] = unix
		case h <= holeValue:
			lens[i] = len(values[holeValue-h])
		default:
			lens[i] = len(ids[h])
		}
	}
	return lens
}

// fillWith fills p's holes: ids, the time now and the values (their JSON
// text, by index among the request's value holes).
func (p *preparedCreate) fillWith(ids []string, now time.Time, values []string) string {
	var num [20]byte
	unix := strconv.AppendInt(num[:0], now.Unix(), 10)
	var b strings.Builder
	n := p.size + len(p.holes)*24
	for _, v := range values {
		n += len(v)
	}
	b.Grow(n)
	for i, h := range p.holes {
		b.WriteString(p.text[i])
		switch {
		case h == holeTime:
			b.Write(unix)
		case h <= holeValue:
			b.WriteString(values[holeValue-h])
		default:
			b.WriteString(ids[h])
		}
	}
	b.WriteString(p.text[len(p.holes)])
	return b.String()
}

// preparedKey is what, besides the body, a prepared create is kept by.
type preparedKey struct {
	variant                *catalog.Variant
	compact                bool
	method, path, rawQuery string
	contentType            string
}

// preparedCreates are the creates a State has prepared, by request.
type preparedCreates struct {
	mu sync.RWMutex
	// byKey holds, for each key, the prepared creates by request shape
	// (formShape).
	byKey map[preparedKey]map[string]*preparedCreate
	n     int
}

// preparable says whether the creates of req, rendered as from says, may
// be prepared, and the key they are kept by.
func preparable(info *routeInfo, req *render.Request, from server.Rendering) (preparedKey, bool) {
	if from.Variant == nil || info.parent != "" || len(req.Body) > maxPreparedBody || !req.Now.IsZero() {
		return preparedKey{}, false
	}
	if o := from.Outcome; o != nil && o.Finish != nil && !o.Pure {
		return preparedKey{}, false
	}
	if !from.Variant.FromParams(from.Compact) {
		return preparedKey{}, false
	}
	return preparedKey{variant: from.Variant, compact: from.Compact, method: req.Method, path: req.Path,
		rawQuery: req.RawQuery, contentType: req.ContentType}, true
}

// get returns the prepared create of key and shape, nil if none is kept.
func (pc *preparedCreates) get(key preparedKey, shape []byte) *preparedCreate {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return pc.byKey[key][string(shape)]
}

// full reports whether no more prepared creates are kept: requests not
// seen yet are rendered once each, as without preparing.
func (pc *preparedCreates) full() bool {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return pc.n >= maxPrepared
}

// keep keeps p for key and shape, while there is room.
func (pc *preparedCreates) keep(key preparedKey, shape string, p *preparedCreate) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.n >= maxPrepared {
		return
	}
	if pc.byKey == nil {
		pc.byKey = map[preparedKey]map[string]*preparedCreate{}
	}
	m := pc.byKey[key]
	if m == nil {
		m = map[string]*preparedCreate{}
		pc.byKey[key] = m
	}
	if _, ok := m[shape]; !ok {
		m[shape] = p
		pc.n++
	}
}

// rendering is one rendering of a create: the object's JSON (rendered,
// finished and merged), and the ids and time it was made with.
type rendering struct {
	js       string
	ids      []string
	prefixes []string
	now      time.Time
	ok       bool // false: the rendering failed or is not an object
}

// renderAt renders the create of req at now, noting the ids it makes.
// req is left as it was.
func (s *State) renderAt(info *routeInfo, req *render.Request, renderVariant func() (string, error), now time.Time) rendering {
	r := rendering{now: now}
	req.Now = now
	req.SetIDs(func(prefix string) string {
		id := render.NewID(prefix)
		r.ids, r.prefixes = append(r.ids, id), append(r.prefixes, prefix)
		return id
	})
	body, err := renderVariant()
	req.Now = time.Time{}
	req.SetIDs(nil)
	if err != nil {
		return r
	}
	merged, err := mergeInto(view(body), s.params(info, req))
	if err != nil {
		return r
	}
	r.js, r.ok = textOf(merged, body), true
	return r
}

// prepare learns the create of req (see preparedCreate): it returns the
// rendering that answers this request, if it is ok, and what was learnt.
func (s *State) prepare(info *routeInfo, req *render.Request, renderVariant func() (string, error), shape formShape) (rendering, *preparedCreate) {
	now := time.Now()
	first := s.renderAt(info, req, renderVariant, now)
	if !first.ok {
		return first, &preparedCreate{}
	}
	if len(shape.holes) > 0 {
		return first, s.prepareValues(info, req, renderVariant, shape, first)
	}
	// A second rendering, with other ids and at another time.
	second := s.renderAt(info, req, renderVariant, now.Add(1_000_003*time.Second))
	return first, learn(first, second)
}

// preparedObject is the type of the object r rendered and the index among
// its ids of its own id; ok is false for what is not prepared: no object
// of its own id, a list, a child kept under its parent.
func preparedObject(r rendering) (typ string, self int, ok bool) {
	b := view(r.js)
	id, typ := topString(b, "id"), topString(b, "object")
	self = slices.Index(r.ids, id)
	if self < 0 || typ == "" || typ == "list" {
		return "", 0, false
	}
	if _, child := childParentParam[typ]; child {
		return "", 0, false
	}
	return typ, self, true
}

// learn cuts the first rendering at its ids and time, and keeps the cut
// only if it fills to the second; a preparedCreate that is not ok
// otherwise.
func learn(first, second rendering) *preparedCreate {
	fail := &preparedCreate{}
	if !second.ok || !slices.Equal(first.prefixes, second.prefixes) {
		return fail
	}
	typ, self, ok := preparedObject(first)
	if !ok {
		return fail
	}
	type at struct{ pos, len, hole int }
	var found []at
	find := func(needle string, hole int) {
		for from := 0; ; {
			i := strings.Index(first.js[from:], needle)
			if i < 0 {
				return
			}
			found = append(found, at{from + i, len(needle), hole})
			from += i + len(needle)
		}
	}
	for i, id := range first.ids {
		find(id, i)
	}
	find(strconv.FormatInt(first.now.Unix(), 10), holeTime)
	slices.SortFunc(found, func(a, b at) int { return a.pos - b.pos })
	p := &preparedCreate{ok: true, typ: typ, self: self, prefixes: first.prefixes}
	last := 0
	for _, f := range found {
		if f.pos < last {
			return fail // holes that overlap
		}
		p.text = append(p.text, first.js[last:f.pos])
		p.holes = append(p.holes, f.hole)
		last = f.pos + f.len
	}
	p.text = append(p.text, first.js[last:])
	for _, t := range p.text {
		p.size += len(t)
	}
	if p.fillWith(second.ids, second.now, nil) != second.js || p.fillWith(first.ids, first.now, nil) != first.js {
		return fail
	}
	p.layout, _ = store.ScanLayout(first.js) // nil: Put reads each object, and fails as it would
	p.keepTemplate()
	return p
}

// prepareValues learns the create of a request whose shape has value
// holes (see learnValues), given its rendering first. req is left as it
// was.
func (s *State) prepareValues(info *routeInfo, req *render.Request, renderVariant func() (string, error), shape formShape, first rendering) *preparedCreate {
	values, ok := shape.values()
	if !ok {
		return &preparedCreate{}
	}
	body := req.Body
	defer req.SetBody(body)
	b1, v1 := shape.perturbed(0)
	req.SetBody(b1)
	r1 := s.renderAt(info, req, renderVariant, first.now.Add(1_000_003*time.Second))
	b2, v2 := shape.perturbed(1)
	req.SetBody(b2)
	r2 := s.renderAt(info, req, renderVariant, first.now.Add(2_000_006*time.Second))
	return learnValues(first, r1, r2, values, v1, v2)
}

// learnValues cuts a create at its ids, its time and its values, learnt
// from two renderings (one, two) of the request with other values of one
// length (one's and two's values differ at every position, and are plain
// text, written as they are): the texts align byte for byte, and every
// run of bytes that differs must lie in exactly one hole, an id, the time
// or a value, found at the same place in both. The cut is kept only if it
// fills to both renderings and to first, the request's own rendering with
// its own values (firstValues, other lengths), byte for byte, and if no
// literal piece holds a value of first's (of three bytes or more) as a
// token of its own (a value read but not from the request as rendered);
// a preparedCreate that is not ok otherwise.
func learnValues(first, one, two rendering, firstValues, oneValues, twoValues []string) *preparedCreate {
	fail := &preparedCreate{}
	if !one.ok || !two.ok || !slices.Equal(first.prefixes, one.prefixes) || !slices.Equal(first.prefixes, two.prefixes) ||
		len(one.js) != len(two.js) {
		return fail
	}
	typ, self, ok := preparedObject(first)
	if !ok {
		return fail
	}
	type candidate struct {
		a, b string
		hole int
	}
	cands := make([]candidate, 0, len(one.ids)+1+len(oneValues))
	for k := range one.ids {
		cands = append(cands, candidate{one.ids[k], two.ids[k], k})
	}
	cands = append(cands, candidate{strconv.FormatInt(one.now.Unix(), 10), strconv.FormatInt(two.now.Unix(), 10), holeTime})
	for j := range oneValues {
		cands = append(cands, candidate{oneValues[j], twoValues[j], holeValue - j})
	}
	for _, c := range cands {
		if len(c.a) != len(c.b) || c.a == "" {
			return fail
		}
	}
	p := &preparedCreate{ok: true, typ: typ, self: self, prefixes: first.prefixes}
	last := 0
	for i := 0; i < len(one.js); {
		if one.js[i] == two.js[i] {
			i++
			continue
		}
		// The one hole that covers i in both renderings.
		found, start, end := 0, 0, 0
		for _, c := range cands {
			for at := max(last, i-len(c.a)+1); at <= i; at++ {
				if at+len(c.a) <= len(one.js) && one.js[at:at+len(c.a)] == c.a && two.js[at:at+len(c.b)] == c.b {
					if found == 0 {
						p.holes = append(p.holes, c.hole)
					}
					found++
					start, end = at, at+len(c.a)
				}
			}
		}
		if found != 1 {
			return fail
		}
		p.holeAt, p.holeLen = append(p.holeAt, start), append(p.holeLen, end-start)
		p.text = append(p.text, one.js[last:start])
		last, i = end, end
	}
	p.text = append(p.text, one.js[last:])
	for _, t := range p.text {
		p.size += len(t)
	}
	if p.fillWith(one.ids, one.now, oneValues) != one.js || p.fillWith(two.ids, two.now, twoValues) != two.js ||
		p.fillWith(first.ids, first.now, firstValues) != first.js {
		return fail
	}
	for _, t := range p.text {
		for _, v := range firstValues {
			if len(v) >= 3 && holdsToken(t, v) { // shorter ones are everywhere
				return fail
			}
		}
	}
	p.members = membersOf(one.js, p.holeAt, p.holeLen)
	p.keepTemplate()
	return p
}

// membersOf are where the top-level members of the object js lie, nil if
// a hole (at, of len) lies in a member's name or holds one of its bounds.
func membersOf(js string, at, lens []int) []store.Member {
	b := view(js)
	var ms []store.Member
	err := eachMember(b, func(key []byte, s span) error {
		start := cap(b) - cap(key) // key is b[start:end]
		ms = append(ms, store.Member{Key: store.Span{Start: start, End: start + len(key)}, Value: store.Span{Start: s.start, End: s.end}})
		return nil
	})
	if err != nil || len(ms) == 0 {
		return nil
	}
	for _, m := range ms {
		for h := range at {
			inside := func(pos int) bool { return at[h] < pos && pos < at[h]+lens[h] }
			if inside(m.Key.Start) || inside(m.Key.End) || inside(m.Value.Start) || inside(m.Value.End) ||
				(at[h] < m.Key.End && at[h]+lens[h] > m.Key.Start) {
				return nil
			}
		}
	}
	return ms
}

// holdsToken reports whether text holds v other than as part of a longer
// run of digits, letters or a string: v between quotes, or digits not next
// to digits.
func holdsToken(text, v string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], v)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(v)
		before, after := byte(0), byte(0)
		if i > 0 {
			before = text[i-1]
		}
		if end < len(text) {
			after = text[end]
		}
		if before == '"' && after == '"' {
			return true
		}
		if !isDigit(before) && !isDigit(after) && !isLetter(before) && !isLetter(after) && isDigit(v[0]) {
			return true
		}
		from = i + 1
	}
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
