package stripe

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
)

// Every expandable id and list of every object the GET routes of the
// embedded catalog answer (retrieved and listed) expands: the answer is a
// 200 of valid JSON in which the field holds an object (on lists, in every
// element).
func TestExpandEveryField(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(cat, server.Options{Rules: New(cat, embed.Stripe, Options{Strict: true})})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, err := ParseData(embed.Stripe)
	if err != nil {
		t.Fatal(err)
	}
	get := func(target string) (int, map[string]any) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		var body map[string]any
		if w.Code == 200 && json.Unmarshal(w.Body.Bytes(), &body) != nil {
			t.Fatalf("GET %s: invalid JSON:\n%.500s", target, w.Body)
		}
		return w.Code, body
	}
	expanded := 0
	seen := map[string]bool{}
	for _, r := range cat.Routes {
		if r.Method != "GET" || r.Variant(catalog.Success).ContentType != "application/json" {
			continue
		}
		path := r.SamplePath(r.SampleParams())
		status, plain := get(path)
		if status != 200 {
			continue // a route with required query parameters
		}
		prefix, elems := "", []any{plain}
		object, _ := plain["object"].(string)
		if object == "list" || object == "search_result" {
			prefix, elems = "data.", nil
			if data, _ := plain["data"].([]any); len(data) > 0 {
				elems = data
				first, _ := data[0].(map[string]any)
				object, _ = first["object"].(string)
			}
		}
		// One route per object and form (retrieve or list) is enough.
		if seen[prefix+object] {
			continue
		}
		seen[prefix+object] = true
		shape := d.Shapes[d.Objects[object]]
		for _, field := range slices.Sorted(mapKeys(shape)) {
			f := shape[field]
			if (f.To == "" && f.Item == "") || len(elems) == 0 {
				continue
			}
			target := path + "?" + url.Values{"expand[]": {prefix + field}}.Encode()
			status, body := get(target)
			if status != 200 {
				t.Errorf("GET %s: status %d", target, status)
				continue
			}
			if prefix != "" {
				elems, _ = body["data"].([]any)
			} else {
				elems = []any{body}
			}
			for _, el := range elems {
				v := el.(map[string]any)[field]
				switch v.(type) {
				case map[string]any:
				case []any:
					if !f.Array {
						t.Errorf("GET %s: %s is an array", target, field)
					}
				case nil:
					if !f.Array { // a null list of ids has nothing to expand
						t.Errorf("GET %s: %s is null, not expanded", target, field)
					}
				default:
					t.Errorf("GET %s: %s is %v, not expanded", target, field, v)
				}
			}
			expanded++
		}
	}
	if expanded < 200 {
		t.Errorf("only %d expansions checked", expanded)
	}
	t.Logf("%d expansions checked", expanded)
}
