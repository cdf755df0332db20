package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/routedeck/routedeck/catalog"
)

// namespaces are the API families whose resources are named "ns.resource".
var namespaces = map[string]bool{
	"checkout": true, "billing_portal": true, "issuing": true, "terminal": true, "radar": true,
	"reporting": true, "sigma": true, "identity": true, "tax": true, "treasury": true,
	"financial_connections": true, "apps": true, "climate": true, "test_helpers": true,
	"billing": true, "entitlements": true, "forwarding": true,
}

// plan says what a route's success body is made of.
type plan struct {
	kind      string // object, list, search, deleted, pdf
	resource  string // fixture name of the object (or of the list's items)
	noID      bool   // the object has no id (upcoming invoices)
	form      map[string]string
	required  []string
	hasLimit  bool
	source    string // fixture, equivalent, hand-written
	schema    map[string]any
	summary   string
	specMatch bool
}

// manual resolves seed routes that are gone from the current spec.
var manual = map[string]plan{
	"GET /v1/invoices/upcoming":                                            {kind: "object", resource: "invoice", noID: true, source: "equivalent"},
	"GET /v1/invoices/upcoming/lines":                                      {kind: "list", resource: "line_item", source: "equivalent"},
	"GET /v1/issuing/settlements":                                          {kind: "list", resource: "issuing.settlement", source: "equivalent"},
	"GET /v1/subscription_items/:subscription_item/usage_record_summaries": {kind: "list", resource: "usage_record_summary", source: "equivalent"},
	"POST /v1/subscription_items/:subscription_item/usage_records":         {kind: "object", resource: "usage_record", required: []string{"quantity"}, source: "equivalent"},
	"POST /v1/3d_secure":                                                   {kind: "object", resource: "three_d_secure", required: []string{"amount", "currency", "return_url"}},
	"GET /v1/3d_secure/:three_d_secure":                                    {kind: "object", resource: "three_d_secure"},
	"GET /v1/bitcoin/receivers":                                            {kind: "list", resource: "bitcoin_receiver"},
	"GET /v1/bitcoin/receivers/:id":                                        {kind: "object", resource: "bitcoin_receiver"},
	"GET /v1/bitcoin/receivers/:receiver/transactions":                     {kind: "list", resource: "bitcoin_transaction"},
	"GET /v1/bitcoin/transactions":                                         {kind: "list", resource: "bitcoin_transaction"},
	"GET /v1/issuer_fraud_records":                                         {kind: "list", resource: "issuer_fraud_record"},
	"GET /v1/issuer_fraud_records/:issuer_fraud_record":                    {kind: "object", resource: "issuer_fraud_record"},
	"GET /v1/order_returns":                                                {kind: "list", resource: "order_return"},
	"GET /v1/order_returns/:id":                                            {kind: "object", resource: "order_return"},
	"GET /v1/orders":                                                       {kind: "list", resource: "order"},
	"POST /v1/orders":                                                      {kind: "object", resource: "order", required: []string{"currency"}},
	"GET /v1/orders/:id":                                                   {kind: "object", resource: "order"},
	"POST /v1/orders/:id":                                                  {kind: "object", resource: "order"},
	"POST /v1/orders/:id/pay":                                              {kind: "object", resource: "order"},
	"POST /v1/orders/:id/returns":                                          {kind: "object", resource: "order_return"},
	"GET /v1/recipients":                                                   {kind: "list", resource: "recipient"},
	"POST /v1/recipients":                                                  {kind: "object", resource: "recipient", required: []string{"name", "type"}},
	"DELETE /v1/recipients/:id":                                            {kind: "deleted", resource: "deleted_recipient"},
	"GET /v1/recipients/:id":                                               {kind: "object", resource: "recipient"},
	"POST /v1/recipients/:id":                                              {kind: "object", resource: "recipient"},
	"GET /v1/skus":                                                         {kind: "list", resource: "sku"},
	"POST /v1/skus":                                                        {kind: "object", resource: "sku", required: []string{"currency", "inventory", "price", "product"}},
	"DELETE /v1/skus/:id":                                                  {kind: "deleted", resource: "deleted_sku"},
	"GET /v1/skus/:id":                                                     {kind: "object", resource: "sku"},
	"POST /v1/skus/:id":                                                    {kind: "object", resource: "sku"},
}

// retiredForm are the scalar parameters the retired APIs took, for reflection.
var retiredForm = map[string]string{
	"amount": "integer", "currency": "string", "description": "string", "email": "string",
	"name": "string", "type": "string", "price": "integer", "product": "string", "active": "boolean",
	"return_url": "string", "customer": "string", "quantity": "integer", "timestamp": "integer",
	"metadata": "map", "action": "string", "refund_mispayments": "boolean",
}

