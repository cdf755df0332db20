package render

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aymerick/raymond"
)

// helperSet maps a helper name to its implementations by argument count
// (not counting raymond's trailing *Options). A helper that takes any
// number of arguments has a mockoonHelper under anyCount; each template
// registers it for the counts it calls it with.
type helperSet map[string]map[int]any

// anyCount is the helperSet key of a helper taking any number of arguments.
const anyCount = -1

// defaultHelpers is built once and never changed.
var defaultHelpers = helperSet{
	"urlParam":   {1: urlParam},
	"queryParam": {1: queryParam1, 2: queryParam2},
	"body":       {0: body0, 1: body1, 2: body2},
	"header":     {1: header1, 2: header2},
	"now":        {0: now0, 1: now1},
	"id":         {1: newID},
	"sameId":     {1: sameID},
	"reflect":    {2: reflectParam},
	"faker":      {1: fakerHelper},
	"oneOf":      {1: oneOf},
	"array":      {anyCount: mockoonHelper(arrayHelper)},
	"int":        {0: int0, 2: int2},
	"float":      {0: float0, 2: float2},
	"boolean":    {0: boolean},
	"uuid":       {0: uuid},
	"json":       {1: jsonHelper},
}

// Names lists the helpers templates may call, with their arities, for docs.
func Names() []string {
	var out []string
	for name, arities := range defaultHelpers {
		var ns []string
		for n := range arities {
			if n == anyCount {
				ns = append(ns, "any")
				continue
			}
			ns = append(ns, strconv.Itoa(n))
		}
		sort.Strings(ns)
		out = append(out, name+"/"+strings.Join(ns, ","))
	}
	sort.Strings(out)
	return out
}

// register adds every helper to tpl under the names rewriteArity produces.
func (hs helperSet) register(tpl *raymond.Template) {
	m := make(map[string]any, len(hs)*2)
	for name, arities := range hs {
		for n, fn := range arities {
			if n != anyCount {
				m[hs.callName(name, n)] = fn
			}
		}
	}
	tpl.RegisterHelpers(m)
}

// callName is the name raymond knows a helper call by: the plain name when
// the helper has one arity, "name__N" otherwise.
func (hs helperSet) callName(name string, arity int) string {
	if _, anyArgs := hs[name][anyCount]; len(hs[name]) == 1 && !anyArgs {
		return name
	}
	return name + "__" + strconv.Itoa(arity)
}

// ---- request helpers ----
//
// Each request helper is a plain function of the request and its string
// arguments (the "core"), wrapped for raymond below and called directly by
// the fast path (plan.go). Both paths therefore produce the same bytes.

func urlParamCore(req *Request, name string) string { return escapeJSON(req.Params[name]) }

func queryParamCore(req *Request, name, def string) string {
	if v, ok := req.QueryValue(formKey(name)); ok {
		return escapeJSON(v)
	}
	return escapeJSON(def)
}

func bodyCore(req *Request, path, def string) string {
	if v, ok := req.BodyValue(path); ok {
		return escapeJSON(v)
	}
	return escapeJSON(def)
}

func headerCore(req *Request, name, def string) string {
	if v := req.Header.Get(name); v != "" {
		return escapeJSON(v)
	}
	return escapeJSON(def)
}

func nowCore(req *Request, layout string) string {
	t := req.now()
	switch layout {
	case "unix", "":
		return strconv.FormatInt(t.Unix(), 10)
	case "iso":
		return t.UTC().Format(time.RFC3339)
	}
	// 'unix+N': N seconds from now, as a Unix timestamp (when a new
	// object expires).
	if after, ok := strings.CutPrefix(layout, "unix+"); ok {
		if n, err := strconv.ParseInt(after, 10, 64); err == nil {
			return strconv.FormatInt(t.Unix()+n, 10)
		}
	}
	return escapeJSON(t.UTC().Format(layout))
}

func urlParam(name any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(urlParamCore(requestOf(options), str(name)))
}

func queryParam1(name any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(queryParamCore(requestOf(options), str(name), ""))
}

func queryParam2(name, def any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(queryParamCore(requestOf(options), str(name), str(def)))
}

func body0(options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(escapeJSON(string(requestOf(options).Body)))
}

func body1(path any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(bodyCore(requestOf(options), str(path), ""))
}

func body2(path, def any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(bodyCore(requestOf(options), str(path), str(def)))
}

func header1(name any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(headerCore(requestOf(options), str(name), ""))
}

func header2(name, def any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(headerCore(requestOf(options), str(name), str(def)))
}

// now with no argument is a Unix timestamp, as Stripe's `created` fields are.
func now0(options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(nowCore(requestOf(options), ""))
}

