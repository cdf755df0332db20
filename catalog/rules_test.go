package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A manifest's rules, modes and latencies are checked when it loads: one
// line naming the route and what is wrong.
func TestRulesAreChecked(t *testing.T) {
	variants := map[string]string{
		`"rules": [{"target": "bodies", "operator": "equals"}]`:            `rule 1: unknown target "bodies"`,
		`"rules": [{"target": "body", "operator": "like"}]`:                `rule 1: unknown operator "like"`,
		`"rules": [{"target": "body", "operator": "regex", "value": "("}]`: `rule 1: regex "(": error parsing regexp`,
		`"rulesOperator": "XOR"`:                                           `rulesOperator "XOR" (want AND or OR)`,
		`"latency": -5`:                                                    `latency -5 ms is negative`,
	}
	load := func(route, variant, top string) error {
		fsys := fstest.MapFS{
			"catalog.json": {Data: []byte(`{"name": "T", ` + top + `"routes": [{` + route + `"method": "GET", "path": "/a", "variants": [{"status": 200, "file": "a.hbs"` + variant + `}]}]}`)},
			"a.hbs":        {Data: []byte(`{}`)},
		}
		_, err := Load(fsys, Options{Eager: true})
		return err
	}
	want := `route GET /a: responseMode "ROUND_ROBIN" (want RANDOM, SEQUENTIAL, FALLBACK or DISABLE_RULES)`
	if err := load(`"responseMode": "ROUND_ROBIN", `, "", ""); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("an unknown response mode: %v; want one line with %q", err, want)
	}
	for v, want := range variants {
		if err := load("", ", "+v, ""); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "GET /a") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v; want one line naming GET /a with %q", v, err, want)
		}
	}
	if err := load("", "", `"latency": -1, `); err == nil || !strings.Contains(err.Error(), "latency -1 ms is negative") {
		t.Errorf("a negative catalog latency: %v", err)
	}
	if err := load(`"responseMode": "FALLBACK", `, `, "rules": [{"target": "query", "modifier": "a", "operator": "regex", "value": "{{queryParam 'x'}}("}], "latency": 5`, `"latency": 1, `); err != nil {
		t.Errorf("a valid manifest (a templated regex is checked when it renders): %v", err)
	}
}
