package openapi_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/openapi"
	"github.com/routedeck/routedeck/render"
)

// FuzzImport: any document either opens, with every variant rendering, or
// is refused with a one-line error; never a panic or a hang.
func FuzzImport(f *testing.F) {
	for _, file := range []string{"testdata/pets-3.1.json", "testdata/todo.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"openapi":"3.0.0","paths":{"/a/{b}":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"}}}}}}}},"components":{"schemas":{"A":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/A"}}}}}}`))
	f.Add([]byte("openapi: 3.1.0\npaths:\n  /x:\n    post:\n      responses:\n        '201':\n          content:\n            text/plain:\n              example: hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cat *catalog.Catalog
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			cat, err = openapi.Import(data, "fuzz.yaml")
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Import hangs on %q", data)
		}
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error on several lines: %q", err)
			}
			return
		}
		for _, r := range cat.Routes {
			for _, v := range r.Variants {
				if _, err := v.Render(&render.Request{Method: r.Method, Path: r.SamplePath(r.SampleParams())}); err != nil {
					t.Fatalf("%s %s: %v", r.Key(), v.Kind, err)
				}
			}
		}
	})
}
