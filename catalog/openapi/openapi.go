// Package openapi imports OpenAPI documents: an OpenAPI 3.0 or 3.1
// document, JSON or YAML, becomes a routedeck catalog with a route per
// operation.
//
// A routedeck route has two variants. The success variant is the
// operation's first 2xx response (else its default response, as 200); the
// error variant is its first 4xx or 5xx response, else its default
// response (as 500), else routedeck's own 500. A body is the response's
// example (example, else the first of examples), else one generated from
// its schema (see generate.go). Paths become routedeck's (`{id}` → `:id`)
// under the base path of the first server. What the catalog does not
// serve (further responses, examples and media types, callbacks, paths it
// cannot match) is listed in Catalog.Warnings, never dropped silently.
//
// The parser is github.com/pb33f/libopenapi, chosen over
// github.com/getkin/kin-openapi by measuring both on Stripe's 8 MB spec
// (stripe-mock v0.203.0, a throwaway benchmark on 2 shared cores, 5 runs):
// libopenapi builds the model in 0.39 s with 123 MB allocated; kin-openapi
// loads it in 0.92 to 1.11 s with 692 MB (12.7 s with its validation),
// over the whole 1 s budget before a single body is generated. libopenapi
// also reads 3.0 and 3.1 alike and keeps the document's order (responses,
// properties), so "the first response" and generated bodies follow the
// file. Its cost is the binary's size: its YAML package (pb33f/go-yaml)
// calls reflect's MethodByName, which keeps the linker from dropping unused
// methods, and the routedeck binary grows from 25.4 MB to 38.7 MB
// (kin-openapi's dependencies do not call it). The importer links only the
// packages that build a 3.x model (build.go), not the top-level package,
// which would add Swagger 2, Arazzo, overlays and document comparison
// (3 MB more, and 1.2 MB more resident at idle).
package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// ErrNotOpenAPI says a file is not an OpenAPI 3 document.
var ErrNotOpenAPI = errors.New("not an OpenAPI 3 document")

// Detect reports whether data looks like an OpenAPI document (JSON or
// YAML with a top-level "openapi" or "swagger" field): Import opens 3.0
// and 3.1, and says why it refuses others.
func Detect(data []byte) bool {
	_, ok := version(data)
	return ok
}

// version finds the top-level "openapi" field ("swagger 2.0" for Swagger's
// "swagger") without parsing the whole document into a model.
func version(data []byte) (string, bool) {
	trimmed := bytes.TrimSpace(data)
	if !bytes.Contains(data, []byte("openapi")) && !bytes.Contains(data, []byte("swagger")) {
		// The quick answer for other files (a Mockoon environment).
		return "", false
	}
	if bytes.HasPrefix(trimmed, []byte("{")) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return "", false
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return "", false
			}
			if k == "openapi" || k == "swagger" {
				var v string
				if dec.Decode(&v) != nil {
					return "", false
				}
				if k == "swagger" {
					v = "swagger " + v
				}
				return v, true
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return "", false
			}
		}
		return "", false
	}
	for line := range bytes.Lines(data) {
		for _, k := range []string{"openapi", "swagger"} {
			if v, ok := bytes.CutPrefix(line, []byte(k+":")); ok {
				s := strings.Trim(strings.TrimSpace(string(v)), `"'`)
				if k == "swagger" {
					s = "swagger " + s
				}
				return s, true
			}
		}
	}
	return "", false
}

