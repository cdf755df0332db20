package stripe

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// What a create or update stores: the request's parameters merged into
// the object, deeply and typed by the spec. Only parameters that name a
// top-level field of the object are merged (a create's "confirm" or
// "expand" is not a field); the rest of the object keeps its bytes.

// notFields are parameters that never become fields of the object.
var notFields = map[string]bool{"expand": true, "id": true, "object": true, "created": true, "livemode": true}

// params is a request's parameters as a tree: strings (form values),
// map[string]any (hashes), []any (arrays), or JSON's types.
type params map[string]any

// formParams builds the tree of form values: "a[b][c]" nests, "a[0][b]"
// and "a[]" make arrays (in index order).
func formParams(form url.Values) params {
	root := make(map[string]any, len(form))
	if flatForm(form) {
		// No key nests: each is a member, its last value (what the
		// general walk, formTree, makes of them, without sorting).
		for k, vs := range form {
			if k != "" && len(vs) > 0 {
				root[k] = vs[len(vs)-1]
			}
		}
		return root
	}
	return formTree(form, root)
}

// formTree is formParams' general walk, into root.
func formTree(form url.Values, root map[string]any) params {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareFormKeys)
	for _, k := range keys {
		vs := form[k]
		if len(vs) == 0 {
			continue
		}
		segs := keySegments(k)
		if segs == nil {
			continue
		}
		if segs[len(segs)-1] == "" {
			// x[]=a&x[]=b: every value is an element.
			for _, v := range vs {
				setFormPath(root, segs, v)
			}
			continue
		}
		setFormPath(root, segs, vs[len(vs)-1])
	}
	return arrays(root).(map[string]any)
}

// flatForm reports whether no key of form has a bracket.
func flatForm(form url.Values) bool {
	for k := range form {
		if strings.IndexByte(k, '[') >= 0 {
			return false
		}
	}
	return true
}

// compareFormKeys orders keys so that a[2] comes before a[10].
func compareFormKeys(a, b string) int {
	sa, sb := keySegments(a), keySegments(b)
	for i := 0; i < len(sa) && i < len(sb); i++ {
		if sa[i] == sb[i] {
			continue
		}
		na, ea := strconv.Atoi(sa[i])
		nb, eb := strconv.Atoi(sb[i])
		if ea == nil && eb == nil {
			return na - nb
		}
		return strings.Compare(sa[i], sb[i])
	}
	return len(sa) - len(sb)
}

// keySegments splits "a[b][0]" into a, b, 0; "a[]" ends with "". A key
// whose brackets do not balance is nil.
func keySegments(key string) []string {
	name, rest := splitKey(key)
	segs := []string{name}
	for rest != "" {
		if rest[0] != '[' {
			return nil
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return nil
		}
		segs = append(segs, rest[1:j])
		rest = rest[j+1:]
	}
	if name == "" {
		return nil
	}
	return segs
}

// arrayMark holds the elements of an array while the tree is built.
type arrayMark struct {
	byIndex map[string]any
	order   []string
}

func setFormPath(node map[string]any, segs []string, v string) {
	seg := segs[0]
	if len(segs) == 1 {
		node[seg] = v
		return
	}
	next := segs[1]
	if next != "" && !isIndex(next) {
		child, _ := node[seg].(map[string]any)
		if child == nil {
			child = map[string]any{}
			node[seg] = child
		}
		setFormPath(child, segs[1:], v)
		return
	}
	a, _ := node[seg].(*arrayMark)
	if a == nil {
		a = &arrayMark{byIndex: map[string]any{}}
		node[seg] = a
	}
	if next == "" {
		// x[]=v appends (deeper segments after [] are not Stripe's).
		i := strconv.Itoa(len(a.order))
		a.order = append(a.order, i)
		a.byIndex[i] = v
		return
	}
	if _, ok := a.byIndex[next]; !ok {
		a.order = append(a.order, next)
	}
	if len(segs) == 2 {
		a.byIndex[next] = v
		return
	}
	child, _ := a.byIndex[next].(map[string]any)
	if child == nil {
		child = map[string]any{}
		a.byIndex[next] = child
	}
	setFormPath(child, segs[2:], v)
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// arrays turns the arrayMarks of a tree into []any.
func arrays(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			x[k] = arrays(c)
		}
		return x
	case *arrayMark:
		out := make([]any, 0, len(x.order))
		for _, i := range x.order {
			out = append(out, arrays(x.byIndex[i]))
		}
		return out
	}
	return v
}

