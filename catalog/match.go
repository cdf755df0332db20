package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// node is one path segment of the routing tree. A segment that names a
// static child always takes it, never a parameter: "/v1/invoices/upcoming"
// beats "/v1/invoices/:invoice", and "POST /v1/charges/search" or
// "/v1/invoices/upcoming/pay" match nothing (404) rather than answer for an
// id "search" or "upcoming" with an object of the wrong kind.
type node struct {
	static map[string]*node
	// affixed are parameters with literal text around them in one segment
	// (":name:verb", "query.:ext"), tried after static segments and before
	// a bare parameter, longest literal text first.
	affixed []*affixNode
	param   *node
	routes  map[string]*Route // by method
	// later are the routes here that only answer what earlier routes
	// pass on (Route.Shadowed), by method, in the catalog's order. They
	// live in a tree of their own (Catalog.shadowed), so that matching
	// never walks into a node that holds nothing else.
	later map[string][]*Route
}

// affixNode is one segment of the form prefix + :param + suffix.
type affixNode struct {
	prefix, suffix string
	next           *node
}

// splitSegment splits a pattern segment into the literal text around its
// parameter: ":id" → ("", "id", ""), ":name:cancel" → ("", "name",
// ":cancel"), "query.:ext" → ("query.", "ext", ""). A colon that does not
// start the segment or follow a "." or "-" is literal text
// ("files:annotate", Google's custom methods). ok is false for a static segment.
func splitSegment(s string) (prefix, param, suffix string, ok bool) {
	start := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i == 0 || s[i-1] == '.' || s[i-1] == '-') {
			start = i
			break
		}
	}
	if start < 0 {
		return "", "", "", false
	}
	end := start + 1
	for end < len(s) && isParamChar(s[end]) {
		end++
	}
	return s[:start], s[start+1 : end], s[end:], true
}

// SplitSegment is splitSegment for importers, which must read paths the
// way matching does.
func SplitSegment(s string) (prefix, param, suffix string, ok bool) { return splitSegment(s) }

func isParamChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// splitPattern validates a route path and returns its segments and
// parameter names.
func splitPattern(p string) (segs, params []string, err error) {
	if !strings.HasPrefix(p, "/") {
		return nil, nil, fmt.Errorf("path must start with /")
	}
	if strings.ContainsAny(p, "?# \t") {
		return nil, nil, fmt.Errorf("path may not contain a query, fragment or spaces")
	}
	trimmed := strings.TrimSuffix(p[1:], "/")
	if trimmed == "" {
		return nil, nil, nil
	}
	seen := map[string]bool{}
	for _, s := range strings.Split(trimmed, "/") {
		if s == "" {
			return nil, nil, fmt.Errorf("empty segment (//)")
		}
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			return nil, nil, fmt.Errorf("write parameters as :%s, not %s", s[1:len(s)-1], s)
		}
		if _, name, suffix, ok := splitSegment(s); ok {
			if name == "" {
				return nil, nil, fmt.Errorf("parameter without a name in %q", s)
			}
			if _, _, _, again := splitSegment("x" + suffix); again { // a colon right after the name is literal
				return nil, nil, fmt.Errorf("segment %q has two parameters (one per segment)", s)
			}
			if seen[name] {
				return nil, nil, fmt.Errorf("parameter :%s appears twice", name)
			}
			seen[name] = true
			params = append(params, name)
		}
		segs = append(segs, s)
	}
	return segs, params, nil
}

// insert adds r, or returns the route already answering the same
// requests. foldCase keys static text in lower case.
func (n *node) insert(r *Route, foldCase bool) *Route {
	cur := n.walk(r, foldCase)
	if cur.routes == nil {
		cur.routes = map[string]*Route{}
	}
	if prev, ok := cur.routes[r.Method]; ok {
		return prev
	}
	cur.routes[r.Method] = r
	return nil
}

// insertLater adds a shadowed route: matching never picks it, Next does.
func (n *node) insertLater(r *Route, foldCase bool) {
	cur := n.walk(r, foldCase)
	if cur.later == nil {
		cur.later = map[string][]*Route{}
	}
	cur.later[r.Method] = append(cur.later[r.Method], r)
}

// walk returns the node for r's path, adding the nodes missing.
func (n *node) walk(r *Route, foldCase bool) *node {
	cur := n
	for _, s := range r.segments {
		if prefix, _, suffix, ok := splitSegment(s); ok {
			if prefix == "" && suffix == "" {
				if cur.param == nil {
					cur.param = &node{}
				}
				cur = cur.param
				continue
			}
			if foldCase {
				prefix, suffix = asciiLower(prefix), asciiLower(suffix)
			}
			cur = cur.affix(prefix, suffix)
			continue
		}
		if foldCase {
			s = asciiLower(s)
		}
		if cur.static == nil {
			cur.static = map[string]*node{}
		}
		next, ok := cur.static[s]
		if !ok {
			next = &node{}
			cur.static[s] = next
		}
		cur = next
	}
	return cur
}

// affix returns the child for prefix + :param + suffix, adding it in
// matching order (longest literal text first).
func (n *node) affix(prefix, suffix string) *node {
	for _, a := range n.affixed {
		if a.prefix == prefix && a.suffix == suffix {
			return a.next
		}
	}
	a := &affixNode{prefix: prefix, suffix: suffix, next: &node{}}
	n.affixed = append(n.affixed, a)
	slices.SortStableFunc(n.affixed, func(x, y *affixNode) int {
		return len(y.prefix) + len(y.suffix) - len(x.prefix) - len(x.suffix)
	})
	return a.next
}

