package mockoon_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/routedeck/routedeck/catalog/mockoon"
)

// FuzzImport imports any bytes as a Mockoon file: bad input is an error
// naming what is wrong, never a panic.
func FuzzImport(f *testing.F) {
	f.Add([]byte(modern))
	f.Add([]byte(legacy))
	f.Add([]byte(`{"uuid": "x", "lastMigration": 33, "routes": [{"method": "all", "endpoint": "a/:b:c", "responses": [{}]}]}`))
	f.Add([]byte(`{"source": "mockoon:9", "data": [{"type": "route", "item": {"method": "get", "endpoint": "", "responses": [{"statusCode": "201"}]}}]}`))
	for _, file := range []string{filepath.Join(environments, "parliamentuk-search.json"), "testdata/fallback.json", "testdata/disabled.json"} {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		cat, err := mockoon.Import(data, "")
		if err != nil {
			return
		}
		if len(cat.Routes) == 0 {
			t.Fatal("a catalog without routes opened")
		}
		// Whatever route answers a route's sample request first, the
		// routes it may pass it on to come later in the file, each once.
		for _, r := range cat.Routes {
			s := r.Sample()
			cur, _, ok := cat.Match(s.Method, s.Path)
			for ok {
				if cur.Disabled {
					t.Fatalf("%s %s matched disabled route %s", s.Method, s.Path, cur.Key())
				}
				next, _, more := cat.Next(s.Method, s.Path, cur)
				if more && next.Index() <= cur.Index() {
					t.Fatalf("%s %s: Next after route %d is route %d", s.Method, s.Path, cur.Index(), next.Index())
				}
				cur, ok = next, more
			}
		}
	})
}
