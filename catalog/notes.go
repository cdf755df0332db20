package catalog

import (
	"fmt"
	"strings"
)

// Notes collects what an importer opened but does not serve, for a
// catalog's Warnings: warnings about the whole file, and features noted
// per route, which become one warning per feature naming a few of its
// routes. The zero value is ready to use.
type Notes struct {
	first []string // warnings that stand alone, in order
	order []string // features in the order first noted
	notes map[string][]string
}

// Warn records a warning about the whole file.
func (n *Notes) Warn(format string, args ...any) {
	n.first = append(n.first, fmt.Sprintf(format, args...))
}

// Note records that route has a feature routedeck does not serve.
func (n *Notes) Note(feature, route string) {
	if n.notes == nil {
		n.notes = map[string][]string{}
	}
	if _, ok := n.notes[feature]; !ok {
		n.order = append(n.order, feature)
	}
	n.notes[feature] = append(n.notes[feature], route)
}

// Merge notes everything other noted, in its order (its Warn lines too).
func (n *Notes) Merge(other *Notes) {
	n.first = append(n.first, other.first...)
	for _, feature := range other.order {
		for _, r := range other.notes[feature] {
			n.Note(feature, r)
		}
	}
}

// Warnings are the recorded warnings, then one line per noted feature:
// "feature: 5 routes (A, B, C and 2 more)".
func (n *Notes) Warnings() []string {
	out := append([]string(nil), n.first...)
	for _, feature := range n.order {
		routes := n.notes[feature]
		examples := routes[:min(3, len(routes))]
		more := ""
		if len(routes) > 3 {
			more = fmt.Sprintf(" and %d more", len(routes)-3)
		}
		noun := "routes"
		if len(routes) == 1 {
			noun = "route"
		}
		out = append(out, fmt.Sprintf("%s: %d %s (%s%s)", feature, len(routes), noun, strings.Join(examples, ", "), more))
	}
	return out
}
