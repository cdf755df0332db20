package stripe

import (
	"strings"
	"testing"
)

// shapeKey as it was first written, the definition the fast one keeps.
func shapeKeySplit(method, path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || (strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")) {
			segs[i] = "*"
		}
	}
	return strings.ToUpper(method) + " " + strings.Join(segs, "/")
}

func TestShapeKey(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/v1/customers/:customer", "GET /v1/customers/*"},
		{"post", "/v1/customers/{customer}/sources/{id}", "POST /v1/customers/*/sources/*"},
		{"DELETE", "/v1/customers/:customer/discount", "DELETE /v1/customers/*/discount"},
		{"GET", "/v1/charges/", "GET /v1/charges/"},
		{"GET", "", "GET "},
		{"GET", "/", "GET /"},
		{"GET", "//{x}//:y", "GET //*//*"},
		{"GET", "/v1/{not/a}/param}", "GET /v1/{not/a}/param}"},
		{"GET", "/v1/{}", "GET /v1/*"},
		{"gEt", "/v1/files/:file/x:y", "GET /v1/files/*/x:y"},
	} {
		if got := shapeKey(tc.method, tc.path); got != tc.want {
			t.Errorf("shapeKey(%q, %q) = %q; want %q", tc.method, tc.path, got, tc.want)
		}
		if got := shapeKeySplit(tc.method, tc.path); got != tc.want {
			t.Errorf("the definition gives %q for %q %q; the table is wrong", got, tc.method, tc.path)
		}
	}
}

func FuzzShapeKey(f *testing.F) {
	f.Add("GET", "/v1/customers/:customer")
	f.Add("post", "/v1/{a}/{b}/c")
	f.Fuzz(func(t *testing.T, method, path string) {
		if got, want := shapeKey(method, path), shapeKeySplit(method, path); got != want {
			t.Fatalf("shapeKey(%q, %q) = %q; the definition gives %q", method, path, got, want)
		}
	})
}
