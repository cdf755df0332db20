package catalog

import (
	"maps"
	"strings"

	"github.com/routedeck/routedeck/render"
)

// Sample is a request to a route that its catalog can answer: the one
// `show` renders, the preview shows, the UI fires and copies as curl. A
// catalog's manifest holds it (the Stripe generator writes it, the
// importers derive it from the file's examples); Route.Sample fills in
// what the manifest leaves out.
type Sample struct {
	Method string
	// Params are the path parameters' values, by name.
	Params map[string]string
	// Path is the route's path filled in with Params.
	Path string
	// Query is the query without "?", "" for none.
	Query string
	// Body is the request body, "" for none; ContentType says how it is
	// written (a form or JSON) and is "" with no body.
	Body        string
	ContentType string
}

// Form and JSON are the content types of sample bodies.
const (
	Form = "application/x-www-form-urlencoded"
	JSON = "application/json"
)

// Target is the path and query, as a request line names them.
func (s Sample) Target() string {
	if s.Query == "" {
		return s.Path
	}
	return s.Path + "?" + s.Query
}

// Line is "METHOD /path?query", the form `show` and the UI's editor take.
func (s Sample) Line() string { return s.Method + " " + s.Target() }

// Request is the sample as a template sees it: previews and `show`
// render it, so what they print is what firing it answers.
func (s Sample) Request() *render.Request {
	req := &render.Request{Method: s.Method, Path: s.Path, Params: maps.Clone(s.Params), RawQuery: s.Query}
	if s.Body != "" {
		req.Body, req.ContentType = []byte(s.Body), s.ContentType
	}
	return req
}

// Sample is the route's sample request: the catalog's sample values, and
// for path parameters it has none for, a value derived from the name
// (":customer" → "cus_...").
func (r *Route) Sample() Sample {
	params := r.SampleParams()
	s := Sample{Method: r.Method, Params: params, Path: r.SamplePath(params), Query: r.SampleQuery, Body: r.SampleBody}
	if s.Body != "" {
		s.ContentType = BodyType(s.Body)
	}
	return s
}

// BodyType is the content type a request body is sent with: JSON for an
// object or array, a form otherwise (Stripe takes forms).
func BodyType(body string) string {
	t := strings.TrimSpace(body)
	if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return JSON
	}
	return Form
}

// SampleFor finds the route a request line names and the request to
// render for it. The line is a route's key ("GET /v1/customers/:customer":
// the route's sample) or a concrete request ("GET /v1/customers/cus_1?limit=3":
// that path and query, with the route's sample body). The method is
// case-insensitive.
func (c *Catalog) SampleFor(line string) (*Route, Sample, bool) {
	if r, ok := c.Lookup(line); ok {
		return r, r.Sample(), true
	}
	method, target, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok {
		return nil, Sample{}, false
	}
	path, query, hasQuery := strings.Cut(strings.TrimSpace(target), "?")
	r, params, ok := c.Match(strings.ToUpper(method), path)
	if !ok {
		return nil, Sample{}, false
	}
	s := r.Sample()
	maps.Copy(s.Params, params)
	s.Path = path
	if hasQuery {
		s.Query = query
	}
	return r, s, true
}

// SampleRequest is the request a stored object is rendered from: the
// route's sample path parameters, no query and no body.
func (r *Route) SampleRequest() *render.Request {
	params := r.SampleParams()
	return &render.Request{Method: r.Method, Path: r.SamplePath(params), Params: params}
}

// SampleParams returns a value for each path parameter: the catalog's
// sample, or one derived from the parameter's name (":customer" → "cus_...").
func (r *Route) SampleParams() map[string]string {
	params := make(map[string]string, len(r.Params))
	for _, p := range r.Params {
		if v, ok := r.Samples[p]; ok && v != "" {
			params[p] = v
			continue
		}
		params[p] = SampleValue(p)
	}
	return params
}

// SamplePath fills the route's path with params.
func (r *Route) SamplePath(params map[string]string) string {
	var b strings.Builder
	for _, seg := range r.segments {
		b.WriteByte('/')
		if prefix, name, suffix, ok := splitSegment(seg); ok {
			b.WriteString(prefix + params[name] + suffix)
		} else {
			b.WriteString(seg)
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// idPrefixes are Stripe's id prefixes by object or parameter name: the
// one table the generator and the runtime share.
var idPrefixes = map[string]string{
	"account": "acct", "authorization": "iauth", "bitcoin_receiver": "btcrcv", "card": "card",
	"cardholder": "ich", "charge": "ch", "configuration": "bpc", "credit_note": "cn", "customer": "cus",
	"deleted_discount": "di", "dispute": "dp", "domain": "apwc", "early_fraud_warning": "issfr",
	"fee": "fee", "file": "file", "intent": "pi", "invoice": "in", "invoiceitem": "ii",
	"issuer_fraud_record": "issfr", "item": "si", "key": "ephkey", "link": "link", "location": "tml",
	"mandate": "mandate", "mandate_notification": "srcmn", "order": "or", "order_return": "orret",
	"payment_intent": "pi", "payment_method": "pm", "payout": "po", "person": "person", "plan": "plan",
	"price": "price", "product_feature": "prodft", "promotion_code": "promo", "quote": "qt",
	"rate_id": "txr", "reader": "tmr", "receiver": "btcrcv", "recipient": "rp", "refund": "re",
	"report": "frr", "report_run": "frr", "review": "prv", "schedule": "sub_sched",
	"scheduled_query_run": "sqr", "session": "cs_test", "settlement": "ipi", "setup_intent": "seti",
	"sku": "sku", "source": "src", "source_transaction": "srctxn", "subscription_exposed_id": "sub",
	"subscription_item": "si", "tax_rate": "txr", "three_d_secure": "tdsrc", "token": "tok",
	"topup": "tu", "transaction": "txn", "transfer": "tr", "usage_record": "mbur", "value_list": "rsl",
	"webhook_endpoint": "we",
}

// IDPrefix is Stripe's id prefix for an object or parameter name
// ("customer" → "cus"), "" when it has none.
func IDPrefix(name string) string { return idPrefixes[name] }

// SampleIDTail follows the prefix of a made-up id.
const SampleIDTail = "1Nv0FGQ9RKHgCVdK"

// sampleValues are parameters whose values are names, not ids.
var sampleValues = map[string]string{
	"capability": "card_payments", "coupon": "SUMMER25", "report_type": "balance.summary.1", "country": "US",
}

// SampleValue derives a plausible value for a path parameter from its
// name: a Stripe id for the names Stripe uses, a number for ids of other
// APIs ("id", "userId", "pet_id"), else the name with "_sample".
func SampleValue(name string) string {
	if v, ok := sampleValues[name]; ok {
		return v
	}
	if prefix, ok := idPrefixes[name]; ok {
		return prefix + "_" + SampleIDTail
	}
	lower := strings.ToLower(name)
	if lower == "id" || strings.HasSuffix(lower, "_id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID") {
		return "1"
	}
	return name + "_sample"
}
