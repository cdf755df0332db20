package stripe_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/stripe"
)

// embeddedCatalog is loaded once: every test only reads it.
var embeddedCatalog = sync.OnceValues(catalog.Embedded)

// newServer serves the embedded catalog with the Stripe rules over real HTTP.
func newServer(t *testing.T, opts stripe.Options) (*server.Server, *httptest.Server) {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(cat, server.Options{Rules: stripe.New(cat, embed.Stripe, opts)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return srv, ts
}

type stripeErr struct {
	Type, Code, Message, Param string
}

// call sends one request and returns the status and decoded body.
func call(t *testing.T, ts *httptest.Server, method, target, form string, header ...string) (int, map[string]any, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+target, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", method, target, err, raw)
	}
	return resp.StatusCode, body, string(raw)
}

func errorOf(body map[string]any) stripeErr {
	e, _ := body["error"].(map[string]any)
	s := func(k string) string { v, _ := e[k].(string); return v }
	return stripeErr{Type: s("type"), Code: s("code"), Message: s("message"), Param: s("param")}
}

func TestValidationErrorsAsStripeWordsThem(t *testing.T) {
	_, ts := newServer(t, stripe.Options{})
	empty := func(p string) string {
		return "You passed an empty string for '" + p + "'. We assume empty values are an attempt to unset a parameter; however '" + p +
			"' cannot be unset. You should remove '" + p + "' from your request or supply a non-empty value."
	}
	cases := []struct {
		name, method, target, form string
		want                       stripeErr
	}{
		{"missing amount", "POST", "/v1/payment_intents", "currency=usd",
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: amount.", "amount"}},
		{"no body at all", "POST", "/v1/payment_intents", "",
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: amount.", "amount"}},
		{"amount not an integer", "POST", "/v1/payment_intents", "amount=12.5&currency=usd",
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: 12.5", "amount"}},
		{"empty amount", "POST", "/v1/payment_intents", "amount=&currency=usd",
			stripeErr{"invalid_request_error", "parameter_invalid_empty", empty("amount"), "amount"}},
		{"value outside the enum", "POST", "/v1/payment_intents", "amount=100&currency=usd&capture_method=later",
			stripeErr{"invalid_request_error", "", "Invalid capture_method: must be one of automatic, automatic_async, or manual", "capture_method"}},
		{"not a boolean", "POST", "/v1/payment_intents", "amount=100&currency=usd&confirm=yes",
			stripeErr{"invalid_request_error", "", "Invalid boolean: yes", "confirm"}},
		{"nested enum", "POST", "/v1/refunds", "charge=ch_1&reason=expired_uncaptured_charge",
			stripeErr{"invalid_request_error", "", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason"}},
		{"nested integer", "POST", "/v1/checkout/sessions", "mode=payment&line_items[0][price]=price_1&line_items[0][quantity]=two",
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: two", "line_items[0][quantity]"}},
		{"query integer", "GET", "/v1/customers?limit=ten", "",
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: ten", "limit"}},
		{"hash given a string", "POST", "/v1/customers", "metadata=abc",
			stripeErr{"invalid_request_error", "", "Invalid hash", "metadata"}},
		{"missing nested required member", "POST", "/v1/customers", "address[city]=Paris&tax_id_data[0][value]=FR123",
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: tax_id_data[0][type].", "tax_id_data[0][type]"}},
		{"empty string that cannot be unset", "POST", "/v1/customers", "description=",
			stripeErr{"invalid_request_error", "parameter_invalid_empty", empty("description"), "description"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, raw := call(t, ts, c.method, c.target, c.form)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d; want 400\n%s", status, raw)
			}
			if got := errorOf(body); got != c.want {
				t.Errorf("error %+v;\nwant  %+v", got, c.want)
			}
		})
	}
}

func TestValidRequestsPass(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Strict: true})
	cases := []struct{ method, target, form string }{
		{"POST", "/v1/payment_intents", "amount=2000&currency=usd&payment_method_types[]=card&metadata[order]=6735&capture_method=manual&confirm=false"},
		{"POST", "/v1/payment_intents", "amount=2000&currency=usd&expand[0]=customer&expand[1]=latest_charge"},
		{"POST", "/v1/customers", "email=a@example.com&name=Jenny&address[city]=Paris&metadata[k]=v&tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=FR1"},
		// An empty value unsets what may be unset.
		{"POST", "/v1/customers/cus_1", "metadata=&shipping="},
		{"POST", "/v1/checkout/sessions", "mode=payment&success_url=https://example.com&line_items[0][price]=price_1&line_items[0][quantity]=2"},
		{"GET", "/v1/customers?limit=3&starting_after=cus_1&created[gte]=1700000000&expand[]=data.default_source", ""},
		{"GET", "/v1/charges?created=1700000000", ""},
		{"DELETE", "/v1/customers/cus_1", ""},
	}
	for _, c := range cases {
		status, _, raw := call(t, ts, c.method, c.target, c.form)
		if status != http.StatusOK {
			t.Errorf("%s %s %s: status %d; want 200\n%s", c.method, c.target, c.form, status, raw)
		}
	}
}

func TestJSONBodiesAreValidatedToo(t *testing.T) {
	_, ts := newServer(t, stripe.Options{})
	post := func(body string) (int, stripeErr) {
		req, _ := http.NewRequest("POST", ts.URL+"/v1/payment_intents", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, errorOf(m)
	}
	if status, e := post(`{"currency":"usd"}`); status != 400 || e.Code != "parameter_missing" || e.Param != "amount" {
		t.Errorf("missing amount: %d %+v", status, e)
	}
	if status, e := post(`{"amount":"abc","currency":"usd"}`); status != 400 || e.Code != "parameter_invalid_integer" {
		t.Errorf("string amount: %d %+v", status, e)
	}
	if status, e := post(`{"amount":2000,"currency":"usd","metadata":{"k":"v"},"payment_method_types":["card"]}`); status != 200 {
		t.Errorf("valid JSON body: %d %+v", status, e)
	}
	// card has two object shapes; a token picks the second (Strict refuses
	// a member no shape knows).
	_, strict := newServer(t, stripe.Options{Strict: true})
	req, _ := http.NewRequest("POST", strict.URL+"/v1/payment_methods", strings.NewReader(`{"type":"card","card":{"token":"tok_visa"}}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := strict.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("card token: %d %s", resp.StatusCode, raw)
	}
}

// Unknown parameters are warnings in the event by default, and Stripe's
// refusal with Strict.
func TestUnknownParameters(t *testing.T) {
	srv, ts := newServer(t, stripe.Options{})
	events, stop := srv.SubscribeSummary(8)
	defer stop()
	status, _, raw := call(t, ts, "POST", "/v1/customers", "email=a@example.com&nickname=jj&address[planet]=mars")
	if status != 200 {
		t.Fatalf("status %d; want 200 (unknown parameters only warn)\n%s", status, raw)
	}
	select {
	case e := <-events:
		want := []string{"unknown parameter address[planet]", "unknown parameter nickname"}
		if strings.Join(e.Warnings, "|") != strings.Join(want, "|") {
			t.Errorf("warnings %q; want %q", e.Warnings, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}

	_, strict := newServer(t, stripe.Options{Strict: true})
	status, body, raw := call(t, strict, "POST", "/v1/customers", "email=a@example.com&nickname=jj")
	want := stripeErr{"invalid_request_error", "parameter_unknown", "Received unknown parameter: nickname", "nickname"}
	if status != 400 || errorOf(body) != want {
		t.Errorf("strict: %d %+v; want 400 %+v\n%s", status, errorOf(body), want, raw)
	}
	_, body, _ = call(t, strict, "POST", "/v1/customers", "nickname=jj&address[planet]=mars")
	if got := errorOf(body).Message; got != "Received unknown parameters: address[planet], nickname" {
		t.Errorf("two unknown: %q", got)
	}
}

// The error variant is what the user chose to see: validation leaves it alone.
func TestErrorVariantUnchanged(t *testing.T) {
	srv, ts := newServer(t, stripe.Options{Strict: true})
	r, ok := srv.Catalog().Lookup("POST /v1/payment_intents")
	if !ok {
		t.Fatal("no route")
	}
	want := r.Variant(catalog.Error)
	status, body, raw := call(t, ts, "POST", "/v1/payment_intents", "bogus=1", "Prefer", "example=error")
	if status != want.Status || errorOf(body).Code == "parameter_missing" || errorOf(body).Code == "parameter_unknown" {
		t.Errorf("Prefer example=error: %d %+v; want the route's error variant (%d)\n%s", status, errorOf(body), want.Status, raw)
	}
	srv.State().Set(r, catalog.Error)
	status, body, _ = call(t, ts, "POST", "/v1/payment_intents", "")
	if status != want.Status || errorOf(body).Code == "parameter_missing" {
		t.Errorf("toggled to error: %d %+v; want the route's error variant", status, errorOf(body))
	}
}

// Routes outside the spec (retired APIs) pass unchecked.
func TestRetiredRoutesUnchecked(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Strict: true})
	status, _, raw := call(t, ts, "POST", "/v1/3d_secure", "whatever=1")
	if status != 200 {
		t.Errorf("status %d; want 200\n%s", status, raw)
	}
}

func TestExpandRoundTrips(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Strict: true})
	get := func(target string) map[string]any {
		t.Helper()
		status, body, raw := call(t, ts, "GET", target, "")
		if status != 200 {
			t.Fatalf("GET %s: status %d\n%s", target, status, raw)
		}
		return body
	}
	obj := func(v any, path ...string) map[string]any {
		t.Helper()
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %s: %v is not an object", p, v)
			}
			v = m[p]
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v: %v is not an object", path, v)
		}
		return m
	}

	plain := get("/v1/payment_intents/pi_1")
	if plain["customer"] != nil {
		t.Fatalf("fixture changed: customer is %v", plain["customer"])
	}
	for _, q := range []string{"expand[]=customer", "expand[0]=customer", url.Values{"expand[]": {"customer"}}.Encode()} {
		c := obj(get("/v1/payment_intents/pi_1?"+q), "customer")
		if c["object"] != "customer" {
			t.Errorf("%s: customer is %v", q, c)
		}
	}

	// A dotted path through an expanded object: the nested id is kept.
	sub := get("/v1/subscriptions/sub_1")
	invID, _ := sub["latest_invoice"].(string)
	exp := get("/v1/subscriptions/sub_1?expand[]=latest_invoice.customer")
	inv := obj(exp, "latest_invoice")
	if inv["object"] != "invoice" || (invID != "" && inv["id"] != invID) {
		t.Errorf("latest_invoice: object %v id %v; want invoice %q", inv["object"], inv["id"], invID)
	}
	if c := obj(inv, "customer"); c["object"] != "customer" {
		t.Errorf("latest_invoice.customer: %v", c)
	}

	// data.x on a list expands in every element, keeping each id.
	charges := get("/v1/charges")
	ids := []string{}
	for _, c := range charges["data"].([]any) {
		id, _ := c.(map[string]any)["customer"].(string)
		ids = append(ids, id)
	}
	expanded := get("/v1/charges?expand[]=data.customer")
	for i, c := range expanded["data"].([]any) {
		cus := obj(c, "customer")
		if cus["object"] != "customer" || (ids[i] != "" && cus["id"] != ids[i]) {
			t.Errorf("data[%d].customer: %v %v; want customer %q", i, cus["object"], cus["id"], ids[i])
		}
	}

	// What cannot be expanded is refused as Stripe refuses it.
	for target, msg := range map[string]string{
		"/v1/charges?expand[]=customer":                   "This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead.",
		"/v1/payment_intents/pi_1?expand[]=nope":          "This property cannot be expanded (nope).",
		"/v1/payment_intents/pi_1?expand[]=customer.nope": "This property cannot be expanded (customer.nope).",
	} {
		status, body, _ := call(t, ts, "GET", target, "")
		if e := errorOf(body); status != 400 || e.Message != msg || e.Type != "invalid_request_error" {
			t.Errorf("%s: %d %+v; want 400 %q", target, status, e, msg)
		}
	}
}

// Without Strict, a path Stripe cannot expand is skipped with a warning,
// as stripe-mock skips it (stripe-go's own tests send such paths).
func TestUnexpandablePathWarnsWhenLenient(t *testing.T) {
	srv, ts := newServer(t, stripe.Options{})
	events, stop := srv.SubscribeSummary(8)
	defer stop()
	status, body, raw := call(t, ts, "POST", "/v1/customers", "expand[0]=foo&expand[1]=bar")
	if status != 200 || body["object"] != "customer" {
		t.Fatalf("status %d\n%s", status, raw)
	}
	select {
	case e := <-events:
		if want := "cannot expand bar|cannot expand foo"; strings.Join(e.Warnings, "|") != want {
			t.Errorf("warnings %q; want %q", e.Warnings, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
}

func TestExpandLineItemsOnCreate(t *testing.T) {
	_, ts := newServer(t, stripe.Options{})
	status, body, raw := call(t, ts, "POST", "/v1/checkout/sessions", "mode=payment&line_items[0][price]=price_1&expand[]=line_items")
	if status != 200 {
		t.Fatalf("status %d\n%s", status, raw)
	}
	li, _ := body["line_items"].(map[string]any)
	data, _ := li["data"].([]any)
	if li["object"] != "list" || len(data) == 0 || data[0].(map[string]any)["object"] != "item" {
		t.Fatalf("line_items: %v", li)
	}
	if want := "/v1/checkout/sessions/" + body["id"].(string) + "/line_items"; li["url"] != want {
		t.Errorf("url %v; want %s", li["url"], want)
	}
	_, plain, _ := call(t, ts, "POST", "/v1/checkout/sessions", "mode=payment")
	if _, ok := plain["line_items"]; ok {
		t.Error("line_items present without expand[]")
	}
}

// Without expand[], a body is byte for byte what the template renders.
func TestNoExpandLeavesBodyAlone(t *testing.T) {
	_, with := newServer(t, stripe.Options{})
	cat, _ := embeddedCatalog()
	plainSrv, err := server.New(cat, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	without := httptest.NewServer(plainSrv)
	defer without.Close()
	_, _, a := call(t, with, "GET", "/v1/payment_intents/pi_1", "")
	_, _, b := call(t, without, "GET", "/v1/payment_intents/pi_1", "")
	if a != b {
		t.Errorf("bodies differ:\n%s\n---\n%s", a, b)
	}
}

// An expanded body is laid out like the body it expands: indented two
// spaces (or compact, as clients are served), the inserted objects too.
func TestExpandKeepsLayout(t *testing.T) {
	_, ts := newServer(t, stripe.Options{})
	for _, c := range []struct{ method, target, form string }{
		{"GET", "/v1/payment_intents/pi_1?expand[]=customer&expand[]=latest_charge", ""},
		{"GET", "/v1/charges?expand[]=data.customer", ""},
		{"GET", "/v1/subscriptions/sub_1?expand[]=latest_invoice.customer", ""},
		{"POST", "/v1/checkout/sessions", "mode=payment&expand[]=line_items"},
	} {
		_, _, raw := call(t, ts, c.method, c.target, c.form)
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		want := indented.String()
		if !strings.HasPrefix(raw, "{\n") {
			// Clients other than curl and browsers are served compact JSON.
			want = compact.String()
		}
		if got := strings.TrimSpace(raw); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s %s: layout differs at byte %d:\n%.200s\nwant\n%.200s", c.method, c.target, i, got[max(0, i-80):], want[max(0, i-80):])
		}
	}
}

// storedObjects stands in for the store: it knows one customer.
type storedObjects struct{}

func (storedObjects) Object(resource, id string) ([]byte, bool) {
	if resource == "customer" && id == "cus_stored" {
		return []byte(`{"id":"cus_stored","object":"customer","email":"stored@example.com"}`), true
	}
	return nil, false
}

// Expanded objects come from Options.Objects when set (a store, later);
// what it does not know falls back to a stub with the id and object.
func TestExpandUsesObjects(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Objects: storedObjects{}})
	_, body, raw := call(t, ts, "GET", "/v1/charges?expand[]=data.customer", "")
	data, _ := body["data"].([]any)
	if len(data) == 0 {
		t.Fatalf("no charges: %s", raw)
	}
	c := data[0].(map[string]any)["customer"].(map[string]any)
	if c["object"] != "customer" || c["id"] == nil {
		t.Errorf("customer %v", c)
	}
	status, body, raw := call(t, ts, "POST", "/v1/payment_intents", "amount=100&currency=usd&customer=cus_stored&expand[]=customer")
	if status != 200 {
		t.Fatalf("status %d\n%s", status, raw)
	}
	if c, _ := body["customer"].(map[string]any); c["email"] != "stored@example.com" {
		t.Errorf("customer %v; want the stored one", body["customer"])
	}
}
