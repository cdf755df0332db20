// Package mockoon imports Mockoon environments: a Mockoon file (a bare
// environment, or Mockoon's {source, data} export) becomes a routedeck
// catalog with the same routes, answered the way Mockoon answers them.
//
// Every response of a route is a variant, the default one first; rules
// and response modes come along for package choose. Routes keep the
// file's order: a route that earlier routes answer entirely is kept behind
// them (ManifestRoute.ShadowedBy), answering only what they pass on in
// FALLBACK mode, and a route the file disables is listed, not served.
// What the catalog cannot serve as written (callbacks, CRUD and WebSocket
// routes, proxy mode, helpers routedeck lacks...) is listed in
// Catalog.Warnings, never dropped silently.
package mockoon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// Open reads the Mockoon file at path and builds its catalog. FILE bodies
// are read relative to the file's folder; none may leave it.
func Open(file string) (*catalog.Catalog, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, unwrapPathError(err))
	}
	cat, err := Import(data, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return cat, nil
}

// Import builds the catalog of a Mockoon file's contents. file names it in
// messages and locates FILE bodies ("" reads none).
func Import(data []byte, file string) (*catalog.Catalog, error) {
	return importData(data, file, true)
}

// ImportLazy is Import without parsing the templates now: each is parsed
// when its route first renders (or when catalog.Warm reaches it), and a
// broken one answers 500 with its error then, rather than being listed
// in the warnings. The terminal UI opens files so, to draw sooner.
func ImportLazy(data []byte, file string) (*catalog.Catalog, error) {
	return importData(data, file, false)
}

func importData(data []byte, file string, eager bool) (*catalog.Catalog, error) {
	fsys, m, warnings, err := convert(data, file)
	if err != nil {
		return nil, err
	}
	source := "Mockoon file"
	if file != "" {
		source = filepath.Base(file) + " (Mockoon)"
	}
	opts := catalog.Options{Eager: eager, Source: source, Manifest: m}
	cat, err := catalog.Load(fsys, opts)
	if err != nil && !eager {
		return nil, err
	}
	if err != nil {
		// One broken template does not keep Mockoon from serving the other
		// routes: it answers that route with the error. Neither does it here.
		opts.Eager = false
		lazy, lerr := catalog.Load(fsys, opts)
		if lerr != nil {
			return nil, err
		}
		broken := lazy.Warm(context.Background())
		if len(broken) == 0 {
			return nil, err
		}
		cat, warnings = lazy, append(warnings, broken...)
	}
	cat.Warnings, cat.Imported = warnings, "Mockoon"
	return cat, nil
}

// Convert turns a Mockoon file's contents into a routedeck catalog folder
// (catalog.json and one template per variant) and the list of what the
// catalog does not serve as Mockoon would.
func Convert(data []byte, file string) (fs.FS, []string, error) {
	fsys, _, warnings, err := convert(data, file)
	return fsys, warnings, err
}

// convert is Convert, also returning the manifest it wrote.
func convert(data []byte, file string) (*folder, *catalog.Manifest, []string, error) {
	c := &converter{
		fsys:    fstest.MapFS{},
		files:   map[string]bool{},
		earlier: map[string][]earlierRoute{},
		dir:     filepath.Dir(file),
		noFile:  file == "",
	}
	env, err := parse(data, c.Warn)
	if err != nil {
		return nil, nil, nil, err
	}
	c.env = env
	defer func() {
		if c.root != nil {
			c.root.Close()
		}
	}()
	name := env.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	m := catalog.Manifest{Name: name, CaseInsensitive: true, Latency: max(env.Latency, 0)}
	for _, b := range env.Data {
		id := b.ID
		if id == "" {
			id = b.UUID
		}
		m.DataBuckets = append(m.DataBuckets, render.DataBucket{ID: id, Name: b.Name, Value: b.Value})
	}
	for _, r := range env.Routes {
		m.Routes = append(m.Routes, c.route(r)...)
	}
	if len(m.Routes) == 0 {
		return nil, nil, nil, errors.New("the environment has no HTTP routes routedeck can serve")
	}
	c.environmentNotes()
	c.fsys[catalog.ManifestName] = &fstest.MapFile{Mode: 0o644}
	return &folder{MapFS: c.fsys, manifest: &m}, &m, c.Warnings(), nil
}

type converter struct {
	env           *environment
	fsys          fstest.MapFS
	files         map[string]bool           // template paths taken, lower case
	earlier       map[string][]earlierRoute // by "METHOD segment-count first-segment"
	converted     int                       // routes in earlier
	catalog.Notes                           // what the file has that is not served
	dir           string
	noFile        bool
	root          *os.Root
}

