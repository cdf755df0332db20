package main

import (
	"fmt"
	"testing/fstest"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/stripe"
)

// storeSeedFile is the key of the store's seed among the generated files;
// -seed names where it is written (go generate writes embed/seed.json).
const storeSeedFile = "seed.json"

// storeSeed renders the store's seed (stripe.Seed) from the generated
// catalog, so that serving the embedded catalog compiles no template for
// it: the same objects, byte for byte (stripe.SeedJSON).
func storeSeed(m *catalog.Manifest, files map[string][]byte) ([]byte, error) {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	cat, err := catalog.Load(fsys, catalog.Options{Manifest: m, Source: "generated catalog"})
	if err != nil {
		return nil, fmt.Errorf("store seed: %w", err)
	}
	seed := stripe.Seed(cat)
	if len(seed) == 0 {
		return nil, fmt.Errorf("store seed: no list route has a sample object")
	}
	return stripe.SeedJSON(seed), nil
}
