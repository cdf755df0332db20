package catalog

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/embed"
)

// TestEmbeddedTemplatesParse keeps the shipped catalog loadable: every
// template parses and renders its sample to a non-empty body.
func TestEmbeddedTemplatesParse(t *testing.T) {
	cat, err := Load(embed.Catalog, Options{Eager: true, Source: "embedded catalog"})
	if err != nil {
		t.Fatal(err)
	}
	seed := 0
	for _, r := range cat.Routes {
		if r.Source == "seed" {
			seed++
		}
	}
	if seed != 384 || len(cat.Routes) != 650 {
		t.Errorf("got %d routes, %d from the seed; want 650, 384 from the seed", len(cat.Routes), seed)
	}
	for _, r := range cat.Routes {
		for _, v := range r.Variants {
			out, err := v.Render(r.SampleRequest())
			if err != nil {
				t.Errorf("%s (%s): %v", r.Key(), v.Kind, err)
				continue
			}
			switch {
			case v.ContentType == "application/pdf":
				if !strings.HasPrefix(out, "%PDF-") {
					t.Errorf("%s (%s): not a PDF", r.Key(), v.Kind)
				}
			case !json.Valid([]byte(out)) || len(strings.TrimSpace(out)) < 3:
				t.Errorf("%s (%s): invalid or empty JSON", r.Key(), v.Kind)
			}
			if v.Kind == Error && v.Status < 400 {
				t.Errorf("%s: error variant has status %d", r.Key(), v.Status)
			}
		}
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := Embedded(); err != nil {
			b.Fatal(err)
		}
	}
}
