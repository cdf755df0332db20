// Package stripe adds Stripe's semantics to the embedded Stripe catalog:
//   - Rules: request validation from Stripe's OpenAPI spec and expand[],
//     plugged into the server as server.Rules, from the data the generator
//     writes to embed/stripe.json;
//   - State: a memory of what requests create (the server's Keeper), which
//     moves PaymentIntents, invoices, subscriptions and Checkout Sessions
//     through their lifecycles and raises Stripe's event for each change;
//   - Payments: Stripe's test cards and their outcomes (the server's
//     TestValues), kept by the State's lifecycle (State.Payments).
//
// Validation answers as Stripe does: a missing required parameter is 400
// parameter_missing ("Missing required param: amount."), a value of the
// wrong type or outside an enum is 400 with Stripe's code and message, and
// an unknown parameter is a warning for the request log, or, with Strict,
// 400 parameter_unknown ("Received unknown parameter: x").
//
// Validation replaces only the success variant. A route switched to its
// error variant (or a request that asks for it with Prefer) gets exactly
// that error: the user chose the failure they want to see, and a
// validation error would hide it. Unknown parameters are still reported.
//
// expand[] turns expandable ids into objects, on dotted paths
// ("latest_invoice.customer", "data.customer" on lists) and fields absent
// until expanded (a checkout session's line_items). The objects come from
// an Objects: the spec's fixtures, with the id set to the one expanded, or
// with a store (StoreObjects) the objects stored.
// A path Stripe cannot expand is a warning, or with Strict Stripe's 400.
//
// The spec describes the newest API version only; the parameters of older
// versions that pinned clients still send are added by the generator
// (legacyParams in internal/gencatalog/rules.go).
package stripe

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
)

// CatalogName is the name of the embedded Stripe catalog (and of folders
// exported from it): the catalogs these rules apply to.
const CatalogName = "Stripe API"

// Options configure the rules.
type Options struct {
	// Strict rejects unknown parameters, as Stripe does, instead of
	// reporting them as warnings.
	Strict bool
	// Objects supplies expanded objects (StoreObjects: what requests
	// stored); ids it does not have are the spec's fixtures.
	Objects Objects
}

// Rules validate requests and expand responses for one catalog. Safe for
// concurrent use.
type Rules struct {
	opts Options
	load func() (*loaded, error)
}

type loaded struct {
	data *lazyData
	ops  []int // by route index; 0 when the spec has no such operation
	// expander is built on the first expand[].
	expander func() (*expander, error)
}

var _ server.Rules = (*Rules)(nil)

// New prepares the rules for cat from the generated data (embed.Stripe).
// The operations are read in the background, the expansion tables on the
// first expand[]; a request waits for what it needs if it must.
func New(cat *catalog.Catalog, data []byte, opts Options) *Rules {
	r := &Rules{opts: opts}
	r.load = sync.OnceValues(func() (*loaded, error) {
		d, err := openData(data)
		if err != nil {
			return nil, err
		}
		byShape := make(map[string]int, len(d.ops))
		for k, op := range d.ops {
			method, path, _ := cut(k)
			byShape[shapeKey(method, path)] = op
		}
		l := &loaded{data: d, ops: make([]int, len(cat.Routes))}
		for i, rt := range cat.Routes {
			l.ops[i] = byShape[shapeKey(rt.Method, rt.Path)]
		}
		l.expander = sync.OnceValues(func() (*expander, error) {
			t, err := d.tables()
			if err != nil {
				return nil, err
			}
			var objects Objects = fixtureObjects{t}
			if opts.Objects != nil {
				objects = layered{opts.Objects, objects}
			}
			names := make(map[string]string, len(t.Objects))
			for o, schema := range t.Objects {
				names[schema] = o
			}
			return &expander{d: t, objects: objects, names: names, strict: opts.Strict}, nil
		})
		return l, nil
	})
	// The operations table is cheap (BenchmarkOpenData) and every request
	// needs it; the expansion tables cost more and wait for an expand[].
	go func() { _, _ = r.load() }()
	return r
}

// fixtures are the catalog's sample objects by schema name.
func (r *Rules) fixtures() (map[string]json.RawMessage, error) {
	l, err := r.load()
	if err != nil {
		return nil, err
	}
	t, err := l.data.tables()
	if err != nil {
		return nil, err
	}
	return t.Fixtures, nil
}

func cut(key string) (string, string, bool) {
	for i := 0; i < len(key); i++ {
		if key[i] == ' ' {
			return key[:i], key[i+1:], true
		}
	}
	return key, "", false
}

func dataError(err error) *server.APIError {
	return &server.APIError{Status: http.StatusInternalServerError, Type: "api_error",
		Message: fmt.Sprintf("routedeck: the Stripe rules data does not load: %v", err)}
}

// Check validates a request's parameters against its operation: the
// query's for GET and DELETE, the body's for POST. Routes the spec does
// not know pass unchecked.
func (r *Rules) Check(route *catalog.Route, req *render.Request) ([]string, *server.APIError) {
	l, err := r.load()
	if err != nil {
		return nil, dataError(err)
	}
	op := l.ops[route.Index()]
	if op == 0 {
		return nil, nil
	}
	c := checker{nodes: l.data.nodes}
	var form []render.FormPair
	jsonBody := false
	if route.Method == http.MethodPost {
		if j := req.BodyJSON(); j != nil {
			jsonBody = true
			c.validateJSON(op, "", j)
		} else {
			form, _ = req.BodyPairs()
		}
	} else {
		form = req.QueryPairs()
	}
	if !jsonBody {
		c.validateForm(op, form)
	}
	var warnings []string
	if len(c.unknown) > 0 {
		slices.Sort(c.unknown)
		c.unknown = slices.Compact(c.unknown)
		if r.opts.Strict {
			return nil, unknownParams(c.unknown)
		}
		warnings = make([]string, len(c.unknown))
		for i, u := range c.unknown {
			warnings[i] = "unknown parameter " + u
		}
	}
	if c.bad != nil {
		return warnings, c.bad
	}
	if !jsonBody {
		for _, name := range l.data.nodes.get(op).Required {
			if !formHas(form, name) {
				return warnings, missingParam(name)
			}
		}
		if e := c.missingNested(func(key string) bool { return formHas(form, key) }); e != nil {
			return warnings, e
		}
	}
	return warnings, nil
}

// Finish applies expand[] to a rendered success body. A path Stripe
// cannot expand is refused with Strict and otherwise skipped with a
// warning (stripe-mock ignores such paths, and clients' tests rely on it).
// A request without expand[] costs a look at its parameter names.
func (r *Rules) Finish(route *catalog.Route, req *render.Request, body server.Body) (server.Body, []string, *server.APIError) {
	var paths []string
	if route.Method == http.MethodPost {
		if j := req.BodyJSON(); j != nil {
			paths = expandPathsJSON(j)
		} else {
			form, _ := req.BodyPairs()
			paths = expandPaths(form)
		}
	}
	if len(paths) == 0 {
		paths = expandPaths(req.QueryPairs())
	}
	if len(paths) == 0 {
		return body, nil, nil
	}
	l, err := r.load()
	if err != nil {
		return server.Body{}, nil, dataError(err)
	}
	x, err := l.expander()
	if err != nil {
		return server.Body{}, nil, dataError(err)
	}
	run := &expansion{expander: x}
	out, apiErr := run.expand([]byte(body.String()), paths)
	if apiErr != nil {
		return server.Body{}, nil, apiErr
	}
	return server.Text(string(out)), run.warnings, nil
}
