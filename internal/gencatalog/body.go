package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/routedeck/routedeck/catalog"
)

const fakeIDTail = catalog.SampleIDTail

// collectionAliases are collections whose members carry another object name.
var collectionAliases = map[string][]string{
	"sources":           {"source", "card", "bank_account"},
	"external_accounts": {"bank_account", "card", "external_account"},
	"bank_accounts":     {"bank_account"},
	"cards":             {"card"},
}

func matchesCollection(object, collection string) bool {
	base := object[strings.LastIndex(object, ".")+1:]
	if base == singular(collection) {
		return true
	}
	for _, a := range collectionAliases[collection] {
		if a == base {
			return true
		}
	}
	return false
}

// idMode decides what a single object's "id" says: echo a path parameter,
// a fresh id (create) or the fixture's.
func idMode(r seedRoute, s shapeInfo, object string) (mode, param string) {
	if s.endsInParam() {
		return "echo", s.lastParam()
	}
	last := s.segs[len(s.segs)-1]
	if len(s.params) > 0 {
		pi := s.params[len(s.params)-1]
		if pi >= 1 && matchesCollection(object, s.segs[pi-1]) {
			return "echo", s.param(pi)
		}
		if r.Method == "POST" && singular(last) != last {
			return "create", ""
		}
		return "keep", ""
	}
	if r.Method == "POST" && r.Path != "/v1/account" {
		return "create", ""
	}
	return "keep", ""
}

func urlParamString(name string) *node { return tplNode(`"{{urlParam '` + name + `'}}"`) }

// echoParams makes top-level fields named like a path parameter echo it:
// the card of /v1/customers/:customer/cards/:id names that customer, even
// where the fixture's is null.
func echoParams(n *node, s shapeInfo, skip string) {
	for _, i := range s.params {
		name := s.param(i)
		if name == skip || name == "id" {
			continue
		}
		if v := n.get(name); v != nil && (v.kind == 's' || v.kind == 'z') {
			n.set(name, urlParamString(name))
		}
	}
}

// idOrigin is a fixture's id that stands for a path parameter, or, when
// self is set, for the id a create makes (its `{{sameId}}` template).
type idOrigin struct{ id, param, self string }

// looksLikeID accepts Stripe ids ("ch_1Pga..."), not words or codes.
func looksLikeID(v string) bool {
	return len(v) >= 8 && strings.Contains(v, "_") && !strings.ContainsAny(v, " /.:")
}

// paramOrigins lists, for each path parameter, the ids the fixture uses
// for that object: its field named like the parameter and the fixture id
// of the object the parameter names. self adds the body's own id for the
// parameter it echoes.
func (g *gen) paramOrigins(body *node, s shapeInfo, self, selfParam string) []idOrigin {
	var out []idOrigin
	add := func(id, param string) {
		if !looksLikeID(id) {
			return
		}
		for _, o := range out {
			if o.id == id {
				return
			}
		}
		out = append(out, idOrigin{id: id, param: param})
	}
	add(self, selfParam)
	for _, i := range s.params {
		name := s.param(i)
		if name == "country" || name == "capability" {
			continue
		}
		if name != "id" {
			add(body.getString(name), name)
		}
		if name == selfParam {
			continue
		}
		if f := g.fixture(s.paramObject(i)); f != nil {
			add(f.getString("id"), name)
		}
	}
	// Longest first, so an id never matches inside a longer one.
	sort.SliceStable(out, func(a, b int) bool { return len(out[a].id) > len(out[b].id) })
	return out
}

// echoIDs rewrites every string in n that holds one of the fixture's ids
// for a path parameter to hold the request's: a charge's refunds.url names
// the charge asked for, a refund's charge field too.
func echoIDs(n *node, origins []idOrigin) {
	if len(origins) == 0 || n == nil {
		return
	}
	for i, v := range n.vals {
		switch v.kind {
		case 'o', 'a':
			echoIDs(v, origins)
		case 's':
			if t := substituteIDs(v.str, origins); t != nil {
				n.vals[i] = t
			}
		}
	}
}

// substituteIDs is s as a template with each fixture id replaced by its
// path parameter, or nil when s holds none.
func substituteIDs(s string, origins []idOrigin) *node {
	var b strings.Builder
	found := false
	for rest := s; ; {
		at, which := -1, idOrigin{}
		for _, o := range origins {
			if i := strings.Index(rest, o.id); i >= 0 && (at < 0 || i < at) {
				at, which = i, o
			}
		}
		if at < 0 {
			b.WriteString(innerJSON(rest))
			break
		}
		found = true
		b.WriteString(innerJSON(rest[:at]))
		if which.self != "" {
			b.WriteString(which.self)
		} else {
			b.WriteString("{{urlParam '" + which.param + "'}}")
		}
		rest = rest[at+len(which.id):]
	}
	if !found {
		return nil
	}
	return tplNode(`"` + b.String() + `"`)
}

