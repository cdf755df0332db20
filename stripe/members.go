package stripe

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"sync"
	"unsafe"

	"github.com/routedeck/routedeck/store"
)

// A confirm reads a stored PaymentIntent, writes it back changed and
// announces what changed: each step used to scan the whole object again
// (its status is near its end). members reads the object's top-level
// members once; the write finds the new object's members as it builds
// it; and the events compare the two lists instead of scanning both
// objects once more.

// members is an object's text and where its top-level members are
// (topMembers, kept as offsets: a list that outlives the request's stack
// without pointers for the collector to follow). ok is false when
// topMembers could not read the object plainly (a name with an escape,
// malformed JSON): the methods then scan the text as before.
type members struct {
	b  []byte
	at []memberAt
	ok bool
	// replaced, on what set wrote, are the members (by index, the same
	// in both lists) whose values it replaced; replacedRepeats says
	// whether the name of one of them is repeated (it replaced the
	// first).
	replaced        []int32
	replacedRepeats bool
}

// memberAt is where one member's name (without its quotes) and value are.
type memberAt struct{ key, value span32 }

type span32 struct{ start, end int32 }

func (s span32) of(b []byte) []byte { return b[s.start:s.end] }

// readMembers reads the top-level members of the object b, as
// topMembers reads them.
func readMembers(b []byte) members {
	if len(b) > 1<<31-1 {
		return members{b: b}
	}
	var buf [96]memberAt // on the stack for most objects
	at, ok := scanMembers(b, buf[:0])
	if !ok {
		return members{b: b}
	}
	return members{b: b, at: append(make([]memberAt, 0, len(at)), at...), ok: true}
}

