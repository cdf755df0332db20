// Package embed holds the Stripe catalog compiled into routedeck: the
// manifest (catalog/catalog.json) and one Handlebars template per variant,
// the data of the Stripe rules (stripe.json) and the store's seed
// (seed.json).
// The files are written by `go generate ./embed` (see internal/gencatalog);
// edit the generator, not the files.
package embed

import (
	"embed"
	"io/fs"
)

//go:generate go run ../internal/gencatalog -out catalog -rules stripe.json -go ../catalog/embedded_manifest.go -seed seed.json

//go:embed all:catalog
var files embed.FS

// Stripe is the data of package stripe's rules: every operation's
// parameters and every resource's expandable fields, with fixtures.
//
//go:embed stripe.json
var Stripe []byte

// Seed is the store's seed for the embedded catalog: every list route's
// sample objects as a JSON array, each as the catalog renders it
// (stripe.Seed, stripe.ParseSeed).
//
//go:embed seed.json
var Seed string

// Catalog is the embedded catalog folder, rooted at its manifest.
var Catalog fs.FS = mustSub(files, "catalog")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and "catalog" is valid.
		panic(err)
	}
	return sub
}
