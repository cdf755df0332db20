package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	stripemock "github.com/stripe/stripe-mock/embedded"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/stripe"
)

// TestRulesUpToDate proves embed/stripe.json is what the generator writes.
func TestRulesUpToDate(t *testing.T) {
	want, err := generateRules()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "embed", rulesFile))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("embed/%s is stale: run go generate ./embed", rulesFile)
	}
}

// The data covers every operation of the spec (but the one file upload)
// and the expansions the stripe-go suite asks for.
func TestRulesCoverTheSpec(t *testing.T) {
	d, err := stripe.ParseData(embed.Stripe)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(stripemock.OpenAPISpec, &doc); err != nil {
		t.Fatal(err)
	}
	ops, uploads := 0, 0
	for path, methods := range obj(doc["paths"]) {
		for method, op := range obj(methods) {
			if obj(op)["responses"] == nil {
				continue
			}
			ops++
			if _, ok := obj(obj(obj(op)["requestBody"])["content"])["multipart/form-data"]; ok {
				uploads++
				continue
			}
			if _, ok := d.Ops[strings.ToUpper(method)+" "+colonPath(path)]; !ok {
				t.Errorf("no parameters for %s %s", method, path)
			}
		}
	}
	if len(d.Ops)+uploads != ops || ops < 590 {
		t.Errorf("%d operations + %d uploads; the spec has %d", len(d.Ops), uploads, ops)
	}
	for _, c := range []struct{ shape, field, to string }{
		{"payment_intent", "customer", "customer"},
		{"subscription", "latest_invoice", "invoice"},
		{"charge", "customer", "customer"},
	} {
		if f := d.Shapes[c.shape][c.field]; f.To != c.to {
			t.Errorf("%s.%s expands to %q; want %q", c.shape, c.field, f.To, c.to)
		}
		if _, ok := d.Fixtures[c.to]; !ok {
			t.Errorf("no fixture for %s", c.to)
		}
	}
	if f := d.Shapes["checkout.session"]["line_items"]; f.Item != "item" {
		t.Errorf("checkout.session.line_items: %+v; want a list of item", f)
	}
}
