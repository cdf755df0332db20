package main

// This step writes embed/stripe.json, the data package stripe's rules run
// on: every operation's parameters (for validation) and every resource's
// expandable fields with the fixtures they expand to (for expand[]). It
// reads the spec on its own, so it covers every operation of the spec
// whatever the rest of the generator lists.

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	stripemock "github.com/stripe/stripe-mock/embedded"

	"github.com/routedeck/routedeck/stripe"
)

// rulesFile is the data's name inside embed/.
const rulesFile = "stripe.json"

// writeRules writes the rules data to path.
func writeRules(path string) error {
	data, err := generateRules()
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// generateRules returns the rules data as written to embed/stripe.json.
func generateRules() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(stripemock.OpenAPISpec, &doc); err != nil {
		return nil, fmt.Errorf("openapi spec: %w", err)
	}
	sp, err := loadSpec(stripemock.OpenAPISpec)
	if err != nil {
		return nil, err
	}
	fixtures, err := loadFixtures(sp)
	if err != nil {
		return nil, err
	}
	g := &rulesGen{
		schemas: obj(obj(doc["components"])["schemas"]),
		index:   map[string]int{},
		data: stripe.Data{
			Nodes:    []stripe.Node{{}},
			Ops:      map[string]int{},
			Shapes:   map[string]map[string]stripe.Field{},
			Objects:  map[string]string{},
			Fixtures: map[string]json.RawMessage{},
		},
	}
	g.data.Version, _ = obj(doc["info"])["version"].(string)
	paths := obj(doc["paths"])
	for _, p := range sortedMapKeys(paths) {
		ops := obj(paths[p])
		for _, m := range sortedMapKeys(ops) {
			o := obj(ops[m])
			if o == nil || o["responses"] == nil {
				continue
			}
			if root, ok := g.params(m, o); ok {
				g.data.Ops[strings.ToUpper(m)+" "+colonPath(p)] = root
			}
		}
	}
	for _, name := range sortedMapKeys(g.schemas) {
		g.shape(name, obj(g.schemas[name]))
		if e := list(obj(obj(obj(g.schemas[name])["properties"])["object"])["enum"]); len(e) == 1 {
			o, _ := e[0].(string)
			// deleted_customer and customer share "customer": the live one wins.
			if prev, ok := g.data.Objects[o]; !ok || strings.HasPrefix(prev, "deleted_") {
				g.data.Objects[o] = name
			}
		}
	}
	for _, shape := range g.data.Shapes {
		for _, f := range shape {
			for _, res := range []string{f.To, f.Item} {
				if res == "" {
					continue
				}
				id, _ := obj(g.schemas[res])["x-resourceId"].(string)
				if f, ok := fixtures[id]; ok {
					g.data.Fixtures[res] = compactJSON(json.RawMessage(f.pretty()))
				}
			}
		}
	}
	if err := g.legacy(); err != nil {
		return nil, err
	}
	// Objects nobody can expand need no entry.
	for o, name := range g.data.Objects {
		if _, ok := g.data.Shapes[name]; !ok {
			delete(g.data.Objects, o)
		}
	}
	return encodeRules(&g.data)
}

