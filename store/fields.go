package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// field is one top-level scalar of a stored object, as offsets into its
// JSON (16 bytes, so an index costs far less than a parsed copy).
type field struct {
	key  uint32 // offset of the key's text (inside the quotes)
	klen uint16
	kind kind
	val  uint32 // offset of the value's text (inside the quotes for strings)
	vlen uint32
}

type kind uint8

const (
	kindString  kind = iota + 1
	kindEscaped      // a string whose text is not its value: decode before comparing
	kindNumber
	kindBool
	kindNull
)

// fields is a stored object's scalar index, sorted by key.
type fields []field

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// errNotObject is the error of a Put whose JSON is not one JSON object.
var errNotObject = errors.New("JSON is not an object")

// syntaxError is a JSON syntax error at a byte offset of an object.
type syntaxError struct {
	offset int
	msg    string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.offset, e.msg)
}

// scanTop checks that js is one valid JSON object (what json.Valid
// accepts) and, in the same pass, indexes its top-level scalar fields and
// reads its top-level "created" if that is an integer. Keys with escapes
// or longer than 64 KiB are not indexed: filters cannot name them.
func scanTop(js string) (fields, int64, bool, error) { return scanTopKnown(js, nil) }

// knownObject returns the end of the object that starts at js[i] if its
// text is one already checked (a stored object's JSON), else -1.
type knownObject func(js string, i int) int

// eventObject is where an event's object starts, after its top-level
// "data" key: {"object":...
const eventObject = `{"object":`

// scanTopKnown is scanTop, except that a top-level "data" whose first
// member is "object" holding a text known says is checked already is not
// checked again (an event's object is the stored object's JSON). known
// may be nil.
func scanTopKnown(js string, known knownObject) (fields, int64, bool, error) {
	tops := make([]top, 0, 64) // on the stack for most objects (a charge has 45 members)
	var created int64
	hasCreated := false
	s := scanner{js: js}
	i := skipSpace(js, 0)
	if i >= len(js) || js[i] != '{' {
		if i < len(js) && js[i] == '[' {
			return nil, 0, false, errNotObject
		}
		if _, err := s.value(i); err != nil {
			return nil, 0, false, err
		}
		return nil, 0, false, errNotObject
	}
	i = skipSpace(js, i+1)
	for i < len(js) && js[i] != '}' {
		if len(tops) > 0 {
			if js[i] != ',' {
				return nil, 0, false, s.fail(i, "after object value")
			}
			i = skipSpace(js, i+1)
		}
		if i >= len(js) || js[i] != '"' {
			return nil, 0, false, s.fail(i, "looking for beginning of object key string")
		}
		kEnd, kSpecial, err := s.str(i)
		if err != nil {
			return nil, 0, false, err
		}
		kStart := i + 1
		i = skipSpace(js, kEnd+1)
		if i >= len(js) || js[i] != ':' {
			return nil, 0, false, s.fail(i, "after object key")
		}
		i = skipSpace(js, i+1)
		var f field // kind 0 for an object
		var next int
		switch {
		case known != nil && js[kStart:kEnd] == "data" && strings.HasPrefix(js[i:], eventObject):
			if end := known(js, i+len(eventObject)); end > 0 {
				next, err = s.rest(end)
				break
			}
			fallthrough
		default:
			f, next, err = s.scalar(i)
		}
		if err != nil {
			return nil, 0, false, err
		}
		i = skipSpace(js, next)
		name := js[kStart:kEnd]
		if kSpecial {
			name = decodeString(name)
		}
		if name == "created" {
			n, err := strconv.ParseInt(js[f.val:f.val+f.vlen], 10, 64)
			created, hasCreated = n, f.kind == kindNumber && err == nil
		}
		if kSpecial || kEnd-kStart > math.MaxUint16 {
			f.kind = 0 // a name filters cannot use
		}
		f.key, f.klen = uint32(kStart), uint16(min(kEnd-kStart, math.MaxUint16))
		tops = append(tops, top{name, f})
	}
	if i >= len(js) {
		return nil, 0, false, s.fail(i, "in object")
	}
	if i = skipSpace(js, i+1); i < len(js) {
		return nil, 0, false, s.fail(i, "after top-level value")
	}
	return sortTops(tops), created, hasCreated, nil
}

// top is one top-level member as scanTop reads it: its name, decoded,
// and its field (kind 0: not indexed).
type top struct {
	name string
	f    field
}

