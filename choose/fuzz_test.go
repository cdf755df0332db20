package choose_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/mockoontest"
)

// No request makes a rule panic or answer anything but one of the route's
// responses: bodies, queries, headers and cookies of any shape, against
// every target and operator.
func FuzzRules(f *testing.F) {
	var specs []spec
	targets := []struct{ target, modifier string }{
		{"body", "a.b"}, {"body", "$.a[?(@.b > 1)]"}, {"body", ""}, {"query", "q"}, {"query", ""},
		{"header", "X-A"}, {"cookie", "c"}, {"params", "id"}, {"path", ""}, {"method", ""},
		{"request_number", ""}, {"global_var", "g.x"}, {"data_bucket", "b.x"}, {"templating", "{{body 'a'}}{{queryParam 'q'}}"},
	}
	operators := []string{"equals", "regex", "regex_i", "null", "empty_array", "array_includes", "valid_json_schema"}
	for _, tg := range targets {
		for _, op := range operators {
			specs = append(specs, spec{method: "post", endpoint: "r" + string(rune('a'+len(specs)/26)) + string(rune('a'+len(specs)%26)) + "/:id",
				rules: []map[string]any{r(tg.target, tg.modifier, op, "{{body 'v'}}"), r(tg.target, tg.modifier, op, "1")}})
		}
	}
	buckets := []map[string]any{{"uuid": "u", "id": "b", "name": "b", "value": `{"x": 1, "s": {"type": "object"}}`}}
	cat, err := mockoon.Open(environment(f, 0, buckets, specs...))
	if err != nil {
		f.Fatal(err)
	}
	srv, _ := mockoontest.Server(f, cat)
	f.Add(0, "application/json", `{"a": {"b": 2}, "v": "1"}`, "q=1&q=2", "1", "c=1")
	f.Add(5, "application/x-www-form-urlencoded", "a[b]=1&v=(", "q[a][b]=1", "", "")
	f.Add(60, "text/plain", "\x00\xff", "%zz", "\n", "c")
	f.Fuzz(func(t *testing.T, route int, ctype, body, query, header, cookie string) {
		if route < 0 {
			route = -route
		}
		rt := cat.Routes[route%len(cat.Routes)]
		req := httptest.NewRequest("POST", "http://x"+strings.Replace(rt.Path, ":id", "x", 1), strings.NewReader(body))
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-A", header)
		req.Header.Set("Cookie", cookie)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 && w.Code != 400 {
			t.Fatalf("%s: %d %s", rt.Key(), w.Code, w.Body)
		}
	})
}
