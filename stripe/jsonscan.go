package stripe

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// A small scanner over JSON text: expansions replace single values in a
// rendered body and leave every other byte (and the members' order) as
// the template wrote it.

var errBadJSON = errors.New("malformed JSON")

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the value starting at b[i] (after spaces).
func valueEnd(b []byte, i int) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, errBadJSON
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch structural[b[i]] {
			case 0:
				continue
			case '"':
				// The string's end, in line: most are short.
				for i++; i < len(b) && b[i] != '"'; i++ {
					if b[i] == '\\' {
						i++
					}
				}
				if i >= len(b) {
					return 0, errBadJSON
				}
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errBadJSON
	default:
		start := i
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
			i++
		}
		if i == start {
			return 0, errBadJSON
		}
		return i, nil
	}
}

// stringEnd returns the end of the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) (int, error) {
	// Most strings are short and have no escapes: a byte loop finds
	// their end sooner than a call to a vector search would.
	j := i + 1
	for n := min(len(b), j+24); j < n; j++ {
		switch b[j] {
		case '"':
			return j + 1, nil
		case '\\':
			j++ // the escaped byte, with the loop's j++
		}
	}
	for j < len(b) {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errBadJSON
		}
		e := bytes.IndexByte(b[j:j+k], '\\')
		if e < 0 {
			return j + k + 1, nil
		}
		j += e + 2 // past the backslash and the escaped byte
	}
	return 0, errBadJSON
}

// structural classifies the bytes a nested value's end depends on: the
// quote, openers as '{' and closers as '}'; every other byte is 0.
var structural = [256]byte{'"': '"', '{': '{', '[': '{', '}': '}', ']': '}'}

// plainBytes reports whether a string's text is its value: printable
// ASCII without escapes.
func plainBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			return false
		}
	}
	return true
}

// span is the position of one value in a text.
type span struct{ start, end int }

// member finds the value of key in the object b; ok is false when the
// object has no such member.
func member(b []byte, key string) (span, bool, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return span{}, false, errBadJSON
	}
	i++
	for {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			return span{}, false, nil
		}
		if i >= len(b) || b[i] != '"' {
			return span{}, false, errBadJSON
		}
		kend, err := stringEnd(b, i)
		if err != nil {
			return span{}, false, err
		}
		k := b[i:kend]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return span{}, false, errBadJSON
		}
		vstart := skipSpace(b, i+1)
		vend, err := valueEnd(b, vstart)
		if err != nil {
			return span{}, false, err
		}
		if keyIs(k, key) {
			return span{vstart, vend}, true, nil
		}
		i = skipSpace(b, vend)
		switch {
		case i < len(b) && b[i] == ',':
			i++
		case i < len(b) && b[i] == '}':
		default:
			return span{}, false, errBadJSON
		}
	}
}

// keyIs compares a quoted JSON key with key.
func keyIs(quoted []byte, key string) bool {
	if len(quoted) == len(key)+2 && string(quoted[1:len(quoted)-1]) == key {
		return true
	}
	if !bytes.ContainsRune(quoted, '\\') {
		return false
	}
	var s string
	return json.Unmarshal(quoted, &s) == nil && s == key
}

// elements returns the spans of an array's values.
func elements(b []byte) ([]span, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, errBadJSON
	}
	i++
	var out []span
	for {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ']' {
			return out, nil
		}
		end, err := valueEnd(b, i)
		if err != nil {
			return nil, err
		}
		out = append(out, span{i, end})
		i = skipSpace(b, end)
		switch {
		case i < len(b) && b[i] == ',':
			i++
		case i < len(b) && b[i] == ']':
		default:
			return nil, errBadJSON
		}
	}
}

// splice replaces s in b with v. A compact v going into an indented text
// is indented to match the line it starts on, so that an expanded body
// reads like the rest.
func splice(b []byte, s span, v []byte) []byte {
	v = indentFor(b, s.start, v)
	out := make([]byte, 0, len(b)-(s.end-s.start)+len(v))
	out = append(out, b[:s.start]...)
	out = append(out, v...)
	return append(out, b[s.end:]...)
}

// indentFor indents a compact v for position pos of b, when b is indented.
func indentFor(b []byte, pos int, v []byte) []byte {
	if bytes.IndexByte(v, '\n') >= 0 || len(v) < 2 || (v[0] != '{' && v[0] != '[') {
		return v
	}
	line := bytes.LastIndexByte(b[:pos], '\n')
	if line < 0 {
		return v
	}
	prefix := b[line+1 : skipSpace(b, line+1)]
	if bytes.IndexByte(prefix, '\n') >= 0 || len(prefix) > pos-line-1 {
		return v
	}
	var out bytes.Buffer
	if json.Indent(&out, v, string(prefix), "  ") != nil {
		return v
	}
	return out.Bytes()
}

// addMember inserts "key": v at the start of the object b.
func addMember(b []byte, key string, v []byte) ([]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, errBadJSON
	}
	var k []byte
	if plainBytes([]byte(key)) && !strings.ContainsAny(key, "<>&") {
		k = append(append(append(make([]byte, 0, len(key)+len(v)+4), '"'), key...), '"') // as json.Marshal writes it
	} else {
		k, _ = json.Marshal(key)
	}
	j := skipSpace(b, i+1)
	if j < len(b) && b[j] != '}' && bytes.IndexByte(b[i+1:j], '\n') >= 0 {
		// An indented object: the new member gets a line of its own.
		prefix := string(b[bytes.LastIndexByte(b[:j], '\n')+1 : j])
		var val bytes.Buffer
		if bytes.IndexByte(v, '\n') >= 0 || json.Indent(&val, v, prefix, "  ") != nil {
			val.Reset()
			val.Write(v)
		}
		ins := "\n" + prefix + string(k) + ": " + val.String() + ","
		out := make([]byte, 0, len(b)+len(ins))
		out = append(append(append(out, b[:i+1]...), ins...), b[i+1:]...)
		return out, nil
	}
	ins := append(append(k, ':'), v...)
	if j < len(b) && b[j] != '}' {
		ins = append(ins, ',')
	}
	return splice(b, span{i + 1, i + 1}, ins), nil
}

// stringValue is the string at s, or "" when the value is not a string.
func stringValue(b []byte, s span) string {
	if s.end <= s.start || b[s.start] != '"' {
		return ""
	}
	if s.end-s.start >= 2 && b[s.end-1] == '"' && plainBytes(b[s.start+1:s.end-1]) {
		return string(b[s.start+1 : s.end-1]) // what decoding gives, without decoding
	}
	var v string
	if json.Unmarshal(b[s.start:s.end], &v) != nil {
		return ""
	}
	return v
}
