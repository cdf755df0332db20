package main

import (
	"sort"
	"strings"
)

// specRoutes are the operations of the spec that no seed route covers, as
// routes in the seed's form: ":param" paths, the spec's HTML description
// as docs, sorted by path then method.
func (g *gen) specRoutes(seed []seedRoute) []seedRoute {
	covered := map[string]bool{}
	for _, r := range seed {
		covered[r.Method+" "+shape(r.Path)] = true
	}
	var out []seedRoute
	for key, so := range g.spec.ops {
		if covered[key] {
			continue
		}
		method, _, _ := strings.Cut(key, " ")
		docs, _ := so.op["description"].(string)
		out = append(out, seedRoute{
			Method: method,
			Path:   colonPath(so.path),
			Docs:   strings.TrimSpace(docs),
			Source: "spec",
		})
	}
	sort.Slice(out, func(i, j int) bool { return routeLess(out[i], out[j]) })
	return out
}

func routeLess(a, b seedRoute) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Method < b.Method
}

// mergeRoutes interleaves the spec's routes into the seed's by path, keeping
// the seed's own order: each spec route goes before the first seed route
// that sorts after it.
func mergeRoutes(seed, spec []seedRoute) []seedRoute {
	out := make([]seedRoute, 0, len(seed)+len(spec))
	j := 0
	for _, r := range seed {
		for j < len(spec) && routeLess(spec[j], r) {
			out = append(out, spec[j])
			j++
		}
		out = append(out, r)
	}
	return append(out, spec[j:]...)
}
