package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// node is a JSON value that keeps its object keys in document order, so
// the fixtures come out the way Stripe wrote them.
type node struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null, 't' template text
	keys  []string
	vals  []*node
	str   string // string value, number/bool text, or template text
	inner *node  // for 't' nodes: the value the template falls back to (nil for fixed text)
}

func parseOrdered(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := decodeNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return n, nil
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, kt.(string))
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &node{kind: 'a'}
			for dec.More() {
				v, err := decodeNode(dec)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token()
			return n, err
		}
	case string:
		return &node{kind: 's', str: t}, nil
	case json.Number:
		return &node{kind: 'n', str: t.String()}, nil
	case bool:
		if t {
			return &node{kind: 'b', str: "true"}, nil
		}
		return &node{kind: 'b', str: "false"}, nil
	case nil:
		return &node{kind: 'z', str: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func strNode(s string) *node { return &node{kind: 's', str: s} }

// tplNode is literal template text standing for a JSON value.
func tplNode(text string) *node { return &node{kind: 't', str: text} }

func (n *node) clone() *node {
	if n == nil {
		return nil
	}
	c := &node{kind: n.kind, str: n.str, inner: n.inner.clone()}
	c.keys = append([]string(nil), n.keys...)
	for _, v := range n.vals {
		c.vals = append(c.vals, v.clone())
	}
	return c
}

func (n *node) get(key string) *node {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// set replaces a member in place, or appends it.
func (n *node) set(key string, v *node) {
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

func (n *node) del(key string) {
	for i, k := range n.keys {
		if k == key {
			n.keys = append(n.keys[:i], n.keys[i+1:]...)
			n.vals = append(n.vals[:i], n.vals[i+1:]...)
			return
		}
	}
}

// str returns a string member's value ("" when absent or not a string).
func (n *node) getString(key string) string {
	if v := n.get(key); v != nil && v.kind == 's' {
		return v.str
	}
	return ""
}

func (n *node) isScalar() bool {
	return n.kind == 's' || n.kind == 'n' || n.kind == 'b' || n.kind == 'z'
}

// encodeString writes s as a JSON string that no Handlebars parser will
// mistake for a mustache.
func encodeString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	out = strings.ReplaceAll(out, "{{", `\u007b\u007b`)
	return out
}

// stripeOrder lists an object's key indexes the way Stripe's API writes
// them: "id" and "object" first, then the rest in fixture order.
func (n *node) stripeOrder() []int {
	order := make([]int, 0, len(n.keys))
	for _, first := range []string{"id", "object"} {
		for i, k := range n.keys {
			if k == first {
				order = append(order, i)
			}
		}
	}
	for i, k := range n.keys {
		if k != "id" && k != "object" {
			order = append(order, i)
		}
	}
	return order
}

// pretty renders n with two-space indentation.
func (n *node) pretty() string {
	var b strings.Builder
	n.write(&b, 0)
	b.WriteByte('\n')
	return b.String()
}

func (n *node) write(b *strings.Builder, depth int) {
	pad := func(d int) {
		b.WriteByte('\n')
		for i := 0; i < d; i++ {
			b.WriteString("  ")
		}
	}
	switch n.kind {
	case 'o':
		if len(n.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for j, i := range n.stripeOrder() {
			if j > 0 {
				b.WriteByte(',')
			}
			pad(depth + 1)
			b.WriteString(encodeString(n.keys[i]))
			b.WriteString(": ")
			n.vals[i].write(b, depth+1)
		}
		pad(depth)
		b.WriteByte('}')
	case 'a':
		if len(n.vals) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			pad(depth + 1)
			v.write(b, depth+1)
		}
		pad(depth)
		b.WriteByte(']')
	case 's':
		b.WriteString(encodeString(n.str))
	case 't':
		b.WriteString(n.str)
		if n.inner != nil {
			n.inner.write(b, depth)
			b.WriteString("{{/reflect}}")
		}
	default:
		b.WriteString(n.str)
	}
}

// reflectNode wraps a fixture value so a request parameter can replace it.
func reflectNode(name, typ string, fixture *node) *node {
	return &node{kind: 't', str: fmt.Sprintf("{{#reflect '%s' '%s'}}", name, typ), inner: fixture}
}
