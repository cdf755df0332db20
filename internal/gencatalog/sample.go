package main

import (
	"fmt"
	"testing/fstest"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/stripe"
)

// sampleBodies writes each POST route's sample body into the manifest: a
// few parameters its templates echo (baseBody), completed with what the
// operation requires, so the sample passes the rules' validation. show,
// the preview, fire and curl all send it (catalog.Route.Sample).
func sampleBodies(m *catalog.Manifest, files map[string][]byte) error {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	cat, err := catalog.Load(fsys, catalog.Options{Manifest: m, Source: "generated catalog"})
	if err != nil {
		return fmt.Errorf("sample bodies: %w", err)
	}
	data, err := generateRules()
	if err != nil {
		return fmt.Errorf("sample bodies: %w", err)
	}
	rules := stripe.New(cat, data, stripe.Options{})
	for i := range m.Routes {
		mr := &m.Routes[i]
		if mr.Method != "POST" {
			continue
		}
		r, ok := cat.Lookup(mr.Method + " " + mr.Path)
		if !ok {
			return fmt.Errorf("sample bodies: %s %s is not in the catalog", mr.Method, mr.Path)
		}
		mr.SampleBody = rules.SampleBody(r, baseBody(mr.Group))
	}
	return nil
}

// baseBody is a plausible form body for a POST to a group's routes, with
// parameters the templates echo back. Stripe takes forms.
func baseBody(group string) string {
	switch group {
	case "setup_intents":
		return "usage=off_session"
	case "payment_intents", "charges", "payouts", "topups", "transfers", "invoiceitems":
		return "amount=2000&currency=usd"
	case "refunds":
		return "amount=1000"
	case "prices":
		return "unit_amount=2000&currency=usd&product=prod_NWjs8kKbJWmuuc"
	case "customers":
		return "email=jenny.rosen%40example.com&name=Jenny+Rosen"
	case "products":
		return "name=Gold+Plan"
	case "coupons":
		return "percent_off=25&duration=once"
	}
	return "metadata[order_id]=6735"
}
