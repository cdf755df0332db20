package mockoon_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/mockoontest"
)

// The Mockoon files the import is proven on: real environments from
// Mockoon's samples and tutorials, and the seed's Stripe environment.
const (
	environments = "../../../shared/testdata/mockoon/environments"
	stripeFile   = "../../../shared/reference/mockoon-stripe.json"
)

func testFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(environments, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("Mockoon test environments not found in %s", environments)
	}
	if _, err := os.Stat(stripeFile); err == nil {
		files = append(files, stripeFile)
	}
	return files
}

// expected is what a route must answer, read from the file by the test
// itself (not by the importer): Mockoon's default response.
type expected struct {
	method, path string
	status       int
	errStatus    int // the first response of 400 or more, else the default's
	responses    int // how many responses the route has
	headers      map[string]string
	contentType  string
	body         string
	templated    bool
	// setsStatus: the template sets its own status ({{status 429}}), which
	// may differ from request to request (a rate limit).
	setsStatus bool
	literal    bool
}

// rawEnvironment reads the parts of a Mockoon file the test checks.
func rawEnvironment(t *testing.T, file string) (prefix string, routes []expected, skipped []string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		EndpointPrefix string `json:"endpointPrefix"`
		Headers        []struct{ Key, Value string }
		Routes         []struct {
			Type      string `json:"type"`
			Method    string `json:"method"`
			Endpoint  string `json:"endpoint"`
			Responses []struct {
				StatusCode        any    `json:"statusCode"`
				Default           *bool  `json:"default"`
				Body              string `json:"body"`
				BodyType          string `json:"bodyType"`
				DisableTemplating bool   `json:"disableTemplating"`
				Headers           []struct{ Key, Value string }
			} `json:"responses"`
		} `json:"routes"`
	}
	var wrapper struct {
		Source string `json:"source"`
		Data   []struct {
			Type string          `json:"type"`
			Item json.RawMessage `json:"item"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &wrapper); err == nil && strings.HasPrefix(wrapper.Source, "mockoon:") {
		data = wrapper.Data[0].Item
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	for _, r := range env.Routes {
		p := "/" + strings.Trim(strings.Trim(env.EndpointPrefix, "/")+"/"+strings.Trim(r.Endpoint, "/"), "/")
		if r.Type == "ws" || len(r.Responses) == 0 {
			skipped = append(skipped, strings.ToUpper(r.Method)+" "+p)
			continue
		}
		def := r.Responses[0]
		for _, res := range r.Responses {
			if res.Default != nil && *res.Default {
				def = res
				break
			}
		}
		e := expected{method: strings.ToUpper(r.Method), path: p, status: 200, headers: map[string]string{},
			body: def.Body, templated: strings.Contains(def.Body, "{{"), literal: def.DisableTemplating,
			setsStatus: !def.DisableTemplating && setsStatus.MatchString(def.Body)}
		status := func(v any) int {
			switch s := v.(type) {
			case float64:
				return int(s)
			case string:
				if s != "" {
					return atoi(t, s)
				}
			}
			return 200
		}
		e.status, e.errStatus, e.responses = status(def.StatusCode), status(def.StatusCode), len(r.Responses)
		for _, res := range r.Responses {
			if st := status(res.StatusCode); st >= 400 {
				e.errStatus = st
				break
			}
		}
		for _, hs := range [][]struct{ Key, Value string }{env.Headers, def.Headers} {
			for _, h := range hs {
				if h.Key == "" {
					continue
				}
				if strings.EqualFold(h.Key, "Content-Type") {
					e.contentType = h.Value
					continue
				}
				e.headers[h.Key] = h.Value
			}
		}
		if def.BodyType == "DATABUCKET" {
			e.body, e.templated = "", true // the bucket's value, checked as JSON only
		}
		routes = append(routes, e)
	}
	return env.EndpointPrefix, routes, skipped
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatalf("status %q: %v", s, err)
	}
	return n
}

// setsStatus finds Mockoon's status helper in a template.
var setsStatus = regexp.MustCompile(`\{\{~?\s*status\s`)

// TestEveryEnvironmentServesItsDefaultResponses opens every test file,
// checks that it lists every route, and serves each one over real HTTP:
// the default response's status and headers, its body where it is not a
// template, and valid JSON wherever the content type says JSON.
func TestEveryEnvironmentServesItsDefaultResponses(t *testing.T) {
	for _, file := range testFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, routes, skipped := rawEnvironment(t, file)
			cat, err := mockoon.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			warnings := strings.Join(cat.Warnings, "\n")
			for _, key := range skipped {
				if !strings.Contains(warnings, key) {
					t.Errorf("route %s is not served and not in the warnings:\n%s", key, warnings)
				}
			}
			ts, _, _ := mockoontest.Serve(t, cat)
			for _, want := range routes {
				key := want.method + " " + want.path
				r, ok := cat.Lookup(key)
				if !ok {
					if strings.Contains(warnings, key) {
						continue // listed as not served (an earlier route answers it)
					}
					t.Errorf("route %s is missing from the catalog", key)
					continue
				}
				if r.Shadowed {
					// Behind an earlier route that answers all its
					// requests: listed, and served only through FALLBACK.
					if owner, ok := cat.Lookup(r.ShadowedBy); (!ok || owner.ResponseMode != "FALLBACK") && !strings.Contains(warnings, key) {
						t.Errorf("route %s is shadowed and not in the warnings:\n%s", key, warnings)
					}
					continue
				}
				checkServed(t, ts.URL, r, want)
			}
			if len(cat.Routes) > len(routes) {
				t.Errorf("catalog has %d routes; the file has %d", len(cat.Routes), len(routes))
			}
		})
	}
}

func checkServed(t *testing.T, base string, r *catalog.Route, want expected) {
	t.Helper()
	key := r.Key()
	target := base + r.SamplePath(r.SampleParams())
	req, err := http.NewRequest(want.method, target, nil)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(r.Variants) != want.responses {
		t.Errorf("%s: %d variants; the file has %d responses", key, len(r.Variants), want.responses)
	}
	// The error variant, picked per request as the UI's toggle would.
	ereq, _ := http.NewRequest(want.method, target, nil)
	ereq.Header.Set("Prefer", "example=error")
	if eresp, err := http.DefaultClient.Do(ereq); err != nil {
		t.Fatalf("%s: %v", key, err)
	} else {
		eresp.Body.Close()
		if want.errStatus < 200 {
			want.errStatus = http.StatusOK // as the default's, below
		}
		if eresp.StatusCode != want.errStatus && !want.setsStatus {
			t.Errorf("%s: error variant status %d; want %d", key, eresp.StatusCode, want.errStatus)
		}
	}
	if want.status < 200 {
		// An informational status cannot end a response; the warnings say so.
		want.status = http.StatusOK
	}
	if resp.StatusCode != want.status {
		t.Errorf("%s %s: status %d; want %d (body %.200s)", want.method, target, resp.StatusCode, want.status, body)
		return
	}
	for k, v := range want.headers {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: header %s = %q; want %q", key, k, got, v)
		}
	}
	ct := resp.Header.Get("Content-Type")
	if want.contentType != "" && ct != want.contentType {
		t.Errorf("%s: Content-Type %q; want %q", key, ct, want.contentType)
	}
	if want.method == http.MethodHead {
		return
	}
	if (!want.templated || want.literal) && string(body) != want.body {
		t.Errorf("%s: body %.200q; want the file's %.200q", key, body, want.body)
	}
	// An empty body is no body (the file's own choice, served as Mockoon
	// serves it); any other body must parse.
	if strings.Contains(ct, "json") && len(strings.TrimSpace(string(body))) > 0 && !json.Valid(body) {
		if !json.Valid([]byte(skeleton(want.body))) {
			// Mockoon serves this body broken too: the file's JSON is broken.
			t.Logf("%s: the file's own body is not JSON; served as written", key)
			return
		}
		// Random values can break JSON in Mockoon too (faker 'string.numeric'
		// with a leading zero as a JSON number): the body's structure must
		// be JSON, so one of a few more answers must parse.
		for range 20 {
			if again := get(t, req); json.Valid(again) {
				t.Logf("%s: a random value broke the JSON once; the template's structure is JSON", key)
				return
			}
		}
		t.Errorf("%s: Content-Type %s but the body is not JSON: %.300s", key, ct, body)
	}
}

var (
	blockTag = regexp.MustCompile(`\{\{~?\s*([#/][^}]*|else\s*)~?\}\}`)
	valueTag = regexp.MustCompile(`\{\{\{?[^}]*\}?\}\}`)
)

// skeleton is a template with its block tags removed and every value
// replaced by 1: valid JSON when the file's body is JSON-shaped.
func skeleton(tpl string) string {
	return valueTag.ReplaceAllString(blockTag.ReplaceAllString(tpl, ""), "1")
}

func get(t *testing.T, req *http.Request) []byte {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body
}
