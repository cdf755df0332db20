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
	if data, err := os.ReadFile(filepath.Join(environments, "parliamentuk-search.json")); err == nil {
		f.Add(data)
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
	})
}
