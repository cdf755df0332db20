// Package catalog holds the routes routedeck serves: for each route its
// method, path, docs and its variants (one or more named responses, the
// first being the default), each a status, headers and a body template. A catalog is a folder (or fs.FS) holding
// catalog.json, the manifest, and one template file per variant.
package catalog

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/routedeck/routedeck/internal/editdist"
	"github.com/routedeck/routedeck/render"
)

// ManifestName is the manifest's file name inside a catalog folder.
const ManifestName = "catalog.json"

// Kind sorts variants in two: Success (a status below 400) and Error (400
// and up). Route.Variant(Success) is a route's default variant and
// Route.Variant(Error) its first error.
type Kind string

// The two kinds of variant.
const (
	Success Kind = "success"
	Error   Kind = "error"
)

// ParseKind accepts "success" or "error".
func ParseKind(s string) (Kind, error) {
	switch Kind(strings.ToLower(strings.TrimSpace(s))) {
	case Success:
		return Success, nil
	case Error:
		return Error, nil
	}
	return "", fmt.Errorf("unknown variant %q (want success or error)", s)
}

// Other returns the opposite kind.
func (k Kind) Other() Kind {
	if k == Error {
		return Success
	}
	return Error
}

// Catalog is a loaded set of routes. It is read-only once loaded and safe
// for concurrent use; which variant is active lives in server.State.
type Catalog struct {
	Name    string
	Version string
	// StripeMockVersion names the stripe-mock release whose spec and
	// fixtures the catalog was generated from; the server sends it as
	// Stripe-Mock-Version, which stripe-go's test suite requires.
	StripeMockVersion string
	Routes            []*Route
	// Warnings are what an imported file has that the catalog cannot serve
	// as written (a Mockoon rule, a callback...): commands print them on
	// stderr and the UI can show them. The catalog serves everything else.
	Warnings []string
	// Imported names the format the catalog was converted from ("Mockoon"),
	// empty for a routedeck catalog.
	Imported string
	// Latency delays every answer (on top of each variant's).
	Latency time.Duration
	// DataBuckets are the shared state of a Mockoon environment.
	DataBuckets []render.DataBucket

	byKey map[string]*Route
	tree  *node
	// shadowed holds the shadowed routes, which only Next finds.
	shadowed *node
	// foldCase matches static path text case-insensitively (Mockoon's
	// routes); parameter values keep their case.
	foldCase bool
	fsys     fs.FS
}

// Files is the catalog as a folder: the manifest and its templates, as
// Export writes them.
func (c *Catalog) Files() fs.FS { return c.fsys }

// Route is one method + path.
type Route struct {
	Method  string // upper case
	Path    string // "/v1/customers/:customer"
	Group   string // resource group, e.g. "customers"
	Summary string // one line
	Docs    string // HTML, as Stripe writes it
	// Source says where the route comes from: "seed" (the original
	// listing), "spec" (Stripe's OpenAPI spec), or "" (a user's catalog).
	Source string
	// Samples are example values for the path parameters; SampleQuery and
	// SampleBody the example query (without "?") and body. Sample builds
	// the request show, the preview, fire and curl all use from them.
	Samples     map[string]string
	SampleQuery string
	SampleBody  string
	Variants    []*Variant
	// Params are the path parameter names in order.
	Params []string
	// ResponseMode is how a request picks a variant: "" (rules, then the
	// default), RANDOM, SEQUENTIAL, FALLBACK or DISABLE_RULES.
	ResponseMode string
	// Shadowed says an earlier route answers every request this one
	// matches: it answers only those the earlier routes pass on (Mockoon's
	// FALLBACK mode, when none of their rules holds). Matching never picks
	// it first; Catalog.Next finds it. ShadowedBy is the earlier route's
	// key, as the file wrote it. Reached says a request can get to it:
	// every earlier route matching its path is in FALLBACK mode.
	Shadowed   bool
	ShadowedBy string
	Reached    bool
	// Disabled says the route is listed but not served: requests go on to
	// the routes after it, as Mockoon's app does with a disabled route.
	Disabled bool

	index    int
	segments []string
}

// Variant is one of a route's responses.
type Variant struct {
	// Name is unique within the route ("success", "error", "429",
	// "200 example-name"); users pick variants by it.
	Name string
	// Kind is Error for a status of 400 and up, Success below.
	Kind        Kind
	Label       string
	Status      int
	ContentType string
	Headers     map[string]string
	// File is the template's path inside the catalog folder.
	File string
	// Templating is the template's dialect: routedeck's helpers (""),
	// Mockoon's ("mockoon") or none, the file is the body ("none").
	Templating render.Dialect
	// Rules pick the variant for the requests they hold for, combined
	// with RulesOperator ("OR" or "AND"); package choose evaluates them.
	Rules         []Rule
	RulesOperator string
	// Latency delays the answer, on top of the catalog's.
	Latency time.Duration
	// Order is the variant's place among the file's responses (1, 2...),
	// 0 when the catalog's order is the file's.
	Order int
	// headerTpls caches compiled header templates by their text.
	headerTpls sync.Map

	// body is the template, read and parsed once however many variants
	// of the catalog name its file (the embedded catalog's shared errors).
	body *body
	// compact says the variant has a compact JSON form (RenderCompact).
	compact bool
}

