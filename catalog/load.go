package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// Manifest is catalog.json as written on disk. Exported for tools that
// write catalogs (the generator of the embedded one).
type Manifest struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// StripeMockVersion names the stripe-mock release whose spec and
	// fixtures the catalog was generated from ("0.203.0"), if any.
	StripeMockVersion string `json:"stripeMockVersion,omitempty"`
	// CaseInsensitive matches static path text regardless of case, as
	// Mockoon does.
	CaseInsensitive bool `json:"caseInsensitive,omitempty"`
	// Latency (ms) delays every answer (Mockoon's environment latency).
	Latency int `json:"latency,omitempty"`
	// DataBuckets are the state a Mockoon environment's templates and
	// rules share, rendered once when serving starts.
	DataBuckets []render.DataBucket `json:"dataBuckets,omitempty"`
	// CommonVariants are variants every route has after its own: the
	// errors any route of the API can give (Stripe's 401, 429 and 500).
	// Each names its file, which all routes share; a route's own variant
	// of the same name replaces it there.
	CommonVariants []ManifestVariant `json:"commonVariants,omitempty"`
	Routes         []ManifestRoute   `json:"routes"`
}

// ManifestRoute is one route of the manifest.
type ManifestRoute struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Group   string            `json:"group,omitempty"`
	Summary string            `json:"summary,omitempty"`
	Docs    string            `json:"docs,omitempty"`
	Source  string            `json:"source,omitempty"`
	Samples map[string]string `json:"samples,omitempty"`
	// SampleQuery and SampleBody are the query (without "?") and body of
	// the route's sample request (see Route.Sample).
	SampleQuery string `json:"sampleQuery,omitempty"`
	SampleBody  string `json:"sampleBody,omitempty"`
	// ResponseMode is how a request picks its variant (see ResponseModes).
	ResponseMode string `json:"responseMode,omitempty"`
	// ShadowedBy names the earlier route ("GET /users/:id") that answers
	// every request this one matches: this route answers only the requests
	// earlier routes pass on (Mockoon's FALLBACK mode). It may repeat an
	// earlier route's method and path.
	ShadowedBy string `json:"shadowedBy,omitempty"`
	// Disabled lists the route without serving it: requests go on to the
	// routes after it (a Mockoon route disabled in its file).
	Disabled bool              `json:"disabled,omitempty"`
	Variants []ManifestVariant `json:"variants"`
}