// Match finds the route for a request's method and path. The query string
// must already be stripped; a trailing slash and repeated slashes are
// tolerated. params holds the path parameters by name (nil when the
// route has none).
func (c *Catalog) Match(method, urlPath string) (r *Route, params map[string]string, ok bool) {
	p := matchPath(urlPath)
	var values [16]string
	vals := values[:0]
	if c.foldCase {
		r, vals = c.tree.match(method, p, asciiLower(p), vals)
	} else {
		r, vals = c.tree.match(method, p, p, vals)
	}
	if r == nil {
		return nil, nil, false
	}
	return r, r.paramMap(vals), true
}

// paramMap is r's path parameters by name, from their values in order:
// nil for a route without parameters (no allocation for the most common
// creates and lists).
func (r *Route) paramMap(vals []string) map[string]string {
	if len(r.Params) == 0 {
		return nil
	}
	params := make(map[string]string, len(r.Params))
	for i, name := range r.Params {
		if i < len(vals) {
			params[name] = vals[i]
		}
	}
	return params
}

// matchPath is a request path as matching reads it: cleaned, without
// its outer slashes.
func matchPath(urlPath string) string {
	p := urlPath
	if strings.Contains(p, "//") || strings.Contains(p, "/.") {
		p = cleanPath(p)
	}
	return strings.Trim(p, "/")
}

// Next finds the route that answers a request after route passed it on
// (Mockoon's FALLBACK mode, when no rule holds): the first route after
// it in the catalog's order that matches the method and path, shadowed
// routes included. ok is false when none does: the request is answered
// as one no route matches.
func (c *Catalog) Next(method, urlPath string, after *Route) (r *Route, params map[string]string, ok bool) {
	p := matchPath(urlPath)
	key := p
	if c.foldCase {
		key = asciiLower(p)
	}
	var vals []string
	pick := func(cand *Route, v []string) {
		if cand.index > after.index && (r == nil || cand.index < r.index) {
			r, vals = cand, slices.Clone(v)
		}
	}
	c.tree.each(method, p, key, nil, pick)
	c.shadowed.each(method, p, key, nil, pick)
	if r == nil {
		return nil, nil, false
	}
	return r, r.paramMap(vals), true
}

// behind looks at the routes before r that match its path (read as a
// request: a parameter segment matches only parameters): found says
// there is one, and passOn that all of them pass requests on, so that
// some reach r.
func (c *Catalog) behind(r *Route) (found, passOn bool) {
	p := matchPath(r.Path)
	key := p
	if c.foldCase {
		key = asciiLower(p)
	}
	passOn = true
	check := func(e *Route, _ []string) {
		if e.index < r.index {
			found = true
			passOn = passOn && e.ResponseMode == "FALLBACK"
		}
	}
	c.tree.each(r.Method, p, key, nil, check)
	c.shadowed.each(r.Method, p, key, nil, check)
	return found, passOn
}

// each calls fn with every route, shadowed ones included, that matches
// method and rest, and its parameter values (valid during the call only).
func (n *node) each(method, rest, key string, vals []string, fn func(*Route, []string)) {
	if n == nil {
		return
	}
	if rest == "" {
		if r, ok := n.routes[method]; ok {
			fn(r, vals)
		}
		for _, r := range n.later[method] {
			fn(r, vals)
		}
		return
	}
	seg, tail, _ := strings.Cut(rest, "/")
	keySeg, keyTail := key[:len(seg)], key[min(len(seg)+1, len(key)):]
	if next, ok := n.static[keySeg]; ok {
		next.each(method, tail, keyTail, vals, fn)
	}
	for _, a := range n.affixed {
		if len(keySeg) > len(a.prefix)+len(a.suffix) && strings.HasPrefix(keySeg, a.prefix) && strings.HasSuffix(keySeg, a.suffix) {
			a.next.each(method, tail, keyTail, append(vals, seg[len(a.prefix):len(seg)-len(a.suffix)]), fn)
		}
	}
	if n.param != nil && seg != "" {
		n.param.each(method, tail, keyTail, append(vals, seg), fn)
	}
}

// match consumes one segment of rest per level. key is rest as the static
// segments are keyed (lower case when the catalog folds case); parameter
// values come from rest.
func (n *node) match(method, rest, key string, vals []string) (*Route, []string) {
	if rest == "" {
		if r, ok := n.routes[method]; ok {
			return r, vals
		}
		return nil, vals
	}
	seg, tail, _ := strings.Cut(rest, "/")
	keySeg, keyTail := key[:len(seg)], key[min(len(seg)+1, len(key)):]
	if next, ok := n.static[keySeg]; ok {
		return next.match(method, tail, keyTail, vals)
	}
	for _, a := range n.affixed {
		if len(keySeg) > len(a.prefix)+len(a.suffix) && strings.HasPrefix(keySeg, a.prefix) && strings.HasSuffix(keySeg, a.suffix) {
			value := seg[len(a.prefix) : len(seg)-len(a.suffix)]
			if r, v := a.next.match(method, tail, keyTail, append(vals, value)); r != nil {
				return r, v
			}
		}
	}
	if n.param != nil && seg != "" {
		if r, v := n.param.match(method, tail, keyTail, append(vals, seg)); r != nil {
			return r, v
		}
	}
	return nil, vals
}

// asciiLower lowers ASCII letters only, so a path keeps its byte length
// and parameter values can be cut from the original at the same offsets.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
