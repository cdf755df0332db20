package stripe

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
)

// Messages are Stripe's own wording (error codes as Stripe documents them).

func missingParam(name string) *server.APIError {
	return invalid("parameter_missing", name, "Missing required param: "+name+".")
}

func unknownParams(names []string) *server.APIError {
	if len(names) == 1 {
		return invalid("parameter_unknown", names[0], "Received unknown parameter: "+names[0])
	}
	return invalid("parameter_unknown", names[0], "Received unknown parameters: "+strings.Join(names, ", "))
}

func emptyParam(name string) *server.APIError {
	return invalid("parameter_invalid_empty", name, "You passed an empty string for '"+name+"'. We assume empty values are an attempt to unset a parameter; however '"+
		name+"' cannot be unset. You should remove '"+name+"' from your request or supply a non-empty value.")
}

func invalid(code, param, msg string) *server.APIError {
	return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: code, Param: param, Message: msg}
}

// oneOf lists values as Stripe does: "a, b, or c".
func oneOf(values []string) string {
	switch len(values) {
	case 1:
		return values[0]
	case 2:
		return values[0] + " or " + values[1]
	}
	return strings.Join(values[:len(values)-1], ", ") + ", or " + values[len(values)-1]
}

// checker walks one request's parameters against an operation's node and
// keeps the first problem of each kind, choosing by parameter name so that
// the answer does not depend on map order.
type checker struct {
	nodes   *nodeTable
	bad     *server.APIError // the invalid value with the smallest name
	unknown []string
	// nested objects with required members, by their bracketed name
	instances map[string]int
}

func (c *checker) fail(e *server.APIError) {
	if c.bad == nil || e.Param < c.bad.Param {
		c.bad = e
	}
}

// validateForm checks form (or query) pairs against the root node, the
// values of a repeated key together.
func (c *checker) validateForm(root int, pairs []render.FormPair) {
	if len(pairs) > groupScan {
		groups := make(map[string][]string, len(pairs))
		for _, p := range pairs {
			groups[p.Key] = append(groups[p.Key], p.Value)
		}
		for key, vs := range groups {
			name, _ := splitKey(key)
			c.member(root, key, 0, len(name), vs)
		}
		return
	}
	var one [1]string
	for i, p := range pairs {
		if keyBefore(pairs, i) {
			continue
		}
		one[0] = p.Value
		vs := one[:]
		for _, q := range pairs[i+1:] {
			if q.Key == p.Key {
				if len(vs) == 1 {
					vs = []string{p.Value}
				}
				vs = append(vs, q.Value)
			}
		}
		name, _ := splitKey(p.Key)
		c.member(root, p.Key, 0, len(name), vs)
	}
}

// groupScan is the most pairs validateForm groups by walking them; longer
// forms are grouped in a map.
const groupScan = 32

// keyBefore reports whether a pair before pairs[i] has its key.
func keyBefore(pairs []render.FormPair, i int) bool {
	for _, q := range pairs[:i] {
		if q.Key == pairs[i].Key {
			return true
		}
	}
	return false
}

// splitKey splits "a[b][0]" into "a" and "[b][0]"; a key whose brackets do
// not balance is one name.
func splitKey(key string) (string, string) {
	i := strings.IndexByte(key, '[')
	if i <= 0 || key[len(key)-1] != ']' {
		return key, ""
	}
	return key[:i], key[i:]
}

// The walk follows one form key through the nodes without building
// strings: the parameter's name so far is always key[:at] ("a[b]").

// member goes from the object node into the member key[from:to], then on.
func (c *checker) member(node int, key string, from, to int, vs []string) {
	n := c.nodes.get(node)
	if n.Type == "" {
		return
	}
	child, known := n.Props[key[from:to]]
	if !known {
		if n.Extra == 0 {
			c.unknown = append(c.unknown, key[:to+bracketLen(from)])
			return
		}
		child = n.Extra
		if to+bracketLen(from) == len(key) && allEmpty(vs) {
			// metadata[k]="" unsets a key of a free-form hash.
			return
		}
	}
	at := to + bracketLen(from)
	if len(n.Required) > 0 && from > 0 {
		if c.instances == nil {
			c.instances = map[string]int{}
		}
		c.instances[key[:from-1]] = node
	}
	c.walk(child, key, at, vs)
}