// ManifestVariant is one variant of a route. The first variant of a route
// is its default. An empty Name means the Kind ("success", "error"), else
// the status, made unique; an empty ContentType means application/json and
// an empty File means DefaultFile.
type ManifestVariant struct {
	Name string `json:"name,omitempty"`
	// Kind is "success" or "error", or empty. Older manifests name their
	// two variants by it; a "success" variant is the default wherever it is.
	Kind        string            `json:"kind,omitempty"`
	Label       string            `json:"label,omitempty"`
	Status      int               `json:"status"`
	ContentType string            `json:"contentType,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	File        string            `json:"file,omitempty"`
	// Templating is "" (routedeck's helpers), "mockoon" or "none".
	Templating string `json:"templating,omitempty"`
	// Rules pick this variant for the requests they hold for, combined
	// with RulesOperator ("OR", the default, or "AND").
	Rules         []Rule `json:"rules,omitempty"`
	RulesOperator string `json:"rulesOperator,omitempty"`
	// Latency (ms) delays the answer, on top of the catalog's.
	Latency int `json:"latency,omitempty"`
	// Order is the variant's place among the route's responses in the
	// file it came from (1, 2...), which rules and SEQUENTIAL follow; 0
	// keeps the manifest's order.
	Order int `json:"order,omitempty"`
}

// Options change how a catalog loads.
type Options struct {
	// Eager parses every template while loading, so template errors are
	// reported before serving. Catalogs from disk always load eagerly.
	Eager bool
	// Source names the catalog in errors (a folder, or "embedded catalog").
	Source string
	// Manifest, when set, is the catalog's manifest already decoded (an
	// importer builds one): catalog.json in fsys is not read.
	Manifest *Manifest
}

// Embedded loads the catalog compiled into the binary. Its templates are
// parsed on first use; TestEmbeddedTemplatesParse proves they all parse.
func Embedded() (*Catalog, error) {
	// The manifest comes as Go values (catalog.json, generated with it, is
	// the same; TestEmbeddedManifestMatchesJSON proves it): no JSON to
	// decode at start-up.
	c, err := Load(embed.Catalog, Options{Source: "embedded catalog", Manifest: embeddedManifest()})
	if err != nil {
		return nil, err
	}
	// Its templates are generated JSON: each has a compact form.
	for _, r := range c.Routes {
		for _, v := range r.Variants {
			v.compact = v.ContentType == "application/json" && v.Templating == ""
		}
	}
	return c, nil
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
	// Every file is opened through the root, which refuses links (and
	// "..") that lead outside the folder. Loading from disk is eager, so
	// nothing is read after the root closes.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", dir, unwrapPathError(err))
	}
	defer root.Close()
	return Load(root.FS(), Options{Eager: true, Source: dir})
}

// Load reads a catalog from fsys. Every problem is an error naming the
// file, and where it applies the route and the manifest line.
func Load(fsys fs.FS, opts Options) (*Catalog, error) {
	src := opts.Source
	if src == "" {
		src = "catalog"
	}
	m, data := opts.Manifest, []byte(nil)
	if m == nil {
		var err error
		if data, err = readFile(fsys, ManifestName); err != nil {
			return nil, fmt.Errorf("%s: %w", joinName(src, ManifestName), err)
		}
		if m, err = parseManifest(data); err != nil {
			var le *lineError
			if errors.As(err, &le) {
				return nil, fmt.Errorf("%s:%d: %s", joinName(src, ManifestName), le.line, le.msg)
			}
			return nil, fmt.Errorf("%s: %w", joinName(src, ManifestName), err)
		}
	}
	// Line numbers are only needed for errors: find them then.
	line := func(i int) int {
		starts, err := routeStarts(data)
		if err != nil || i >= len(starts) {
			return 0
		}
		return lineAt(data, starts[i])
	}
	where := func(i int) string {
		name := joinName(src, ManifestName)
		if l := line(i); l > 0 {
			return fmt.Sprintf("%s:%d", name, l)
		}
		return fmt.Sprintf("%s: route %d", name, i+1)
	}
	routeAt := func(r *Route) string {
		if l := line(r.index); l > 0 {
			return fmt.Sprintf("the route on line %d", l)
		}
		return fmt.Sprintf("route %d", r.index+1)
	}
	c := &Catalog{
		Name:              m.Name,
		Version:           m.Version,
		StripeMockVersion: m.StripeMockVersion,
		Routes:            make([]*Route, 0, len(m.Routes)),
		byKey:             make(map[string]*Route, len(m.Routes)),
		tree:              &node{},
		foldCase:          m.CaseInsensitive,
		fsys:              fsys,
		Latency:           time.Duration(m.Latency) * time.Millisecond,
		DataBuckets:       m.DataBuckets,
	}
	if m.Latency < 0 {
		return nil, fmt.Errorf("%s: latency %d ms is negative", joinName(src, ManifestName), m.Latency)
	}
	if c.Name == "" {
		c.Name = "Untitled catalog"
	}
	for i, mv := range m.CommonVariants {
		if strings.TrimSpace(mv.Name) == "" || mv.File == "" {
			return nil, fmt.Errorf("%s: commonVariants: variant %d: give it a name and a file (every route shares them)", joinName(src, ManifestName), i+1)
		}
	}
	n := len(m.CommonVariants)
	for _, mr := range m.Routes {
		n += len(mr.Variants)
	}
	b := &builder{fsys: fsys, src: src, eager: opts.Eager, bodies: make(map[bodyKey]*body, n),
		routeSlab: make([]Route, 0, len(m.Routes)), variantSlab: make([]Variant, 0, n), bodySlab: make([]body, 0, n)}
	if len(m.CommonVariants) > 0 {
		b.common = make(map[string]*Variant, len(m.CommonVariants))
	}
	for i, mr := range m.Routes {
		r, err := b.route(mr, withCommon(mr.Variants, m.CommonVariants))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(i), err)
		}
		r.index = len(c.Routes)
		key := r.Key()
		if r.Shadowed {
			// Behind earlier routes only if one matches its path; else
			// it answers its requests as any route does.
			var found bool
			found, r.Reached = c.behind(r)
			if !found {
				r.Shadowed, r.ShadowedBy, r.Reached = false, "", false
			}
		}
		switch {
		case r.Disabled:
			// Listed, never matched: requests go on to the routes after it.
		case r.Shadowed:
			// Behind an earlier route: reached only through Next.
			if c.shadowed == nil {
				c.shadowed = &node{}
			}
			c.shadowed.insertLater(r, c.foldCase)
		default:
			if prev, dup := c.byKey[key]; dup && !prev.Disabled && !prev.Shadowed {
				return nil, fmt.Errorf("%s: route %s: duplicate of %s", where(i), key, routeAt(prev))
			}
			if prev := c.tree.insert(r, c.foldCase); prev != nil {
				if prev.Path == r.Path || cleanPath(prev.Path) == cleanPath(r.Path) {
					return nil, fmt.Errorf("%s: route %s: duplicate of %s", where(i), key, routeAt(prev))
				}
				return nil, fmt.Errorf("%s: route %s: conflicts with %s (%s): the same requests match both", where(i), key, routeAt(prev), prev.Key())
			}
		}
		// Lookup finds the route that answers a key first: a matched
		// route before a shadowed or disabled one of the same key.
		if prev, ok := c.byKey[key]; !ok || (prev.Disabled || prev.Shadowed) && !r.Disabled && !r.Shadowed {
			c.byKey[key] = r
		}
		c.Routes = append(c.Routes, r)
	}
	if opts.Eager {
		if err := c.compileAll(src); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseManifest decodes catalog.json. Its errors are *lineError where the
// line is known, worded in the manifest's terms.
func parseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	// A misspelt field ("stauts", "contentype") would otherwise be ignored
	// without a word.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, manifestError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &lineError{lineAt(data, int(dec.InputOffset())), "unexpected text after the manifest's closing brace"}
	}
	if len(m.Routes) == 0 {
		return nil, fmt.Errorf("no routes (want a \"routes\" array)")
	}
	return &m, nil
}

// lineError is a manifest error at a line.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// lineAt is the 1-based line of a byte offset.
func lineAt(data []byte, off int) int {
	return 1 + bytes.Count(data[:max(0, min(off, len(data)))], []byte("\n"))
}

// routeStarts walks the manifest's tokens to find the offset where each
// element of "routes" starts.
func routeStarts(data []byte) ([]int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var starts []int
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
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil, fmt.Errorf("routes is not an array")
		}
		for dec.More() {
			off := int(dec.InputOffset())
			// Skip the separator and spaces between the previous element and this one.
			for off < len(data) && (data[off] == ',' || data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t') {
				off++
			}
			starts = append(starts, off)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return nil, err
		}
	}
	return starts, nil
}

// manifestError words encoding/json's errors for someone editing the
// manifest: the line, the route, the field as the manifest names it and
// what it must be. No Go type names.
func manifestError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &lineError{lineAt(data, int(se.Offset)), strings.TrimPrefix(se.Error(), "json: ")}
	case errors.As(err, &te):
		field := te.Field
		where := ""
		if rest, ok := strings.CutPrefix(field, "routes."); ok {
			field = rest
			where = routeLabel(data, int(te.Offset)) + ": "
		}
		return &lineError{lineAt(data, int(te.Offset)), fmt.Sprintf("%s%s must be %s, not %s", where, fieldWords(field), wantWords(te.Type), foundWords(te.Value))}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("unexpected end of file")
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return unknownField(data, field)
	}
	return err
}

// unknownField words encoding/json's unknown field error with the line
// and route where the field (quoted, as json quotes it) first appears.
func unknownField(data []byte, quoted string) error {
	name, err := strconv.Unquote(quoted)
	if err != nil {
		name = strings.Trim(quoted, `"`)
	}
	key, _ := json.Marshal(name)
	for off := 0; ; {
		i := bytes.Index(data[off:], key)
		if i < 0 {
			return fmt.Errorf("unknown field %s", key)
		}
		i += off
		rest := bytes.TrimLeft(data[i+len(key):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			where := ""
			if label := routeLabel(data, i); label != "a route" {
				where = label + ": "
			}
			return &lineError{lineAt(data, i), fmt.Sprintf("%sunknown field %s", where, key)}
		}
		off = i + len(key)
	}
}