// sortTops is the index of an object whose top-level members are tops,
// in order: by name, the last of a repeated name, only indexed fields.
func sortTops(tops []top) fields {
	// Sort by name; of repeated names the last wins, as in encoding/json.
	if len(tops) <= 64 {
		// An insertion sort, stable: an object's members come nearly in
		// order (Stripe's: id and object, then by name), and this costs
		// a few moves where the general sort merges blocks.
		for i := 1; i < len(tops); i++ {
			for j := i; j > 0 && tops[j].name < tops[j-1].name; j-- {
				tops[j], tops[j-1] = tops[j-1], tops[j]
			}
		}
	} else {
		slices.SortStableFunc(tops, func(a, b top) int { return strings.Compare(a.name, b.name) })
	}
	kept := func(i int) bool {
		return tops[i].f.kind != 0 && (i+1 == len(tops) || tops[i+1].name != tops[i].name)
	}
	n := 0
	for i := range tops {
		if kept(i) {
			n++
		}
	}
	fs := make(fields, 0, n) // exactly: the index lives as long as the object
	for i, t := range tops {
		if kept(i) {
			fs = append(fs, t.f)
		}
	}
	return fs
}

// scanner validates JSON values inside one object's text.
type scanner struct {
	js    string
	depth int
}

func (s *scanner) fail(i int, where string) error {
	if i >= len(s.js) {
		return &syntaxError{i, "unexpected end of JSON input"}
	}
	return &syntaxError{i, fmt.Sprintf("invalid character %q %s", s.js[i], where)}
}

// scalar validates the value at i and returns its field (kind 0 for an
// object or array) and the offset after it.
func (s *scanner) scalar(i int) (field, int, error) {
	if i >= len(s.js) {
		return field{}, i, s.fail(i, "")
	}
	var k kind
	switch c := s.js[i]; {
	case c == '"':
		end, special, err := s.str(i)
		if err != nil {
			return field{}, 0, err
		}
		k = kindString
		if special {
			k = kindEscaped
		}
		return field{kind: k, val: uint32(i + 1), vlen: uint32(end - i - 1)}, end + 1, nil
	case c == '{' || c == '[':
		end, err := s.value(i)
		return field{}, end, err
	case c == 't' || c == 'f':
		k = kindBool
	case c == 'n':
		k = kindNull
	default:
		k = kindNumber
	}
	end, err := s.value(i)
	if err != nil {
		return field{}, 0, err
	}
	return field{kind: k, val: uint32(i), vlen: uint32(end - i)}, end, nil
}

// value validates the value at i and returns the offset after it.
func (s *scanner) value(i int) (int, error) {
	js := s.js
	if i >= len(js) {
		return i, s.fail(i, "")
	}
	switch c := js[i]; {
	case c == '"':
		end, _, err := s.str(i)
		return end + 1, err
	case c == '{' || c == '[':
		return s.nested(i)
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number(i)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(js[i:], lit) {
			return i + len(lit), nil
		}
		if lit[0] == js[i] {
			for j := 1; j < len(lit); j++ {
				if i+j >= len(js) || js[i+j] != lit[j] {
					return 0, s.fail(i+j, "in literal "+lit)
				}
			}
		}
	}
	return 0, s.fail(i, "looking for beginning of value")
}

// nested validates the object or array at i.
func (s *scanner) nested(i int) (int, error) {
	js := s.js
	if s.depth++; s.depth > maxDepth {
		return 0, &syntaxError{i, "exceeded max depth"}
	}
	defer func() { s.depth-- }()
	closer, isObject := byte(']'), js[i] == '{'
	if isObject {
		closer = '}'
	}
	return s.members(skipSpace(js, i+1), closer, isObject, 0)
}

// rest validates what follows the first member's value (which ends at i)
// of an object one level below the top, up to and past its closing brace.
func (s *scanner) rest(i int) (int, error) {
	s.depth++
	defer func() { s.depth-- }()
	return s.members(skipSpace(s.js, i), '}', true, 1)
}

// members validates the members (or elements) of an object (or array)
// from i, n of them already read, through its closer.
func (s *scanner) members(i int, closer byte, isObject bool, n int) (int, error) {
	js := s.js
	for ; ; n++ {
		if i < len(js) && js[i] == closer {
			return i + 1, nil
		}
		if n > 0 {
			if i >= len(js) || js[i] != ',' {
				return 0, s.fail(i, "after value")
			}
			i = skipSpace(js, i+1)
		}
		if isObject {
			if i >= len(js) || js[i] != '"' {
				return 0, s.fail(i, "looking for beginning of object key string")
			}
			end, _, err := s.str(i)
			if err != nil {
				return 0, err
			}
			i = skipSpace(js, end+1)
			if i >= len(js) || js[i] != ':' {
				return 0, s.fail(i, "after object key")
			}
			i = skipSpace(js, i+1)
		}
		end, err := s.value(i)
		if err != nil {
			return 0, err
		}
		i = skipSpace(js, end)
	}
}

