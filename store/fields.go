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
	kindEscaped      // a string with escapes: decode before comparing
	kindNumber
	kindBool
	kindNull
)

// fields is a stored object's scalar index, sorted by key.
type fields []field

// scanTop indexes the top-level scalar fields of js, which must be one
// valid JSON object (checked by the caller), and returns its top-level
// "created" if that is an integer. Keys with escapes or longer than 64 KiB
// are not indexed: filters cannot name them.
func scanTop(js string) (fields, int64, bool) {
	type top struct {
		name string
		f    field // kind 0: not indexed
	}
	var tops []top
	var created int64
	hasCreated := false
	i := skipSpace(js, 0)
	if i >= len(js) || js[i] != '{' {
		return nil, 0, false
	}
	i++
	for {
		i = skipSpace(js, i)
		if i >= len(js) || js[i] == '}' {
			break
		}
		if js[i] == ',' {
			i = skipSpace(js, i+1)
		}
		kStart := i + 1
		kEnd, kEsc := stringEnd(js, i)
		i = skipSpace(js, kEnd+1)
		i = skipSpace(js, i+1) // the colon
		f, next := scanValue(js, i)
		i = next
		name := js[kStart:kEnd]
		if kEsc && json.Unmarshal([]byte(js[kStart-1:kEnd+1]), &name) != nil {
			continue
		}
		if name == "created" {
			n, err := strconv.ParseInt(js[f.val:f.val+f.vlen], 10, 64)
			created, hasCreated = n, f.kind == kindNumber && err == nil
		}
		if kEsc || kEnd-kStart > math.MaxUint16 {
			f.kind = 0 // a name filters cannot use
		}
		f.key, f.klen = uint32(kStart), uint16(min(kEnd-kStart, math.MaxUint16))
		tops = append(tops, top{name, f})
	}
	// Sort by name; of repeated names the last wins, as in encoding/json.
	slices.SortStableFunc(tops, func(a, b top) int { return strings.Compare(a.name, b.name) })
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
	return fs, created, hasCreated
}

// scanValue reads the value at i and returns its field (kind 0 for an
// object or array) and the offset after it.
func scanValue(js string, i int) (field, int) {
	switch c := js[i]; {
	case c == '"':
		end, esc := stringEnd(js, i)
		k := kindString
		if esc {
			k = kindEscaped
		}
		return field{kind: k, val: uint32(i + 1), vlen: uint32(end - i - 1)}, end + 1
	case c == '{' || c == '[':
		return field{}, skipNested(js, i)
	default:
		end := i
		for end < len(js) && !strings.ContainsRune(",}] \t\r\n", rune(js[end])) {
			end++
		}
		k := kindNumber
		switch c {
		case 't', 'f':
			k = kindBool
		case 'n':
			k = kindNull
		}
		return field{kind: k, val: uint32(i), vlen: uint32(end - i)}, end
	}
}

// stringEnd returns the offset of the closing quote of the string opening
// at i, and whether its text differs from its value (escapes, or bytes
// that are not UTF-8, which decoding replaces).
func stringEnd(js string, i int) (int, bool) {
	special := false
	for j := i + 1; j < len(js); j++ {
		switch c := js[j]; {
		case c == '\\':
			special = true
			j++
		case c == '"':
			if special {
				text := js[i+1 : j]
				special = strings.IndexByte(text, '\\') >= 0 || !utf8.ValidString(text)
			}
			return j, special
		case c >= utf8.RuneSelf:
			special = true
		}
	}
	return len(js), special
}

// skipNested returns the offset after the object or array opening at i.
func skipNested(js string, i int) int {
	depth := 0
	for ; i < len(js); i++ {
		switch js[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			i, _ = stringEnd(js, i)
		}
	}
	return i
}

func skipSpace(js string, i int) int {
	for i < len(js) && (js[i] == ' ' || js[i] == '\t' || js[i] == '\n' || js[i] == '\r') {
		i++
	}
	return i
}

func (f field) name(js string) string { return js[f.key : f.key+uint32(f.klen)] }

// lookup returns the field named name.
func (fs fields) lookup(js, name string) (field, bool) {
	i, ok := slices.BinarySearchFunc(fs, name, func(f field, n string) int { return strings.Compare(f.name(js), n) })
	if !ok {
		return field{}, false
	}
	return fs[i], true
}

// equals tells whether the field's value, as text, is want.
func (f field) equals(js, want string) bool {
	raw := js[f.val : f.val+f.vlen]
	switch f.kind {
	case kindString, kindNumber, kindBool:
		return raw == want
	case kindEscaped:
		var s string
		if err := json.Unmarshal([]byte(`"`+raw+`"`), &s); err != nil {
			return false
		}
		return s == want
	}
	return false
}

// errNotObject is the error of a Put whose JSON is not one JSON object.
var errNotObject = errors.New("JSON is not an object")

// checkJSON reports whether js is one valid JSON object.
func checkJSON(js string) error {
	if !json.Valid([]byte(js)) {
		var v any
		err := json.Unmarshal([]byte(js), &v)
		return fmt.Errorf("invalid JSON: %w", err)
	}
	i := skipSpace(js, 0)
	if i >= len(js) || js[i] != '{' {
		return errNotObject
	}
	return nil
}
