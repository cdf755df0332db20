// Command gencatalog writes routedeck's embedded Stripe catalog: the
// manifest (catalog.json) and one Handlebars template per variant.
//
// Routes come from routes.md (the seed listing, in its order); bodies come
// from Stripe's OpenAPI spec and fixtures as shipped in stripe-mock, and
// from retired/*.json for APIs the current spec no longer has. Run it with
// `go generate ./embed`; its output is deterministic.
package main

import (
	"github.com/routedeck/routedeck/catalog"

	"bytes"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"

	stripemock "github.com/stripe/stripe-mock/embedded"

	"github.com/routedeck/routedeck/stripe"
)

//go:embed routes.md
var routesMD []byte

//go:embed retired/*.json
var retiredFS embed.FS

type gen struct {
	spec     *spec
	fixtures map[string]*node
	stats    map[string]int
}

func main() {
	out := flag.String("out", "catalog", "catalog folder to write")
	quiet := flag.Bool("q", false, "do not print a summary")
	rules := flag.String("rules", "", "also write the data of package stripe's rules (validation, expand) to this file")
	goFile := flag.String("go", "", "also write the manifest as Go source for package catalog to this file")
	seedFile := flag.String("seed", "", "also write the store's seed (every list route's sample objects, as JSON) to this file")
	flag.Parse()
	if *rules != "" {
		if err := writeRules(*rules); err != nil {
			fmt.Fprintln(os.Stderr, "gencatalog:", err)
			os.Exit(1)
		}
	}
	files, stats, err := generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	goSrc := files[manifestGoFile]
	delete(files, manifestGoFile)
	seedJSON := files[storeSeedFile]
	delete(files, storeSeedFile)
	if err := write(*out, files); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	if *goFile != "" {
		if err := os.WriteFile(*goFile, goSrc, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gencatalog:", err)
			os.Exit(1)
		}
	}
	if *seedFile != "" {
		if err := os.WriteFile(*seedFile, seedJSON, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gencatalog:", err)
			os.Exit(1)
		}
	}
	if !*quiet {
		fmt.Printf("gencatalog: %d files; routes by source: fixture %d, equivalent %d, hand-written %d\n",
			len(files), stats["fixture"], stats["equivalent"], stats["hand-written"])
	}
}

// generate returns every file of the catalog by its slash path.
func generate() (map[string][]byte, map[string]int, error) {
	sp, err := loadSpec(stripemock.OpenAPISpec)
	if err != nil {
		return nil, nil, err
	}
	fixtures, err := loadFixtures(sp)
	if err != nil {
		return nil, nil, err
	}
	g := &gen{spec: sp, fixtures: fixtures, stats: map[string]int{}}
	retired, _ := retiredFS.ReadDir("retired")
	for _, e := range retired {
		data, err := retiredFS.ReadFile("retired/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		n, err := parseOrdered(data)
		if err != nil {
			return nil, nil, fmt.Errorf("retired/%s: %w", e.Name(), err)
		}
		g.fixtures[strings.TrimSuffix(e.Name(), ".json")] = n
	}
	seed, err := parseSeed(routesMD)
	if err != nil {
		return nil, nil, fmt.Errorf("routes.md: %w", err)
	}
	files := map[string][]byte{}
	mockVersion, err := stripeMockVersion()
	if err != nil {
		return nil, nil, err
	}
	m := catalog.Manifest{Name: stripe.CatalogName, Version: sp.version, StripeMockVersion: mockVersion}
	for _, x := range commonErrors() {
		files[x.file] = []byte(x.body)
		m.CommonVariants = append(m.CommonVariants, catalog.ManifestVariant{Name: x.name, Label: x.label, Status: x.status, File: x.file})
	}
	for _, r := range mergeRoutes(seed, g.specRoutes(seed)) {
		mr, err := g.route(r, files)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
		}
		m.Routes = append(m.Routes, mr)
	}
	if err := sampleBodies(&m, files); err != nil {
		return nil, nil, err
	}
	data, err := encodeManifest(m)
	if err != nil {
		return nil, nil, err
	}
	files["catalog.json"] = data
	goSrc, err := manifestGo(m)
	if err != nil {
		return nil, nil, err
	}
	files[manifestGoFile] = goSrc
	seedJSON, err := storeSeed(&m, files)
	if err != nil {
		return nil, nil, err
	}
	files[storeSeedFile] = seedJSON
	return files, g.stats, nil
}

// loadFixtures reads stripe-mock's fixtures, keyed by x-resourceId, each
// cleaned (cleanFixture: no placeholders, nothing its status contradicts).
func loadFixtures(sp *spec) (map[string]*node, error) {
	fx, err := parseOrdered(stripemock.OpenAPIFixtures)
	if err != nil {
		return nil, fmt.Errorf("fixtures: %w", err)
	}
	fixtures := map[string]*node{}
	res := fx.get("resources")
	for i, k := range res.keys {
		f := res.vals[i]
		if id := f.get("id"); id != nil && id.kind == 's' && id.str == "" && knownPrefixes(k) != "" {
			// A few fixtures have an empty id; Stripe never sends one.
			f.set("id", strNode(knownPrefixes(k)+"_"+fakeIDTail))
		}
		fixtures[k] = f
	}
	if err := newCleaner(sp, fixtures).cleanAll(fixtures); err != nil {
		return nil, fmt.Errorf("fixtures: %w", err)
	}
	return fixtures, nil
}

// manifestGoFile is the key of the manifest as Go source among the
// generated files; -go names where it is written (go generate writes
// catalog/embedded_manifest.go).
const manifestGoFile = "embedded_manifest.go"

