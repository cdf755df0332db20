package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/routedeck/routedeck/embed"
)

// Manifest is catalog.json as written on disk. Exported for tools that
// write catalogs (the generator of the embedded one).
type Manifest struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// StripeMockVersion names the stripe-mock release whose spec and
	// fixtures the catalog was generated from ("0.203.0"), if any.
	StripeMockVersion string          `json:"stripeMockVersion,omitempty"`
	Routes            []ManifestRoute `json:"routes"`
}

// ManifestRoute is one route of the manifest.
type ManifestRoute struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Group    string            `json:"group,omitempty"`
	Summary  string            `json:"summary,omitempty"`
	Docs     string            `json:"docs,omitempty"`
	Source   string            `json:"source,omitempty"`
	Samples  map[string]string `json:"samples,omitempty"`
	Variants []ManifestVariant `json:"variants"`
}

// ManifestVariant is one variant of a route. An empty ContentType means
// application/json and an empty File means DefaultFile.
type ManifestVariant struct {
	Kind        string            `json:"kind"`
	Label       string            `json:"label,omitempty"`
	Status      int               `json:"status"`
	ContentType string            `json:"contentType,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	File        string            `json:"file,omitempty"`
}

// Options change how a catalog loads.
type Options struct {
	// Eager parses every template while loading, so template errors are
	// reported before serving. Catalogs from disk always load eagerly.
	Eager bool
	// Source names the catalog in errors (a folder, or "embedded catalog").
	Source string
}

// Embedded loads the catalog compiled into the binary. Its templates are
// parsed on first use; TestEmbeddedTemplatesParse proves they all parse.
func Embedded() (*Catalog, error) {
	return Load(embed.Catalog, Options{Source: "embedded catalog"})
}

// LoadDir loads a catalog folder (as written by Export), parsing every template.
func LoadDir(dir string) (*Catalog, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", dir, unwrapPathError(err))
	}
	if !st.IsDir() && filepath.Base(dir) == ManifestName {
		// The manifest itself names its folder.
		return LoadDir(filepath.Dir(dir))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("catalog %s: not a folder (want a folder holding %s)", dir, ManifestName)
	}
	return Load(os.DirFS(dir), Options{Eager: true, Source: dir})
}

// Load reads a catalog from fsys. Every problem is an error naming the
// file, and where it applies the route and the manifest line.
func Load(fsys fs.FS, opts Options) (*Catalog, error) {
	src := opts.Source
	if src == "" {
		src = "catalog"
	}
	data, err := fs.ReadFile(fsys, ManifestName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", joinName(src, ManifestName), err)
	}
	m, err := parseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", joinName(src, ManifestName), err)
	}
	// Line numbers are only needed for errors: find them then.
	where := func(i int) string {
		name := joinName(src, ManifestName)
		lines, err := routeLines(data)
		if err != nil || i >= len(lines) {
			return fmt.Sprintf("%s: route %d", name, i+1)
		}
		return fmt.Sprintf("%s:%d", name, lines[i])
	}
	c := &Catalog{
		Name:              m.Name,
		Version:           m.Version,
		StripeMockVersion: m.StripeMockVersion,
		Routes:            make([]*Route, 0, len(m.Routes)),
		byKey:             make(map[string]*Route, len(m.Routes)),
		tree:              &node{},
	}
	if c.Name == "" {
		c.Name = "Untitled catalog"
	}
	for i, mr := range m.Routes {
		r, err := buildRoute(fsys, src, mr, opts.Eager)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(i), err)
		}
		r.index = len(c.Routes)
		if prev, dup := c.byKey[r.Key()]; dup {
			return nil, fmt.Errorf("%s: route %s: duplicate of route %d", where(i), r.Key(), prev.index+1)
		}
		if err := c.tree.insert(r); err != nil {
			return nil, fmt.Errorf("%s: route %s: %w", where(i), r.Key(), err)
		}
		c.byKey[r.Key()] = r
		c.Routes = append(c.Routes, r)
	}
	if opts.Eager {
		if err := c.compileAll(src); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseManifest decodes catalog.json.
func parseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsonError(data, err)
	}
	if len(m.Routes) == 0 {
		return nil, fmt.Errorf("no routes (want a \"routes\" array)")
	}
	return &m, nil
}

// routeLines walks the manifest's tokens to find where each element of
// "routes" starts.
func routeLines(data []byte) ([]int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var lines []int
	line, counted := 1, int64(0)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		if key != "routes" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := dec.Token(); err != nil { // [
			return nil, err
		}
		for dec.More() {
			off := dec.InputOffset()
			// Skip the separator and spaces between the previous element and this one.
			for off < int64(len(data)) && (data[off] == ',' || data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t') {
				off++
			}
			line += bytes.Count(data[counted:off], []byte("\n"))
			counted = off
			lines = append(lines, line)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return nil, err
		}
	}
	return lines, nil
}

// jsonError adds a line number to encoding/json's errors.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("line %d: %v", 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")), err)
	case errors.As(err, &te):
		return fmt.Errorf("line %d: field %s: %v", 1+bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")), te.Field, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("unexpected end of file")
	}
	return err
}

var methods = map[string]bool{
	http.MethodGet: true, http.MethodPost: true, http.MethodDelete: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodHead: true, http.MethodOptions: true,
}

// buildRoute makes a Route of a manifest entry. With eager false the
// templates are read on first use (the embedded catalog, whose files the
// tests prove); otherwise every file is read now.
func buildRoute(fsys fs.FS, src string, mr ManifestRoute, eager bool) (*Route, error) {
	method := strings.ToUpper(strings.TrimSpace(mr.Method))
	if !methods[method] {
		return nil, fmt.Errorf("route %q %q: unknown method %q", mr.Method, mr.Path, mr.Method)
	}
	segs, params, err := splitPattern(mr.Path)
	if err != nil {
		return nil, fmt.Errorf("route %s %s: %w", method, mr.Path, err)
	}
	r := &Route{
		Method:   method,
		Path:     mr.Path,
		Group:    mr.Group,
		Summary:  mr.Summary,
		Docs:     mr.Docs,
		Source:   mr.Source,
		Samples:  mr.Samples,
		Params:   params,
		segments: segs,
	}
	if r.Group == "" {
		r.Group = defaultGroup(segs)
	}
	seen := map[Kind]bool{}
	for _, mv := range mr.Variants {
		kind, err := ParseKind(mv.Kind)
		if err != nil {
			return nil, fmt.Errorf("route %s: %w", r.Key(), err)
		}
		if seen[kind] {
			return nil, fmt.Errorf("route %s: two %s variants", r.Key(), kind)
		}
		seen[kind] = true
		if mv.Status < 100 || mv.Status > 599 {
			return nil, fmt.Errorf("route %s: %s variant: status %d is not an HTTP status", r.Key(), kind, mv.Status)
		}
		if mv.File == "" {
			mv.File = DefaultFile(method, mr.Path, kind)
		}
		if !fs.ValidPath(mv.File) {
			return nil, fmt.Errorf("route %s: %s variant: file %q must be a relative path inside the catalog", r.Key(), kind, mv.File)
		}
		v := &Variant{Kind: kind, Label: mv.Label, Status: mv.Status, ContentType: mv.ContentType, Headers: mv.Headers, File: mv.File, fsys: fsys}
		if eager {
			if err := v.read(); err != nil {
				return nil, fmt.Errorf("route %s: %s variant: %s: %w", r.Key(), kind, joinName(src, mv.File), unwrapPathError(err))
			}
		}
		if v.ContentType == "" {
			v.ContentType = "application/json"
		}
		r.Variants = append(r.Variants, v)
	}
	for _, k := range []Kind{Success, Error} {
		if !seen[k] {
			return nil, fmt.Errorf("route %s: no %s variant (every route needs success and error)", r.Key(), k)
		}
	}
	// Success first, whatever the manifest's order.
	if r.Variants[0].Kind != Success {
		r.Variants[0], r.Variants[1] = r.Variants[1], r.Variants[0]
	}
	return r, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func joinName(src, file string) string {
	if src == "" || strings.Contains(src, " ") && !strings.ContainsAny(src, "/\\") {
		return src + ": " + file
	}
	return filepath.Join(src, filepath.FromSlash(file))
}

// DefaultFile is where a variant's template lives when the manifest names
// no file: "routes/v1/customers/_customer/get.success.hbs" for
// GET /v1/customers/:customer (":" is not allowed in file names everywhere).
func DefaultFile(method, routePath string, kind Kind) string {
	var b strings.Builder
	b.WriteString("routes")
	for _, seg := range strings.Split(strings.Trim(routePath, "/"), "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		if seg[0] == ':' {
			b.WriteByte('_')
			seg = seg[1:]
		}
		b.WriteString(seg)
	}
	b.WriteByte('/')
	b.WriteString(strings.ToLower(method))
	b.WriteByte('.')
	b.WriteString(string(kind))
	b.WriteString(".hbs")
	return b.String()
}

// defaultGroup is the first static segment after the version ("customers").
func defaultGroup(segs []string) string {
	for i, s := range segs {
		if i == 0 && (s == "v1" || s == "v2") {
			continue
		}
		if !strings.HasPrefix(s, ":") {
			return s
		}
	}
	return "other"
}

// compileAll parses every template concurrently and reports the first
// error in catalog order.
func (c *Catalog) compileAll(src string) error {
	var variants []*Variant
	owners := map[*Variant]*Route{}
	for _, r := range c.Routes {
		for _, v := range r.Variants {
			variants = append(variants, v)
			owners[v] = r
		}
	}
	errs := make([]error, len(variants))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				_, errs[i] = variants[i].Template()
			}
		}()
	}
	for i := range variants {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			v := variants[i]
			msg := strings.TrimPrefix(err.Error(), v.File+": ")
			return fmt.Errorf("%s: route %s (%s variant): template error: %s", joinName(src, v.File), owners[v].Key(), v.Kind, msg)
		}
	}
	return nil
}

// Export writes the embedded catalog (or any catalog fs) to dir, so a user
// can edit bodies and load them back with --catalog. It refuses to
// overwrite an existing manifest.
func Export(fsys fs.FS, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err == nil {
		return fmt.Errorf("export: %s already exists; choose an empty folder", filepath.Join(dir, ManifestName))
	}
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("export: %s: %w", p, err)
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	})
}

// cleanPath is path.Clean for request paths, keeping a leading slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	return path.Clean(p)
}
