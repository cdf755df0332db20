package catalog

import (
	"fmt"
	"strings"
)

// node is one path segment of the routing tree. Static children are tried
// before the parameter child, so "/v1/invoices/upcoming" beats
// "/v1/invoices/:invoice", and matching backtracks when a static branch
// dead-ends ("/v1/invoices/upcoming/pay" still reaches ":invoice/pay").
type node struct {
	static map[string]*node
	param  *node
	routes map[string]*Route // by method
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
		switch {
		case s == "":
			return nil, nil, fmt.Errorf("empty segment (//)")
		case s[0] == ':':
			name := s[1:]
			if name == "" {
				return nil, nil, fmt.Errorf("parameter without a name (\"/:\")")
			}
			if seen[name] {
				return nil, nil, fmt.Errorf("parameter :%s appears twice", name)
			}
			seen[name] = true
			params = append(params, name)
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			return nil, nil, fmt.Errorf("write parameters as :%s, not %s", s[1:len(s)-1], s)
		}
		segs = append(segs, s)
	}
	return segs, params, nil
}

// insert adds r, or returns the route already answering the same requests.
func (n *node) insert(r *Route) *Route {
	cur := n
	for _, s := range r.segments {
		if s[0] == ':' {
			if cur.param == nil {
				cur.param = &node{}
			}
			cur = cur.param
			continue
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
	if cur.routes == nil {
		cur.routes = map[string]*Route{}
	}
	if prev, ok := cur.routes[r.Method]; ok {
		return prev
	}
	cur.routes[r.Method] = r
	return nil
}

// Match finds the route for a request's method and path. The query string
// must already be stripped; a trailing slash and repeated slashes are
// tolerated. params holds the path parameters by name.
func (c *Catalog) Match(method, urlPath string) (r *Route, params map[string]string, ok bool) {
	p := urlPath
	if strings.Contains(p, "//") || strings.Contains(p, "/.") {
		p = cleanPath(p)
	}
	p = strings.Trim(p, "/")
	var values [16]string
	vals := values[:0]
	r, vals = c.tree.match(method, p, vals)
	if r == nil {
		return nil, nil, false
	}
	params = make(map[string]string, len(r.Params))
	for i, name := range r.Params {
		if i < len(vals) {
			params[name] = vals[i]
		}
	}
	return r, params, true
}

// match consumes one segment of rest per level.
func (n *node) match(method, rest string, vals []string) (*Route, []string) {
	if rest == "" {
		if r, ok := n.routes[method]; ok {
			return r, vals
		}
		return nil, vals
	}
	seg, tail, _ := strings.Cut(rest, "/")
	if next, ok := n.static[seg]; ok {
		if r, v := next.match(method, tail, vals); r != nil {
			return r, v
		}
	}
	if n.param != nil && seg != "" {
		if r, v := n.param.match(method, tail, append(vals, seg)); r != nil {
			return r, v
		}
	}
	return nil, vals
}
