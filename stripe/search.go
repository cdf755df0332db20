package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// Search routes (GET /v1/customers/search) search the store with a subset
// of Stripe's search query language: clauses field:"value" (exact),
// field~"value" (substring), metadata["key"]:"value", field>N, field<N,
// field>=N, field<=N on numbers and dates (Unix seconds); exact matches
// ignore case, as Stripe's do, a leading "-"
// to negate a clause, joined by AND or OR (AND binds tighter). Pages go
// by page=next_page, where next_page is opaque to clients.

// clause is one comparison.
type clause struct {
	field  string // top-level field
	metaK  string // metadata key, when field is "metadata"
	op     string // ":", "~", ">", "<", ">=", "<="
	value  string
	number float64
	negate bool
}

// searchQuery is clauses in disjunctive form: any group whose clauses all
// hold matches.
type searchQuery [][]clause

func parseSearch(q string) (searchQuery, error) {
	var out searchQuery
	var group []clause
	rest := strings.TrimSpace(q)
	if rest == "" {
		return nil, fmt.Errorf("the query is empty")
	}
	for {
		c, r, err := parseClause(rest)
		if err != nil {
			return nil, err
		}
		group = append(group, c)
		rest = strings.TrimSpace(r)
		if rest == "" {
			break
		}
		word, after, _ := strings.Cut(rest, " ")
		switch word {
		case "AND":
		case "OR":
			out = append(out, group)
			group = nil
		default:
			return nil, fmt.Errorf("expected AND or OR at %q", rest)
		}
		rest = strings.TrimSpace(after)
	}
	return append(out, group), nil
}

func parseClause(s string) (clause, string, error) {
	var c clause
	if strings.HasPrefix(s, "-") {
		c.negate = true
		s = s[1:]
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '.' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return c, "", fmt.Errorf("expected a field name at %q", s)
	}
	c.field, s = s[:i], s[i:]
	if strings.HasPrefix(s, "[") {
		if c.field != "metadata" {
			return c, "", fmt.Errorf("only metadata takes a key, at %q", c.field+s)
		}
		key, rest, err := quoted(s[1:])
		if err != nil || !strings.HasPrefix(rest, "]") {
			return c, "", fmt.Errorf(`expected metadata["key"], at %q`, s)
		}
		c.metaK, s = key, rest[1:]
	}
	for _, op := range []string{">=", "<=", ":", "~", ">", "<"} {
		if strings.HasPrefix(s, op) {
			c.op, s = op, s[len(op):]
			break
		}
	}
	if c.op == "" {
		return c, "", fmt.Errorf("expected :, ~, >, <, >= or <= after %s", c.field)
	}
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "'") {
		v, rest, err := quoted(s)
		if err != nil {
			return c, "", err
		}
		c.value, s = v, rest
	} else {
		j := strings.IndexByte(s, ' ')
		if j < 0 {
			j = len(s)
		}
		c.value, s = s[:j], s[j:]
	}
	if c.op != ":" && c.op != "~" {
		n, err := strconv.ParseFloat(c.value, 64)
		if err != nil {
			return c, "", fmt.Errorf("%s%s needs a number, not %q", c.field, c.op, c.value)
		}
		c.number = n
	}
	return c, s, nil
}

// quoted reads a quoted string at the start of s.
func quoted(s string) (string, string, error) {
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", "", fmt.Errorf("expected a quoted value at %q", s)
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case q:
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", fmt.Errorf("unterminated quote in %q", s)
}

// matches evaluates the query on an object's JSON.
func (sq searchQuery) matches(js string) bool {
	b := []byte(js)
	for _, group := range sq {
		all := true
		for _, c := range group {
			if c.holds(b) == c.negate {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (c clause) holds(b []byte) bool {
	sp, ok, err := member(b, c.field)
	if err != nil || !ok {
		return false
	}
	v := b[sp.start:sp.end]
	if c.metaK != "" {
		sp, ok, err = member(v, c.metaK)
		if err != nil || !ok {
			return false
		}
		v = v[sp.start:sp.end]
	}
	switch c.op {
	case ":", "~":
		var s string
		if len(v) > 0 && v[0] == '"' {
			if json.Unmarshal(v, &s) != nil {
				return false
			}
		} else {
			s = string(v)
		}
		if c.op == "~" {
			return strings.Contains(strings.ToLower(s), strings.ToLower(c.value))
		}
		// Stripe's exact match ignores case.
		return strings.EqualFold(s, c.value)
	}
	n, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return false
	}
	switch c.op {
	case ">":
		return n > c.number
	case "<":
		return n < c.number
	case ">=":
		return n >= c.number
	}
	return n <= c.number
}

func (s *State) search(ctx context.Context, route *catalog.Route, info *routeInfo, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	q := req.QueryValues()
	if info.typ == "" {
		return rendered(renderVariant)
	}
	query, err := parseSearch(q.Get("query"))
	if err != nil {
		return server.Answer{}, invalidParam("query", "Invalid query: "+err.Error()+".")
	}
	sq, apiErr := pageQuery(q)
	if apiErr != nil {
		return server.Answer{}, apiErr
	}
	sq.StartingAfter, sq.EndingBefore = q.Get("page"), ""
	sq.Type = info.typ
	sq.TotalCount = true // search results carry it, as stripe-mock's do
	sq.Match = func(o store.Object) bool { return query.matches(o.JSON) }
	page, err := s.store.List(ctx, sq)
	if err != nil {
		return server.Answer{}, invalidParam("page", "Invalid page: "+q.Get("page"))
	}
	next := ""
	if page.HasMore && len(page.Data) > 0 {
		next = page.Data[len(page.Data)-1].ID
	}
	return server.Answer{Body: server.Text(listBody("search_result", page, req.Path, next))}, nil
}
