package stripe

import (
	"net/url"
	"slices"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// SampleBody completes a form body for a request to route with the
// parameters the operation requires and body lacks, so that the route's
// sample request passes validation: the generator writes it into the
// manifest (catalog.Route.Sample). Values come from the spec (an enum's
// first value) or from the parameter's name.
func (r *Rules) SampleBody(route *catalog.Route, body string) string {
	l, err := r.load()
	if err != nil || route.Method != "POST" {
		return body
	}
	op := l.ops[route.Index()]
	if op == 0 {
		return body
	}
	form, ok := render.ParsePairs(body)
	if !ok {
		return body
	}
	var add []string
	for _, name := range l.data.nodes.get(op).Required {
		if !formHas(form, name) {
			add = sampleParam(l.data.nodes, add, name, name, l.data.nodes.get(op).Props[name], 0)
		}
	}
	if len(add) == 0 {
		return body
	}
	if body != "" {
		add = append([]string{body}, add...)
	}
	return strings.Join(add, "&")
}

// sampleValues are values for body parameters whose names say what they
// hold; other strings take catalog.SampleValue (ids by name, country...).
var sampleValues = map[string]string{
	"currency": "usd", "email": "jenny.rosen@example.com", "amount": "2000",
	"url": "https://example.com", "return_url": "https://example.com/return",
	"success_url": "https://example.com/success", "cancel_url": "https://example.com/cancel",
	"refresh_url": "https://example.com/refresh", "name": "Jenny Rosen",
}

// sampleParam appends key=value pairs that give the parameter at key
// (named name) a valid value for node.
func sampleParam(nodes *nodeTable, out []string, key, name string, node, depth int) []string {
	n := nodes.get(node)
	if depth > 8 {
		return out
	}
	if len(n.AnyOf) > 0 {
		return sampleParam(nodes, out, key, name, n.AnyOf[0], depth+1)
	}
	switch n.Type {
	case "object":
		members := n.Required
		if len(members) == 0 && len(n.Props) > 0 {
			// A required object with no required member needs one member.
			members = []string{slices.Sorted(mapKeys(n.Props))[0]}
		}
		if len(members) == 0 {
			return append(out, url.QueryEscape(key+"[key]")+"=value")
		}
		for _, m := range members {
			out = sampleParam(nodes, out, key+"["+m+"]", m, n.Props[m], depth+1)
		}
		return out
	case "array":
		return sampleParam(nodes, out, key+"[0]", name, n.Items, depth+1)
	}
	return append(out, url.QueryEscape(key)+"="+url.QueryEscape(sampleValue(n, name)))
}

func sampleValue(n *Node, name string) string {
	if len(n.Enum) > 0 {
		return n.Enum[0]
	}
	switch n.Type {
	case "integer":
		if v, ok := sampleValues[name]; ok {
			return v
		}
		return "1"
	case "number", "decimal":
		return "1.5"
	case "boolean":
		return "true"
	}
	if v, ok := sampleValues[name]; ok {
		return v
	}
	if strings.HasSuffix(name, "_url") {
		return "https://example.com"
	}
	return catalog.SampleValue(name)
}