// legacyParams are parameters Stripe takes that the spec does not list:
// those of older API versions, which clients pinned to them still send
// (stripe-go v82 pins 2025-08-27.basil), and one the spec's own text
// allows. Without them, stripe-go's own tests would be refused.
var legacyParams = []struct {
	op   string // "POST /v1/promotion_codes"
	at   string // the object the parameter belongs to: "" (top level), "items[]"
	name string
	node stripe.Node // what it takes; added as an alternative if the spec has the name
	// replaces is the required parameter of the current version this one
	// stands in for; it is no longer required (a request with neither
	// passes: the data has no "one of these" rule).
	replaces string
}{
	// basil: a promotion code names its coupon; dahlia: promotion[coupon].
	{"POST /v1/promotion_codes", "", "coupon", stripe.Node{Type: "string"}, "promotion"},
	// "You can provide either a token ... or a dictionary" (the spec's description).
	{"POST /v1/accounts", "", "external_account", stripe.Node{Type: "object", Extra: anyNodeIndex}, ""},
	{"POST /v1/accounts/:account", "", "external_account", stripe.Node{Type: "object", Extra: anyNodeIndex}, ""},
	// basil: subscription items may name a plan; schedule phases iterate.
	{"POST /v1/subscriptions", "items[]", "plan", stripe.Node{Type: "string"}, ""},
	{"POST /v1/subscriptions/:subscription_exposed_id", "items[]", "plan", stripe.Node{Type: "string"}, ""},
	{"POST /v1/subscription_items", "", "plan", stripe.Node{Type: "string"}, ""},
	{"POST /v1/subscription_schedules", "phases[][items][]", "plan", stripe.Node{Type: "string"}, ""},
	{"POST /v1/subscription_schedules", "phases[]", "iterations", stripe.Node{Type: "integer"}, ""},
	{"POST /v1/subscription_schedules/:schedule", "phases[][items][]", "plan", stripe.Node{Type: "string"}, ""},
	{"POST /v1/subscription_schedules/:schedule", "phases[]", "iterations", stripe.Node{Type: "integer"}, ""},
	// basil: canceling a subscription can invoice now and prorate.
	{"DELETE /v1/subscriptions/:subscription_exposed_id", "", "invoice_now", stripe.Node{Type: "boolean"}, ""},
	{"DELETE /v1/subscriptions/:subscription_exposed_id", "", "prorate", stripe.Node{Type: "boolean"}, ""},
}

// anyNodeIndex is the node that accepts anything; legacy adds it first.
const anyNodeIndex = -1

// legacy adds legacyParams to their operations. Nodes are shared between
// operations, so each change copies the nodes on its path.
func (g *rulesGen) legacy() error {
	anyNode := g.add(stripe.Node{})
	for _, l := range legacyParams {
		root, ok := g.data.Ops[l.op]
		if !ok {
			return fmt.Errorf("legacy parameter %s of %s: the spec has no such operation", l.name, l.op)
		}
		node := l.node
		if node.Extra == anyNodeIndex {
			node.Extra = anyNode
		}
		added := g.add(node)
		var segs []string
		for _, s := range strings.FieldsFunc(strings.ReplaceAll(l.at, "[]", "[*]"), func(r rune) bool { return r == '[' || r == ']' }) {
			segs = append(segs, s)
		}
		patched, err := g.patch(root, segs, func(n stripe.Node) stripe.Node {
			n.Props = maps.Clone(n.Props)
			if n.Props == nil {
				n.Props = map[string]int{}
			}
			if have, ok := n.Props[l.name]; ok && have != added {
				added = g.add(stripe.Node{AnyOf: []int{have, added}})
			}
			n.Props[l.name] = added
			if l.replaces != "" {
				n.Required = slices.DeleteFunc(slices.Clone(n.Required), func(r string) bool { return r == l.replaces })
			}
			return n
		})
		if err != nil {
			return fmt.Errorf("legacy parameter %s of %s: %w", l.name, l.op, err)
		}
		g.data.Ops[l.op] = patched
	}
	return nil
}

// patch returns the index of a copy of node idx in which the object at
// segs ("*" for an array's items) is changed by f.
func (g *rulesGen) patch(idx int, segs []string, f func(stripe.Node) stripe.Node) (int, error) {
	n := g.data.Nodes[idx]
	if len(n.AnyOf) > 0 {
		want := "object"
		if len(segs) > 0 && segs[0] == "*" {
			want = "array"
		}
		n.AnyOf = slices.Clone(n.AnyOf)
		for i, a := range n.AnyOf {
			if g.data.Nodes[a].Type == want {
				p, err := g.patch(a, segs, f)
				if err != nil {
					return 0, err
				}
				n.AnyOf[i] = p
				return g.add(n), nil
			}
		}
		return 0, fmt.Errorf("no %s alternative", want)
	}
	if len(segs) == 0 {
		if n.Type != "object" {
			return 0, fmt.Errorf("not an object")
		}
		return g.add(f(n)), nil
	}
	switch {
	case segs[0] == "*" && n.Type == "array":
		p, err := g.patch(n.Items, segs[1:], f)
		if err != nil {
			return 0, err
		}
		n.Items = p
	case n.Type == "object" && n.Props[segs[0]] != 0:
		p, err := g.patch(n.Props[segs[0]], segs[1:], f)
		if err != nil {
			return 0, err
		}
		n.Props = maps.Clone(n.Props)
		n.Props[segs[0]] = p
	default:
		return 0, fmt.Errorf("no member %s", segs[0])
	}
	return g.add(n), nil
}

