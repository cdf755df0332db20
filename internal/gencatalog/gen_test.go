package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"

	stripemock "github.com/stripe/stripe-mock/embedded"
)

// TestEmbeddedCatalogUpToDate proves embed/catalog is what the generator writes.
func TestEmbeddedCatalogUpToDate(t *testing.T) {
	files, _, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "embed", "catalog")
	goSrc := files[manifestGoFile]
	delete(files, manifestGoFile)
	if got, err := os.ReadFile(filepath.Join("..", "..", "catalog", manifestGoFile)); err != nil || !bytes.Equal(got, goSrc) {
		t.Fatalf("catalog/%s is stale: run go generate ./embed", manifestGoFile)
	}
	seedJSON := files[storeSeedFile]
	delete(files, storeSeedFile)
	if got, err := os.ReadFile(filepath.Join("..", "..", "embed", storeSeedFile)); err != nil || !bytes.Equal(got, seedJSON) {
		t.Fatalf("embed/%s is stale: run go generate ./embed", storeSeedFile)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s is stale: run go generate ./embed", name)
		}
	}
	err = filepath.WalkDir(filepath.Join(dir, "routes"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s is not written by the generator: run go generate ./embed", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEmbeddedCatalogRenders(t *testing.T) {
	c, err := catalog.Load(embed.Catalog, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := parseSeed(routesMD)
	if err != nil {
		t.Fatal(err)
	}
	if len(seed) != 384 {
		t.Fatalf("seed has %d routes; want 384", len(seed))
	}
	// Every seed route, in the seed's order, marked "seed".
	next := 0
	for _, r := range c.Routes {
		if r.Source == "seed" {
			if next >= len(seed) || r.Method != seed[next].Method || r.Path != seed[next].Path {
				t.Fatalf("seed route %d is %s; the listing has %s %s", next, r.Key(), seed[next].Method, seed[next].Path)
			}
			next++
		} else if r.Source != "spec" {
			t.Errorf("%s: source %q, want seed or spec", r.Key(), r.Source)
		}
	}
	if next != len(seed) {
		t.Fatalf("catalog has %d of the seed's %d routes", next, len(seed))
	}
	// Every operation of the spec, by method and path shape.
	sp, err := loadSpec(stripemock.OpenAPISpec)
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, r := range c.Routes {
		served[r.Method+" "+shape(r.Path)] = true
	}
	for key, op := range sp.ops {
		if !served[key] {
			t.Errorf("spec operation %s %s is not in the catalog", strings.Fields(key)[0], op.path)
		}
	}
	if len(c.Routes) != 384+len(sp.ops)-countCovered(seed, sp) {
		t.Errorf("catalog has %d routes; want the seed's 384 and the spec's %d others", len(c.Routes), len(sp.ops)-countCovered(seed, sp))
	}
	for _, r := range c.Routes {
		for _, p := range r.Params {
			if r.Samples[p] == "" {
				t.Errorf("%s: no sample for :%s", r.Key(), p)
			}
		}
		for _, v := range r.Variants {
			if strings.Contains(v.File, ":") {
				t.Errorf("%s: file name %q has a colon", r.Key(), v.File)
			}
			reqs := []*render.Request{r.SampleRequest(), {
				Method:      r.Method,
				Path:        r.SamplePath(r.SampleParams()),
				Body:        []byte("amount=2000&currency=usd&email=a%22b&metadata[k]=v"),
				ContentType: "application/x-www-form-urlencoded",
				Params:      r.SampleParams(),
			}}
			for j, req := range reqs {
				out, err := v.Render(req)
				if err != nil {
					t.Fatalf("%s %s: %v", r.Key(), v.Kind, err)
				}
				if v.ContentType == "application/pdf" {
					if !strings.HasPrefix(out, "%PDF-") {
						t.Errorf("%s: PDF body does not start with %%PDF-", r.Key())
					}
					continue
				}
				checkJSON(t, r, v, j, out)
			}
		}
	}
}

func checkJSON(t *testing.T, r *catalog.Route, v *catalog.Variant, j int, out string) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal([]byte(out), &body); err != nil || len(body) == 0 {
		t.Errorf("%s %s (request %d): not a JSON object: %v\n%s", r.Key(), v.Kind, j, err, out)
		return
	}
	if v.Kind == catalog.Error {
		e, _ := body["error"].(map[string]any)
		// Stripe's 401 (bad key) and 500 (api_error) have no code.
		if e["type"] == nil || e["code"] == nil && v.Status != 401 && v.Status != 500 || e["message"] == nil || v.Status < 400 {
			t.Errorf("%s: variant %s is not a Stripe error with an error status: %d %s", r.Key(), v.Name, v.Status, out)
		}
		return
	}
	object, _ := body["object"].(string)
	if object == "" {
		t.Errorf("%s: success body has no object", r.Key())
		return
	}
	if object == "list" || object == "search_result" {
		data, _ := body["data"].([]any)
		if len(data) == 0 || body["has_more"] != false {
			t.Errorf("%s: list without data or with has_more", r.Key())
		}
		return
	}
	if id, has := body["id"]; has {
		if s, _ := id.(string); s == "" {
			t.Errorf("%s: success body has an empty id", r.Key())
		}
	} else if noIDObjects[object] == false && r.Path != "/v1/invoices/upcoming" {
		t.Errorf("%s: success body (%s) has no id", r.Key(), object)
	}
	if j == 1 {
		src, err := v.Source()
		if err != nil {
			t.Fatal(err)
		}
		if md, ok := body["metadata"].(map[string]any); ok && r.Method == "POST" && strings.Contains(src, "'metadata' 'map'") && md["k"] != "v" {
			t.Errorf("%s: metadata not reflected: %v", r.Key(), md)
		}
	}
}

// countCovered is how many spec operations a seed route already serves.
func countCovered(seed []seedRoute, sp *spec) int {
	n := 0
	for _, r := range seed {
		if _, ok := sp.ops[r.Method+" "+shape(r.Path)]; ok {
			n++
		}
	}
	return n
}

// noIDObjects are Stripe objects that have no id of their own.
var noIDObjects = map[string]bool{
	"balance": true, "login_link": true, "account_link": true, "terminal.connection_token": true,
	"cash_balance": true, "funding_instructions": true, "billing_portal.session": false,
	"account_session": true, "balance_settings": true, "billing.credit_balance_summary": true,
	"billing.meter_event": true, "billing.meter_event_adjustment": true, "customer_session": true,
	"tax.settings": true, "terminal.onboarding_link": true, "terminal.refund": true,
	"treasury.financial_account_features": true,
}
