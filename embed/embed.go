// Package embed holds the Stripe catalog compiled into routedeck: the
// manifest (catalog/catalog.json) and one Handlebars template per variant,
// and the data of the Stripe rules (stripe.json).
// The files are written by `go generate ./embed` (see internal/gencatalog);
// edit the generator, not the files.
package embed

import (
	"embed"
	"io/fs"
)

//go:generate go run ../internal/gencatalog -out catalog -rules stripe.json -go ../catalog/embedded_manifest.go

//go:embed all:catalog
var files embed.FS

// Stripe is the data of package stripe's rules: every operation's
// parameters and every resource's expandable fields, with fixtures.
//
//go:embed stripe.json
var Stripe []byte

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
