package render

import (
	"bytes"
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Request is what a template can see of the request it answers: the matched
// path parameters, the query, the headers and the body. A preview renders
// with a sample Request (see Sample).
type Request struct {
	Method string
	Path   string
	// ID is the request's Request-Id (req_...), "" when it has none.
	ID     string
	Params map[string]string
	// Query is the parsed query; when nil, RawQuery is parsed on first use.
	Query    url.Values
	RawQuery string
	Header   http.Header
	// Body is the raw request body; ContentType says how to read it.
	Body        []byte
	ContentType string
	// Now is the time the template's `now` and `created` fields use; zero means time.Now().
	Now time.Time
	// Mockoon is the state a Mockoon environment's templates share (global
	// variables, data buckets); nil for none.
	Mockoon *MockoonEnv
	// Status is the answer's status as a template set it (Mockoon's
	// {{status 429}}), 100 to 999; 0 keeps the variant's.
	Status int

	// pairs is the form body in order; isForm says the body is a form
	// (pairs may still be empty); form is the same as url.Values, made
	// on first BodyForm.
	pairs  []FormPair
	isForm bool
	form   url.Values
	// queryPairs is RawQuery decoded, when Query is not set.
	queryPairs []FormPair
	// pairRoom holds the pairs of the first body decoded, when they fit:
	// a usual create's form costs no allocation of its own. A body set
	// later (SetBody) gets pairs of its own, so that the first body's
	// pairs, which callers may hold, stay as they were.
	pairRoom     [8]FormPair
	pairRoomUsed bool
	// index is the first pair of each key, made for long forms only.
	index   map[string]int
	json    any
	decoded bool
	// ids makes the ids of the `id` helper; nil means NewID. Tests set it
	// to compare renderings byte for byte.
	ids func(prefix string) string
	// made are the last ids the rendering made, one per prefix, for the
	// `sameId` helper; nmade how many of them are set.
	made  [4]madeID
	nmade int
}

// madeID is an id a rendering made and its prefix.
type madeID struct{ prefix, id string }

// NewRequest builds a Request from an incoming HTTP request whose body has
// already been read, and the path parameters its route matched.
func NewRequest(r *http.Request, params map[string]string, body []byte) *Request {
	req := new(Request)
	req.Init(r, params, body)
	return req
}

// Init makes req what NewRequest(r, params, body) makes, in place: a
// server keeps it in memory of its own (one allocation per request). req
// must be new (the zero Request).
func (req *Request) Init(r *http.Request, params map[string]string, body []byte) {
	req.Method, req.Path, req.Params, req.RawQuery = r.Method, r.URL.Path, params, r.URL.RawQuery
	req.Header, req.Body = r.Header, body
	// The canonical key read directly: Header.Get would canonicalize it again.
	if ct := r.Header["Content-Type"]; len(ct) > 0 {
		req.ContentType = ct[0]
	}
}

// QueryValue returns the first value of a query parameter.
func (r *Request) QueryValue(key string) (string, bool) {
	vs, ok := r.QueryValues()[key]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// SetIDs makes the `id` helper call ids for the request's ids (nil: NewID,
// the default), so that a caller can know or choose them.
func (r *Request) SetIDs(ids func(prefix string) string) { r.ids = ids }

// NewID is an id the request's rendering makes, as the `id` helper makes
// it (through SetIDs' function when one is set), for the ids a finish of
// the rendered body adds.
func (r *Request) NewID(prefix string) string { return r.newID(prefix) }

func (r *Request) newID(prefix string) string {
	var id string
	if r.ids != nil {
		id = r.ids(prefix)
	} else {
		id = NewID(prefix)
	}
	r.remember(prefix, id)
	return id
}

// remember notes id as the last the rendering made with prefix. Past
// len(made) prefixes, the oldest is forgotten.
func (r *Request) remember(prefix, id string) {
	for i := range r.nmade {
		if r.made[i].prefix == prefix {
			r.made[i].id = id
			return
		}
	}
	if r.nmade == len(r.made) {
		copy(r.made[:], r.made[1:])
		r.nmade--
	}
	r.made[r.nmade] = madeID{prefix, id}
	r.nmade++
}

// sameID is the id the rendering last made with prefix (the object's own
// id, for a client_secret or a url that names it), or a new one if it
// made none.
func (r *Request) sameID(prefix string) string {
	for i := range r.nmade {
		if r.made[i].prefix == prefix {
			return r.made[i].id
		}
	}
	return r.newID(prefix)
}

// QueryValues returns the parsed query (nil when there is none).
func (r *Request) QueryValues() url.Values {
	if r.Query == nil && r.RawQuery != "" {
		r.Query, _ = url.ParseQuery(r.RawQuery)
	}
	return r.Query
}

// A FormPair is one key=value of a form, both percent-decoded.
type FormPair struct {
	Key, Value string
}

// BodyPairs returns the body's form pairs in their order (repeated keys
// repeated), and whether the body is a form: false when it is empty,
// JSON, or refused by url.ParseQuery (a bad escape, a semicolon). The
// body is decoded once, for the templates and rules alike; callers must
// not change the slice.
func (r *Request) BodyPairs() ([]FormPair, bool) {
	r.decode()
	return r.pairs, r.isForm
}

// QueryPairs returns the query's pairs: in their order when the raw
// query decodes whole, else those QueryValues holds (url.ParseQuery keeps
// the good pairs of a query it refuses), by key.
func (r *Request) QueryPairs() []FormPair {
	if r.Query == nil {
		if r.RawQuery == "" {
			return nil
		}
		if r.queryPairs == nil {
			if pairs, ok := ParsePairs(r.RawQuery); ok {
				r.queryPairs = pairs
			}
		}
		if r.queryPairs != nil {
			return r.queryPairs
		}
	}
	q := r.QueryValues()
	keys := slices.Sorted(maps.Keys(q))
	var pairs []FormPair
	for _, k := range keys {
		for _, v := range q[k] {
			pairs = append(pairs, FormPair{Key: k, Value: v})
		}
	}
	return pairs
}

// BodyForm returns the body parsed as a form, nil when it is empty or JSON.
// The body is parsed once, for the templates and rules alike; BodyPairs
// reads it without building the map.
func (r *Request) BodyForm() url.Values {
	r.decode()
	if r.form == nil && r.isForm {
		r.form = make(url.Values, len(r.pairs))
		for _, p := range r.pairs {
			r.form[p.Key] = append(r.form[p.Key], p.Value)
		}
	}
	return r.form
}

// maxFormParams is url.ParseQuery's default limit on the number of
// parameters; past it ParseQuery itself decides.
const maxFormParams = 10000

// ParsePairs decodes a form (or query) as url.ParseQuery does, keeping
// the pairs' order: empty pieces are skipped, and a piece with a
// semicolon or a bad escape fails the whole form (ok false).
func ParsePairs(s string) (pairs []FormPair, ok bool) {
	return parsePairs(s, nil)
}

// parsePairs is ParsePairs, the pairs in room when they fit in it.
func parsePairs(s string, room []FormPair) (pairs []FormPair, ok bool) {
	n := strings.Count(s, "&") + 1
	if n > maxFormParams {
		// The limit may be changed (GODEBUG urlmaxqueryparams).
		if _, err := url.ParseQuery(s); err != nil {
			return nil, false
		}
	}
	if s == "" {
		return nil, true
	}
	if n <= cap(room) {
		pairs = room[:0]
	} else {
		pairs = make([]FormPair, 0, n)
	}
	for s != "" {
		var piece string
		piece, s, _ = strings.Cut(s, "&")
		if piece == "" {
			continue
		}
		if strings.IndexByte(piece, ';') >= 0 {
			return nil, false
		}
		k, v, _ := strings.Cut(piece, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, false
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, false
		}
		pairs = append(pairs, FormPair{Key: key, Value: value})
	}
	return pairs, true
}

// BodyJSON returns the body parsed as JSON, nil unless it is JSON.
func (r *Request) BodyJSON() any {
	r.decode()
	return r.json
}

func (r *Request) now() time.Time {
	if r.Now.IsZero() {
		return time.Now()
	}
	return r.Now
}

// decode parses the body once, as JSON when it says so (or looks like it),
// otherwise as a form, the way Stripe's clients send it.
func (r *Request) decode() {
	if r.decoded {
		return
	}
	r.decoded = true
	if len(r.Body) == 0 {
		return
	}
	// The usual form type is taken without parsing, and the body is
	// looked at in place: neither allocates.
	mt := r.ContentType
	if mt != "application/x-www-form-urlencoded" {
		mt, _, _ = mime.ParseMediaType(r.ContentType)
	}
	if mt == "application/json" || (mt == "" && bytes.HasPrefix(bytes.TrimSpace(r.Body), []byte("{"))) {
		var v any
		if err := json.Unmarshal(r.Body, &v); err == nil {
			r.json = v
		}
		return
	}
	var room []FormPair
	if !r.pairRoomUsed {
		r.pairRoomUsed = true
		room = r.pairRoom[:]
	}
	r.pairs, r.isForm = parsePairs(string(r.Body), room)
}

// indexFrom is the length of a form from which BodyValue looks keys up
// in an index rather than walking the pairs.
const indexFrom = 24

// BodyValue looks a dotted path up in the body ("metadata.order_id" finds
// the form key "metadata[order_id]" or the JSON member). ok is false when the
// request has no such value. Non-string JSON values come back as their JSON text.
func (r *Request) BodyValue(path string) (string, bool) {
	r.decode()
	if r.json != nil {
		v, ok := lookupJSON(r.json, path)
		if !ok {
			return "", false
		}
		return scalarString(v)
	}
	if len(r.pairs) >= indexFrom {
		if r.index == nil {
			r.index = make(map[string]int, len(r.pairs))
			for i, p := range r.pairs {
				if _, ok := r.index[p.Key]; !ok {
					r.index[p.Key] = i
				}
			}
		}
		if i, ok := r.index[formKey(path)]; ok {
			return r.pairs[i].Value, true
		}
		return "", false
	}
	for _, p := range r.pairs {
		if keyIs(p.Key, path) {
			return p.Value, true
		}
	}
	return "", false
}

// keyIs reports whether key is formKey(path) ("a[b][c]" for "a.b.c"),
// without building it.
func keyIs(key, path string) bool {
	first, rest, dotted := strings.Cut(path, ".")
	if !dotted {
		return key == path
	}
	if !strings.HasPrefix(key, first) {
		return false
	}
	key = key[len(first):]
	for {
		part, more, ok := strings.Cut(rest, ".")
		if len(key) < len(part)+2 || key[0] != '[' || key[1:1+len(part)] != part || key[1+len(part)] != ']' {
			return false
		}
		key = key[len(part)+2:]
		if !ok {
			return key == ""
		}
		rest = more
	}
}

// BodyMap returns the string members of an object parameter such as
// metadata: form keys "metadata[k]" or a JSON object. ok is false when the
// request does not mention it.
func (r *Request) BodyMap(name string) (map[string]string, bool) {
	r.decode()
	if r.json != nil {
		v, ok := lookupJSON(r.json, name)
		if !ok {
			return nil, false
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		out := make(map[string]string, len(obj))
		for k, val := range obj {
			if s, ok := scalarString(val); ok {
				out[k] = s
			}
		}
		return out, true
	}
	var out map[string]string
	for _, p := range r.pairs {
		k := p.Key
		if len(k) < len(name)+2 || k[len(name)] != '[' || !strings.HasPrefix(k, name) || k[len(k)-1] != ']' {
			continue
		}
		inner := k[len(name)+1 : len(k)-1]
		if inner == "" || strings.ContainsAny(inner, "[]") {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		if _, seen := out[inner]; !seen {
			out[inner] = p.Value // the first of repeated values
		}
	}
	return out, out != nil
}

// formKey turns "a.b.c" into "a[b][c]".
func formKey(path string) string {
	first, rest, dotted := strings.Cut(path, ".")
	if !dotted {
		return path // most paths: no allocation
	}
	var b strings.Builder
	b.Grow(len(path) + strings.Count(rest, ".") + 2)
	b.WriteString(first)
	for {
		part, more, ok := strings.Cut(rest, ".")
		b.WriteByte('[')
		b.WriteString(part)
		b.WriteByte(']')
		if !ok {
			return b.String()
		}
		rest = more
	}
}

func lookupJSON(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[part]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}

// SetBody replaces the request's body; it is parsed again on next use.
func (r *Request) SetBody(body []byte) {
	r.Body = body
	r.pairs, r.isForm, r.form, r.index, r.json, r.decoded = nil, false, nil, nil, nil, false
}
