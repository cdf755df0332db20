// Package source opens whatever a user points routedeck at: a catalog
// folder (or its catalog.json), or a Mockoon environment file, recognised
// by its contents.
package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
)

// Open loads the catalog at path: a folder as written by export, its
// catalog.json, or a Mockoon environment (bare or exported). What an
// imported file has that the catalog does not serve is in its Warnings.
func Open(path string) (*catalog.Catalog, error) {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || filepath.Base(path) == catalog.ManifestName {
		return catalog.LoadDir(path)
	}
	cat, err := mockoon.Open(path)
	if errors.Is(err, mockoon.ErrNotMockoon) {
		return nil, fmt.Errorf("%s: not a routedeck catalog folder or a Mockoon environment", path)
	}
	return cat, err
}
