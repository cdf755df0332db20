package catalog

import (
	"fmt"
	"testing"
	"testing/fstest"
)

// sampleCatalog has a route with every kind of sample the manifest holds,
// one with none, and one with a JSON body.
func sampleCatalog(t *testing.T) *Catalog {
	t.Helper()
	manifest := `{"name": "Samples", "routes": [
	  {"method": "POST", "path": "/v1/customers/:customer", "samples": {"customer": "cus_ABC"},
	   "sampleQuery": "expand[]=sources", "sampleBody": "email=jenny%40example.com&name=Jenny",
	   "variants": [{"kind": "success", "status": 200, "file": "ok.hbs"}, {"kind": "error", "status": 404, "file": "err.hbs"}]},
	  {"method": "GET", "path": "/v1/charges/:charge/refunds/:refund",
	   "variants": [{"kind": "success", "status": 200, "file": "ok.hbs"}, {"kind": "error", "status": 404, "file": "err.hbs"}]},
	  {"method": "PUT", "path": "/users/:userId/files/:name.json", "sampleBody": " {\"name\": \"x\"}",
	   "variants": [{"kind": "success", "status": 200, "file": "ok.hbs"}, {"kind": "error", "status": 404, "file": "err.hbs"}]}
	]}`
	fsys := fstest.MapFS{
		ManifestName: {Data: []byte(manifest)},
		"ok.hbs": {Data: []byte(`{"customer": "{{urlParam 'customer'}}", "userId": "{{urlParam 'userId'}}", ` +
			`"expand": "{{queryParam 'expand[]'}}", "v": "{{queryParam 'v'}}", "name": "{{body 'name'}}"}`)},
		"err.hbs": {Data: []byte(`{"error": {"message": "no"}}`)},
	}
	cat, err := Load(fsys, Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestSampleFor(t *testing.T) {
	cat := sampleCatalog(t)
	tests := []struct {
		line                      string
		route                     string
		params                    map[string]string
		target, body, contentType string
		wantLine                  string
		name                      string // the body's name, as the template echoes it
	}{
		{
			line: "POST /v1/customers/:customer", route: "POST /v1/customers/:customer",
			params: map[string]string{"customer": "cus_ABC"},
			target: "/v1/customers/cus_ABC?expand[]=sources", body: "email=jenny%40example.com&name=Jenny", contentType: Form,
			wantLine: "POST /v1/customers/cus_ABC?expand[]=sources", name: "Jenny",
		},
		{
			// A concrete path keeps the route's sample body; no "?" keeps its query.
			line: "post /v1/customers/cus_XYZ", route: "POST /v1/customers/:customer",
			params: map[string]string{"customer": "cus_XYZ"},
			target: "/v1/customers/cus_XYZ?expand[]=sources", body: "email=jenny%40example.com&name=Jenny", contentType: Form,
			wantLine: "POST /v1/customers/cus_XYZ?expand[]=sources", name: "Jenny",
		},
		{
			// A query given replaces the sample's, even an empty one.
			line: "POST /v1/customers/cus_XYZ?", route: "POST /v1/customers/:customer",
			params: map[string]string{"customer": "cus_XYZ"},
			target: "/v1/customers/cus_XYZ", body: "email=jenny%40example.com&name=Jenny", contentType: Form,
			wantLine: "POST /v1/customers/cus_XYZ", name: "Jenny",
		},
		{
			// No samples: Stripe ids derived from the parameters' names.
			line: "GET /v1/charges/:charge/refunds/:refund", route: "GET /v1/charges/:charge/refunds/:refund",
			params:   map[string]string{"charge": "ch_" + SampleIDTail, "refund": "re_" + SampleIDTail},
			target:   "/v1/charges/ch_" + SampleIDTail + "/refunds/re_" + SampleIDTail,
			wantLine: "GET /v1/charges/ch_" + SampleIDTail + "/refunds/re_" + SampleIDTail,
		},
		{
			// Another API's names: a number for an id, a word otherwise; a JSON body.
			line: "PUT /users/:userId/files/:name.json", route: "PUT /users/:userId/files/:name.json",
			params: map[string]string{"userId": "1", "name": "name_sample"},
			target: "/users/1/files/name_sample.json", body: ` {"name": "x"}`, contentType: JSON,
			wantLine: "PUT /users/1/files/name_sample.json", name: "x",
		},
		{
			line: "PUT /users/7/files/report.json?v=2", route: "PUT /users/:userId/files/:name.json",
			params: map[string]string{"userId": "7", "name": "report"},
			target: "/users/7/files/report.json?v=2", body: ` {"name": "x"}`, contentType: JSON,
			wantLine: "PUT /users/7/files/report.json?v=2", name: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			r, s, ok := cat.SampleFor(tt.line)
			if !ok {
				t.Fatalf("SampleFor(%q) found no route", tt.line)
			}
			if r.Key() != tt.route {
				t.Errorf("route %s; want %s", r.Key(), tt.route)
			}
			if len(s.Params) != len(tt.params) {
				t.Errorf("params %v; want %v", s.Params, tt.params)
			}
			for k, v := range tt.params {
				if s.Params[k] != v {
					t.Errorf("param %s = %q; want %q", k, s.Params[k], v)
				}
			}
			if s.Target() != tt.target || s.Body != tt.body || s.ContentType != tt.contentType || s.Line() != tt.wantLine {
				t.Errorf("got target %q body %q type %q line %q; want %q %q %q %q",
					s.Target(), s.Body, s.ContentType, s.Line(), tt.target, tt.body, tt.contentType, tt.wantLine)
			}
			// The request renders what firing the sample sends.
			req := s.Request()
			target := req.Path
			if req.RawQuery != "" {
				target += "?" + req.RawQuery
			}
			if req.Method != r.Method || target != tt.target {
				t.Errorf("request %s %s; want %s %s", req.Method, target, r.Method, tt.target)
			}
			if string(req.Body) != tt.body || req.ContentType != tt.contentType {
				t.Errorf("request body %q (%q); want %q (%q)", req.Body, req.ContentType, tt.body, tt.contentType)
			}
			out, err := r.Variant(Success).Render(req)
			q := req.QueryValues()
			want := fmt.Sprintf(`{"customer": %q, "userId": %q, "expand": %q, "v": %q, "name": %q}`,
				s.Params["customer"], s.Params["userId"], q.Get("expand[]"), q.Get("v"), tt.name)
			if err != nil || out != want {
				t.Errorf("render = %q, %v; want %q", out, err, want)
			}
			// Changing the request does not change the route's sample.
			req.Params["x"] = "y"
			if _, leaked := r.Sample().Params["x"]; leaked {
				t.Error("the request shares its params with the route")
			}
		})
	}
	for _, line := range []string{"GET /v1/customers/cus_1", "/v1/customers/:customer", "GET /nowhere", ""} {
		if r, _, ok := cat.SampleFor(line); ok {
			t.Errorf("SampleFor(%q) = %s; want no route", line, r.Key())
		}
	}
}

func TestSampleValueAndIDPrefix(t *testing.T) {
	tests := []struct{ name, want string }{
		{"customer", "cus_" + SampleIDTail},
		{"mandate_notification", "srcmn_" + SampleIDTail},
		{"payment_intent", "pi_" + SampleIDTail},
		{"intent", "pi_" + SampleIDTail},
		{"capability", "card_payments"},
		{"country", "US"},
		{"id", "1"},
		{"pet_id", "1"},
		{"userId", "1"},
		{"slug", "slug_sample"},
	}
	for _, tt := range tests {
		if got := SampleValue(tt.name); got != tt.want {
			t.Errorf("SampleValue(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
	if IDPrefix("charge") != "ch" || IDPrefix("nonsense") != "" {
		t.Errorf("IDPrefix: charge %q, nonsense %q", IDPrefix("charge"), IDPrefix("nonsense"))
	}
}