// stripeMockVersion is the version of the stripe-mock module the spec and
// fixtures come from, as stripe-mock's releases write it ("0.203.0").
func stripeMockVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/stripe/stripe-mock" {
				if d.Replace != nil {
					d = d.Replace
				}
				return strings.TrimPrefix(d.Version, "v"), nil
			}
		}
	}
	return "", fmt.Errorf("cannot tell which stripe-mock version is linked (no module build info)")
}

// undocumented holds docs for the few listed routes whose listing has
// none: older forms of routes Stripe still documents elsewhere.
var undocumented = map[string]string{
	"POST /v1/application_fees/:id/refund": "<p>Refunds an application fee that has previously been collected but not yet refunded. " +
		"This older form is superseded by <code>POST /v1/application_fees/:id/refunds</code>.</p>",
	"POST /v1/charges/:charge/dispute": "<p>Updates the dispute on a charge, for example to submit evidence. " +
		"This older form is superseded by <code>POST /v1/disputes/:dispute</code>.</p>",
	"POST /v1/charges/:charge/dispute/close": "<p>Closes the dispute on a charge, accepting it as lost. " +
		"This older form is superseded by <code>POST /v1/disputes/:dispute/close</code>.</p>",
	"GET /v1/customers/:customer/discount":                                        "<p>Retrieves the discount applied to a customer.</p>",
	"GET /v1/customers/:customer/subscriptions/:subscription_exposed_id/discount": "<p>Retrieves the discount applied to one of a customer's subscriptions.</p>",
}

func (g *gen) route(r seedRoute, files map[string][]byte) (catalog.ManifestRoute, error) {
	s := routeShape(r.Path)
	p, err := g.planFor(r)
	if err != nil {
		return catalog.ManifestRoute{}, err
	}
	g.stats[p.source]++
	mr := catalog.ManifestRoute{
		Method:  r.Method,
		Path:    r.Path,
		Group:   s.group(),
		Summary: p.summary,
		Docs:    r.Docs,
		Source:  r.Source,
	}
	if mr.Docs == "" {
		mr.Docs = undocumented[r.Method+" "+r.Path]
	}
	if mr.Summary == "" {
		mr.Summary = firstSentence(mr.Docs)
	}
	if len(s.params) > 0 {
		mr.Samples = map[string]string{}
		for _, i := range s.params {
			name := s.param(i)
			mr.Samples[name] = g.sampleFor(name, s.paramObject(i))
		}
		// The route's own object decides its id's shape.
		if s.endsInParam() && p.kind == "object" {
			if f := g.fixture(p.resource); f != nil && f.getString("id") != "" && s.lastParam() != "country" && s.lastParam() != "capability" {
				mr.Samples[s.lastParam()] = f.getString("id")
			}
		}
	}
	labels := []string{"Successful response.", "Error response."}
	for i, l := range r.Labels {
		if i < 2 && l != "" {
			labels[i] = l
		}
	}
	body, err := g.successBody(r, s, p)
	if err != nil {
		return catalog.ManifestRoute{}, err
	}
	ct := "application/json"
	if p.kind == "pdf" {
		ct = "application/pdf"
	}
	file := s.file(r.Method, "success")
	files[file] = []byte(body)
	mr.Variants = append(mr.Variants, variantEntry(r, "success", labels[0], 200, ct, file))
	status, ebody := g.errorBody(r, s, p)
	efile := s.file(r.Method, "error")
	files[efile] = []byte(ebody)
	mr.Variants = append(mr.Variants, variantEntry(r, "error", labels[1], status, "application/json", efile))
	for _, x := range declineVariants(r.Method + " " + r.Path) {
		files[x.file] = []byte(x.body)
		mr.Variants = append(mr.Variants, catalog.ManifestVariant{Name: x.name, Label: x.label, Status: x.status, File: x.file})
	}
	return mr, nil
}

// variantEntry leaves out the fields that have their default value.
func variantEntry(r seedRoute, kind, label string, status int, contentType, file string) catalog.ManifestVariant {
	v := catalog.ManifestVariant{Kind: kind, Label: label, Status: status, ContentType: contentType, File: file}
	if v.ContentType == "application/json" {
		v.ContentType = ""
	}
	if v.File == catalog.DefaultFile(r.Method, r.Path, kind) {
		v.File = ""
	}
	return v
}

// encodeManifest writes the manifest with one route per line: compact
// enough to load in about a millisecond, and easy to grep and diff.
func encodeManifest(m catalog.Manifest) ([]byte, error) {
	var b bytes.Buffer
	head, err := marshal(struct {
		Name              string                    `json:"name"`
		Version           string                    `json:"version"`
		StripeMockVersion string                    `json:"stripeMockVersion"`
		CommonVariants    []catalog.ManifestVariant `json:"commonVariants"`
	}{m.Name, m.Version, m.StripeMockVersion, m.CommonVariants})
	if err != nil {
		return nil, err
	}
	b.Write(head[:len(head)-1]) // without the closing brace
	b.WriteString(`,"routes":[` + "\n")
	for i, r := range m.Routes {
		line, err := marshal(r)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		if i < len(m.Routes)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// firstSentence is the docs' first sentence as plain text.
func firstSentence(docs string) string {
	text := strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(docs, " "))), " ")
	text = strings.ReplaceAll(text, " .", ".")
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text
}

// write replaces the catalog folder's manifest and routes with files,
// removing templates it no longer writes.
func write(dir string, files map[string][]byte) error {
	for _, sub := range []string{"routes", sharedDir} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		target := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}
