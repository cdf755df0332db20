package catalog

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// TestCompactBodies proves every compact form of the embedded catalog
// renders the same JSON as its template: compact, and equal value for
// value wherever two renders of the template agree (ids and times are
// fresh per request).
func TestCompactBodies(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range cat.Routes {
		for _, v := range r.Variants {
			if !v.compact {
				continue
			}
			n++
			req := func() *render.Request {
				return &render.Request{Method: r.Method, Path: r.SamplePath(r.SampleParams()), Params: r.SampleParams(),
					Body: []byte("amount=2000&currency=usd&email=a%22b&metadata[k]=v"), ContentType: "application/x-www-form-urlencoded"}
			}
			// The compact render comes between the two others, so a value
			// the two agree on (the time, to the second) it must have too.
			pretty1, err1 := v.Render(req())
			compact, err3 := v.RenderCompact(req())
			pretty2, err2 := v.Render(req())
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatalf("%s %s: %v %v %v", r.Key(), v.Kind, err1, err2, err3)
			}
			var want bytes.Buffer
			if err := json.Compact(&want, []byte(pretty1)); err != nil {
				t.Fatalf("%s %s: %v", r.Key(), v.Kind, err)
			}
			if len(compact) > want.Len()+16 {
				t.Errorf("%s %s: compact form is %d bytes, the compacted template %d", r.Key(), v.Kind, len(compact), want.Len())
			}
			var a, b, c any
			if json.Unmarshal([]byte(pretty1), &a) != nil || json.Unmarshal([]byte(pretty2), &b) != nil || json.Unmarshal([]byte(compact), &c) != nil {
				t.Fatalf("%s %s: not JSON:\n%s", r.Key(), v.Kind, compact)
			}
			if where := differs(a, b, c, ""); where != "" {
				t.Errorf("%s %s: compact form differs at %s", r.Key(), v.Kind, where)
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d variants have a compact form", n)
	}
}

// differs compares c with a where a and b (two renders) agree.
func differs(a, b, c any, at string) string {
	switch x := a.(type) {
	case map[string]any:
		y, _ := b.(map[string]any)
		z, ok := c.(map[string]any)
		if !ok || len(z) != len(x) {
			return at
		}
		for k := range x {
			if w := differs(x[k], y[k], z[k], at+"."+k); w != "" {
				return w
			}
		}
	case []any:
		y, _ := b.([]any)
		z, ok := c.([]any)
		if !ok || len(z) != len(x) {
			return at
		}
		for i := range x {
			var yi any
			if i < len(y) {
				yi = y[i]
			}
			if w := differs(x[i], yi, z[i], at+"[]"); w != "" {
				return w
			}
		}
	default:
		if reflect.DeepEqual(a, b) && !reflect.DeepEqual(a, c) {
			return at
		}
	}
	return ""
}

func TestCompactTemplate(t *testing.T) {
	for src, want := range map[string]string{
		"{\n  \"a\": \"x y\",\n  \"b\": [1, 2]\n}\n":                   `{"a":"x y","b":[1,2]}`,
		"{\n  \"m\": {{#reflect 'm' 'map'}}{}{{/reflect}}\n}":          `{"m":{{#reflect 'm' 'map'}}{}{{/reflect}} }`,
		"{\n  {{#if x}}\"k\": 1{{/if}}\n}":                             `{ {{#if x}}"k":1{{/if}} }`,
		"{\"s\": \"{{urlParam 'id'}} and \\\" {{now}}\", \"t\": \"\"}": `{"s":"{{urlParam 'id'}} and \" {{now}}","t":""}`,
	} {
		if got := compactTemplate(src); got != want {
			t.Errorf("compactTemplate(%q) = %q; want %q", src, got, want)
		}
	}
}

// The embedded catalog starts from its manifest as Go values: they are
// catalog.json's, field for field.
func TestEmbeddedManifestMatchesJSON(t *testing.T) {
	data, err := fs.ReadFile(embed.Catalog, ManifestName)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := parseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if fromGo := embeddedManifest(); !reflect.DeepEqual(fromGo, fromJSON) {
		t.Fatal("catalog/embedded_manifest.go differs from embed/catalog/catalog.json: run go generate ./embed")
	}
}
