package stripe_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/stripe"
)

// A completed sample body passes validation on every POST route of the
// embedded catalog, from nothing and from a body with other parameters.
func TestSampleBodyPassesValidation(t *testing.T) {
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{})
	n := 0
	for _, r := range cat.Routes {
		if r.Method != "POST" {
			continue
		}
		for _, base := range []string{"", "metadata[order_id]=6735"} {
			body := rules.SampleBody(r, base)
			if !strings.HasPrefix(body, base) {
				t.Errorf("%s: %q does not keep %q", r.Key(), body, base)
			}
			hr := httptest.NewRequest("POST", r.SamplePath(r.SampleParams()), strings.NewReader(body))
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if _, e := rules.Check(r, render.NewRequest(hr, r.SampleParams(), []byte(body))); e != nil {
				t.Errorf("%s with %q: %s (%s)", r.Key(), body, e.Message, e.Param)
			}
			n++
		}
	}
	if n < 300 {
		t.Errorf("only %d POST bodies checked", n)
	}
	// The catalog's own sample request (what show, fire and curl send),
	// which the generator completed, passes too.
	for _, r := range cat.Routes {
		s := r.Sample()
		if r.Method != "POST" {
			continue
		}
		if s.Body == "" {
			t.Errorf("%s: no sample body", r.Key())
			continue
		}
		hr := httptest.NewRequest("POST", s.Target(), strings.NewReader(s.Body))
		hr.Header.Set("Content-Type", s.ContentType)
		if _, e := rules.Check(r, render.NewRequest(hr, s.Params, []byte(s.Body))); e != nil {
			t.Errorf("%s: its sample %q: %s (%s)", r.Key(), s.Body, e.Message, e.Param)
		}
	}
	r, _ := cat.Lookup("POST /v1/payment_intents")
	if got := rules.SampleBody(r, "currency=eur"); got != "currency=eur&amount=2000" {
		t.Errorf("payment intent body %q", got)
	}
}
