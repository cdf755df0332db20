package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A common variant is checked with every route's sample request: one
// whose body breaks only for the second route is reported there.
func TestCommonVariantCheckedPerRoute(t *testing.T) {
	fsys := fstest.MapFS{
		ManifestName: {Data: []byte(`{"name": "c", "commonVariants": [{"name": "500", "status": 500, "file": "errors/500.hbs"}],
"routes": [
  {"method": "GET", "path": "/a/:id", "variants": [{"status": 200, "file": "ok.hbs"}]},
  {"method": "GET", "path": "/b", "variants": [{"status": 200, "file": "ok.hbs"}]}]}`)},
		"ok.hbs":         {Data: []byte(`{"ok": true}`)},
		"errors/500.hbs": {Data: []byte(`{"error": {{#if (urlParam 'id')}}"x"{{/if}} }`)},
	}
	_, err := Load(fsys, Options{Eager: true, Source: "c"})
	if err == nil || !strings.Contains(err.Error(), "c/errors/500.hbs") || !strings.Contains(err.Error(), "route GET /b (500 variant)") {
		t.Fatalf("Load = %v; want the common variant's error for GET /b", err)
	}
	fsys["errors/500.hbs"] = &fstest.MapFile{Data: []byte(`{"error": "{{urlParam 'id'}}"}`)}
	cat, err := Load(fsys, Options{Eager: true, Source: "c"})
	if err != nil {
		t.Fatal(err)
	}
	// Built once, every route's: the same variant, rendering each
	// route's request.
	a, b := cat.Routes[0], cat.Routes[1]
	if a.Variants[1] != b.Variants[1] || a.Variants[1].Name != "500" || a.Variants[1].Status != 500 {
		t.Fatalf("the common variant: %+v and %+v", a.Variants[1], b.Variants[1])
	}
	ba, errA := a.Variants[1].Render(a.SampleRequest())
	bb, errB := b.Variants[1].Render(b.SampleRequest())
	if errA != nil || errB != nil || bb != `{"error": ""}` || ba == bb || !strings.HasPrefix(ba, `{"error": "`) {
		t.Errorf("the common 500 renders %q (%v) for GET /a/:id and %q (%v) for GET /b", ba, errA, bb, errB)
	}
}