// body is one template file of a catalog in one dialect: its text and its
// parsed forms, each made on first use.
type body struct {
	fsys    fs.FS
	file    string
	dialect render.Dialect

	readOnce sync.Once
	source   string
	readErr  error

	once sync.Once
	tpl  *render.Template
	err  error

	compactOnce sync.Once
	compactTpl  *render.Template
	compactErr  error
}

// bodyKey finds a catalog's shared body of a file in a dialect.
type bodyKey struct {
	file    string
	dialect render.Dialect
}

// read loads the template text once.
func (v *Variant) read() error {
	b := v.body
	b.readOnce.Do(func() {
		data, err := readFile(b.fsys, b.file)
		b.source, b.readErr = string(data), err
	})
	return b.readErr
}

// Source is the template text.
func (v *Variant) Source() (string, error) {
	if err := v.read(); err != nil {
		return "", fmt.Errorf("%s: %w", v.File, err)
	}
	return v.body.source, nil
}

// Key is "METHOD /path", the form users type on the command line.
func (r *Route) Key() string { return r.Method + " " + r.Path }

// Index is the route's position in the catalog.
func (r *Route) Index() int { return r.index }

// Variant returns the default variant for Success and the first variant
// with a status of 400 or more for Error: nil when the route has none.
func (r *Route) Variant(k Kind) *Variant {
	if k == Success {
		return r.Variants[0]
	}
	if i := r.FirstError(); i >= 0 {
		return r.Variants[i]
	}
	return nil
}

// FirstError is the index of the route's first variant with a status of
// 400 or more, -1 when it has none.
func (r *Route) FirstError() int {
	for i, v := range r.Variants {
		if v.Kind == Error {
			return i
		}
	}
	return -1
}

// VariantNamed finds a variant by its name (exactly, else ignoring case)
// and returns its index, -1 when the route has no such variant.
func (r *Route) VariantNamed(name string) int {
	for i, v := range r.Variants {
		if v.Name == name {
			return i
		}
	}
	for i, v := range r.Variants {
		if strings.EqualFold(v.Name, name) {
			return i
		}
	}
	return -1
}

// VariantWithStatus is the index of the route's first variant answering
// status, -1 when none does.
func (r *Route) VariantWithStatus(status int) int {
	for i, v := range r.Variants {
		if v.Status == status {
			return i
		}
	}
	return -1
}

// FindVariant resolves what a user typed to a variant index: a status
// ("429": the first variant with it), a variant's name, or "success" and
// "error" (the default and the first error). Its error is one line naming
// the route's variants and, where one is close, the likely one.
func (r *Route) FindVariant(s string) (int, error) {
	s = strings.TrimSpace(s)
	if st, err := strconv.Atoi(s); err == nil {
		if i := r.VariantWithStatus(st); i >= 0 {
			return i, nil
		}
	}
	if i := r.VariantNamed(s); i >= 0 {
		return i, nil
	}
	if k, err := ParseKind(s); err == nil {
		if k == Success {
			return 0, nil
		}
		if i := r.FirstError(); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("route %s has no error variant (its variants: %s)", r.Key(), r.variantList())
	}
	names := make([]string, len(r.Variants))
	for i, v := range r.Variants {
		names[i] = v.Name
	}
	hint := ""
	if near := editdist.Closest(s, names); near != "" {
		hint = fmt.Sprintf("; did you mean %q?", near)
	}
	return -1, fmt.Errorf("route %s has no variant %q (its variants: %s)%s", r.Key(), s, r.variantList(), hint)
}

// variantList is "success (200), error (404)".
func (r *Route) variantList() string {
	var b strings.Builder
	for i, v := range r.Variants {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%d)", v.Name, v.Status)
	}
	return b.String()
}

// Template returns the compiled template, parsing it on first use. A
// catalog loaded from disk has already parsed every template, so this only
// parses lazily for the embedded catalog, whose templates the tests prove.
func (v *Variant) Template() (*render.Template, error) {
	b := v.body
	b.once.Do(func() {
		src, err := v.Source()
		if err != nil {
			b.err = err
			return
		}
		b.tpl, b.err = render.CompileDialect(v.File, src, v.Templating)
	})
	return b.tpl, b.err
}

// Render executes the variant's template for req.
func (v *Variant) Render(req *render.Request) (string, error) {
	tpl, err := v.Template()
	if err != nil {
		return "", err
	}
	return tpl.Exec(req)
}

// Lookup finds a route by its key, "GET /v1/customers/:customer". The
// method is case-insensitive and surrounding spaces are ignored.
func (c *Catalog) Lookup(key string) (*Route, bool) {
	method, path, ok := strings.Cut(strings.TrimSpace(key), " ")
	if !ok {
		return nil, false
	}
	r, ok := c.byKey[strings.ToUpper(method)+" "+strings.TrimSpace(path)]
	return r, ok
}