// scanMembers is topMembers giving the members as offsets, appended to
// dst, in one pass: a name is read and checked plain (printable ASCII,
// no escape) in one loop, and the commonest values (strings, numbers,
// literals) are found in line. b is shorter than 2 GiB.
func scanMembers(b []byte, dst []memberAt) ([]memberAt, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	if i = skipSpace(b, i+1); i < len(b) && b[i] == '}' {
		return dst, skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		k := i + 1
		j := k
		for j+8 <= len(b) && plainWord(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		for j < len(b) && nameBytes[b[j]] == plainName {
			j++
		}
		if j >= len(b) || b[j] != '"' {
			return nil, false // unended, or a name topMembers does not take plainly
		}
		key := span32{int32(k), int32(j)}
		if i = j + 1; i >= len(b) || b[i] != ':' {
			if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
				return nil, false
			}
		}
		if i++; i < len(b) && isJSONSpace(b[i]) {
			i = skipSpace(b, i)
		}
		if i >= len(b) {
			return nil, false
		}
		start := i
		switch c := b[i]; {
		case c == '"':
			for i++; i+8 <= len(b) && plainWord(binary.LittleEndian.Uint64(b[i:])); {
				i += 8
			}
			for ; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return nil, false
			}
			i++
		case c == '{' || c == '[':
			end, err := valueEnd(b, i)
			if err != nil {
				return nil, false
			}
			i = end
		default:
			for i < len(b) && !scalarEnds[b[i]] {
				i++
			}
			if i == start {
				return nil, false
			}
		}
		dst = append(dst, memberAt{key, span32{int32(start), int32(i)}})
		if i < len(b) && isJSONSpace(b[i]) {
			i = skipSpace(b, i)
		}
		switch {
		case i < len(b) && b[i] == ',':
			if i++; i < len(b) && isJSONSpace(b[i]) {
				i = skipSpace(b, i)
			}
		case i < len(b) && b[i] == '}':
			return dst, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// scalarEnds are the bytes that end a number or literal (valueEnd's).
var scalarEnds = [256]bool{',': true, '}': true, ']': true, ' ': true, '\n': true, '\t': true, '\r': true}

// nameBytes classes the bytes of a member's name: plainName for those of
// a plain one (printable ASCII but the quote and the backslash).
var nameBytes = func() (t [256]byte) {
	for c := 0x20; c < 0x7f; c++ {
		if c != '"' && c != '\\' {
			t[c] = plainName
		}
	}
	return t
}()

const plainName = 1

// plainWord reports whether none of the eight bytes of w (read from
// text) is a quote, a backslash, a control byte or past ASCII's
// printable range; it may say no of some plain words.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)&^w|(quote-ones)&^quote|(backslash-ones)&^backslash|(w+ones)|w)&highs == 0
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// offset is where sub, a slice of b, starts in b.
func offset(b, sub []byte) int32 { return int32(cap(b) - cap(sub)) }

// keyValues are m's members as topMembers gives them, appended to dst;
// ok as topMembers says it.
func (m members) keyValues(dst []keyValue) ([]keyValue, bool) {
	if !m.ok {
		return topMembers(m.b, dst)
	}
	for _, a := range m.at {
		dst = append(dst, keyValue{a.key.of(m.b), a.value.of(m.b)})
	}
	return dst, true
}

// value is the first member named key's JSON text, nil when absent.
func (m members) value(key string) []byte {
	if !m.ok {
		return member2(m.b, key)
	}
	for _, a := range m.at {
		if string(a.key.of(m.b)) == key {
			return a.value.of(m.b)
		}
	}
	return nil
}

// str is what topValues reads for key: a string's value, another
// scalar's text, "" when absent, null, an object or an array.
func (m members) str(key string) string {
	if !m.ok {
		return topValues(m.b, key)[0]
	}
	return scalarText(m.value(key))
}

// strView is str(key) sharing m's text where it can (a string without
// escapes, a number): for text that stays as it is while the result is
// used (a stored object's, which never changes).
func (m members) strView(key string) string {
	if !m.ok {
		return m.str(key)
	}
	return strViewOf(m.value(key))
}

// strViewOf is strView of the member whose value is v (nil: none).
func strViewOf(v []byte) string {
	switch {
	case len(v) >= 2 && v[0] == '"' && bytes.IndexByte(v, '\\') < 0:
		return text(v[1 : len(v)-1])
	case len(v) > 0 && v[0] != '"' && v[0] != '{' && v[0] != '[' && string(v) != "null":
		return text(v)
	}
	return scalarText(v)
}

// strViews sets out[i] to strView(keys[i]) for each of keys, reading
// m's members once.
func (m members) strViews(keys []string, out []string) {
	const most = 64
	if !m.ok || len(keys) > most {
		for i, k := range keys {
			out[i] = m.strView(k)
		}
		return
	}
	var lengths, found uint64 // found has a bit for each key found
	for _, k := range keys {
		lengths |= 1 << (len(k) & 63)
	}
	var values [most][]byte
	all := uint64(1)<<len(keys) - 1
	for _, a := range m.at {
		if lengths&(1<<((a.key.end-a.key.start)&63)) == 0 {
			continue
		}
		name := a.key.of(m.b)
		for j, k := range keys {
			if found&(1<<j) == 0 && string(name) == k {
				values[j], found = a.value.of(m.b), found|1<<j // the first of the name, as value reads it
			}
		}
		if found == all {
			break
		}
	}
	for j := range keys {
		out[j] = strViewOf(values[j])
	}
}

// stringView is string(key) sharing m's text where the value needs no
// decoding, as strView shares it.
func (m members) stringView(key string) string {
	if !m.ok {
		return m.string(key)
	}
	v := m.value(key)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && plainBytes(v[1:len(v)-1]) {
		return text(v[1 : len(v)-1])
	}
	return stringValue(v, span{0, len(v)})
}

// scalarText is a member's value as topValues reads it.
func scalarText(v []byte) string {
	switch {
	case len(v) >= 2 && v[0] == '"' && bytes.IndexByte(v, '\\') < 0:
		return string(v[1 : len(v)-1])
	case len(v) > 0 && v[0] == '"':
		return stringValue(v, span{0, len(v)})
	case len(v) > 0 && v[0] != '{' && v[0] != '[' && string(v) != "null":
		return string(v)
	}
	return ""
}

// set is setMembers(m.b, sets), with the new object's members found as
// it is written rather than scanned again. Adding a member the object
// lacks leaves the result unread (ok false), as does an object m could
// not read.
func (m members) set(sets []setting) members {
	if !m.ok || len(sets) > 64 {
		return members{b: setMembers(m.b, sets)}
	}
	out := make([]byte, 0, len(m.b)+64)
	at := make([]memberAt, len(m.at))
	replaced := make([]int32, 0, len(sets))
	var done uint64
	// lengths and firsts have a bit for the length (mod 64) and first
	// byte (mod 64) of each name set: most members' names are of no
	// length and first byte set, and are passed over.
	var lengths, firsts uint64
	for _, s := range sets {
		lengths |= 1 << (len(s.key) & 63)
		if s.key != "" {
			firsts |= 1 << (s.key[0] & 63)
		}
	}
	repeats := false
	last, shift := 0, 0 // m.b is copied up to last; shift is out's offset minus m.b's from there on
	for i, a := range m.at {
		at[i] = memberAt{span32{a.key.start + int32(shift), a.key.end + int32(shift)},
			span32{a.value.start + int32(shift), a.value.end + int32(shift)}}
		if n := a.key.end - a.key.start; lengths&(1<<(n&63)) == 0 || (n > 0 && firsts&(1<<(m.b[a.key.start]&63)) == 0) {
			continue
		}
		key := text(a.key.of(m.b)) // only compared
		for j, s := range sets {
			if s.key != key {
				continue
			}
			if done&(1<<j) != 0 {
				repeats = true // a later member of a name set replaced
				continue
			}
			// As setMembers writes it: the value replaced in place,
			// indented as the object is.
			out = append(out, m.b[last:a.value.start]...)
			start := len(out)
			out = append(out, indentFor(m.b, int(a.value.start), s.val)...)
			at[i].value = span32{int32(start), int32(len(out))}
			last, shift = int(a.value.end), len(out)-int(a.value.end)
			done |= 1 << j
			replaced = append(replaced, int32(i))
			break
		}
	}
	if done != 1<<len(sets)-1 {
		return members{b: setMembers(m.b, sets)} // a member to add: as setMembers adds it
	}
	out = append(out, m.b[last:]...)
	if len(out) > 1<<31-1 {
		return members{b: out}
	}
	return members{b: out, at: at, ok: true, replaced: replaced, replacedRepeats: repeats}
}

// edit is the write of sets to m, with what it read and wrote.
func (m members) edit(sets []setting) *read { return &read{old: m, now: m.set(sets)} }

// string is memberString for key: the first member named key's string
// value, "" when absent or not a string.
func (m members) string(key string) string {
	if !m.ok {
		return topString(m.b, key)
	}
	v := m.value(key)
	return stringValue(v, span{0, len(v)})
}

// describes reports whether r read the objects old and now (r may be
// nil): both its lists are read, now is what set made of old, and they
// are those objects'.
func (r *read) describes(old []byte, now string) bool {
	return r != nil && old != nil && r.old.ok && r.now.ok && r.now.replaced != nil && len(r.old.at) == len(r.now.at) &&
		string(r.old.b) == string(old) && string(r.now.b) == now
}

// previous is previousOf the objects r describes: only the members the
// write replaced can differ. A replaced name that is repeated leaves it
// to previousOf (the last of a repeated name decides there).
func (r *read) previous() json.RawMessage {
	var buf [8]keyValue
	changed := buf[:0]
	for _, i := range r.now.replaced {
		key := r.now.at[i].key.of(r.now.b)
		if r.now.replacedRepeats && r.now.repeats(key) {
			var oldBuf, nowBuf [96]keyValue
			o, okOld := r.old.keyValues(oldBuf[:0])
			n, okNow := r.now.keyValues(nowBuf[:0])
			return previousOf(r.old.b, r.now.b, o, okOld, n, okNow)
		}
		if ov := r.old.at[i].value.of(r.old.b); !jsonEqual(ov, r.now.at[i].value.of(r.now.b)) {
			changed = append(changed, keyValue{key, ov})
		}
	}
	return changedObject(changed, true) // old's values: the store checked them
}

// repeats reports whether more than one member is named key.
func (m members) repeats(key []byte) bool {
	n := 0
	for _, a := range m.at {
		if string(a.key.of(m.b)) == string(key) {
			n++
		}
	}
	return n > 1
}

// layout is the store's edit layout of js, what r wrote, made from base,
// what it read (store.EditLayout): the members set replaced, nil when r
// does not know where they lie. A member whose object or array became a
// scalar (a confirm nulls next_action) is given with its name's place,
// when no other member has the name, for the store to index it.
func (r *read) layout(base, js string) *store.Layout {
	if !r.old.ok || !r.now.ok || len(r.now.replaced) == 0 || len(r.old.at) != len(r.now.at) ||
		string(r.old.b) != base || string(r.now.b) != js {
		return nil
	}
	edits := make([]store.Edit, len(r.now.replaced))
	for k, i := range r.now.replaced {
		o, n := r.old.at[i].value, r.now.at[i].value
		edits[k] = store.Edit{Old: store.Span{Start: int(o.start), End: int(o.end)}, New: store.Span{Start: int(n.start), End: int(n.end)}}
		if key := r.now.at[i].key; nested(base[o.start]) && !nested(js[n.start]) && !(r.now.replacedRepeats && r.now.repeats(key.of(r.now.b))) {
			edits[k].Key = store.Span{Start: int(key.start), End: int(key.end)}
		}
	}
	return store.EditLayout(base, js, edits)
}

// nested reports whether a value starting with c is an object or array.
func nested(c byte) bool { return c == '{' || c == '[' }

// maxWritten bounds the objects writtenMembers keeps (each shares its
// text with the store, and holds its member list, under a KiB).
const maxWritten = 1024

// writtenMembers are the members of objects as a writer wrote them, by
// id: a store that keeps the very text written (store.Memory) gives it
// back to the next write, which then need not read it again. A text that
// is not the one kept (another write, another store) is read.
type writtenMembers struct {
	mu   sync.Mutex
	byID map[string]members
}

// keep notes that the object id is now js, whose members are m (what
// members.set wrote), when js is m's text itself.
func (w *writtenMembers) keep(id, js string, m members) {
	if !m.ok || len(js) == 0 || len(m.b) != len(js) || unsafe.SliceData(m.b) != unsafe.StringData(js) {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byID == nil || len(w.byID) >= maxWritten {
		w.byID = make(map[string]members, 64) // the oldest go all at once
	}
	m.replaced, m.replacedRepeats = nil, false
	w.byID[id] = m
}

// read is readMembers(b), b being the object id's text: the members kept
// for it when b is the very text kept. (The kept text is alive while
// kept and never written to, so the same address and length are the same
// bytes.)
func (w *writtenMembers) read(id string, b []byte) members {
	w.mu.Lock()
	m, ok := w.byID[id]
	w.mu.Unlock()
	if ok && len(b) > 0 && len(m.b) == len(b) && unsafe.SliceData(m.b) == unsafe.SliceData(b) {
		return m
	}
	return readMembers(b)
}