func (c *converter) environmentNotes() {
	if c.env.ProxyMode {
		c.Warn("proxy mode (to %s) is not supported: routes the file lacks answer 404", c.env.ProxyHost)
	}
	if c.env.TLSOptions.Enabled {
		c.Warn("TLS is not supported: routes are served over plain HTTP")
	}
	if len(c.env.Callbacks) > 0 {
		c.Warn("callbacks are not supported: %d defined, none is called", len(c.env.Callbacks))
	}
}

var allMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// route converts one Mockoon route into its manifest routes (several for
// Mockoon's "all" method), or none when it cannot be served.
func (c *converter) route(r *route) []catalog.ManifestRoute {
	p, err := routePath(c.env.EndpointPrefix, r.Endpoint)
	label := strings.ToUpper(r.Method) + " " + p
	if err != nil {
		c.Note("not served: "+err.Error(), strings.ToUpper(r.Method)+" /"+r.Endpoint)
		return nil
	}
	switch r.Type {
	case "ws":
		c.Note("not served: WebSocket routes", label)
		return nil
	case "crud":
		c.Note("CRUD routes answer with their default response, not from their data bucket", label)
	}
	if len(r.Responses) == 0 {
		c.Note("not served: routes without responses", label)
		return nil
	}
	disabled := r.Enabled != nil && !*r.Enabled
	if disabled {
		// Mockoon's server does not serve a disabled route: requests go
		// on to the routes after it. (Its app keeps the mark in its own
		// settings since migration 31; its CLI, which migrates the mark
		// away, serves the route.)
		c.Note("disabled in the file: listed, not served (requests go on to the routes after it, as in Mockoon's app)", label)
	}
	methods := []string{r.Method}
	if r.Method == "all" {
		methods = allMethods
	} else if !slices.Contains(allMethods, r.Method) {
		c.Note("not served: method "+strings.ToUpper(r.Method), label)
		return nil
	}
	mode := ""
	if r.ResponseMode != nil {
		mode = *r.ResponseMode
	}
	var out []catalog.ManifestRoute
	segs := parseSegments(p)
	for _, method := range methods {
		key := strings.ToUpper(method) + " " + p
		// Mockoon tries routes in order: a route whose every request an
		// earlier route answers gets only the requests the earlier ones
		// pass on (FALLBACK mode, no rule holding). It is kept, behind
		// them, and listed; matching never picks it first. (Where routes
		// only overlap, matching already agrees: the more specific one
		// wins, and Mockoon's order puts it first or shadows it.)
		if disabled {
			// Matching never sees it, so it shadows nothing.
			mr := c.variants(r, method, p, key)
			mr.Disabled = true
			out = append(out, mr)
			continue
		}
		group := strings.ToUpper(method) + " " + strconv.Itoa(len(segs))
		owner, reachable := c.coveredBy(group, segs)
		if owner != "" && !reachable && r.Method == "all" {
			// One method of an "all" route that no request reaches: the
			// route is listed for the methods it answers.
			continue
		}
		if owner != "" && !reachable {
			c.Note("never answers: an earlier route answers the same requests (listed, marked as shadowed)", key+" (after "+owner+")")
		}
		g := group + " " + firstSegment(segs)
		c.earlier[g] = append(c.earlier[g], earlierRoute{segs: segs, key: key, n: c.converted, fallback: mode == "FALLBACK"})
		c.converted++
		mr := c.variants(r, method, p, key)
		mr.ShadowedBy = owner
		out = append(out, mr)
	}
	return out
}

// segment is one path segment, in lower case, split around its parameter.
type segment struct {
	text, prefix, suffix string
	param                bool
}

func parseSegments(p string) []segment {
	parts := strings.Split(strings.Trim(strings.ToLower(p), "/"), "/")
	segs := make([]segment, len(parts))
	for i, s := range parts {
		pre, _, suf, param := catalog.SplitSegment(s)
		segs[i] = segment{text: s, prefix: pre, suffix: suf, param: param}
	}
	return segs
}

// earlierRoute is a route already converted, the n-th; fallback says it
// passes on the requests none of its rules holds for.
type earlierRoute struct {
	segs     []segment
	key      string
	n        int
	fallback bool
}

// firstSegment keys earlier routes by their first segment's text, or ":"
// for a parameter: only those two lists can cover a route, which keeps a
// file of thousands of routes from comparing each with all before it.
func firstSegment(segs []segment) string {
	if len(segs) == 0 || segs[0].param {
		return ":"
	}
	return segs[0].text
}