// innerJSON is s as JSON string content, without the quotes.
func innerJSON(s string) string {
	e := encodeString(s)
	return e[1 : len(e)-1]
}

func (g *gen) successBody(r seedRoute, s shapeInfo, p plan) (string, error) {
	switch p.kind {
	case "pdf":
		return minimalPDF(), nil
	case "list", "search":
		f := g.fixture(p.resource)
		if f == nil {
			return "", fmt.Errorf("no fixture for list item %s", p.resource)
		}
		item := f.clone()
		origins := g.paramOrigins(item, s, "", "")
		echoParams(item, s, "")
		echoIDs(item, origins)
		out := &node{kind: 'o'}
		if p.kind == "search" {
			out.set("object", strNode("search_result"))
		} else {
			out.set("object", strNode("list"))
		}
		out.set("data", &node{kind: 'a', vals: []*node{item}})
		out.set("has_more", &node{kind: 'b', str: "false"})
		if p.kind == "search" {
			out.set("next_page", &node{kind: 'z', str: "null"})
		}
		out.set("url", tplNode(`"`+s.urlTemplate()+`"`))
		if p.kind == "search" {
			out.set("total_count", &node{kind: 'n', str: "1"})
		}
		return out.pretty(), nil
	case "deleted":
		base := strings.TrimPrefix(p.resource, "deleted_")
		var out *node
		if f := g.fixture(p.resource); f != nil {
			out = f.clone()
		} else {
			out = &node{kind: 'o'}
			out.set("id", strNode(""))
			out.set("object", strNode(base[strings.LastIndex(base, ".")+1:]))
			out.set("deleted", &node{kind: 'b', str: "true"})
		}
		skip := ""
		var origins []idOrigin
		if s.endsInParam() {
			skip = s.lastParam()
			origins = g.paramOrigins(out, s, out.getString("id"), skip)
			out.set("id", urlParamString(skip))
		} else if out.getString("id") == "" {
			prefix := ""
			if bf := g.fixture(base); bf != nil {
				prefix = idPrefix(bf.getString("id"))
			}
			if prefix == "" {
				prefix = knownPrefixes(base)
			}
			out.set("id", strNode(prefix+"_"+fakeIDTail))
		}
		if origins == nil {
			origins = g.paramOrigins(out, s, "", "")
		}
		echoParams(out, s, skip)
		echoIDs(out, origins)
		return out.pretty(), nil
	}
	f := g.fixture(p.resource)
	if f == nil {
		return "", fmt.Errorf("no fixture for %s", p.resource)
	}
	out := f.clone()
	object := out.getString("object")
	if object == "" {
		object = p.resource
	}
	skip := ""
	origins := g.paramOrigins(out, s, "", "")
	if out.getString("id") != "" && !p.noID {
		mode, param := idMode(r, s, object)
		switch mode {
		case "echo":
			skip = param
			origins = g.paramOrigins(out, s, out.getString("id"), param)
			out.set("id", urlParamString(param))
		case "create":
			if fixtureID := out.getString("id"); idPrefix(fixtureID) != "" {
				prefix := idPrefix(fixtureID)
				out.set("id", tplNode(`"{{id '`+prefix+`'}}"`))
				// What names the object itself (a client_secret, a
				// refunds url) names the id the create makes.
				if looksLikeID(fixtureID) {
					origins = append([]idOrigin{{id: fixtureID, self: "{{sameId '" + prefix + "'}}"}}, origins...)
				}
			}
			born, _ := out.int("created")
			if c := out.get("created"); c != nil && c.kind == 'n' {
				out.set("created", tplNode("{{now}}"))
			}
			freshen(out, object, obj(p.schema["properties"]), p.form, born)
		}
	} else if p.kind == "object" && r.Method == "POST" && out.get("created") != nil && idModeCreate(r, s, object) {
		out.set("created", tplNode("{{now}}"))
	}
	if p.noID {
		out.del("id")
	}
	echoParams(out, s, skip)
	echoIDs(out, origins)
	if r.Method == "POST" {
		g.reflectParams(out, p)
	}
	return out.pretty(), nil
}

func idModeCreate(r seedRoute, s shapeInfo, object string) bool {
	mode, _ := idMode(r, s, object)
	return mode == "create"
}

