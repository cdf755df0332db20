//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/stripe"
)

// serve stores the seed (every list route's sample objects) whether the
// catalog is the embedded one (whose seed was generated with it) or an
// exported copy (whose seed is rendered at start), built in the
// background or, with a new --state file, before serving; --seed none
// stores none. With --strict an id the store lacks is a 404, so a 200 proves
// the object was stored.
func TestServeStoresTheSeed(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // retrieve path -> the seed object's JSON
	for _, o := range stripe.Seed(cat) {
		switch o.Type {
		case "customer", "charge", "product":
			want["/v1/"+o.Type+"s/"+o.ID] = o.JSON
		}
	}
	if len(want) != 3 {
		t.Fatalf("the seed has %d customers, charges and products; want one of each", len(want))
	}
	dir := filepath.Join(t.TempDir(), "stripe")
	if out, err := exec_(t, "export", dir); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"--quiet", "--strict"},
		{"--quiet", "--strict", "--catalog", dir},
		{"--quiet", "--strict", "--state", filepath.Join(t.TempDir(), "state.json")},
		{"--quiet", "--strict", "--seed", "none"},
	} {
		none := args[len(args)-1] == "none"
		_, url, _ := startServe(t, args...)
		for path, obj := range want {
			code, body := get(t, url+path)
			switch {
			case none && code != 404:
				t.Errorf("%v: GET %s: %d %.200s; want 404, nothing stored", args, path, code, body)
			case !none && (code != 200 || !strings.HasPrefix(compactJSON(t, body), compactJSON(t, obj)[:200])):
				t.Errorf("%v: GET %s: %d %.300s; want the seed object", args, path, code, body)
			}
		}
		if code, body := get(t, url+"/v1/customers/cus_notseeded"); code != 404 {
			t.Errorf("%v: GET an id not in the seed: %d %.200s; want 404", args, code, body)
		}
	}
}

// compactJSON is s without the whitespace between its tokens.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, s)
	}
	return b.String()
}