// coveredBy returns the first earlier route (of the same method and
// length) that answers every request segs would, or "", and whether a
// request can get past all such routes: only if each is in FALLBACK mode.
func (c *converter) coveredBy(group string, segs []segment) (owner string, reachable bool) {
	lists := [][]earlierRoute{c.earlier[group+" :"]}
	if first := firstSegment(segs); first != ":" {
		lists = append(lists, c.earlier[group+" "+first])
	}
	best := earlierRoute{n: -1}
	reachable = true
	for _, list := range lists {
		for _, e := range list {
			if covers(e.segs, segs) {
				if best.n < 0 || e.n < best.n {
					best = e
				}
				reachable = reachable && e.fallback
			}
		}
	}
	return best.key, reachable
}

// covers reports whether pattern a matches every path pattern b matches,
// segment by segment.
func covers(a, b []segment) bool {
	for i := range a {
		x, y := a[i], b[i]
		switch {
		case !x.param:
			if y.param || x.text != y.text {
				return false
			}
		case x.prefix == "" && x.suffix == "":
			// :name matches any segment.
		case !y.param:
			if len(y.text) <= len(x.prefix)+len(x.suffix) || !strings.HasPrefix(y.text, x.prefix) || !strings.HasSuffix(y.text, x.suffix) {
				return false
			}
		default:
			if y.prefix == "" && y.suffix == "" || !strings.HasPrefix(y.prefix, x.prefix) || !strings.HasSuffix(y.suffix, x.suffix) {
				return false
			}
		}
	}
	return true
}

// variants makes every response of a route a variant: the default
// response first, then the others in the file's order.
func (c *converter) variants(r *route, method, p, key string) catalog.ManifestRoute {
	success := r.Responses[0]
	for _, res := range r.Responses {
		if *res.Default {
			success = res
			break
		}
	}
	mode := ""
	if r.ResponseMode != nil {
		mode = *r.ResponseMode
	}
	if catalog.ResponseModes[0] != mode && !slices.Contains(catalog.ResponseModes, mode) {
		c.Note("response mode "+mode+" is not supported (rules, then the default response)", key)
		mode = ""
	}
	for _, res := range r.Responses {
		if len(res.Callbacks) > 0 {
			c.Note("callbacks are not called", key)
			break
		}
	}
	if success.status < 200 {
		c.Note(fmt.Sprintf("status %d cannot end a response: clients see it, then 200", success.status), key)
	}
	mr := catalog.ManifestRoute{
		Method:  strings.ToUpper(method),
		Path:    p,
		Summary: firstLine(r.Documentation),
		Docs:    r.Documentation,
		Samples: samples(success.Body),

		ResponseMode: mode,
	}
	names := map[string]bool{}
	for _, res := range append([]*response{success}, slices.DeleteFunc(slices.Clone(r.Responses), func(x *response) bool { return x == success })...) {
		kind := catalog.Success
		if res.status >= 400 {
			kind = catalog.Error
		}
		mv := c.variant(res, kind, method, p, key)
		mv.Kind, mv.Name = "", variantName(res, names)
		mr.Variants = append(mr.Variants, mv)
	}
	return mr
}

// variantName names a response as Mockoon's UI shows it, its label, else
// its status; made unique within the route ("200", "200-2").
func variantName(res *response, taken map[string]bool) string {
	base := strings.Join(strings.Fields(res.Label), " ")
	if base == "" {
		base = strconv.Itoa(res.status)
	}
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	taken[name] = true
	return name
}