// bracketLen is 1 for a member written "[name]" (from > 0), 0 for the
// top-level name.
func bracketLen(from int) int {
	if from > 0 {
		return 1
	}
	return 0
}

// walk checks the value of key[:at] against node, following the segments
// left in key[at:].
func (c *checker) walk(node int, key string, at int, vs []string) {
	n := c.nodes.get(node)
	if at >= len(key) {
		for _, v := range vs {
			if e := c.leaf(n, key, v); e != nil {
				c.fail(e)
				return
			}
		}
		return
	}
	rest := key[at:]
	j := strings.IndexByte(rest, ']')
	if rest[0] != '[' || j < 0 {
		c.unknown = append(c.unknown, key)
		return
	}
	from, to := at+1, at+j
	if len(n.AnyOf) > 0 {
		// Further segments mean an object or an array alternative: the
		// first that knows the next one (card[token] picks the token
		// object of card's two), else the first of either kind.
		first := 0
		for _, a := range n.AnyOf {
			switch an := c.nodes.get(a); an.Type {
			case "object":
				if _, ok := an.Props[key[from:to]]; ok || an.Extra != 0 {
					c.walk(a, key, at, vs)
					return
				}
			case "array":
				if seg := key[from:to]; seg == "" || strings.Trim(seg, "0123456789") == "" {
					c.walk(a, key, at, vs)
					return
				}
			default:
				continue
			}
			if first == 0 {
				first = a
			}
		}
		if first == 0 {
			c.fail(typeError(n, c.nodes, key[:at], "an object"))
			return
		}
		c.walk(first, key, at, vs)
		return
	}
	switch n.Type {
	case "":
		return
	case "object":
		c.member(node, key, from, to, vs)
	case "array":
		if seg := key[from:to]; seg != "" && strings.Trim(seg, "0123456789") != "" {
			c.fail(invalid("", key[:at], "Invalid array"))
			return
		}
		c.walk(n.Items, key, to+1, vs)
	default:
		c.fail(typeError(n, c.nodes, key[:at], "an object"))
	}
}

// leaf checks one value given for a node.
func (c *checker) leaf(n *Node, at, v string) *server.APIError {
	if v == "" {
		if n.Emptyable || n.Type == "" {
			return nil
		}
		return emptyParam(at)
	}
	if len(n.AnyOf) > 0 {
		var first *server.APIError
		for _, a := range n.AnyOf {
			e := c.leaf(c.nodes.get(a), at, v)
			if e == nil {
				return nil
			}
			if first == nil {
				first = e
			}
		}
		return first
	}
	switch n.Type {
	case "string":
		if len(n.Enum) > 0 && !slices.Contains(n.Enum, v) {
			return invalid("", at, "Invalid "+at+": must be one of "+oneOf(n.Enum))
		}
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return invalid("parameter_invalid_integer", at, "Invalid integer: "+v)
		}
	case "number", "decimal":
		if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "xXpPnN_") {
			return invalid("", at, "Invalid decimal: "+v)
		}
	case "boolean":
		if v != "true" && v != "false" {
			return invalid("", at, "Invalid boolean: "+v)
		}
	case "object", "array":
		return typeError(n, c.nodes, at, v)
	}
	return nil
}

// typeError says a value has the wrong shape for n.
func typeError(n *Node, nodes *nodeTable, at, v string) *server.APIError {
	switch n.Type {
	case "object":
		if len(n.Props) == 0 {
			return invalid("", at, "Invalid hash")
		}
		return invalid("", at, "Invalid object")
	case "array":
		return invalid("", at, "Invalid array")
	case "integer":
		return invalid("parameter_invalid_integer", at, "Invalid integer: "+v)
	case "boolean":
		return invalid("", at, "Invalid boolean: "+v)
	case "number", "decimal":
		return invalid("", at, "Invalid decimal: "+v)
	}
	if len(n.AnyOf) > 0 {
		return typeError(nodes.get(n.AnyOf[0]), nodes, at, v)
	}
	return invalid("", at, "Invalid string: "+v)
}

