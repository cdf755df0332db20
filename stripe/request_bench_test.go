package stripe

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
)

// BenchmarkRequestSide measures what a stored charge create reads of its
// request before the create starts, and the expand[] look after it: the
// test value and its outcome, validation and the create's shape, on a
// freshly decoded body each time (as each request has).
func BenchmarkRequestSide(b *testing.B) {
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	rules := New(cat, embed.Stripe, Options{})
	pay := newPayments(cat, newTestCards(), nil)
	const form = "amount=2000&currency=usd&source=tok_visa"
	route, params, ok := cat.Match("POST", "/v1/charges")
	if !ok {
		b.Fatal("no route")
	}
	hr := httptest.NewRequest("POST", "/v1/charges", strings.NewReader(form))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body := []byte(form)
	if _, e := rules.Check(route, render.NewRequest(hr, params, body)); e != nil {
		b.Fatal(e)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := render.NewRequest(hr, params, body)
		if o := pay.Outcome(route, req); o == nil || o.Finish == nil {
			b.Fatal("tok_visa has no outcome")
		}
		if _, e := rules.Check(route, req); e != nil {
			b.Fatal(e)
		}
		if s := shapeOf(req, &shapeScratch{}); len(s.holes) != 1 {
			b.Fatalf("shape %q", string(s.key))
		}
		if _, _, e := rules.Finish(route, req, server.Text("{}")); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkShapeOf measures a charge create's shape, its body decoded.
func BenchmarkShapeOf(b *testing.B) {
	req := &render.Request{Body: []byte("amount=2000&currency=usd&source=tok_visa&description=Order+6735&metadata[order_id]=6735"),
		ContentType: "application/x-www-form-urlencoded"}
	req.BodyPairs()
	b.ReportAllocs()
	for b.Loop() {
		if s := shapeOf(req, &shapeScratch{}); len(s.holes) != 3 {
			b.Fatalf("shape %q", string(s.key))
		}
	}
}