// str validates the string opening at i. It returns the offset of its
// closing quote and whether its text differs from its value (escapes, or
// bytes that are not UTF-8, which decoding replaces).
func (s *scanner) str(i int) (int, bool, error) {
	js := s.js
	special := false
	for j := i + 1; j < len(js); j++ {
		// Most bytes are plain: skip them eight at a time.
		for j+8 <= len(js) && plain8(js[j:j+8]) {
			j += 8
		}
		for j < len(js) && plainByte[js[j]] {
			j++
		}
		if j >= len(js) {
			break
		}
		switch c := js[j]; {
		case c == '"':
			if special {
				text := js[i+1 : j]
				special = strings.IndexByte(text, '\\') >= 0 || !utf8.ValidString(text)
			}
			return j, special, nil
		case c == '\\':
			special = true
			j++
			if j >= len(js) {
				return 0, false, s.fail(j, "")
			}
			switch js[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := j + 1; k <= j+4; k++ {
					if k >= len(js) || !isHex(js[k]) {
						return 0, false, s.fail(k, "in \\u hexadecimal character escape")
					}
				}
				j += 4
			default:
				return 0, false, s.fail(j, "in string escape code")
			}
		case c < 0x20:
			return 0, false, s.fail(j, "in string literal")
		case c >= utf8.RuneSelf:
			special = true
		}
	}
	return 0, false, s.fail(len(js), "")
}

// plainByte tells the bytes a string's text can hold as they are: not
// the quote, the backslash, a control byte or a byte of a multi-byte
// UTF-8 sequence.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plain8 tells whether the eight bytes of b are all plain (see plainByte),
// testing them together.
func plain8(b string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	zero := func(v uint64) uint64 { return (v - ones) & ^v & highs } // a zero byte sets its high bit
	nonASCII := x & highs
	control := (x - 0x20*ones) &^ x & highs // a byte below 0x20
	return nonASCII|control|zero(x^('"'*ones))|zero(x^('\\'*ones)) == 0
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// number validates the number at i: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?.
func (s *scanner) number(i int) (int, error) {
	js := s.js
	digits := func(j int) int {
		for j < len(js) && js[j] >= '0' && js[j] <= '9' {
			j++
		}
		return j
	}
	j := i
	if js[j] == '-' {
		j++
	}
	switch {
	case j < len(js) && js[j] == '0':
		j++
	case j < len(js) && js[j] >= '1' && js[j] <= '9':
		j = digits(j)
	default:
		return 0, s.fail(j, "in numeric literal")
	}
	if j < len(js) && js[j] == '.' {
		if k := digits(j + 1); k > j+1 {
			j = k
		} else {
			return 0, s.fail(j+1, "after decimal point in numeric literal")
		}
	}
	if j < len(js) && (js[j] == 'e' || js[j] == 'E') {
		j++
		if j < len(js) && (js[j] == '+' || js[j] == '-') {
			j++
		}
		if k := digits(j); k > j {
			j = k
		} else {
			return 0, s.fail(j, "in exponent of numeric literal")
		}
	}
	return j, nil
}

func skipSpace(js string, i int) int {
	for i < len(js) && (js[i] == ' ' || js[i] == '\t' || js[i] == '\n' || js[i] == '\r') {
		i++
	}
	return i
}

func (f field) name(js source) string { return js.sub(f.key, f.key+uint32(f.klen)) }

// source is an object's JSON as its fields are read from it: js, or the
// fill's when fill is set.
type source struct {
	js   string
	fill *Filled
}

// sub is the JSON's bytes [i, j).
func (s source) sub(i, j uint32) string {
	if s.fill == nil {
		return s.js[i:j]
	}
	return s.fill.sub(int(i), int(j))
}

// lookup returns the field named name.
func (fs fields) lookup(js source, name string) (field, bool) {
	f, at := fs.find(js, name, -1)
	return f, at >= 0
}

// find returns the field named name and its position (-1 if there is
// none), trying position guess first.
func (fs fields) find(js source, name string, guess int) (field, int) {
	if guess >= 0 && guess < len(fs) && int(fs[guess].klen) == len(name) && fs[guess].name(js) == name {
		return fs[guess], guess
	}
	i, ok := slices.BinarySearchFunc(fs, name, func(f field, n string) int { return strings.Compare(f.name(js), n) })
	if !ok {
		return field{}, -1
	}
	return fs[i], i
}

// equals tells whether the field's value, as text, is want.
func (f field) equals(js source, want string) bool {
	raw := js.sub(f.val, f.val+f.vlen)
	switch f.kind {
	case kindString, kindNumber, kindBool:
		return raw == want
	case kindEscaped:
		return decodeString(raw) == want
	}
	return false
}

// decodeString decodes the text of a JSON string (checked valid).
func decodeString(raw string) string {
	var s string
	_ = json.Unmarshal([]byte(`"`+raw+`"`), &s)
	return s
}
