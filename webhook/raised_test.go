package webhook_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/webhook"
)

// Every event type the server raises by name (package stripe's sources)
// is one that `routedeck trigger` and the events pane's n know: they read
// one list, webhook.Types.
func TestTypesCoverWhatTheServerRaises(t *testing.T) {
	known := webhook.Types()
	resources := map[string]bool{}
	for _, typ := range known {
		resources[typ[:strings.LastIndex(typ, ".")]] = true
	}
	files, err := filepath.Glob("../stripe/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package stripe: %v", err)
	}
	literal := regexp.MustCompile(`"([a-z_]+(?:\.[a-z_]+)*)\.([a-z_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			name := m[0][1 : len(m[0])-1]
			if !resources[m[1]] || resources[name] {
				continue // not an event ("customer.subscription" is a resource)
			}
			seen++
			if !slices.Contains(known, name) {
				t.Errorf("%s raises %s, which webhook.Types does not list", filepath.Base(f), m[0])
			}
		}
	}
	if seen < 20 {
		t.Fatalf("found %d event types in package stripe; the pattern no longer matches how it names them", seen)
	}
}