type rulesGen struct {
	schemas map[string]any
	data    stripe.Data
	index   map[string]int // a node's JSON → its index, to share equal nodes
}

var braceParam = regexp.MustCompile(`\{([^}]+)\}`)

// colonPath writes /v1/customers/{customer} as /v1/customers/:customer.
func colonPath(p string) string { return braceParam.ReplaceAllString(p, ":$1") }

// params is the node of an operation's parameters: the query's for GET and
// DELETE, the form body's for POST. ok is false for file uploads.
func (g *rulesGen) params(method string, op map[string]any) (int, bool) {
	if method != "post" {
		root := stripe.Node{Type: "object", Props: map[string]int{}}
		for _, p := range list(op["parameters"]) {
			pm := obj(p)
			if pm["in"] != "query" {
				continue
			}
			name, _ := pm["name"].(string)
			root.Props[name] = g.node(obj(pm["schema"]))
			if req, _ := pm["required"].(bool); req {
				root.Required = append(root.Required, name)
			}
		}
		sort.Strings(root.Required)
		return g.add(root), true
	}
	content := obj(obj(op["requestBody"])["content"])
	sc, ok := content["application/x-www-form-urlencoded"]
	if !ok {
		if len(content) > 0 {
			return 0, false
		}
		return g.add(stripe.Node{Type: "object", Props: map[string]int{}}), true
	}
	root := g.node(obj(obj(sc)["schema"]))
	if g.data.Nodes[root].Type != "object" {
		return 0, false
	}
	return root, true
}

// node converts one parameter schema, sharing equal nodes.
func (g *rulesGen) node(sc map[string]any) int {
	sc = g.resolve(sc)
	var n stripe.Node
	if alts := list(sc["anyOf"]); len(alts) > 0 {
		for _, a := range alts {
			am := g.resolve(obj(a))
			if isEmptyEnum(am) {
				n.Emptyable = true
				continue
			}
			n.AnyOf = append(n.AnyOf, g.node(am))
		}
		if len(n.AnyOf) == 1 {
			only := g.data.Nodes[n.AnyOf[0]]
			only.Emptyable = only.Emptyable || n.Emptyable
			return g.add(only)
		}
		return g.add(n)
	}
	switch t, _ := sc["type"].(string); t {
	case "string":
		n.Type = t
		if sc["format"] == "decimal" {
			n.Type = "decimal"
		}
		if bypass, _ := sc["x-stripeBypassValidation"].(bool); !bypass {
			for _, e := range list(sc["enum"]) {
				if s, ok := e.(string); ok {
					if s == "" {
						n.Emptyable = true
						continue
					}
					n.Enum = append(n.Enum, s)
				}
			}
		}
	case "integer", "number", "boolean":
		n.Type = t
	case "array":
		n.Type = t
		n.Items = g.node(obj(sc["items"]))
	case "object":
		n.Type = t
		props := obj(sc["properties"])
		if len(props) > 0 {
			n.Props = map[string]int{}
			for _, name := range sortedMapKeys(props) {
				n.Props[name] = g.node(obj(props[name]))
			}
		}
		for _, r := range list(sc["required"]) {
			if s, ok := r.(string); ok {
				n.Required = append(n.Required, s)
			}
		}
		switch ap := sc["additionalProperties"].(type) {
		case map[string]any:
			n.Extra = g.node(ap)
		case bool:
			if ap {
				n.Extra = g.add(stripe.Node{})
			}
		case nil:
			// Stripe refuses unknown members of an object with known
			// ones; an object without any takes anything.
			if len(props) == 0 {
				n.Extra = g.add(stripe.Node{})
			}
		}
	}
	return g.add(n)
}

func isEmptyEnum(sc map[string]any) bool {
	e := list(sc["enum"])
	return sc["type"] == "string" && len(e) == 1 && e[0] == ""
}

func (g *rulesGen) resolve(sc map[string]any) map[string]any {
	for range 8 {
		name := refName(sc)
		if name == "" {
			return sc
		}
		sc = obj(g.schemas[name])
	}
	return sc
}