// typed converts the string leaves of v to the spec's types for node:
// integers and numbers become JSON numbers, booleans booleans, and ""
// becomes null (Stripe's way to unset a field).
func (l *loaded) typed(node int, v any) any {
	var n *Node
	if node > 0 {
		n = l.data.nodes.get(node)
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		if n == nil {
			return x
		}
		return l.typedLeaf(n, x)
	case map[string]any:
		obj := n
		if n != nil && len(n.AnyOf) > 0 {
			obj = nil
			for _, a := range n.AnyOf {
				if c := l.data.nodes.get(a); c.Type == "object" {
					obj = c
					break
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, c := range x {
			child := 0
			if obj != nil {
				if p, ok := obj.Props[k]; ok {
					child = p
				} else {
					child = obj.Extra
				}
			}
			out[k] = l.typed(child, c)
		}
		return out
	case []any:
		item := 0
		if n != nil {
			item = n.Items
			for _, a := range n.AnyOf {
				if c := l.data.nodes.get(a); c.Type == "array" {
					item = c.Items
					break
				}
			}
		}
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = l.typed(item, c)
		}
		return out
	}
	return v
}

func (l *loaded) typedLeaf(n *Node, s string) any {
	if len(n.AnyOf) > 0 {
		for _, a := range n.AnyOf {
			c := l.data.nodes.get(a)
			if c.Type == "object" || c.Type == "array" {
				continue
			}
			if v, ok := leafAs(c.Type, s); ok {
				return v
			}
		}
		return s
	}
	if v, ok := leafAs(n.Type, s); ok {
		return v
	}
	return s
}

func leafAs(typ, s string) (any, bool) {
	switch typ {
	case "integer":
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return json.Number(s), true
		}
		return nil, false
	case "number":
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), true
		}
		return nil, false
	case "boolean":
		switch s {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		return nil, false
	}
	return s, true
}

// requestParams returns a request's parameters typed by the operation's
// node: the JSON body as it is, or the form (or query) as a tree.
func (l *loaded) requestParams(op int, form url.Values, jsonBody any) map[string]any {
	if m, ok := jsonBody.(map[string]any); ok {
		return m
	}
	if len(form) == 0 {
		return nil
	}
	t, _ := l.typed(op, map[string]any(formParams(form))).(map[string]any)
	return t
}

// mergeInto merges p into the JSON object body: every parameter that is a
// top-level field of the object replaces or (for hashes) deepens it. A
// hash member set to null is removed where the hash is free-form
// (metadata), and set to null elsewhere. body is read in one pass and
// written once, only when something changes.
func mergeInto(body []byte, p map[string]any) ([]byte, error) {
	if len(p) == 0 {
		return body, nil
	}
	type replacement struct {
		at span
		v  []byte
	}
	var reps []replacement
	left := 0 // parameters still to find among the members
	for k := range p {
		if !notFields[k] {
			left++
		}
	}
	err := eachMember(body, func(key []byte, s span) error {
		if left == 0 {
			return errDone
		}
		pv, ok := p[string(key)]
		if !ok || notFields[string(key)] {
			return nil
		}
		left--
		raw := body[s.start:s.end]
		if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
			switch pv.(type) {
			case map[string]any, []any, nil:
			default:
				// A scalar never replaces an object or an array.
				return nil
			}
		}
		cur, err := decodeValue(raw)
		if err != nil {
			return err
		}
		if isList(cur) {
			// A list field (a subscription's items) is kept as the
			// create rendered it.
			return nil
		}
		v, err := marshal(mergeValue(cur, pv, string(key) == "metadata"))
		if err != nil {
			return err
		}
		if !bytes.Equal(v, raw) {
			reps = append(reps, replacement{s, v})
		}
		return nil
	})
	if errors.Is(err, errDone) {
		err = nil
	}
	if err != nil || len(reps) == 0 {
		return body, err
	}
	n := len(body)
	for _, r := range reps {
		n += len(r.v) - (r.at.end - r.at.start)
	}
	out := make([]byte, 0, n)
	last := 0
	for _, r := range reps {
		out = append(out, body[last:r.at.start]...)
		out = append(out, r.v...)
		last = r.at.end
	}
	return append(out, body[last:]...), nil
}