// reflectParams wraps top-level fields the request can set.
func (g *gen) reflectParams(out *node, p plan) {
	props := obj(p.schema["properties"])
	for i, key := range out.keys {
		v := out.vals[i]
		if key == "id" || key == "object" || v.kind == 't' {
			continue
		}
		want, ok := p.form[key]
		if !ok {
			continue
		}
		if want == "map" {
			if v.kind == 'o' || v.kind == 'z' {
				out.vals[i] = reflectNode(key, "map", v)
			}
			continue
		}
		if !v.isScalar() {
			continue
		}
		have := ""
		if props != nil {
			have = g.spec.scalarType(obj(props[key]))
		} else {
			switch v.kind {
			case 's':
				have = "string"
			case 'b':
				have = "boolean"
			case 'n':
				have = "integer"
				if strings.ContainsAny(v.str, ".eE") {
					have = "number"
				}
			}
		}
		if have != want {
			continue
		}
		fits := v.kind == 'z' ||
			(v.kind == 's' && want == "string") ||
			(v.kind == 'b' && want == "boolean") ||
			(v.kind == 'n' && (want == "integer" || want == "number"))
		if fits {
			out.vals[i] = reflectNode(key, want, v)
		}
	}
}

// ---- errors ----

// moneyRoutes decline like a card would; true adds the failed charge's id.
var moneyRoutes = map[string]bool{
	"POST /v1/charges":                                         true,
	"POST /v1/charges/:charge/capture":                         true,
	"POST /v1/payment_intents":                                 true,
	"POST /v1/payment_intents/:intent/confirm":                 true,
	"POST /v1/payment_intents/:intent/capture":                 true,
	"POST /v1/payment_intents/:intent/increment_authorization": true,
	"POST /v1/invoices/:invoice/pay":                           true,
	"POST /v1/orders/:id/pay":                                  true,
	"POST /v1/setup_intents":                                   false,
	"POST /v1/setup_intents/:intent/confirm":                   false,
	"POST /v1/sources":                                         false,
	"POST /v1/customers/:customer/sources":                     false,
	"POST /v1/payment_methods/:payment_method/attach":          false,
	"POST /v1/subscriptions":                                   false,
	"POST /v1/3d_secure":                                       false,
}

// balanceRoutes move money out of the Stripe balance.
var balanceRoutes = map[string]bool{
	"POST /v1/payouts":   true,
	"POST /v1/transfers": true,
}

func docURL(code string) string {
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
}

func (g *gen) errorBody(r seedRoute, s shapeInfo, p plan) (int, string) {
	key := r.Method + " " + r.Path
	e := &node{kind: 'o'}
	status := 400
	switch withCharge, money := moneyRoutes[key]; {
	case money:
		status = 402
		if withCharge {
			e.set("charge", tplNode(`"{{id 'ch'}}"`))
		}
		e.set("code", strNode("card_declined"))
		e.set("decline_code", strNode("generic_decline"))
		e.set("doc_url", strNode(docURL("card_declined")))
		e.set("message", strNode("Your card was declined."))
		e.set("type", strNode("card_error"))
	case balanceRoutes[key]:
		e.set("code", strNode("balance_insufficient"))
		e.set("doc_url", strNode(docURL("balance_insufficient")))
		e.set("message", strNode("You have insufficient funds in your Stripe account. One likely reason you have insufficient funds is that your funds are automatically being paid out; try enabling manual payouts by going to https://dashboard.stripe.com/account/payouts."))
		e.set("type", strNode("invalid_request_error"))
	case len(s.params) > 0:
		status = 404
		pi := s.params[len(s.params)-1]
		name := s.param(pi)
		object := s.paramObject(pi)
		if f := g.fixture(object); f != nil && f.getString("object") != "" {
			object = f.getString("object")
		}
		e.set("code", strNode("resource_missing"))
		e.set("doc_url", strNode(docURL("resource_missing")))
		e.set("message", tplNode(`"No such `+object+`: '{{urlParam '`+name+`'}}'"`))
		e.set("param", strNode("id"))
		e.set("type", strNode("invalid_request_error"))
	case r.Method == "POST" && len(p.required) > 0:
		e.set("code", strNode("parameter_missing"))
		e.set("doc_url", strNode(docURL("parameter_missing")))
		e.set("message", strNode("Missing required param: "+p.required[0]+"."))
		e.set("param", strNode(p.required[0]))
		e.set("type", strNode("invalid_request_error"))
	case r.Method == "GET" && (p.hasLimit || p.kind == "list" || p.kind == "search"):
		e.set("code", strNode("parameter_invalid_integer"))
		e.set("doc_url", strNode(docURL("parameter_invalid_integer")))
		e.set("message", strNode("Invalid integer: ten"))
		e.set("param", strNode("limit"))
		e.set("type", strNode("invalid_request_error"))
	default:
		e.set("code", strNode("parameter_unknown"))
		e.set("doc_url", strNode(docURL("parameter_unknown")))
		e.set("message", strNode("Received unknown parameter: expand_all"))
		e.set("param", strNode("expand_all"))
		e.set("type", strNode("invalid_request_error"))
	}
	out := &node{kind: 'o'}
	out.set("error", e)
	return status, out.pretty()
}

// minimalPDF is a one-page PDF with correct xref offsets.
func minimalPDF() string {
	stream := "BT /F1 18 Tf 72 720 Td (Quote) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.String()
}
