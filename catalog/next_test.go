package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A route marked shadowedBy may repeat an earlier route's method and
// path: it loads behind it, Match never picks it, and Next finds the
// routes after a given one in the catalog's order, parameters and all.
func TestNextFindsShadowedRoutesInOrder(t *testing.T) {
	manifest := `{"name": "T", "caseInsensitive": true, "routes": [
	  {"method": "GET", "path": "/items/special", "variants": [{"status": 200, "file": "a.hbs"}]},
	  {"method": "GET", "path": "/items/:id", "variants": [{"status": 200, "file": "a.hbs"}]},
	  {"method": "GET", "path": "/items/:item", "shadowedBy": "GET /items/:id", "variants": [{"status": 201, "file": "a.hbs"}]},
	  {"method": "GET", "path": "/items/special", "shadowedBy": "GET /items/special", "variants": [{"status": 202, "file": "a.hbs"}]},
	  {"method": "POST", "path": "/items/:id", "variants": [{"status": 200, "file": "a.hbs"}]}]}`
	cat, err := Load(fstest.MapFS{"catalog.json": {Data: []byte(manifest)}, "a.hbs": {Data: []byte(`{}`)}}, Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	r, params, ok := cat.Match("GET", "/Items/Special")
	if !ok || r.Index() != 0 {
		t.Fatalf("Match = %v %v; want route 1", r, ok)
	}
	var chain []string
	for ok {
		chain = append(chain, r.Key()+" "+params["id"]+params["item"])
		r, params, ok = cat.Next("GET", "/Items/Special", r)
	}
	want := "GET /items/special , GET /items/:id Special, GET /items/:item Special, GET /items/special "
	if got := strings.Join(chain, ", "); got != want {
		t.Errorf("chain:\n got %s\nwant %s", got, want)
	}
	if r, _, ok := cat.Match("GET", "/items/7"); !ok || r.Index() != 1 {
		t.Errorf("Match(/items/7) = %v; want the first /items/:id, never the shadowed one", r)
	}
	if r, ok := cat.Lookup("GET /items/special"); !ok || r.Index() != 0 {
		t.Errorf("Lookup finds route %d; want the first of its key", r.Index())
	}
	if _, _, ok := cat.Next("POST", "/items/7", cat.Routes[4]); ok {
		t.Errorf("Next after the last POST route found one")
	}

	// A route marked shadowed that no earlier route matches answers its
	// requests as any route does.
	lone := `{"name": "T", "routes": [{"method": "GET", "path": "/b", "variants": [{"status": 200, "file": "a.hbs"}]},
	  {"method": "GET", "path": "/a", "shadowedBy": "GET /nowhere", "variants": [{"status": 200, "file": "a.hbs"}]}]}`
	cat, err = Load(fstest.MapFS{"catalog.json": {Data: []byte(lone)}, "a.hbs": {Data: []byte(`{}`)}}, Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, _, ok := cat.Match("GET", "/a"); !ok || r.Shadowed || r.ShadowedBy != "" {
		t.Errorf("a lone route marked shadowed: Match = %v %v", r, ok)
	}

	// Without the mark, a repeated route is still an error naming both.
	dup := strings.Replace(manifest, `"shadowedBy": "GET /items/special", `, "", 1)
	_, err = Load(fstest.MapFS{"catalog.json": {Data: []byte(dup)}, "a.hbs": {Data: []byte(`{}`)}}, Options{Eager: true})
	if err == nil || !strings.Contains(err.Error(), "route GET /items/special: duplicate of") {
		t.Errorf("an unmarked duplicate: %v; want a duplicate error", err)
	}
}