// errDone ends eachMember early.
var errDone = errors.New("done")

// eachMember calls fn with the key (its bytes between the quotes; keys
// with escapes are skipped: Stripe's fields have none) and value span of
// every member of the object b, in order.
func eachMember(b []byte, fn func(key []byte, s span) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errBadJSON
	}
	i++
	for {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			return nil
		}
		if i >= len(b) || b[i] != '"' {
			return errBadJSON
		}
		kend, err := stringEnd(b, i)
		if err != nil {
			return err
		}
		k := b[i+1 : kend-1]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return errBadJSON
		}
		vstart := skipSpace(b, i+1)
		vend, err := valueEnd(b, vstart)
		if err != nil {
			return err
		}
		if bytes.IndexByte(k, '\\') < 0 {
			if err := fn(k, span{vstart, vend}); err != nil {
				return err
			}
		}
		i = skipSpace(b, vend)
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
}

func isList(v any) bool {
	m, ok := v.(map[string]any)
	return ok && m["object"] == "list"
}

// mergeValue merges a parameter's value into the current value. free says
// the current value is a free-form hash (metadata): members set to null
// or "" are removed. Elsewhere the current value's shape wins: a
// parameter merges into an object only at members the object has, a
// scalar never replaces an object or array (nor the reverse), and a
// string takes the type of the number or boolean it replaces, so that
// the object still decodes as the resource it is.
func mergeValue(cur, p any, free bool) any {
	pm, isMap := p.(map[string]any)
	switch c := cur.(type) {
	case nil:
		if p == nil && free {
			return map[string]any{}
		}
		return p
	case map[string]any:
		if p == nil {
			if free {
				// metadata="" unsets every key.
				return map[string]any{}
			}
			return nil
		}
		if !isMap {
			return cur
		}
		out := cloneMap(c)
		for k, v := range pm {
			if free {
				if v == nil || v == "" {
					delete(out, k)
				} else {
					out[k] = v
				}
				continue
			}
			old, ok := c[k]
			if !ok {
				continue
			}
			out[k] = mergeValue(old, v, k == "metadata")
		}
		return out
	case []any:
		if _, ok := p.([]any); ok || p == nil {
			return p
		}
		return cur
	case json.Number:
		switch v := p.(type) {
		case string:
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				return json.Number(v)
			}
			return cur
		case json.Number, float64, nil:
			return p
		}
		return cur
	case bool:
		switch v := p.(type) {
		case string:
			if b, err := strconv.ParseBool(v); err == nil {
				return b
			}
			return cur
		case bool, nil:
			return p
		}
		return cur
	case string:
		switch v := p.(type) {
		case string, nil:
			return p
		case json.Number:
			return string(v)
		case bool:
			return strconv.FormatBool(v)
		}
		return cur
	}
	if isMap {
		return cur
	}
	return p
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func marshal(v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return []byte("null"), nil
	case bool:
		return strconv.AppendBool(nil, x), nil
	case json.Number:
		return []byte(x), nil
	case string:
		if plainString(x) {
			return append(append([]byte{'"'}, x...), '"'), nil
		}
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// plainString reports whether s can be written between quotes as it is.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			return false
		}
	}
	return true
}

// decodeValue decodes one JSON value, numbers as json.Number; scalars
// without a decoder.
func decodeValue(raw []byte) (any, error) {
	switch {
	case len(raw) == 0:
		return nil, errBadJSON
	case string(raw) == "null":
		return nil, nil
	case string(raw) == "true":
		return true, nil
	case string(raw) == "false":
		return false, nil
	case raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 && len(raw) >= 2:
		return string(raw[1 : len(raw)-1]), nil
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return json.Number(raw), nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