// equivalentPath maps the retired /v1/account self routes onto /v1/accounts/{account}.
func equivalentPath(p string) (string, bool) {
	if p == "/v1/account" {
		return "/v1/accounts/{account}", true
	}
	if strings.HasPrefix(p, "/v1/account/") {
		return "/v1/accounts/{account}/" + strings.TrimPrefix(p, "/v1/account/"), true
	}
	return "", false
}

func (g *gen) planFor(r seedRoute) (plan, error) {
	key := r.Method + " " + r.Path
	if p, ok := manual[key]; ok {
		if p.source == "" {
			p.source = "hand-written"
		}
		if r.Method == "POST" {
			p.form = retiredForm
		}
		if p.source == "equivalent" {
			p.schema = obj(g.spec.schemas[p.resource])
		}
		return p, nil
	}
	source := "fixture"
	so, ok := g.spec.ops[r.Method+" "+shape(r.Path)]
	if !ok {
		if eq, isEq := equivalentPath(r.Path); isEq {
			so, ok = g.spec.ops[r.Method+" "+shape(eq)]
			source = "equivalent"
		}
	}
	if !ok {
		return plan{}, fmt.Errorf("no spec operation or hand-written body")
	}
	p := plan{source: source, specMatch: true}
	p.summary, _ = so.op["summary"].(string)
	p.form, p.required = g.spec.formParams(so.op)
	p.hasLimit = hasQueryParam(so.op, "limit")
	ct, sc := response200(so.op)
	if ct == "application/pdf" {
		p.kind = "pdf"
		return p, nil
	}
	name, kind, err := g.resourceOf(sc, r.Method, r.Path)
	if err != nil {
		return plan{}, err
	}
	p.kind, p.resource = kind, name
	p.schema = obj(g.spec.schemas[name])
	return p, nil
}

// resourceOf reads a 200 schema: a resource, a list or search result of
// one, or a deleted_ resource. Where the spec allows several objects (anyOf,
// or a polymorphic schema such as payment_source), the route's path decides
// (pickMember).
func (g *gen) resourceOf(sc map[string]any, method, path string) (name, kind string, err error) {
	if members := list(sc["anyOf"]); len(members) > 0 {
		return g.resourceOf(g.pickMember(members, method, path), method, path)
	}
	if n := refName(sc); n != "" {
		if members := list(obj(g.spec.schemas[n])["anyOf"]); len(members) > 0 {
			return g.resourceOf(g.pickMember(members, method, path), method, path)
		}
		if strings.HasPrefix(n, "deleted_") {
			return n, "deleted", nil
		}
		return n, "object", nil
	}
	props := obj(sc["properties"])
	if props["data"] != nil {
		items := obj(obj(props["data"])["items"])
		n, _, err := g.resourceOf(items, "GET", path)
		if err != nil {
			return "", "", err
		}
		kind := "list"
		for _, e := range list(obj(props["object"])["enum"]) {
			if e == "search_result" {
				kind = "search"
			}
		}
		return n, kind, nil
	}
	return "", "", fmt.Errorf("unsupported 200 schema %v", sc)
}

// pickMember chooses among the objects a response may be: the one the
// path names (/customers/:c/cards/:id answers a card, .../bank_accounts/:id
// a bank_account), deleted for a DELETE; else the first (deleted) one.
func (g *gen) pickMember(members []any, method, path string) map[string]any {
	type leaf struct {
		name string
		sc   map[string]any
	}
	var leaves []leaf
	var flatten func(ms []any, depth int)
	flatten = func(ms []any, depth int) {
		for _, m := range ms {
			sc := obj(m)
			n := refName(sc)
			if sub := list(obj(g.spec.schemas[n])["anyOf"]); n != "" && len(sub) > 0 && depth < 4 {
				flatten(sub, depth+1)
				continue
			}
			leaves = append(leaves, leaf{n, sc})
		}
	}
	flatten(members, 0)
	known := map[string]bool{}
	for _, l := range leaves {
		known[strings.TrimPrefix(l.name, "deleted_")] = true
	}
	want := pathObject(path, known)
	deleted := method == "DELETE"
	for _, try := range []func(string) bool{
		func(n string) bool { return want != "" && n == prefixIf(deleted, want) },
		func(n string) bool { return want != "" && n == want },
		func(n string) bool { return strings.HasPrefix(n, "deleted_") == deleted },
		func(string) bool { return true },
	} {
		for _, l := range leaves {
			if try(l.name) {
				return l.sc
			}
		}
	}
	return obj(members[0])
}

func prefixIf(deleted bool, name string) string {
	if deleted {
		return "deleted_" + name
	}
	return name
}

// collectionObjects name the object a collection holds where its name does
// not say (a customer's sources are cards unless added as bank accounts).
var collectionObjects = map[string]string{
	"sources": "card", "external_accounts": "bank_account",
}

