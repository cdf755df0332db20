package render

import (
	"mime"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/aymerick/raymond"
	"github.com/theory/jsonpath"
)

// MockoonEnv is what the templates (and response rules) of one Mockoon
// environment share while it serves: its global variables (setGlobalVar,
// getGlobalVar) and its data buckets (data, dataRaw, setData). Mockoon
// resets both when the environment restarts; so does a new MockoonEnv.
// Safe for concurrent use: every helper call takes the lock, and values
// handed out are copies.
type MockoonEnv struct {
	mu      sync.Mutex
	globals map[string]any
	buckets []*dataBucket
}

// DataBucket is one of an environment's data buckets as the file writes
// it: an id, a name and a text (a template, JSON once rendered).
type DataBucket struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type dataBucket struct {
	id, name string
	source   string
	value    any
	parsed   bool
	busy     bool // being rendered: a bucket that reads itself reads nothing
}

// requestHelperUse finds a request helper in a bucket's text: such a
// bucket is rendered on its first use, with that request, as Mockoon does.
var requestHelperUse = regexp.MustCompile(`\{\{\{?[#(~\s\w ]*\b(body|bodyRaw|queryParam|queryParamRaw|urlParam|cookie|header|hostname|ip|method|baseUrl)\b[)} ~]`)

// NewMockoonEnv starts an environment's shared state: its buckets are
// rendered once, in order (a bucket may use the ones before it), and
// parsed as JSON where they are JSON; a bucket that reads the request is
// rendered on first use instead.
func NewMockoonEnv(buckets []DataBucket) *MockoonEnv {
	e := &MockoonEnv{globals: map[string]any{}}
	for _, b := range buckets {
		db := &dataBucket{id: b.ID, name: b.Name, source: b.Value}
		e.buckets = append(e.buckets, db)
		if !requestHelperUse.MatchString(b.Value) {
			e.generate(db, &Request{})
		}
	}
	return e
}

// generate renders a bucket's text with req and parses it. The lock must
// not be held: the bucket's template may read other buckets.
func (e *MockoonEnv) generate(db *dataBucket, req *Request) {
	e.mu.Lock()
	if db.parsed || db.busy {
		e.mu.Unlock()
		return
	}
	db.busy = true
	e.mu.Unlock()
	text := db.source
	if strings.Contains(text, "{{") {
		tpl, err := CompileDialect("data bucket "+db.name, text, Mockoon)
		if err != nil {
			text = err.Error()
		} else {
			r := *req
			r.Mockoon = e
			if out, err := tpl.Exec(&r); err != nil {
				text = err.Error()
			} else {
				text = out
			}
		}
	}
	var value any = text
	if v, err := parseJSON([]byte(text)); err == nil {
		value = v
	}
	e.mu.Lock()
	db.value, db.parsed, db.busy = value, true, false
	e.mu.Unlock()
}

// bucket finds a bucket by id, or by a name that contains target (case
// aside), as Mockoon finds them, rendering it first if it waits for a request.
func (e *MockoonEnv) bucket(target string, req *Request) *dataBucket {
	if e == nil {
		return nil
	}
	lower := strings.ToLower(target)
	for _, db := range e.buckets {
		if db.id == target || strings.Contains(strings.ToLower(db.name), lower) {
			e.generate(db, req)
			return db
		}
	}
	return nil
}

