package openapi_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	stripemock "github.com/stripe/stripe-mock/embedded"

	"github.com/routedeck/routedeck/catalog/openapi"
	"github.com/routedeck/routedeck/internal/cputime"
)

// TestStripeSpecServesEveryOperation opens Stripe's OpenAPI spec (from
// stripe-mock's module, tests only) and sends every operation over HTTP:
// each answers its first 2xx status with JSON, and its error variant the
// document's default response as 500. The expected operations are read
// from the spec by the test itself.
func TestStripeSpecServesEveryOperation(t *testing.T) {
	var spec struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(stripemock.OpenAPISpec, &spec); err != nil {
		t.Fatal(err)
	}
	cat, err := openapi.Import(stripemock.OpenAPISpec, "spec3.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Warnings) > 0 {
		t.Logf("warnings:\n%s", strings.Join(cat.Warnings, "\n"))
	}
	base := serve(t, cat)
	paths := make([]string, 0, len(spec.Paths))
	for p := range spec.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	ops := 0
	for _, p := range paths {
		for method, op := range spec.Paths[p] {
			if method == "parameters" {
				continue
			}
			ops++
			method = strings.ToUpper(method)
			key := method + " " + strings.NewReplacer("{", ":", "}", "").Replace(p)
			r, ok := cat.Lookup(key)
			if !ok {
				t.Errorf("%s: not in the catalog", key)
				continue
			}
			want := 0
			for code := range op.Responses {
				if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 && (want == 0 || n < want) {
					want = n
				}
			}
			_, hasDefault := op.Responses["default"]
			target := r.SamplePath(r.SampleParams())
			status, hdr, body := fetch(t, base, method, target, "")
			if status != want {
				t.Errorf("%s %s: status %d; want %d", method, target, status, want)
				continue
			}
			if strings.Contains(hdr.Get("Content-Type"), "json") && !json.Valid(body) {
				t.Errorf("%s %s: Content-Type %s but the body is not JSON: %.200s", method, target, hdr.Get("Content-Type"), body)
			}
			if hasDefault {
				if status, _, body := fetch(t, base, method, target, "example=error"); status != 500 || !json.Valid(body) {
					t.Errorf("%s %s: error variant %d %.200s; want the default response as 500 JSON", method, target, status, body)
				}
			}
		}
	}
	if ops < 500 || len(cat.Routes) != ops {
		t.Errorf("catalog has %d routes; the spec has %d operations", len(cat.Routes), ops)
	}
}

// BenchmarkImportStripe opens Stripe's OpenAPI spec (8 MB, from
// stripe-mock's module) as a catalog: the budget is 1 s an op. It reports
// CPU time per op beside wall time, which a loaded machine stretches.
func BenchmarkImportStripe(b *testing.B) {
	cpu := cputime.Start()
	for b.Loop() {
		cat, err := openapi.Import(stripemock.OpenAPISpec, "spec3.json")
		if err != nil {
			b.Fatal(err)
		}
		if len(cat.Routes) < 500 {
			b.Fatalf("%d routes", len(cat.Routes))
		}
	}
	cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op")
}
