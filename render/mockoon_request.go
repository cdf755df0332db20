package render

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aymerick/raymond"
)

// The request as Mockoon's helpers see it: Express with its JSON and
// urlencoded (qs) body parsers and qs query parsing.

// mockoonBodyKey caches the parsed body in the template's data frame.
const mockoonBodyKey = "__mockoonBody"

type parsedBody struct {
	value any
	ok    bool // the content type has a parser and the body parsed
}

// mockoonBody parses the request body as Mockoon does: JSON for JSON
// content types, qs for forms; anything else has no parsed body.
func mockoonBody(c *mcall) (any, bool) {
	if p, ok := c.opts.Data(mockoonBodyKey).(*parsedBody); ok {
		return p.value, p.ok
	}
	req := c.request()
	p := &parsedBody{}
	mt, _, _ := mime.ParseMediaType(req.ContentType)
	switch {
	case strings.Contains(mt, "json"):
		if v, err := parseJSON(req.Body); err == nil {
			p.value, p.ok = v, true
		}
	case mt == "application/x-www-form-urlencoded":
		p.value, p.ok = parseQS(string(req.Body)), true
	}
	c.opts.DataFrame().Set(mockoonBodyKey, p)
	return p.value, p.ok
}

// mBody is {{body}}, {{body 'path'}}, {{body 'path' 'default'}} and
// {{body 'path' 'default' true}} (JSON-encode the value).
func mBody(c *mcall) any {
	path, _ := isString(c.arg(0))
	def, ok := isString(c.arg(1))
	if !ok {
		def = jsString(c.arg(1))
	}
	stringify, _ := c.arg(2).(bool)
	if path == "" {
		return raymond.SafeString(c.request().Body)
	}
	body, ok := mockoonBody(c)
	if !ok {
		if stringify {
			return raymond.SafeString(jsonStringify(def, ""))
		}
		return raymond.SafeString(def)
	}
	return printAt(body, path, def, stringify)
}

// mBodyRaw is body without printing: the value itself, for #each and other helpers.
func mBodyRaw(c *mcall) any {
	path, _ := isString(c.arg(0))
	def := rawDefault(c)
	body, ok := mockoonBody(c)
	if !ok {
		return def
	}
	if path == "" {
		return body
	}
	return valueAt(body, path, def)
}

// printAt prints the value at path in src (def where there is none) as
// {{body}} and {{queryParam}} do: JSON for an array or an object, or
// when stringify asks; else as JavaScript's String.
func printAt(src any, path string, def any, stringify bool) raymond.SafeString {
	v := valueAt(src, path, def)
	switch v.(type) {
	case []any, *jsObject:
		stringify = true
	}
	if stringify {
		return raymond.SafeString(jsonStringify(v, ""))
	}
	return raymond.SafeString(jsString(v))
}

// valueAt is the value at path in src, def where there is none.
func valueAt(src any, path string, def any) any {
	if v, ok := MockoonPath(src, path); ok {
		return v
	}
	return def
}

// rawDefault is the default of bodyRaw and queryParamRaw, their second
// argument as given ("" without one).
func rawDefault(c *mcall) any {
	if len(c.args) >= 2 {
		return c.args[1]
	}
	return ""
}

func mURLParam(c *mcall) any {
	v, ok := c.request().Params[jsString(c.arg(0))]
	if !ok {
		return nil
	}
	return v
}

// query parses the query string as Express (qs) does, keeping order.
func query(c *mcall) *jsObject {
	req := c.request()
	raw := req.RawQuery
	if raw == "" && req.Query != nil {
		raw = req.Query.Encode()
	}
	return parseQS(raw)
}

// mQueryParam is {{queryParam}} (the whole query as JSON),
// {{queryParam 'path'}}, with a default and with stringify.
func mQueryParam(c *mcall) any {
	path, _ := isString(c.arg(0))
	def, _ := isString(c.arg(1))
	stringify, _ := c.arg(2).(bool)
	q := query(c)
	if path == "" {
		return raymond.SafeString(jsonStringify(q, ""))
	}
	return printAt(q, path, def, stringify)
}