// Open reads the OpenAPI document at file and builds its catalog.
func Open(file string) (*catalog.Catalog, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	cat, err := Import(data, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return cat, nil
}

// Import builds the catalog of an OpenAPI document's contents. file names
// it in messages.
func Import(data []byte, file string) (*catalog.Catalog, error) {
	fsys, m, warnings, err := convert(data, file)
	if err != nil {
		return nil, err
	}
	source := "OpenAPI document"
	if file != "" {
		source = filepath.Base(file) + " (OpenAPI)"
	}
	cat, err := catalog.Load(fsys, catalog.Options{Eager: true, Source: source, Manifest: m})
	if err != nil {
		return nil, err
	}
	cat.Warnings, cat.Imported = warnings, "OpenAPI"
	return cat, nil
}

// Convert turns an OpenAPI document into a routedeck catalog folder
// (catalog.json and one body per variant) and the list of what the catalog
// does not serve.
func Convert(data []byte, file string) (fs.FS, []string, error) {
	fsys, _, warnings, err := convert(data, file)
	return fsys, warnings, err
}

func convert(data []byte, file string) (fstest.MapFS, *catalog.Manifest, []string, error) {
	v, ok := version(data)
	if !ok {
		return nil, nil, nil, ErrNotOpenAPI
	}
	if strings.HasPrefix(v, "swagger ") {
		return nil, nil, nil, fmt.Errorf("Swagger %s documents are not supported (convert to OpenAPI 3.0 or 3.1)", strings.TrimPrefix(v, "swagger "))
	}
	if !strings.HasPrefix(v, "3.0") && !strings.HasPrefix(v, "3.1") {
		return nil, nil, nil, fmt.Errorf("OpenAPI version %q is not supported (want 3.0 or 3.1)", v)
	}
	cfg := &datamodel.DocumentConfiguration{
		SkipExternalRefResolution:  true,
		SkipCircularReferenceCheck: true,
		Logger:                     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	model, err := buildV3(data, cfg)
	if model == nil {
		return nil, nil, nil, fmt.Errorf("OpenAPI: %w", err)
	}
	c := &converter{fsys: fstest.MapFS{}, files: map[string]bool{}}
	if err != nil {
		c.Warn("the document has problems (served as far as it reads): %s", firstLine(err.Error()))
	}
	d := model
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if d.Info != nil && d.Info.Title != "" {
		name = d.Info.Title
	}
	m := &catalog.Manifest{Name: name}
	if d.Info != nil {
		m.Version = d.Info.Version
	}
	base := c.basePath(d.Servers)
	if d.Webhooks != nil && d.Webhooks.Len() > 0 {
		c.Warn("webhooks are not sent: %d defined", d.Webhooks.Len())
	}
	taken := map[string]string{} // "METHOD /shape" -> key of the route that has it
	var jobs []job
	if d.Paths != nil && d.Paths.PathItems != nil {
		for p, item := range d.Paths.PathItems.FromOldest() {
			if item == nil {
				continue
			}
			rp, err := routePath(base, p)
			for method, op := range item.GetOperations().FromOldest() {
				method = strings.ToUpper(method)
				key := method + " " + p
				if err != nil {
					c.Note("not served: "+err.Error(), key)
					continue
				}
				if !methods[method] {
					c.Note("not served: method "+method, key)
					continue
				}
				key = method + " " + rp
				shape := method + " " + shapeOf(rp)
				if prev, dup := taken[shape]; dup {
					c.Note("not served: an earlier operation answers the same requests", key+" (after "+prev+")")
					continue
				}
				taken[shape] = key
				jobs = append(jobs, job{method: method, path: rp, docPath: p, item: item, op: op})
			}
		}
	}
	m.Routes = c.routes(jobs)
	if len(m.Routes) == 0 {
		return nil, nil, nil, errors.New("the document has no operations routedeck can serve")
	}
	data, err = marshalManifest(m)
	if err != nil {
		return nil, nil, nil, err
	}
	c.fsys[catalog.ManifestName] = &fstest.MapFile{Data: data, Mode: 0o644}
	return c.fsys, m, c.Warnings(), nil
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

type converter struct {
	fsys          fstest.MapFS
	files         map[string]bool
	catalog.Notes // what the file has that is not served
}

// basePath is the path of the first server's URL, with its variables set
// to their defaults ("" for none or "/").
func (c *converter) basePath(servers []*v3.Server) string {
	if len(servers) == 0 {
		return ""
	}
	s := servers[0]
	raw := s.URL
	if s.Variables != nil {
		for name, v := range s.Variables.FromOldest() {
			if v != nil {
				raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
			}
		}
	}
	if len(servers) > 1 {
		c.Warn("served under the first server's base path only (%s); the document lists %d servers", s.URL, len(servers))
	}
	u, err := url.Parse(raw)
	if err != nil || strings.Contains(u.Path, "{") {
		c.Warn("server URL %q is not understood: routes are served without a base path", s.URL)
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// routePath turns an OpenAPI path under base into a routedeck path.
func routePath(base, p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if strings.ContainsAny(p, "?# \t") {
		return "", errors.New("paths with a query, fragment or spaces")
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i, s := range segs {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			if strings.Contains(s, ":") {
				// A literal colon must not read as a parameter.
				if _, _, _, ok := catalog.SplitSegment(s); ok {
					return "", errors.New("literal colons where a parameter would start")
				}
			}
			continue
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return "", errors.New("unclosed { in the path")
		}
		end += open
		name := paramName(s[open+1 : end])
		conv := s[:open] + ":" + name + s[end+1:]
		pre, got, suf, ok := catalog.SplitSegment(conv)
		if !ok || got != name || pre != s[:open] || strings.ContainsAny(suf, "{}") {
			return "", errors.New("path parameters inside a segment (one per segment, at its start or after . or -)")
		}
		segs[i] = conv
	}
	out := base + "/" + strings.Join(segs, "/")
	if out != "/" {
		out = strings.TrimSuffix(out, "/")
	}
	return out, nil
}

// paramName makes an OpenAPI parameter name a routedeck one (letters,
// digits and _).
func paramName(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "param"
	}
	return string(b)
}

// group is a path's first static segment after a version ("/v1/pets/{id}"
// → "pets"), "other" for none.
func group(p string) string {
	for i, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s == "" || strings.Contains(s, "{") {
			continue
		}
		if i == 0 && len(s) > 1 && s[0] == 'v' && strings.Trim(s[1:], "0123456789") == "" {
			continue
		}
		return s
	}
	return "other"
}

// shapeOf is a path with its parameter names blanked: two routes of one
// method and shape answer the same requests.
func shapeOf(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if pre, _, suf, ok := catalog.SplitSegment(s); ok {
			segs[i] = pre + ":" + suf
		}
	}
	return strings.ToLower(strings.Join(segs, "/"))
}

// job is one operation to convert.
type job struct {
	method, path, docPath string
	item                  *v3.PathItem
	op                    *v3.Operation
}

// routes converts the operations on every core (each route's values are
// seeded by the route, so the result does not depend on the order), then
// merges their files and notes in the document's order.
func (c *converter) routes(jobs []job) []catalog.ManifestRoute {
	local := make([]*converter, len(jobs))
	out := make([]catalog.ManifestRoute, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				lc := &converter{fsys: fstest.MapFS{}, files: map[string]bool{}}
				out[i], local[i] = lc.route(j.method, j.path, j.docPath, j.item, j.op), lc
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, lc := range local {
		key := jobs[i].method + " " + jobs[i].path
		for v := range out[i].Variants {
			mv := &out[i].Variants[v]
			data := lc.fsys[mv.File]
			mv.File = c.file(key, mv.Name)
			c.fsys[mv.File] = data
		}
		c.Merge(&lc.Notes)
	}
	return out
}

// route converts one operation.
func (c *converter) route(method, p, docPath string, item *v3.PathItem, op *v3.Operation) catalog.ManifestRoute {
	key := method + " " + p
	mr := catalog.ManifestRoute{Method: method, Path: p, Summary: op.Summary, Docs: op.Description}
	if mr.Summary == "" {
		mr.Summary = firstLine(op.Description)
	}
	if mr.Docs == "" {
		mr.Docs = op.Summary
	}
	if len(op.Tags) > 0 {
		mr.Group = op.Tags[0]
	} else {
		mr.Group = group(docPath)
	}
	mr.Samples = pathSamples(item, op)
	mr.SampleQuery, mr.SampleBody = c.requestSample(key, item, op)
	if op.Callbacks != nil && op.Callbacks.Len() > 0 {
		c.Note("callbacks are not called", key)
	}
	success, _, _, _, codes := pick(op.Responses)
	gen := newGenerator(key)
	if success == nil {
		c.Note("no 2xx or default response: routedeck answers 200 with {}", key)
		mr.Variants = append(mr.Variants, c.own(key, "200", 200, "200 (routedeck's: the document has no success response)", "{}"))
	}
	// Every response is served, the first 2xx (else default) first: one
	// variant per named example, else one per response.
	for _, cr := range append(slices.DeleteFunc(slices.Clone(codes), func(x codeResponse) bool { return x.r != success }),
		slices.DeleteFunc(slices.Clone(codes), func(x codeResponse) bool { return x.r == success })...) {
		st, ok := status(cr.code)
		if !ok && cr.code != "default" {
			c.Note("response code "+cr.code+" is not an HTTP status (not served)", key)
			continue
		}
		if cr.code == "default" {
			st = 500
			if cr.r == success {
				st = 200
			}
		}
		mr.Variants = append(mr.Variants, c.variants(key, cr.code, cr.r, st, gen)...)
	}
	taken := map[string]bool{}
	for i := range mr.Variants {
		name := mr.Variants[i].Name
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s-%d", mr.Variants[i].Name, n)
		}
		mr.Variants[i].Name, taken[name] = name, true
	}
	return mr
}

// codeResponse is a response and its code as written.
type codeResponse struct {
	code string
	r    *v3.Response
}

// pick chooses the success and error responses and lists every response.
func pick(rs *v3.Responses) (success *v3.Response, sStatus int, failure *v3.Response, fStatus int, all []codeResponse) {
	if rs == nil {
		return nil, 0, nil, 0, nil
	}
	if rs.Codes != nil {
		for code, r := range rs.Codes.FromOldest() {
			if r == nil {
				continue
			}
			all = append(all, codeResponse{code, r})
			st, ok := status(code)
			if !ok {
				continue
			}
			if success == nil && st >= 200 && st < 300 {
				success, sStatus = r, st
			}
			if failure == nil && st >= 400 {
				failure, fStatus = r, st
			}
		}
	}
	if rs.Default != nil {
		all = append(all, codeResponse{"default", rs.Default})
		if success == nil {
			success, sStatus = rs.Default, 200
		} else if failure == nil {
			failure, fStatus = rs.Default, 500
		}
	}
	return success, sStatus, failure, fStatus, all
}

// status reads a response code: "201", or a range "2XX" as its first code.
func status(code string) (int, bool) {
	if len(code) == 3 && (strings.HasSuffix(code, "XX") || strings.HasSuffix(code, "xx")) {
		code = code[:1] + "00"
	}
	n, err := strconv.Atoi(code)
	return n, err == nil && n >= 100 && n <= 599
}

// own is a variant routedeck supplies where the document has none.
func (c *converter) own(key, name string, st int, label, body string) catalog.ManifestVariant {
	file := c.file(key, name)
	c.fsys[file] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	return catalog.ManifestVariant{Name: name, Label: label, Status: st, ContentType: "application/json", File: file, Templating: string(render.Literal)}
}

// variants converts one response, under its code ("404", "default"): its
// first JSON media type (else its first), one variant per named example
// ("200 cat", "200 dog"), else one with its example or a body generated
// from its schema.
func (c *converter) variants(key, code string, r *v3.Response, st int, gen *generator) []catalog.ManifestVariant {
	label := strconv.Itoa(st)
	if r.Description != "" {
		label += " " + firstLine(r.Description)
	}
	mv := catalog.ManifestVariant{Name: code, Label: label, Status: st, Templating: string(render.Literal)}
	mv.Headers = gen.headers(r)
	bodies := []namedBody{{}}
	if r.Content != nil && r.Content.Len() > 0 {
		var ct string
		var mt *v3.MediaType
		for name, m := range r.Content.FromOldest() {
			if ct == "" || !isJSON(ct) && isJSON(name) {
				ct, mt = name, m
			}
		}
		if r.Content.Len() > 1 {
			c.Note("media types beyond the first JSON one are not served", key)
		}
		mv.ContentType = ct
		bodies = c.bodies(key, ct, mt, gen)
	} else {
		// No content: an empty body, which is not JSON.
		mv.ContentType = "text/plain; charset=utf-8"
	}
	out := make([]catalog.ManifestVariant, 0, len(bodies))
	for _, b := range bodies {
		v := mv
		if b.name != "" {
			v.Name = code + " " + b.name
			if b.summary != "" {
				v.Label += " (" + b.summary + ")"
			}
		}
		v.File = c.file(key, v.Name)
		c.fsys[v.File] = &fstest.MapFile{Data: b.body, Mode: 0o644}
		out = append(out, v)
	}
	return out
}

// namedBody is a body and, for a named example, its name and summary.
type namedBody struct {
	name, summary string
	body          []byte
}

// bodies are a media type's named examples, each a body; else its
// example, else one generated from its schema.
func (c *converter) bodies(key, ct string, mt *v3.MediaType, gen *generator) []namedBody {
	if mt == nil {
		return []namedBody{{}}
	}
	if mt.Example == nil && mt.Examples != nil && mt.Examples.Len() > 0 {
		var out []namedBody
		for name, ex := range mt.Examples.FromOldest() {
			name = strings.Join(strings.Fields(name), " ")
			if ex == nil || name == "" {
				continue
			}
			var value any
			found := false
			if ex.Value != nil {
				value, found = decode(ex.Value)
			} else if ex.ExternalValue != "" {
				c.Note("external examples are not read (the body is generated)", key)
			}
			if !found {
				value = gen.value(mt.Schema)
			}
			out = append(out, namedBody{name: name, summary: firstLine(ex.Summary), body: c.encode(key, ct, value)})
		}
		if len(out) > 0 {
			return out
		}
	}
	var value any
	found := false
	if mt.Example != nil {
		value, found = decode(mt.Example)
		if mt.Examples != nil && mt.Examples.Len() > 0 {
			c.Note("named examples not served (routedeck serves the media type's example)", key)
		}
	}
	if !found {
		value = gen.value(mt.Schema)
	}
	return []namedBody{{body: c.encode(key, ct, value)}}
}

// encode writes a body value as the media type wants it.
func (c *converter) encode(key, ct string, value any) []byte {
	if s, ok := value.(string); ok && !isJSON(ct) {
		return []byte(s)
	}
	if !isJSON(ct) && !strings.HasPrefix(ct, "text/") {
		c.Note("bodies of media type "+ct+" are written as JSON", key)
	}
	data, err := encodeJSON(value)
	if err != nil {
		c.Note("example not writable as JSON (body empty): "+err.Error(), key)
		return nil
	}
	return data
}

// decode turns a YAML node (JSON is YAML) into a value encoding/json
// writes, objects keeping their order.
func decode(n *yaml.Node) (any, bool) {
	v, err := fromNode(n, 0)
	return v, err == nil
}

func fromNode(n *yaml.Node, depth int) (any, error) {
	if n == nil {
		return nil, nil
	}
	if depth > 200 {
		return nil, errors.New("example nests too deep")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromNode(n.Content[0], depth+1)
	case yaml.AliasNode:
		return fromNode(n.Alias, depth+1)
	case yaml.MappingNode:
		o := object{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := fromNode(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			o = o.set(n.Content[i].Value, v)
		}
		return o, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	switch n.Tag {
	case "!!str", "!!binary", "!!timestamp", "":
		return n.Value, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	if t, ok := v.(time.Time); ok {
		return t.Format(time.RFC3339), nil
	}
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return n.Value, nil
	}
	return v, nil
}

// file picks a unique body path for a variant, safe on every file system.
func (c *converter) file(key, name string) string {
	method, p, _ := strings.Cut(key, " ")
	base := catalog.DefaultFile(method, p, name)
	file := base
	for i := 2; c.files[strings.ToLower(file)] || !fs.ValidPath(file); i++ {
		if !fs.ValidPath(file) {
			base = catalog.DefaultFile(method, "/", name)
		}
		file = strings.TrimSuffix(base, ".hbs") + fmt.Sprintf(".%d.hbs", i)
	}
	c.files[strings.ToLower(file)] = true
	return file
}

// pathSamples are the path parameters' examples, for previews and firing.
func pathSamples(item *v3.PathItem, op *v3.Operation) map[string]string {
	out := map[string]string{}
	for _, params := range [][]*v3.Parameter{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p == nil || p.In != "path" {
				continue
			}
			ex := p.Example
			if ex == nil && p.Schema != nil {
				if s := p.Schema.Schema(); s != nil {
					switch {
					case s.Example != nil:
						ex = s.Example
					case len(s.Examples) > 0:
						ex = s.Examples[0]
					case len(s.Enum) > 0:
						ex = s.Enum[0]
					}
				}
			}
			if ex == nil {
				continue
			}
			if v, ok := decode(ex); ok && v != nil {
				switch v.(type) {
				case map[string]any, []any:
					continue
				}
				out[paramName(p.Name)] = fmt.Sprint(v)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// seed is a route's seed for generated values: the same route always gets
// the same body.
func seed(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// marshalManifest writes the manifest as export writes it.
func marshalManifest(m *catalog.Manifest) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return b.Bytes(), nil
}
