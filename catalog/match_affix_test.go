package catalog

import (
	"encoding/json"
	"maps"
	"testing"
	"testing/fstest"
)

// caseInsensitive marks a fixture's manifest as matching case-insensitively.
func caseInsensitive(t *testing.T, fsys fstest.MapFS) fstest.MapFS {
	t.Helper()
	m, err := parseManifest(fsys[ManifestName].Data)
	if err != nil {
		t.Fatal(err)
	}
	m.CaseInsensitive = true
	fsys[ManifestName] = &fstest.MapFile{Data: mustJSON(t, m)}
	return fsys
}

func TestMatchAffixedParameters(t *testing.T) {
	cat, err := Load(caseInsensitive(t, fixture(t,
		"POST /v3/apps/:pkg/edits/:editId:commit",
		"POST /v3/apps/:pkg/edits/:editId:validate",
		"GET /v3/apps/:pkg/edits/:editId",
		"POST /v1/files:annotate",
		"POST /v1/:parent/files:annotate",
		"GET /search/query.:extension",
		"GET /Users/:id",
	)), Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, want string
		params             map[string]string
	}{
		{"POST", "/v3/apps/com.x/edits/e1:commit", "POST /v3/apps/:pkg/edits/:editId:commit", map[string]string{"pkg": "com.x", "editId": "e1"}},
		{"POST", "/v3/apps/com.x/edits/e1:validate", "POST /v3/apps/:pkg/edits/:editId:validate", map[string]string{"pkg": "com.x", "editId": "e1"}},
		{"GET", "/v3/apps/com.x/edits/e1", "GET /v3/apps/:pkg/edits/:editId", map[string]string{"pkg": "com.x", "editId": "e1"}},
		{"POST", "/v1/files:annotate", "POST /v1/files:annotate", map[string]string{}},
		{"POST", "/v1/projects/files:annotate", "POST /v1/:parent/files:annotate", map[string]string{"parent": "projects"}},
		{"GET", "/search/query.json", "GET /search/query.:extension", map[string]string{"extension": "json"}},
		{"GET", "/users/AbC/", "GET /Users/:id", map[string]string{"id": "AbC"}},
		{"GET", "/USERS/x", "GET /Users/:id", map[string]string{"id": "x"}},
		{"POST", "/v1/files:annotateX", "", nil},
		{"GET", "/search/query.", "", nil},
	}
	for _, tt := range tests {
		r, params, ok := cat.Match(tt.method, tt.path)
		if tt.want == "" {
			if ok {
				t.Errorf("Match(%s %s) = %s; want no route", tt.method, tt.path, r.Key())
			}
			continue
		}
		if !ok || r.Key() != tt.want {
			t.Errorf("Match(%s %s) = %v, %v; want %s", tt.method, tt.path, r, ok, tt.want)
			continue
		}
		if !maps.Equal(params, tt.params) {
			t.Errorf("Match(%s %s) params = %v; want %v", tt.method, tt.path, params, tt.params)
		}
	}
	r, _ := cat.Lookup("POST /v3/apps/:pkg/edits/:editId:commit")
	if got := r.SamplePath(map[string]string{"pkg": "p", "editId": "e"}); got != "/v3/apps/p/edits/e:commit" {
		t.Errorf("SamplePath = %q; want /v3/apps/p/edits/e:commit", got)
	}
}

func TestMatchIsCaseSensitiveByDefault(t *testing.T) {
	cat, err := Load(fixture(t, "GET /v1/customers"), Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, _, ok := cat.Match("GET", "/V1/Customers"); ok {
		t.Fatalf("Match(GET /V1/Customers) = %s; want no route in a case-sensitive catalog", r.Key())
	}
}

func TestTwoParametersInOneSegmentIsAnError(t *testing.T) {
	_, err := Load(fixture(t, "GET /a/:x-:y"), Options{Eager: true})
	if err == nil {
		t.Fatal("Load accepted a segment with two parameters")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