func mQueryParamRaw(c *mcall) any {
	path, _ := isString(c.arg(0))
	q := query(c)
	if path == "" {
		return q
	}
	return valueAt(q, path, rawDefault(c))
}

func mHeader(c *mcall) any {
	def, _ := isString(c.arg(1))
	name, ok := isString(c.arg(0))
	if !ok {
		return def
	}
	if v := c.request().Header.Get(name); v != "" {
		return v
	}
	return def
}

func mCookie(c *mcall) any {
	def, _ := isString(c.arg(1))
	name := jsString(c.arg(0))
	r := http.Request{Header: c.request().Header}
	if ck, err := r.Cookie(name); err == nil && ck.Value != "" {
		return ck.Value
	}
	return def
}

// parseQS parses "a[b][0]=1&list=x&list=y" into nested objects and arrays
// the way qs does: brackets nest, [] and small numeric indices make arrays,
// a repeated key becomes an array.
func parseQS(raw string) *jsObject {
	root := newObject()
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		qsAssign(root, qsKeyParts(key), val)
	}
	return root
}

// qsKeyParts splits "a[b][0]" into ["a", "b", "0"].
func qsKeyParts(key string) []string {
	open := strings.IndexByte(key, '[')
	if open <= 0 || !strings.HasSuffix(key, "]") {
		return []string{key}
	}
	parts := []string{key[:open]}
	rest := key[open:]
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		parts = append(parts, rest[1:end])
		rest = rest[end+1:]
	}
	return parts
}

// qsAssign sets parts in obj; arrays are []any kept inside the parent
// object (re-stored after appends).
func qsAssign(obj *jsObject, parts []string, val string) {
	head := parts[0]
	if len(parts) == 1 {
		if prev, ok := obj.get(head); ok {
			if arr, ok := prev.([]any); ok {
				obj.set(head, append(arr, val))
			} else {
				obj.set(head, []any{prev, val})
			}
			return
		}
		obj.set(head, val)
		return
	}
	next := parts[1]
	if next == "" || isSmallIndex(next) {
		arr, _ := obj.vals[head].([]any)
		if next == "" || len(parts) == 2 {
			obj.set(head, append(arr, val))
			return
		}
		i, _ := strconv.Atoi(next)
		for len(arr) <= i {
			arr = append(arr, newObject())
		}
		child, ok := arr[i].(*jsObject)
		if !ok {
			child = newObject()
			arr[i] = child
		}
		qsAssign(child, parts[2:], val)
		obj.set(head, arr)
		return
	}
	child, ok := obj.vals[head].(*jsObject)
	if !ok {
		child = newObject()
		obj.set(head, child)
	}
	qsAssign(child, parts[1:], val)
}

func isSmallIndex(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 20 && strconv.Itoa(n) == s
}

// splitPath is Mockoon's convertPathToArray: "a.b.0" → [a b 0], with "\."
// for a dot inside a key.
func splitPath(path string) []string {
	if !strings.Contains(path, `\.`) {
		return strings.Split(path, ".")
	}
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch {
		case path[i] == '\\' && i+1 < len(path) && path[i+1] == '.':
			cur.WriteByte('.')
			i++
		case path[i] == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(path[i])
		}
	}
	return append(parts, cur.String())
}

// lookupPath follows parts through objects and arrays (object-path's get).
func lookupPath(v any, parts []string) (any, bool) {
	for _, p := range parts {
		switch node := v.(type) {
		case *jsObject:
			next, ok := node.get(p)
			if !ok {
				return nil, false
			}
			v = next
		case map[string]any:
			next, ok := node[p]
			if !ok {
				return nil, false
			}
			v = toJS(next)
		case []any:
			i, err := strconv.Atoi(p)
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