// add returns the index of a node equal to n, adding n if there is none.
func (g *rulesGen) add(n stripe.Node) int {
	key, err := json.Marshal(n)
	if err != nil {
		// A struct of strings, ints and maps of ints always marshals.
		panic(err)
	}
	if i, ok := g.index[string(key)]; ok {
		return i
	}
	g.data.Nodes = append(g.data.Nodes, n)
	i := len(g.data.Nodes) - 1
	g.index[string(key)] = i
	return i
}

// shape records the expandable fields of schema name (and of the nested
// objects it leads to); it reports whether there are any.
func (g *rulesGen) shape(name string, sc map[string]any) bool {
	if _, done := g.data.Shapes[name]; done {
		return true
	}
	expandable := list(sc["x-expandableFields"])
	if len(expandable) == 0 {
		return false
	}
	fields := map[string]stripe.Field{}
	g.data.Shapes[name] = fields // before recursing: schemas may refer to themselves
	props := obj(sc["properties"])
	for _, e := range expandable {
		fname, _ := e.(string)
		if f, ok := g.field(name+"."+fname, obj(props[fname])); ok {
			fields[fname] = f
		}
	}
	if len(fields) == 0 {
		delete(g.data.Shapes, name)
		return false
	}
	return true
}

// field says how one expandable property expands; inline objects get the
// shape name at.
func (g *rulesGen) field(at string, p map[string]any) (stripe.Field, bool) {
	var f stripe.Field
	if p["type"] == "array" {
		f.Array = true
		p = obj(p["items"])
	}
	if res := obj(p["x-expansionResources"]); res != nil {
		f.To = refName(obj(list(res["oneOf"])[0]))
		return f, f.To != ""
	}
	// A nullable reference is written anyOf [{$ref}].
	if alts := list(p["anyOf"]); len(alts) > 0 {
		for _, a := range alts {
			if refName(obj(a)) != "" {
				p = obj(a)
				break
			}
		}
	}
	if ref := refName(p); ref != "" {
		f.In = ref
		return f, g.shape(ref, obj(g.schemas[ref]))
	}
	props := obj(p["properties"])
	if item := refName(obj(obj(props["data"])["items"])); item != "" && obj(props["object"]) != nil {
		// A list object (line_items): absent until expanded.
		f.Item = item
		g.shape(item, obj(g.schemas[item]))
		return f, !f.Array
	}
	if props != nil {
		f.In = at
		return f, g.shape(at, p)
	}
	return f, false
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	out, err := marshal(json.RawMessage(raw))
	if err != nil {
		return raw
	}
	return out
}

// encodeRules writes the data with one operation, shape or fixture per
// line, so that a change to the spec reads as a small diff.
func encodeRules(d *stripe.Data) ([]byte, error) {
	var b strings.Builder
	section := func(name string, keys []string, value func(string) any, last bool) error {
		b.WriteString(`"` + name + `":{` + "\n")
		for i, k := range keys {
			kv, err := marshal(k)
			if err != nil {
				return err
			}
			v, err := marshal(value(k))
			if err != nil {
				return err
			}
			b.Write(kv)
			b.WriteByte(':')
			b.Write(v)
			if i < len(keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("}")
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		return nil
	}
	version, err := marshal(d.Version)
	if err != nil {
		return nil, err
	}
	b.WriteString(`{"version":` + string(version) + ",\n" + `"nodes":[` + "\n")
	for i, n := range d.Nodes {
		line, err := marshal(n)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		if i < len(d.Nodes)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("],\n")
	if err := section("ops", sortedMapKeys(d.Ops), func(k string) any { return d.Ops[k] }, false); err != nil {
		return nil, err
	}
	if err := section("shapes", sortedMapKeys(d.Shapes), func(k string) any { return d.Shapes[k] }, false); err != nil {
		return nil, err
	}
	if err := section("objects", sortedMapKeys(d.Objects), func(k string) any { return d.Objects[k] }, false); err != nil {
		return nil, err
	}
	if err := section("fixtures", sortedMapKeys(d.Fixtures), func(k string) any { return d.Fixtures[k] }, true); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return []byte(b.String()), nil
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
