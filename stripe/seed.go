package stripe

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/store"
)

// Seed is the store's start, like a Stripe test account with sample data:
// the objects of every top-level list route's sample (one fixture per
// resource, with its fixture id), so that lists are never empty on first
// look. Objects are stored as the catalog renders them.
//
// Rendering compiles every list route's template, which costs more than
// the rest of start-up: the embedded catalog's seed is generated with it
// (SeedJSON) and read back with ParseSeed.
func Seed(cat *catalog.Catalog) []store.Object {
	var out []store.Object
	seen := map[string]bool{}
	for _, r := range cat.Routes {
		if r.Method != http.MethodGet || len(r.Params) > 0 || strings.HasSuffix(r.Path, "/search") {
			continue
		}
		v := r.Variant(catalog.Success)
		if v == nil || v.ContentType != "application/json" {
			continue
		}
		body, err := v.Render(r.SampleRequest())
		if err != nil {
			continue
		}
		b := []byte(body)
		if topString(b, "object") != "list" {
			continue
		}
		sp, ok, err := member(b, "data")
		if err != nil || !ok {
			continue
		}
		data := b[sp.start:sp.end]
		els, err := elements(data)
		if err != nil {
			continue
		}
		for _, e := range els {
			el := data[e.start:e.end]
			id, typ := topString(el, "id"), topString(el, "object")
			if id == "" || typ == "" || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, store.Object{ID: id, Type: typ, JSON: string(el)})
		}
	}
	return out
}

// SeedJSON writes a seed as a JSON array of its objects, each as stored
// (byte for byte), for ParseSeed.
func SeedJSON(objs []store.Object) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, o := range objs {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(o.JSON)
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}

// ParseSeed reads a seed written by SeedJSON: the objects in their order,
// each with its "id" and "object". Their JSON is data's own text, not a
// copy.
func ParseSeed(data string) ([]store.Object, error) {
	b := view(data)
	els, err := elements(b)
	if err != nil {
		return nil, fmt.Errorf("seed: not a JSON array of objects: %w", err)
	}
	out := make([]store.Object, 0, len(els))
	seen := make(map[string]bool, len(els))
	for i, e := range els {
		el := b[e.start:e.end]
		id, typ := topString(el, "id"), topString(el, "object")
		if id == "" || typ == "" {
			return nil, fmt.Errorf("seed: object %d has no \"id\" or no \"object\"", i)
		}
		if seen[id] {
			return nil, fmt.Errorf("seed: object %d: id %q appears twice", i, id)
		}
		seen[id] = true
		out = append(out, store.Object{ID: id, Type: typ, JSON: data[e.start:e.end]})
	}
	return out, nil
}

// storeObjects answers expand[] from the store: what a request stored is
// what an expansion inserts (server.Keeper's objects; the spec's
// fixtures answer for ids never stored).
type storeObjects struct{ st store.Store }

// StoreObjects makes a store the source of expanded objects.
func StoreObjects(st store.Store) Objects { return storeObjects{st} }

func (s storeObjects) Object(resource, id string) ([]byte, bool) {
	if id == "" {
		return nil, false
	}
	obj, err := s.st.Get(context.Background(), id)
	if err != nil {
		return nil, false
	}
	return []byte(obj.JSON), true
}

// layered asks first, then fallback.
type layered struct{ first, fallback Objects }

func (l layered) Object(resource, id string) ([]byte, bool) {
	if b, ok := l.first.Object(resource, id); ok {
		return b, true
	}
	return l.fallback.Object(resource, id)
}