// Buckets is every bucket's current value by id and by name, as plain Go
// values (map[string]any, []any, float64, string, bool, nil), copied: the
// data_bucket rule target.
func (e *MockoonEnv) Buckets(req *Request) map[string]any {
	out := map[string]any{}
	if e == nil {
		return out
	}
	for _, db := range e.buckets {
		e.bucket(db.id, req)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, db := range e.buckets {
		v := Plain(db.value)
		out[db.name] = v
		if db.id != "" {
			out[db.id] = v
		}
	}
	return out
}

// Globals is a copy of the global variables, as plain Go values: the
// global_var rule target.
func (e *MockoonEnv) Globals() map[string]any {
	out := map[string]any{}
	if e == nil {
		return out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range e.globals {
		out[k] = Plain(v)
	}
	return out
}

// Plain converts a template value to a plain Go value: objects become
// map[string]any, dates their ISO text, numbers float64.
func Plain(v any) any {
	switch x := v.(type) {
	case *jsObject:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = Plain(x.vals[k])
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = Plain(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	case raymond.SafeString:
		return string(x)
	case int:
		return float64(x)
	case int64:
		return float64(x)
	}
	return v
}

// clone deep-copies a JavaScript value, so a template keeps what it read
// while other requests change the bucket or variable.
func clone(v any) any {
	switch x := v.(type) {
	case *jsObject:
		o := &jsObject{keys: append([]string(nil), x.keys...), vals: make(map[string]any, len(x.vals))}
		for k, e := range x.vals {
			o.vals[k] = clone(e)
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	case map[string]any:
		return clone(toJS(x))
	}
	return v
}

// JSString is JavaScript's String(v) for a template or plain value (null
// and undefined are "").
func JSString(v any) string { return jsString(v) }

// MockoonPath is Mockoon's value lookup: a path starting with "$" is
// JSONPath (jsonpath-plus without wrapping: one result is itself, several
// an array, none is not found), any other an object-path ("a.b.0", dots
// in names escaped as "\."). An empty path is the value itself.
func MockoonPath(data any, path string) (any, bool) {
	switch data.(type) {
	case []any, *jsObject, map[string]any:
	default:
		return data, path == ""
	}
	if path == "" {
		return data, true
	}
	if strings.HasPrefix(path, "$") {
		res := jsonPathQuery(data, path)
		switch len(res) {
		case 0:
			return nil, false
		case 1:
			return res[0], true
		}
		return res, true
	}
	return lookupPath(data, splitPath(path))
}

// jsonPathQuery runs a JSONPath query (RFC 9535, which jsonpath-plus's
// common forms and filters follow) over a template value. Objects found
// come back as the originals, keeping their member order.
func jsonPathQuery(data any, path string) []any {
	p, err := jsonpath.Parse(path)
	if err != nil {
		return nil
	}
	objects := map[uintptr]*jsObject{}
	arrays := map[uintptr][]any{}
	var plain func(v any) any
	plain = func(v any) any {
		switch x := v.(type) {
		case *jsObject:
			m := make(map[string]any, len(x.keys))
			for _, k := range x.keys {
				m[k] = plain(x.vals[k])
			}
			objects[reflect.ValueOf(m).Pointer()] = x
			return m
		case map[string]any:
			return plain(toJS(x))
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = plain(e)
			}
			if len(out) > 0 {
				arrays[reflect.ValueOf(out).Pointer()] = x
			}
			return out
		case int:
			return float64(x)
		case int64:
			return float64(x)
		}
		return v
	}
	root := plain(data)
	nodes := p.Select(root)
	out := make([]any, 0, len(nodes))
	for _, n := range nodes {
		switch x := n.(type) {
		case map[string]any:
			if o, ok := objects[reflect.ValueOf(x).Pointer()]; ok {
				out = append(out, o)
				continue
			}
			out = append(out, toJS(x))
		case []any:
			if a, ok := arrays[reflect.ValueOf(x).Pointer()]; ok && len(x) > 0 {
				out = append(out, a)
				continue
			}
			out = append(out, x)
		default:
			out = append(out, x)
		}
	}
	return out
}

// ---- helpers ----

// mData is {{data 'bucket' 'path'}}: the value printed, objects and arrays
// as JSON, nothing for a bucket that does not exist.
func mData(c *mcall) any {
	v, ok := bucketValue(c)
	if !ok {
		return nil
	}
	switch v.(type) {
	case []any, *jsObject:
		return raymond.SafeString(jsonStringify(v, ""))
	}
	return raymond.SafeString(jsString(v))
}

// mDataRaw is {{dataRaw 'bucket' 'path'}}: the value itself, for other helpers.
func mDataRaw(c *mcall) any {
	v, _ := bucketValue(c)
	return v
}

// bucketValue reads a bucket, at a path when one is given ("" where the
// path finds nothing), as a copy.
func bucketValue(c *mcall) (any, bool) {
	if len(c.args) == 0 {
		return nil, false
	}
	req := c.request()
	env := req.Mockoon
	db := env.bucket(jsString(c.args[0]), req)
	if db == nil {
		return nil, false
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	v := db.value
	if path, ok := isString(c.arg(1)); ok && path != "" {
		switch v.(type) {
		case []any, *jsObject:
			found, ok := MockoonPath(v, path)
			if !ok {
				return "", true
			}
			v = found
		}
	}
	return clone(v), true
}

// mSetData is {{setData 'operation' 'bucket' 'path' value}}: operation is
// set, push, del, inc, dec, invert or merge; an empty path is the whole
// bucket. It prints nothing.
func mSetData(c *mcall) any {
	if len(c.args) < 2 {
		return nil
	}
	op := jsString(c.args[0])
	req := c.request()
	env := req.Mockoon
	db := env.bucket(jsString(c.args[1]), req)
	if db == nil {
		return nil
	}
	path, _ := isString(c.arg(2))
	value := clone(toJS(c.arg(3)))
	env.mu.Lock()
	defer env.mu.Unlock()
	if path == "" {
		db.value = applyData(op, db.value, true, value, len(c.args) > 3)
		return nil
	}
	parts := splitPath(path)
	parent, ok := lookupPath(db.value, parts[:len(parts)-1])
	if !ok {
		if op != "set" && op != "push" && op != "merge" {
			return nil
		}
		// object-path's set creates the missing objects on the way.
		parent = ensurePath(&db.value, parts[:len(parts)-1])
		if parent == nil {
			return nil
		}
	}
	key := parts[len(parts)-1]
	switch p := parent.(type) {
	case *jsObject:
		cur, has := p.get(key)
		if op == "del" {
			if has {
				delete(p.vals, key)
				for i, k := range p.keys {
					if k == key {
						p.keys = append(p.keys[:i:i], p.keys[i+1:]...)
						break
					}
				}
			}
			return nil
		}
		p.set(key, applyData(op, cur, has, value, len(c.args) > 3))
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 {
			return nil
		}
		if op == "del" {
			if i < len(p) {
				np := append(p[:i:i], p[i+1:]...)
				replaceChild(&db.value, parts[:len(parts)-1], np)
			}
			return nil
		}
		if i >= len(p) {
			if op != "set" {
				return nil
			}
			np := append(p, make([]any, i+1-len(p))...)
			np[i] = value
			replaceChild(&db.value, parts[:len(parts)-1], np)
			return nil
		}
		p[i] = applyData(op, p[i], true, value, len(c.args) > 3)
	}
	return nil
}

// applyData is one setData operation on a current value.
func applyData(op string, cur any, has bool, value any, given bool) any {
	switch op {
	case "set":
		return value
	case "push":
		if arr, ok := cur.([]any); ok {
			return append(arr, value)
		}
		if !has || cur == nil {
			return []any{value}
		}
		return cur
	case "inc", "dec":
		step := 1.0
		if given && value != nil {
			step = toNumber(value)
		}
		if op == "dec" {
			step = -step
		}
		if !has || cur == nil {
			return step
		}
		return toNumber(cur) + step
	case "invert":
		if b, ok := cur.(bool); ok {
			return !b
		}
		return cur
	case "merge":
		dst, ok1 := cur.(*jsObject)
		src, ok2 := value.(*jsObject)
		if !ok1 || !ok2 {
			return cur
		}
		for _, k := range src.keys {
			dst.set(k, src.vals[k])
		}
		return dst
	}
	return cur
}

// ensurePath creates the objects missing along parts and returns the last.
func ensurePath(root *any, parts []string) any {
	if *root == nil {
		*root = newObject()
	}
	cur := *root
	for _, p := range parts {
		o, ok := cur.(*jsObject)
		if !ok {
			if arr, isArr := cur.([]any); isArr {
				i, err := strconv.Atoi(p)
				if err != nil || i < 0 || i >= len(arr) {
					return nil
				}
				cur = arr[i]
				continue
			}
			return nil
		}
		next, has := o.get(p)
		if !has || next == nil {
			next = newObject()
			o.set(p, next)
		}
		cur = next
	}
	return cur
}

// replaceChild stores v at parts (an array that grew or shrank).
func replaceChild(root *any, parts []string, v any) {
	if len(parts) == 0 {
		*root = v
		return
	}
	parent, ok := lookupPath(*root, parts[:len(parts)-1])
	if !ok {
		return
	}
	key := parts[len(parts)-1]
	switch p := parent.(type) {
	case *jsObject:
		p.set(key, v)
	case []any:
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(p) {
			p[i] = v
		}
	}
}

// mSetGlobalVar is {{setGlobalVar 'name' value}}.
func mSetGlobalVar(c *mcall) any {
	env := c.request().Mockoon
	if env == nil || len(c.args) < 1 {
		return nil
	}
	env.mu.Lock()
	env.globals[jsString(c.args[0])] = clone(toJS(c.arg(1)))
	env.mu.Unlock()
	return nil
}

// mGetGlobalVar is {{getGlobalVar 'name' 'path' 'default'}}.
func mGetGlobalVar(c *mcall) any {
	env := c.request().Mockoon
	var def any
	if len(c.args) >= 3 {
		def = c.args[2]
	}
	if env == nil || len(c.args) < 1 {
		return def
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	v, ok := env.globals[jsString(c.args[0])]
	if !ok {
		return def
	}
	if path, isStr := isString(c.arg(1)); isStr && path != "" {
		found, ok := MockoonPath(v, path)
		if !ok {
			return def
		}
		v = found
	}
	return clone(v)
}

// MockoonRuleBody is the request body as Mockoon's rules read it: parsed
// (JSON; a form, as qs parses it) when the content type is one Mockoon
// parses and the body parses, else its text. ok says it was parsed.
func MockoonRuleBody(req *Request) (body any, ok bool) {
	mt, _, _ := mime.ParseMediaType(req.ContentType)
	switch {
	case strings.Contains(mt, "json"):
		if v, err := parseJSON(req.Body); err == nil {
			return v, true
		}
	case mt == "application/x-www-form-urlencoded":
		return parseQS(string(req.Body)), true
	}
	return string(req.Body), false
}

// MockoonQuery is the request's query as Express (qs) parses it.
func MockoonQuery(req *Request) any {
	raw := req.RawQuery
	if raw == "" && req.Query != nil {
		raw = req.Query.Encode()
	}
	return parseQS(raw)
}

// MockoonParams are the path parameters as a template value.
func MockoonParams(req *Request) any {
	o := newObject()
	for k, v := range req.Params {
		o.set(k, v)
	}
	return o
}