// routeLabel names the route holding a byte offset: `route "GET /x"`, or
// `route 3` when its method or path is not text.
func routeLabel(data []byte, off int) string {
	starts, err := routeStarts(data)
	i := -1
	if err == nil {
		for k, s := range starts {
			if s <= off {
				i = k
			}
		}
	}
	if i < 0 {
		return "a route"
	}
	var r struct {
		Method, Path any
	}
	dec := json.NewDecoder(bytes.NewReader(data[starts[i]:]))
	if dec.Decode(&r) == nil {
		method, ok1 := r.Method.(string)
		p, ok2 := r.Path.(string)
		if ok1 && ok2 {
			return fmt.Sprintf("route %q", strings.ToUpper(method)+" "+p)
		}
	}
	return fmt.Sprintf("route %d", i+1)
}

// fieldWords turns "variants.status" into "variant status".
func fieldWords(field string) string {
	parts := strings.Split(field, ".")
	for i, p := range parts {
		if p == "variants" && i < len(parts)-1 {
			parts[i] = "variant"
		}
	}
	return strings.Join(parts, " ")
}

func wantWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// foundWords describes the JSON value encoding/json found ("string",
// "number 200.5", "bool", "array", "object").
func foundWords(v string) string {
	switch {
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	case v == "bool":
		return "true or false"
	case v == "array" || v == "object":
		return "an " + v
	}
	return "a " + v
}