// missingNested reports the first required member missing from a nested
// object the request gave ("line_items[0][price]").
func (c *checker) missingNested(has func(prefix string) bool) *server.APIError {
	if len(c.instances) == 0 {
		return nil
	}
	ats := make([]string, 0, len(c.instances))
	for at := range c.instances {
		ats = append(ats, at)
	}
	slices.Sort(ats)
	for _, at := range ats {
		for _, r := range c.nodes.get(c.instances[at]).Required {
			if !has(at + "[" + r + "]") {
				return missingParam(at + "[" + r + "]")
			}
		}
	}
	return nil
}

// formHas reports whether pairs have key or any key below it.
func formHas(pairs []render.FormPair, key string) bool {
	for _, p := range pairs {
		k := p.Key
		if k == key || (len(k) > len(key) && k[len(key)] == '[' && strings.HasPrefix(k, key)) {
			return true
		}
	}
	return false
}

// validateJSON checks a JSON body (Stripe's API takes forms, but routedeck
// also reads JSON) with the same rules, naming parameters in form style.
func (c *checker) validateJSON(node int, at string, v any) {
	n := c.nodes.get(node)
	switch x := v.(type) {
	case nil:
		return
	case map[string]any:
		if len(n.AnyOf) > 0 {
			// The first object alternative that knows every member, else
			// the first object alternative.
			first := 0
			for _, a := range n.AnyOf {
				an := c.nodes.get(a)
				if an.Type != "object" {
					continue
				}
				if first == 0 {
					first = a
				}
				knows := true
				for k := range x {
					if _, ok := an.Props[k]; !ok && an.Extra == 0 {
						knows = false
						break
					}
				}
				if knows {
					first = a
					break
				}
			}
			if first != 0 {
				c.validateJSON(first, at, v)
				return
			}
		}
		if n.Type == "" {
			return
		}
		if n.Type != "object" {
			c.fail(typeError(n, c.nodes, at, "an object"))
			return
		}
		for k, val := range x {
			child, known := n.Props[k]
			if !known && n.Extra == 0 {
				c.unknown = append(c.unknown, bracket(at, k))
				continue
			}
			if !known {
				child = n.Extra
				if s, ok := val.(string); ok && s == "" {
					continue
				}
			}
			c.validateJSON(child, bracket(at, k), val)
		}
		for _, r := range n.Required {
			if _, ok := x[r]; !ok {
				c.fail(missingParam(bracket(at, r)))
			}
		}
	case []any:
		if len(n.AnyOf) > 0 {
			for _, a := range n.AnyOf {
				if c.nodes.get(a).Type == "array" {
					c.validateJSON(a, at, v)
					return
				}
			}
		}
		if n.Type == "" {
			return
		}
		if n.Type != "array" {
			c.fail(typeError(n, c.nodes, at, "an array"))
			return
		}
		for i, el := range x {
			c.validateJSON(n.Items, at+"["+strconv.Itoa(i)+"]", el)
		}
	case string:
		if e := c.leaf(n, at, x); e != nil {
			c.fail(e)
		}
	case bool:
		if e := c.leaf(n, at, strconv.FormatBool(x)); e != nil {
			c.fail(e)
		}
	case float64:
		if e := c.leaf(n, at, strconv.FormatFloat(x, 'f', -1, 64)); e != nil {
			c.fail(e)
		}
	}
}

func bracket(at, k string) string {
	if at == "" {
		return k
	}
	return at + "[" + k + "]"
}

func allEmpty(vs []string) bool {
	for _, v := range vs {
		if v != "" {
			return false
		}
	}
	return true
}