// pathObject is the object the path's last collection holds, if it is one
// of known: "/v1/customers/:c/bank_accounts/:id/verify" → bank_account.
func pathObject(path string, known map[string]bool) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		if strings.HasPrefix(seg, ":") {
			continue
		}
		if o := collectionObjects[seg]; o != "" && known[o] {
			return o
		}
		if known[singular(seg)] {
			return singular(seg)
		}
	}
	return ""
}

// ---- route shape ----

type shapeInfo struct {
	segs   []string
	params []int // indexes of :param segments
}

func routeShape(path string) shapeInfo {
	s := shapeInfo{segs: strings.Split(strings.TrimPrefix(path, "/"), "/")}
	for i, seg := range s.segs {
		if strings.HasPrefix(seg, ":") {
			s.params = append(s.params, i)
		}
	}
	return s
}

func (s shapeInfo) param(i int) string { return strings.TrimPrefix(s.segs[i], ":") }

func (s shapeInfo) lastParam() string {
	if len(s.params) == 0 {
		return ""
	}
	return s.param(s.params[len(s.params)-1])
}

func (s shapeInfo) endsInParam() bool {
	return len(s.params) > 0 && s.params[len(s.params)-1] == len(s.segs)-1
}

func singular(w string) string {
	switch w {
	case "people", "persons":
		return "person"
	case "lines":
		return "line_item"
	case "3d_secure":
		return "three_d_secure"
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "s"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}

// paramObject names the resource of the param at segment i from the
// collection before it: /v1/issuing/cards/:card → issuing.card.
func (s shapeInfo) paramObject(i int) string {
	if i < 1 || strings.HasPrefix(s.segs[i-1], ":") {
		return s.param(i)
	}
	name := singular(s.segs[i-1])
	if i >= 2 {
		switch prev := s.segs[i-2]; {
		case namespaces[prev] && prev != "test_helpers":
			name = prev + "." + name
		case prev == "test_helpers":
			name = "test_helpers." + name
		case prev == "bitcoin" || prev == "apple_pay":
			name = prev + "_" + name
		}
	}
	return name
}

// group is the first static segment after /v1, "ns/resource" for namespaced APIs.
func (s shapeInfo) group() string {
	var static []string
	for i, seg := range s.segs {
		if i == 0 && seg == "v1" {
			continue
		}
		if !strings.HasPrefix(seg, ":") {
			static = append(static, seg)
		}
	}
	if len(static) == 0 {
		return "other"
	}
	if namespaces[static[0]] && len(static) > 1 {
		return static[0] + "/" + static[1]
	}
	return static[0]
}

// file is the variant's template path: routes/v1/customers/_customer/get.success.hbs.
func (s shapeInfo) file(method, kind string) string {
	parts := []string{"routes"}
	for _, seg := range s.segs {
		if strings.HasPrefix(seg, ":") {
			seg = "_" + seg[1:]
		}
		parts = append(parts, seg)
	}
	return strings.Join(parts, "/") + "/" + strings.ToLower(method) + "." + kind + ".hbs"
}

// urlTemplate is the route path with its parameters echoed, for list urls.
func (s shapeInfo) urlTemplate() string {
	var b strings.Builder
	for _, seg := range s.segs {
		b.WriteByte('/')
		if strings.HasPrefix(seg, ":") {
			b.WriteString("{{urlParam '" + seg[1:] + "'}}")
		} else {
			b.WriteString(seg)
		}
	}
	return b.String()
}

// ---- ids ----

// knownPrefixes is catalog.IDPrefix: one table of Stripe's id prefixes
// for the generator and the runtime.
var knownPrefixes = catalog.IDPrefix

// idPrefix is the prefix of a Stripe id ("cus" for cus_NffrFeUfNV2Hib).
func idPrefix(id string) string {
	i := strings.LastIndex(id, "_")
	if i <= 0 {
		return ""
	}
	return id[:i]
}

func (g *gen) fixture(name string) *node {
	if n, ok := g.fixtures[name]; ok {
		return n
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		if n, ok := g.fixtures[name[i+1:]]; ok {
			return n
		}
	}
	return nil
}

// sampleFor is a plausible value for a path parameter naming object.
func (g *gen) sampleFor(param, object string) string {
	switch param {
	case "country":
		return "US"
	case "capability":
		return "card_payments"
	}
	if f := g.fixture(object); f != nil {
		if id := f.getString("id"); id != "" {
			return id
		}
	}
	prefix := knownPrefixes(object)
	if prefix == "" {
		prefix = knownPrefixes(param)
	}
	if prefix == "" {
		prefix = param
	}
	return prefix + "_" + fakeIDTail
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