var methods = map[string]bool{
	http.MethodGet: true, http.MethodPost: true, http.MethodDelete: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodHead: true, http.MethodOptions: true,
}

// buildRoute makes a Route of a manifest entry. With eager false the
// templates are read on first use (the embedded catalog, whose files the
// tests prove); otherwise every file is read now.
// builder builds a catalog's routes.
type builder struct {
	fsys  fs.FS
	src   string
	eager bool
	// bodies are the catalog's templates, one per file and dialect.
	bodies map[bodyKey]*body
	// common are the common variants built so far, by name (names are
	// unique within a route): every route has the same one (nothing about
	// it depends on the route), so it is built once, not once per route.
	common map[string]*Variant
	// The routes, variants and bodies are allocated together, a few
	// large blocks rather than thousands of small objects among the
	// garbage loading leaves (which would keep the heap's pages half
	// used once it is collected).
	routeSlab   []Route
	variantSlab []Variant
	bodySlab    []body
}

// next is the next unused element of slab, or a new T once slab is full.
func next[T any](slab *[]T) *T {
	s := *slab
	if len(s) == cap(s) {
		return new(T)
	}
	*slab = s[:len(s)+1]
	return &(*slab)[len(s)]
}

// route builds one route of the manifest, with the common variants it
// does not name itself.
func (bd *builder) route(mr ManifestRoute, common []ManifestVariant) (*Route, error) {
	fsys, src, eager, bodies := bd.fsys, bd.src, bd.eager, bd.bodies
	method := strings.ToUpper(strings.TrimSpace(mr.Method))
	if !methods[method] {
		return nil, fmt.Errorf("route %q %q: unknown method %q", mr.Method, mr.Path, mr.Method)
	}
	segs, params, err := splitPattern(mr.Path)
	if err != nil {
		return nil, fmt.Errorf("route %s %s: %w", method, mr.Path, err)
	}
	r := next(&bd.routeSlab)
	*r = Route{
		Method:      method,
		Path:        mr.Path,
		Group:       mr.Group,
		Summary:     mr.Summary,
		Docs:        mr.Docs,
		Source:      mr.Source,
		Samples:     mr.Samples,
		SampleQuery: mr.SampleQuery,
		SampleBody:  mr.SampleBody,
		Params:      params,
		segments:    segs,

		ResponseMode: mr.ResponseMode,
		Shadowed:     mr.ShadowedBy != "",
		ShadowedBy:   mr.ShadowedBy,
		Disabled:     mr.Disabled,
	}
	if err := checkMode(mr.ResponseMode); err != nil {
		return nil, fmt.Errorf("route %s: %w", r.Key(), err)
	}
	if r.Group == "" {
		r.Group = defaultGroup(segs)
	}
	if len(mr.Variants) == 0 {
		return nil, fmt.Errorf("route %s: no variants (want at least one)", r.Key())
	}
	// Legacy manifests mark variants "success" and "error"; the success
	// one is the default, whatever the order.
	variants := mr.Variants
	for i, mv := range variants {
		if i > 0 && strings.EqualFold(strings.TrimSpace(mv.Kind), string(Success)) {
			variants = append([]ManifestVariant{mv}, slices.Delete(slices.Clone(variants), i, i+1)...)
			break
		}
	}
	n := len(variants) + len(common)
	r.Variants = make([]*Variant, 0, n)
	named := func(name string) int { // the position of the variant named name, or -1
		for i, v := range r.Variants {
			if v.Name == name {
				return i
			}
		}
		return -1
	}
	for i := range n {
		var mv ManifestVariant
		if i < len(variants) {
			mv = variants[i]
		} else {
			mv = common[i-len(variants)]
		}
		what := func() string {
			if mv.Name != "" {
				return fmt.Sprintf("variant %q", mv.Name)
			}
			return fmt.Sprintf("variant %d", i+1)
		}
		if mv.Kind != "" {
			if _, err := ParseKind(mv.Kind); err != nil {
				return nil, fmt.Errorf("route %s: %s: kind: %w", r.Key(), what(), err)
			}
		}
		if mv.Status < 100 || mv.Status > 599 {
			return nil, fmt.Errorf("route %s: %s: status %d is not an HTTP status", r.Key(), what(), mv.Status)
		}
		name := strings.TrimSpace(mv.Name)
		if mv.Name != "" && name == "" || strings.ContainsAny(name, "\n\r\t") {
			return nil, fmt.Errorf("route %s: %s: a name must be one line of text", r.Key(), what())
		}
		if name == "" {
			// Unnamed: its kind ("success").
			name = strings.ToLower(strings.TrimSpace(mv.Kind))
		}
		if name != "" {
			if prev := named(name); prev >= 0 {
				return nil, fmt.Errorf("route %s: variants %d and %d are both named %q (names must differ within a route)", r.Key(), prev+1, i+1, name)
			}
		} else {
			// Else its status, made unique.
			name = strconv.Itoa(mv.Status)
			for n, base := 2, name; ; n++ {
				if named(name) < 0 && !explicitName(variants, name) && !explicitName(common, name) {
					break
				}
				name = fmt.Sprintf("%s-%d", base, n)
			}
		}
		shared := i >= len(variants) // one of the catalog's common variants
		if v := bd.common[name]; shared && v != nil {
			r.Variants = append(r.Variants, v)
			continue
		}
		what = func() string { return fmt.Sprintf("variant %q", name) }
		if mv.File == "" {
			mv.File = DefaultFile(method, mr.Path, name)
		}
		if !fs.ValidPath(mv.File) {
			return nil, fmt.Errorf("route %s: %s: file %q must be a relative path inside the catalog", r.Key(), what(), mv.File)
		}
		dialect, err := render.ParseDialect(mv.Templating)
		if err != nil {
			return nil, fmt.Errorf("route %s: %s: %w", r.Key(), what(), err)
		}
		kind := Success
		if mv.Status >= 400 {
			kind = Error
		}
		key := bodyKey{mv.File, dialect}
		b := bodies[key]
		if b == nil {
			b = next(&bd.bodySlab)
			*b = body{fsys: fsys, file: mv.File, dialect: dialect}
			bodies[key] = b
		}
		v := next(&bd.variantSlab)
		*v = Variant{Name: name, Kind: kind, Label: mv.Label, Status: mv.Status, ContentType: mv.ContentType, Headers: mv.Headers, File: mv.File, Templating: dialect, body: b}
		if err := checkRules(mv); err != nil {
			return nil, fmt.Errorf("route %s: %s: %w", r.Key(), what(), err)
		}
		applyRules(v, mv)
		if eager {
			if err := v.read(); err != nil {
				return nil, fmt.Errorf("route %s: %s: %s: %w", r.Key(), what(), joinName(src, mv.File), unwrapPathError(err))
			}
		}
		if v.ContentType == "" {
			v.ContentType = "application/json"
		}
		if shared {
			bd.common[name] = v
		}
		r.Variants = append(r.Variants, v)
	}
	return r, nil
}

