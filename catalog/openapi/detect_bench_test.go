package openapi_test

import (
	"os"
	"testing"

	"github.com/routedeck/routedeck/catalog/openapi"
)

// BenchmarkDetectMockoon is what recognising a document costs a Mockoon
// environment (1 MB), which every file is checked for first.
func BenchmarkDetectMockoon(b *testing.B) {
	data, err := os.ReadFile("../../../shared/reference/mockoon-stripe.json")
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if openapi.Detect(data) {
			b.Fatal("detected")
		}
	}
}
