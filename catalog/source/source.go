// Package source opens whatever a user points routedeck at: a catalog
// folder (or its catalog.json), a Mockoon environment file or an OpenAPI
// 3.0/3.1 document (JSON or YAML), recognised by its contents.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/catalog/openapi"
)

// Open loads the catalog at path: a folder as written by export, its
// catalog.json, a Mockoon environment (bare or exported) or an OpenAPI
// document. What an imported file has that the catalog does not serve is
// in its Warnings.
func Open(path string) (*catalog.Catalog, error) { return open(path, false) }

// OpenLazy is Open, except that a Mockoon environment's templates are
// parsed on first use (see mockoon.ImportLazy; catalog.Warm parses them
// in the background): the terminal UI draws a large file's routes sooner.
func OpenLazy(path string) (*catalog.Catalog, error) { return open(path, true) }

func open(path string, lazy bool) (*catalog.Catalog, error) {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || filepath.Base(path) == catalog.ManifestName {
		return catalog.LoadDir(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if openapi.Detect(data) {
		cat, err := openapi.Import(data, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return cat, nil
	}
	var cat *catalog.Catalog
	if lazy {
		if cat, err = mockoon.ImportLazy(data, path); err != nil {
			err = fmt.Errorf("%s: %w", path, err)
		}
	} else {
		cat, err = mockoon.Open(path)
	}
	if errors.Is(err, mockoon.ErrNotMockoon) {
		return nil, fmt.Errorf("%s: not a routedeck catalog folder, a Mockoon environment or an OpenAPI 3 document", path)
	}
	return cat, err
}