// withCommon is the common variants a route does not name itself: all of
// them (no copy) unless the route names one.
func withCommon(own, common []ManifestVariant) []ManifestVariant {
	for i, c := range common {
		if explicitName(own, strings.TrimSpace(c.Name)) {
			out := slices.Clone(common[:i])
			for _, c := range common[i+1:] {
				if !explicitName(own, strings.TrimSpace(c.Name)) {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return common
}

// explicitName reports whether a variant of the manifest route is named name.
func explicitName(variants []ManifestVariant, name string) bool {
	for _, mv := range variants {
		if strings.TrimSpace(mv.Name) == name || mv.Name == "" && strings.EqualFold(strings.TrimSpace(mv.Kind), name) {
			return true
		}
	}
	return false
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
// no file: "routes/v1/customers/_customer/get.success.hbs" for the
// variant named "success" of GET /v1/customers/:customer (":" is not
// allowed in file names everywhere). Characters of the name that are not
// safe in a file name become "_".
func DefaultFile(method, routePath, name string) string {
	// One allocation: every variant without a file of every route asks.
	var b strings.Builder
	b.Grow(len("routes/") + len(routePath) + len(method) + 1 + len(name) + len(".hbs"))
	b.WriteString("routes")
	for p := routePath; p != ""; {
		var seg string
		if i := strings.IndexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			seg, p = p, ""
		}
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		// ":" is not allowed in file names everywhere: "_" stands for it.
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; c == ':' {
				b.WriteByte('_')
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('/')
	ascii := true
	for i := 0; i < len(method); i++ {
		if method[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		b.WriteString(strings.ToLower(method))
	}
	for i := 0; ascii && i < len(method); i++ {
		c := method[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	b.WriteByte('.')
	for _, c := range name {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b.WriteByte(byte(c))
		} else {
			b.WriteByte('_')
		}
	}
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

// compileAll parses every template concurrently and renders each once
// with its route's sample request, so a template that would fail, or
// (for JSON variants) render invalid JSON, is reported now rather than on
// every request. It reports the first error in catalog order, naming the
// file and, where known, the line.
func (c *Catalog) compileAll(src string) error {
	// A common variant is every route's: it is checked with each.
	var variants []*Variant
	var owners []*Route
	for _, r := range c.Routes {
		for _, v := range r.Variants {
			variants = append(variants, v)
			owners = append(owners, r)
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
				errs[i] = variants[i].check(owners[i])
			}
		}()
	}
	for i := range variants {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		v := variants[i]
		file := joinName(src, v.File)
		var le *render.LineError
		if errors.As(err, &le) {
			file = fmt.Sprintf("%s:%d", file, le.Line)
			err = errors.New(le.Msg)
		}
		msg := strings.TrimPrefix(err.Error(), v.File+": ")
		return fmt.Errorf("%s: route %s (%s variant): %s", file, owners[i].Key(), v.Name, msg)
	}
	return nil
}

// check compiles the variant's template and renders it once with the
// route's sample request.
func (v *Variant) check(r *Route) error {
	tpl, err := v.Template()
	if err != nil {
		return err
	}
	if v.Templating != render.Routedeck {
		// An imported file is served as written, as its own tool serves
		// it: a body that is broken there is broken here too.
		return nil
	}
	if isJSON(v.ContentType) {
		return tpl.CheckJSON(r.SampleRequest())
	}
	_, err = tpl.Exec(r.SampleRequest())
	return err
}

// isJSON reports whether a content type is JSON (application/json or a
// +json type such as application/problem+json).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
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

// maxManifestBytes bounds catalog.json (the embedded one is well under 1 MiB).
const maxManifestBytes = 64 << 20

// readFile reads a catalog file, refusing files too large to be a
// manifest or template before reading them, and wording the refusal of a
// link that leads outside the catalog folder.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	limit := int64(render.MaxTemplateBytes)
	if name == ManifestName {
		limit = maxManifestBytes
	}
	// Stat first: opening a named pipe would wait for a writer forever.
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, readError(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", describeMode(st.Mode()))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, readError(err)
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, fmt.Errorf("%d bytes, more than the %d MiB allowed", st.Size(), limit>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, readError(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("more than the %d MiB allowed", limit>>20)
	}
	return data, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + m.String()
}

// readError words os.Root's refusal of a path that leaves the folder.
func readError(err error) error {
	if strings.Contains(err.Error(), "path escapes from parent") {
		return errors.New("refused: a link leading outside the catalog folder")
	}
	return unwrapPathError(err)
}