// now 'layout' formats the time: 'unix', 'unix+N' (N seconds later), 'iso'
// (RFC 3339) or a Go layout.
func now1(layout any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(nowCore(requestOf(options), str(layout)))
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newID returns a fresh Stripe-style id: the prefix, "_" and 14 random characters.
func newID(prefix any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(escapeJSON(requestOf(options).newID(str(prefix))))
}

// sameID gives the id the rendering last made with prefix (see Request.sameID).
func sameID(prefix any, options *raymond.Options) raymond.SafeString {
	return raymond.SafeString(escapeJSON(requestOf(options).sameID(str(prefix))))
}

// NewID returns prefix_ followed by 14 random alphanumerics ("req" gives a Request-Id).
func NewID(prefix string) string {
	var b [64]byte
	n := copy(b[:48], prefix)
	b[n] = '_'
	n++
	// Two 64-bit draws give 14 characters of 62 (each draw holds 10 with
	// room to spare: 62^10 < 2^64); the bias of taking x % 62 is below 1e-8.
	for _, draws := range [2]int{7, 7} {
		x := rand.Uint64()
		for i := 0; i < draws; i++ {
			b[n] = idAlphabet[x%uint64(len(idAlphabet))]
			x /= uint64(len(idAlphabet))
			n++
		}
	}
	return string(b[:n])
}

// reflectKinds are the types {{#reflect}} accepts.
var reflectKinds = map[string]bool{"string": true, "integer": true, "number": true, "boolean": true, "map": true}

// reflectCore returns the request's value of name as JSON of the given
// kind; ok is false when the request has none or it does not fit.
func reflectCore(req *Request, name, kind string) (string, bool) {
	switch kind {
	case "map":
		if m, ok := req.BodyMap(name); ok {
			return encodeStringMap(m), true
		}
	case "string":
		if v, ok := req.BodyValue(name); ok {
			return `"` + escapeJSON(v) + `"`, true
		}
	case "integer":
		if v, ok := req.BodyValue(name); ok {
			if i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return strconv.FormatInt(i, 10), true
			}
		}
	case "number":
		if v, ok := req.BodyValue(name); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return strconv.FormatFloat(f, 'f', -1, 64), true
			}
		}
	case "boolean":
		if v, ok := req.BodyValue(name); ok {
			if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
				return strconv.FormatBool(b), true
			}
		}
	}
	return "", false
}

// reflectParam is a block helper: {{#reflect 'amount' 'integer'}}2000{{/reflect}}
// writes the request's `amount` as a JSON value of the given type, or the
// block (the fixture's value) when the request has none or it does not fit.
// Types: string, integer, number, boolean, map (string members, like metadata).
func reflectParam(name, kind any, options *raymond.Options) raymond.SafeString {
	k := str(kind)
	if !reflectKinds[k] {
		panic(fmt.Errorf("reflect: unknown type %q (want string, integer, number, boolean or map)", k))
	}
	if v, ok := reflectCore(requestOf(options), str(name), k); ok {
		return raymond.SafeString(v)
	}
	return raymond.SafeString(options.Fn())
}

func encodeStringMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('"')
		b.WriteString(escapeJSON(k))
		b.WriteString(`": "`)
		b.WriteString(escapeJSON(m[k]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// ---- data helpers ----

func oneOf(items any) raymond.SafeString {
	list, ok := items.([]string)
	if !ok || len(list) == 0 {
		return ""
	}
	return raymond.SafeString(escapeJSON(list[rand.IntN(len(list))]))
}

// arrayHelper is {{array 'a' 'b' ...}} with any number of items.
func arrayHelper(c *mcall) any { return strs(c.args...) }

func strs(vs ...any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = str(v)
	}
	return out
}

func int0() raymond.SafeString { return int2(0, 100) }

func int2(lo, hi any) raymond.SafeString {
	a, b := toInt(lo), toInt(hi)
	if b < a {
		a, b = b, a
	}
	return raymond.SafeString(strconv.FormatInt(a+rand.Int64N(b-a+1), 10))
}

func float0() raymond.SafeString { return float2(0, 100) }

func float2(lo, hi any) raymond.SafeString {
	a, b := toFloat(lo), toFloat(hi)
	if b < a {
		a, b = b, a
	}
	return raymond.SafeString(strconv.FormatFloat(a+rand.Float64()*(b-a), 'f', 2, 64))
}

func boolean() raymond.SafeString {
	return raymond.SafeString(strconv.FormatBool(rand.IntN(2) == 1))
}

func uuid() raymond.SafeString {
	var b [16]byte
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return raymond.SafeString(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// jsonHelper writes any value as JSON text.
func jsonHelper(v any) raymond.SafeString {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("json: %v", err))
	}
	return raymond.SafeString(b)
}

// ---- conversions ----

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case raymond.SafeString:
		return string(x)
	default:
		return fmt.Sprint(x)
	}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	case float64:
		return int64(x)
	default:
		i, _ := strconv.ParseInt(str(v), 10, 64)
		return i
	}
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	default:
		f, _ := strconv.ParseFloat(str(v), 64)
		return f
	}
}

// escapeJSON returns s escaped for use inside a JSON string literal (without
// the quotes). Invalid UTF-8 becomes U+FFFD.
func escapeJSON(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, r == 0x2028, r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			// range yields U+FFFD for invalid bytes, which is what we want.
			b.WriteRune(r)
		}
	}
	return b.String()
}
