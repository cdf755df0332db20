package stripe

import (
	"encoding/json"
	"errors"
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
		for i < len(b) {
			switch b[i] {
			case '"':
				end, err := stringEnd(b, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, errBadJSON
	default:
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
			i++
		}
		return i, nil
	}
}

// stringEnd returns the end of the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errBadJSON
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
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
}

// keyIs compares a quoted JSON key with key.
func keyIs(quoted []byte, key string) bool {
	if len(quoted) == len(key)+2 && string(quoted[1:len(quoted)-1]) == key {
		return true
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
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
}

// splice replaces s in b with v.
func splice(b []byte, s span, v []byte) []byte {
	out := make([]byte, 0, len(b)-(s.end-s.start)+len(v))
	out = append(out, b[:s.start]...)
	out = append(out, v...)
	return append(out, b[s.end:]...)
}

// addMember inserts "key": v at the start of the object b.
func addMember(b []byte, key string, v []byte) ([]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, errBadJSON
	}
	k, _ := json.Marshal(key)
	ins := append(append(k, ':'), v...)
	if j := skipSpace(b, i+1); j < len(b) && b[j] != '}' {
		ins = append(ins, ',')
	}
	return splice(b, span{i + 1, i + 1}, ins), nil
}

// stringValue is the string at s, or "" when the value is not a string.
func stringValue(b []byte, s span) string {
	if s.end <= s.start || b[s.start] != '"' {
		return ""
	}
	var v string
	if json.Unmarshal(b[s.start:s.end], &v) != nil {
		return ""
	}
	return v
}