// variant converts one Mockoon response.
func (c *converter) variant(res *response, kind catalog.Kind, method, p, key string) catalog.ManifestVariant {
	headers, contentType := c.headers(res)
	body, templating := res.Body, string(render.Mockoon)
	switch res.BodyType {
	case "FILE":
		body, contentType, templating = c.fileBody(res, contentType, key)
	case "DATABUCKET":
		body = c.bucketBody(res, key)
	}
	if res.DisableTemplating {
		templating = string(render.Literal)
	}
	if templating == string(render.Mockoon) {
		if missing := render.MockoonUnsupported(body); len(missing) > 0 {
			for _, h := range missing {
				c.Note("helper "+h+" is not supported (prints nothing)", key)
			}
		}
	}
	if contentType == "" {
		// Mockoon sets no Content-Type of its own: Express's default answers.
		contentType = "text/html; charset=utf-8"
		if res.BodyType == "FILE" {
			contentType = "application/octet-stream"
		}
	}
	label := res.Label
	if label == "" {
		label = fmt.Sprint(res.status)
	}
	file := c.templateFile(method, p, kind)
	c.fsys[file] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	mv := catalog.ManifestVariant{
		Kind: string(kind), Label: label, Status: res.status, ContentType: contentType,
		Headers: headers, File: file, Templating: templating,
		Latency: max(res.Latency, 0), Order: res.order,
	}
	if res.RulesOperator == "AND" {
		mv.RulesOperator = "AND"
	}
	for _, ru := range res.Rules {
		r := catalog.Rule{Target: ru.Target, Modifier: ru.Modifier, Operator: ru.Operator, Invert: ru.Invert}
		if ru.Value != nil {
			r.Value = *ru.Value
		}
		if !slices.Contains(catalog.RuleTargets, r.Target) || !slices.Contains(catalog.RuleOperators, r.Operator) {
			c.Note(fmt.Sprintf("a rule on %s %q with operator %q is not supported (never holds)", r.Target, r.Modifier, r.Operator), key)
			continue
		}
		if strings.HasPrefix(r.Operator, "regex") && !strings.Contains(r.Value, "{{") {
			if _, err := regexp.Compile(r.Value); err != nil {
				c.Note(fmt.Sprintf("a rule's regex %q does not compile here (never holds): %v", r.Value, err), key)
				continue
			}
		}
		mv.Rules = append(mv.Rules, r)
	}
	return mv
}

// headers merges the environment's headers and the response's (which win),
// and takes Content-Type out.
func (c *converter) headers(res *response) (map[string]string, string) {
	merged := map[string]string{}
	names := map[string]string{} // canonical -> as written
	add := func(hs []header, override bool) {
		seen := map[string]bool{}
		for _, h := range hs {
			k := strings.TrimSpace(h.Key)
			if k == "" {
				continue
			}
			lk := strings.ToLower(k)
			prev, ok := merged[lk]
			switch {
			case ok && override && !seen[lk]:
				merged[lk] = h.Value
			case ok:
				merged[lk] = prev + ", " + h.Value
			default:
				merged[lk] = h.Value
			}
			seen[lk] = true
			names[lk] = k
		}
	}
	add(c.env.Headers, false)
	add(res.Headers, true)
	contentType := merged["content-type"]
	delete(merged, "content-type")
	out := make(map[string]string, len(merged))
	for lk, v := range merged {
		out[names[lk]] = v
	}
	if len(out) == 0 {
		out = nil
	}
	return out, contentType
}

// fileBody reads a FILE body relative to the environment's folder. Text
// files are templates (unless templating is off); others are sent as they are.
func (c *converter) fileBody(res *response, contentType, key string) (body, ctype, templating string) {
	fp := res.FilePath
	if contentType == "" {
		contentType = mime.TypeByExtension(path.Ext(fp))
	}
	templating = string(render.Mockoon)
	if !templatable(contentType) {
		templating = string(render.Literal)
	}
	switch {
	case strings.Contains(fp, "{{"):
		c.Note("file paths with templates are not supported (empty body)", key)
		return "", contentType, string(render.Literal)
	case c.noFile:
		c.Note("file bodies are not read without the file's folder (empty body)", key)
		return "", contentType, string(render.Literal)
	}
	if c.root == nil {
		root, err := os.OpenRoot(c.dir)
		if err != nil {
			c.Note("file bodies cannot be read: "+err.Error(), key)
			return "", contentType, string(render.Literal)
		}
		c.root = root
	}
	rel := fp
	if filepath.IsAbs(rel) {
		if r, err := filepath.Rel(c.dir, rel); err == nil {
			rel = r
		}
	}
	data, err := fs.ReadFile(c.root.FS(), filepath.ToSlash(filepath.Clean(rel)))
	if err != nil {
		c.Note(fmt.Sprintf("file %s cannot be read, it must be inside %s (empty body)", fp, c.dir), key)
		return "", contentType, string(render.Literal)
	}
	return string(data), contentType, templating
}

// templatable says whether Mockoon runs templates in a file of this type.
func templatable(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "" || strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") ||
		strings.Contains(mt, "xml") || strings.Contains(mt, "javascript") || strings.Contains(mt, "csv")
}

