package history

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Change is one field that differs between two versions of an object.
type Change struct {
	// Field is the member's path ("status", "status_transitions.paid_at").
	Field string
	// From and To are its values, strings bare and other values as JSON
	// (long ones cut short); "" for a member that was absent.
	From, To string
}

// maxValue is how long a value in a Change may be.
const maxValue = 60

// Changes lists what differs between two versions of an object (JSON
// objects), in the order of the fields of next (then the ones only prev
// has): scalar members, and the members of nested objects down to depth
// levels; an array or a deeper object that differs is one change.
func Changes(prev, next string) []Change {
	var a, b map[string]json.RawMessage
	if json.Unmarshal([]byte(prev), &a) != nil {
		a = nil
	}
	if json.Unmarshal([]byte(next), &b) != nil {
		return nil
	}
	var out []Change
	diff("", a, b, keysOf(next), 2, &out)
	return out
}

// keysOf is the order of an object's top-level members.
func keysOf(js string) []string {
	dec := json.NewDecoder(strings.NewReader(js))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

func diff(prefix string, a, b map[string]json.RawMessage, order []string, depth int, out *[]Change) {
	keys := slices.Clone(order)
	for k := range b {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var gone []string
	for k := range a {
		if _, ok := b[k]; !ok {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)
	for _, k := range append(keys, gone...) {
		av, aok := a[k]
		bv, bok := b[k]
		if aok && bok && sameJSON(av, bv) {
			continue
		}
		field := prefix + k
		if depth > 1 && aok && bok && isObject(av) && isObject(bv) {
			var ao, bo map[string]json.RawMessage
			if json.Unmarshal(av, &ao) == nil && json.Unmarshal(bv, &bo) == nil {
				diff(field+".", ao, bo, keysOf(string(bv)), depth-1, out)
				continue
			}
		}
		c := Change{Field: field}
		if aok {
			c.From = show(av)
		}
		if bok {
			c.To = show(bv)
		}
		*out = append(*out, c)
	}
}

func isObject(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '{'
}

func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// show is a value as a Change shows it.
func show(v json.RawMessage) string {
	var s string
	if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '"' && json.Unmarshal(t, &s) == nil {
		return cut(s)
	}
	var c bytes.Buffer
	if json.Compact(&c, v) != nil {
		return cut(string(v))
	}
	return cut(c.String())
}

func cut(s string) string {
	if r := []rune(s); len(r) > maxValue {
		return string(r[:maxValue-1]) + "…"
	}
	return s
}
