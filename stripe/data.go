package stripe

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Data is what the generator (internal/gencatalog, rules.go) extracts from
// Stripe's OpenAPI spec for these rules: every operation's parameters, the
// expandable fields of every resource, and the fixtures expansions insert.
// It is written to embed/stripe.json and read once per process.
type Data struct {
	// Version is the spec's API version.
	Version string `json:"version"`
	// Nodes are parameter schemas, deduplicated; nodes refer to each other
	// by index. Index 0 is unused, so that 0 means "none".
	Nodes []Node `json:"nodes"`
	// Ops maps "METHOD /v1/path/:param" to the node of its parameters (an
	// object). Operations that take a file upload are left out.
	Ops map[string]int `json:"ops"`
	// Shapes are the expandable fields of each resource or nested object,
	// by schema name.
	Shapes map[string]map[string]Field `json:"shapes"`
	// Objects maps an "object" value ("payment_intent") to its shape.
	Objects map[string]string `json:"objects"`
	// Fixtures are the sample objects expansions insert, by schema name.
	Fixtures map[string]json.RawMessage `json:"fixtures"`
}

// Node is one parameter schema.
type Node struct {
	// Type is string, integer, number, decimal (a number written as a
	// string), boolean, object or array; "" accepts anything.
	Type string `json:"t,omitempty"`
	// Enum lists the accepted strings; empty accepts any.
	Enum []string `json:"e,omitempty"`
	// Props are an object's known members.
	Props map[string]int `json:"p,omitempty"`
	// Required are the members an object must have.
	Required []string `json:"r,omitempty"`
	// Items is the node of an array's elements.
	Items int `json:"i,omitempty"`
	// AnyOf lists alternatives; a value must match one.
	AnyOf []int `json:"a,omitempty"`
	// Extra is the node of members not in Props (metadata's values); 0
	// means an object takes no other members.
	Extra int `json:"x,omitempty"`
	// Emptyable says an empty string is accepted: it unsets the parameter.
	Emptyable bool `json:"z,omitempty"`
}

// Field says what expanding one field of a shape means.
type Field struct {
	// To is the resource an id in this field expands to.
	To string `json:"to,omitempty"`
	// In is the shape of the nested object a dotted path walks into.
	In string `json:"in,omitempty"`
	// Array says the field holds an array of ids (To) or of objects (In).
	Array bool `json:"array,omitempty"`
	// Item makes the field a list object ({"object":"list","data":[...]})
	// of this resource, present in a body only when expanded.
	Item string `json:"item,omitempty"`
}

// ParseData decodes and checks generated data.
func ParseData(b []byte) (*Data, error) {
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("stripe data: %w", err)
	}
	valid := func(i int) bool { return i >= 0 && i < len(d.Nodes) }
	for i, n := range d.Nodes {
		ok := valid(n.Items) && valid(n.Extra)
		for _, c := range n.Props {
			ok = ok && valid(c)
		}
		for _, c := range n.AnyOf {
			ok = ok && valid(c)
		}
		if !ok {
			return nil, fmt.Errorf("stripe data: node %d refers to a missing node", i)
		}
	}
	for k, i := range d.Ops {
		if !valid(i) || i == 0 {
			return nil, fmt.Errorf("stripe data: operation %s refers to a missing node", k)
		}
	}
	return &d, nil
}

// shapeKey turns "/v1/customers/:customer" or "/v1/customers/{customer}"
// into "/v1/customers/*": routes and the spec may name parameters differently.
// Every route and operation is keyed at start-up, so it builds the key in
// one allocation.
func shapeKey(method, path string) string {
	for i := 0; i < len(method); i++ {
		if c := method[i]; c >= utf8.RuneSelf || 'a' <= c && c <= 'z' {
			method = strings.ToUpper(method)
			break
		}
	}
	var b strings.Builder
	b.Grow(len(method) + 1 + len(path))
	b.WriteString(method)
	b.WriteByte(' ')
	for i := 0; ; {
		j := strings.IndexByte(path[i:], '/')
		seg := path[i:]
		if j >= 0 {
			seg = path[i : i+j]
		}
		if strings.HasPrefix(seg, ":") || (strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")) {
			b.WriteByte('*')
		} else {
			b.WriteString(seg)
		}
		if j < 0 {
			return b.String()
		}
		b.WriteByte('/')
		i += j + 1
	}
}
