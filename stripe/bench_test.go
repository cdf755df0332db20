package stripe_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/stripe"
)

// typicalCreate is a PaymentIntent create as an integration sends it.
const typicalCreate = "amount=2000&currency=usd&customer=cus_123&description=Order+6735&payment_method_types[]=card&metadata[order_id]=6735&capture_method=automatic&confirm=false"

// BenchmarkCheckCreate measures validating a typical create (and looking
// for expand[]) on a parsed body: the body is parsed once per request for
// the templates and the rules alike (BenchmarkParseCreate measures that).
// Target: under 5 µs.
func BenchmarkCheckCreate(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{})
	route, params, ok := cat.Match("POST", "/v1/payment_intents")
	if !ok {
		b.Fatal("no route")
	}
	hr := httptest.NewRequest("POST", "/v1/payment_intents", strings.NewReader(typicalCreate))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req := render.NewRequest(hr, params, []byte(typicalCreate))
	if w, e := rules.Check(route, req); e != nil || len(w) > 0 {
		b.Fatalf("the benchmark's request is not valid: %v %v", w, e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, e := rules.Check(route, req); e != nil {
			b.Fatal(e)
		}
		if _, _, e := rules.Finish(route, req, server.Text("{}")); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkParseCheckCreate is BenchmarkCheckCreate with the body parse.
func BenchmarkParseCheckCreate(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{})
	route, params, ok := cat.Match("POST", "/v1/payment_intents")
	if !ok {
		b.Fatal("no route")
	}
	body := []byte(typicalCreate)
	hr := httptest.NewRequest("POST", "/v1/payment_intents", strings.NewReader(string(body)))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if w, e := rules.Check(route, render.NewRequest(hr, params, body)); e != nil || len(w) > 0 {
		b.Fatalf("the benchmark's request is not valid: %v %v", w, e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := render.NewRequest(hr, params, body)
		if _, e := rules.Check(route, req); e != nil {
			b.Fatal(e)
		}
		if _, _, e := rules.Finish(route, req, server.Text("{}")); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkExpand measures a retrieve with expand[]=customer.
func BenchmarkExpand(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{})
	route, params, ok := cat.Match("GET", "/v1/payment_intents/pi_1")
	if !ok {
		b.Fatal("no route")
	}
	hr := httptest.NewRequest("GET", "/v1/payment_intents/pi_1?expand[]=customer", nil)
	body, err := route.Variant("success").Render(render.NewRequest(hr, params, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, e := rules.Finish(route, render.NewRequest(hr, params, nil), server.Text(body)); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkParseCreate is BenchmarkCheckCreate's request without the
// rules: the body parse every request pays for its templates anyway.
func BenchmarkParseCreate(b *testing.B) {
	body := []byte(typicalCreate)
	hr := httptest.NewRequest("POST", "/v1/payment_intents", strings.NewReader(string(body)))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b.ReportAllocs()
	for b.Loop() {
		if pairs, ok := render.NewRequest(hr, nil, body).BodyPairs(); !ok || len(pairs) == 0 {
			b.Fatal("no form")
		}
	}
}

// BenchmarkFirstCheck measures the worst a first request after start-up
// pays for the rules: reading the data (New does it in the background, so
// it is usually done) and parsing the nodes of one create.
func BenchmarkFirstCheck(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	route, params, ok := cat.Match("POST", "/v1/payment_intents")
	if !ok {
		b.Fatal("no route")
	}
	hr := httptest.NewRequest("POST", "/v1/payment_intents", strings.NewReader(typicalCreate))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for b.Loop() {
		rules := stripe.New(cat, embed.Stripe, stripe.Options{})
		if _, e := rules.Check(route, render.NewRequest(hr, params, []byte(typicalCreate))); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkServePostCharge is the peer benchmark's POST through the whole
// server, with and without the rules: what validation adds end to end.
func BenchmarkServePostCharge(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	const body = "amount=2000&currency=usd&source=tok_visa"
	for _, c := range []struct {
		name  string
		rules server.Rules
	}{{"plain", nil}, {"rules", stripe.New(cat, embed.Stripe, stripe.Options{})}} {
		b.Run(c.name, func(b *testing.B) {
			srv, err := server.New(cat, server.Options{Rules: c.rules})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/v1/charges", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
