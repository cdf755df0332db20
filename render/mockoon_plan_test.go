package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Mockoon template of the test environments (and the seed's Stripe
// file, its old faker names migrated as the importer migrates them) that a
// plan runs prints what raymond prints: byte for byte where raymond prints
// the same again and again (no random helper); where it does not, valid
// JSON of the same structure (members, and the kind of each value) when
// raymond's is JSON of one structure. Plans exist for nine in ten.
func TestMockoonPlanPrintsWhatRaymondPrints(t *testing.T) {
	files, _ := filepath.Glob("../../shared/testdata/mockoon/environments/*.json")
	files = append(files, "../../shared/reference/mockoon-stripe.json")
	fakerName := regexp.MustCompile(`(faker\s+['"])([A-Za-z0-9]+\.[A-Za-z0-9]+)(['"])`)
	req := &Request{Method: "POST", Path: "/v1/users/7", Params: map[string]string{"id": "7", "userId": "7"},
		RawQuery: "limit=3&page=2", Body: []byte(`{"name": "Ann", "age": 31}`), ContentType: "application/json"}
	planned, compared, total, shaped, fakers := 0, 0, 0, 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Skip(err)
		}
		for _, body := range bodies(t, data) {
			body = fakerName.ReplaceAllStringFunc(body, func(m string) string {
				p := fakerName.FindStringSubmatch(m)
				if to, ok := FakerV5Names[p[2]]; ok {
					return p[1] + to + p[3]
				}
				return m
			})
			tpl, err := CompileDialect("t.hbs", body, Mockoon)
			if err != nil {
				continue
			}
			if tpl.plan != nil {
				continue // plain text
			}
			total++
			if tpl.mplan == nil {
				continue
			}
			planned++
			rt, err := tpl.raymond()
			if err != nil {
				t.Fatalf("raymond cannot parse what the plan ran: %v", err)
			}
			a, err := tpl.execRaymond(rt, req)
			if err != nil {
				continue // an error raymond reports (the plan falls back to it)
			}
			// A body with one random boolean prints the same seven times
			// in 64 runs; seventeen alike, once in 65,536.
			var other string
			for i := 0; i < 16 && other == ""; i++ {
				b, err := tpl.execRaymond(rt, req)
				if err != nil {
					break
				}
				if b != a {
					other = b
				}
			}
			if other != "" {
				// Random: compare structures, where raymond prints JSON of
				// one structure.
				if !json.Valid([]byte(a)) || !json.Valid([]byte(other)) || jsonShape(t, a) != jsonShape(t, other) {
					continue
				}
				shaped++
				if strings.Contains(body, "faker") {
					fakers++
				}
				for range 2 {
					got, ok := tpl.mplan.exec(req)
					if !ok || !json.Valid([]byte(got)) || jsonShape(t, got) != jsonShape(t, a) {
						t.Errorf("%s: plan printed %.300q (ok %v); raymond prints the structure %.300s\ntemplate: %.300s", filepath.Base(f), got, ok, jsonShape(t, a), body)
						break
					}
				}
				continue
			}
			compared++
			got, ok := tpl.mplan.exec(req)
			if !ok || got != a {
				t.Errorf("%s: plan printed %q (ok %v); raymond %q\ntemplate: %.300s", filepath.Base(f), got, ok, a, body)
			}
		}
	}
	t.Logf("%d templated bodies: %d planned, %d compared byte for byte, %d random ones (%d with faker calls) by structure", total, planned, compared, shaped, fakers)
	if planned < total*9/10 || compared < 20 || shaped < 20 || fakers < 10 {
		t.Errorf("only %d of %d templates planned, %d compared, %d by structure (%d with fakers)", planned, total, compared, shaped, fakers)
	}
}

// bodies are the response bodies of a Mockoon file (bare or exported).
func bodies(t *testing.T, data []byte) []string {
	var any0 any
	if err := json.Unmarshal(data, &any0); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if b, ok := v["body"].(string); ok {
				if _, isResponse := v["statusCode"]; isResponse {
					out = append(out, b)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(any0)
	return out
}

// oneOf over a list of literals (built once by the plan) still picks
// every member, and prints each as raymond does.
func TestMockoonPlanOneOfLiterals(t *testing.T) {
	tpl, err := CompileDialect("t.hbs", `{{oneOf (array 'a&b' 2 true)}}|{{oneOf (array 'x' 'y') true}}`, Mockoon)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.mplan == nil {
		t.Fatal("no plan for oneOf over literals")
	}
	seen := map[string]bool{}
	for range 200 {
		out, err := tpl.Exec(&Request{})
		if err != nil {
			t.Fatal(err)
		}
		seen[out] = true
	}
	for _, want := range []string{`a&amp;b|"x"`, `2|"y"`, `true|"x"`} {
		if !seen[want] {
			t.Errorf("never printed %q; printed %v", want, seen)
		}
	}
	if len(seen) != 6 {
		t.Errorf("printed %d distinct bodies; want 6: %v", len(seen), seen)
	}
}