// bucketBody serves a DATABUCKET response: the bucket's current value.
func (c *converter) bucketBody(res *response, key string) string {
	for _, b := range c.env.Data {
		if b.UUID == res.DatabucketID || b.ID == res.DatabucketID {
			id := b.ID
			if id == "" {
				id = b.UUID
			}
			return "{{{data '" + strings.ReplaceAll(id, "'", "") + "'}}}"
		}
	}
	c.Note("the response's data bucket does not exist (empty body)", key)
	return ""
}

// templateFile picks a unique template path for a variant, safe on every
// file system (no ":", unique regardless of case).
func (c *converter) templateFile(method, p string, kind catalog.Kind) string {
	base := catalog.DefaultFile(method, p, string(kind))
	file := base
	for i := 2; c.files[strings.ToLower(file)] || !fs.ValidPath(file); i++ {
		if !fs.ValidPath(file) {
			base = fmt.Sprintf("routes/%s.%s.hbs", strings.ToLower(method), kind)
		}
		file = strings.TrimSuffix(base, ".hbs") + fmt.Sprintf(".%d.hbs", i)
	}
	c.files[strings.ToLower(file)] = true
	return file
}

// routePath joins the endpoint prefix and the endpoint into a routedeck
// path, refusing Express patterns routedeck cannot match.
func routePath(prefix, endpoint string) (string, error) {
	p := "/" + strings.Trim(strings.Trim(prefix, "/")+"/"+strings.Trim(endpoint, "/"), "/")
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if strings.ContainsAny(p, "*()+?") {
		return "", errors.New("paths with Express patterns (*, ?, +, parentheses)")
	}
	if strings.ContainsAny(p, " \t#") {
		return "", errors.New("paths with spaces or #")
	}
	return p, nil
}

// switchCase finds {{#switch (urlParam 'name')}} followed by its first
// {{#case 'value'}}: a path parameter value the template answers.
var switchCase = regexp.MustCompile(`\{\{#\s*switch\s+\(urlParam\s+'([^']+)'\)\s*\}\}\s*\{\{#\s*case\s+'([^']*)'`)

// samples derives sample path parameters from a template: the first case
// of a switch over a parameter, so previews show a filled-in answer.
func samples(body string) map[string]string {
	ms := switchCase.FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, m := range ms {
		if _, ok := out[m[1]]; !ok {
			out[m[1]] = m[2]
		}
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// fakerName finds the method name of each faker call.
var fakerName = regexp.MustCompile(`(faker\s+)(['"])([A-Za-z0-9]+\.[A-Za-z0-9]+)(['"])`)

// renameFakers rewrites Faker.js names of files older than Mockoon's
// migration 29 to today's, as Mockoon's migration does (and the v5 names
// its oldest files use, which Mockoon no longer runs).
func renameFakers(body string) string {
	if !strings.Contains(body, "faker") {
		return body
	}
	return fakerName.ReplaceAllStringFunc(body, func(m string) string {
		parts := fakerName.FindStringSubmatch(m)
		if to, ok := render.FakerV5Names[parts[3]]; ok {
			return parts[1] + parts[2] + to + parts[4]
		}
		return m
	})
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func asError[T error](err error, target *T) bool { return errors.As(err, target) }

// folder is the converted catalog as files. catalog.json is written when
// first read (by export): loading takes the manifest as it is.
type folder struct {
	fstest.MapFS
	manifest *catalog.Manifest
	once     sync.Once
	err      error
}

func (f *folder) write() {
	f.once.Do(func() {
		var data []byte
		if data, f.err = marshalManifest(*f.manifest); f.err == nil {
			f.MapFS[catalog.ManifestName].Data = data
		}
	})
}

// Open opens a file, writing catalog.json first if it is the one.
func (f *folder) Open(name string) (fs.File, error) {
	if name == catalog.ManifestName {
		if f.write(); f.err != nil {
			return nil, f.err
		}
	}
	return f.MapFS.Open(name)
}

// ReadFile reads a file, writing catalog.json first if it is the one.
func (f *folder) ReadFile(name string) ([]byte, error) {
	if name == catalog.ManifestName {
		if f.write(); f.err != nil {
			return nil, f.err
		}
	}
	return f.MapFS.ReadFile(name)
}

// Stat describes a file, writing catalog.json first if it is the one.
func (f *folder) Stat(name string) (fs.FileInfo, error) {
	if name == catalog.ManifestName {
		if f.write(); f.err != nil {
			return nil, f.err
		}
	}
	return f.MapFS.Stat(name)
}

// marshalManifest writes the manifest as export writes it: indented, with
// "<" and "&" left alone.
func marshalManifest(m catalog.Manifest) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return []byte(b.String()), nil
}
