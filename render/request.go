package render

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
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

	form    url.Values
	json    any
	decoded bool
	// ids makes the ids of the `id` helper; nil means NewID. Tests set it
	// to compare renderings byte for byte.
	ids func(prefix string) string
}

// NewRequest builds a Request from an incoming HTTP request whose body has
// already been read, and the path parameters its route matched.
func NewRequest(r *http.Request, params map[string]string, body []byte) *Request {
	return &Request{
		Method:      r.Method,
		Path:        r.URL.Path,
		Params:      params,
		RawQuery:    r.URL.RawQuery,
		Header:      r.Header,
		Body:        body,
		ContentType: r.Header.Get("Content-Type"),
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

func (r *Request) newID(prefix string) string {
	if r.ids != nil {
		return r.ids(prefix)
	}
	return NewID(prefix)
}

// QueryValues returns the parsed query (nil when there is none).
func (r *Request) QueryValues() url.Values {
	if r.Query == nil && r.RawQuery != "" {
		r.Query, _ = url.ParseQuery(r.RawQuery)
	}
	return r.Query
}

// BodyForm returns the body parsed as a form, nil when it is empty or JSON.
// The body is parsed once, for the templates and rules alike.
func (r *Request) BodyForm() url.Values {
	r.decode()
	return r.form
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
	if form, err := url.ParseQuery(string(r.Body)); err == nil {
		r.form = form
	}
}

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
	if r.form != nil {
		key := formKey(path)
		if vs, ok := r.form[key]; ok && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
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
	if r.form == nil {
		return nil, false
	}
	prefix := name + "["
	var out map[string]string
	for k, vs := range r.form {
		if !strings.HasPrefix(k, prefix) || !strings.HasSuffix(k, "]") || len(vs) == 0 {
			continue
		}
		inner := k[len(prefix) : len(k)-1]
		if inner == "" || strings.ContainsAny(inner, "[]") {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[inner] = vs[0]
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
	r.form, r.json, r.decoded = nil, nil, false
}
