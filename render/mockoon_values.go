package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aymerick/raymond"
)

// Mockoon's helpers are JavaScript functions: their values are JavaScript
// values, and how a value prints (String(v), JSON.stringify) is part of the
// output. This file models those values in Go:
//
//	undefined, null  nil
//	number           float64 (int from template literals is accepted)
//	string           string, or raymond.SafeString (not HTML-escaped)
//	boolean          bool
//	array            []any
//	object           *jsObject (keys in insertion order)
//	Date             time.Time

// mcall is one call of a Mockoon helper: its positional arguments, its
// hash arguments and raymond's options (for blocks and data).
type mcall struct {
	args []any
	hash map[string]any
	opts *raymond.Options
	// req is the request when a mockoonPlan calls (opts is nil then).
	req *Request
}

// mockoonHelper is a Mockoon helper of any argument count.
type mockoonHelper func(c *mcall) any

// arg returns the i-th positional argument, or nil (undefined).
func (c *mcall) arg(i int) any {
	if i < len(c.args) {
		return c.args[i]
	}
	return nil
}

func (c *mcall) request() *Request {
	if c.req != nil {
		return c.req
	}
	return requestOf(c.opts)
}

// jsObject is a JavaScript object: members in insertion order, as
// JSON.parse and object literals keep them.
type jsObject struct {
	keys []string
	vals map[string]any
}

func newObject() *jsObject { return &jsObject{vals: map[string]any{}} }

func (o *jsObject) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *jsObject) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// parseJSON decodes JSON into JavaScript values, keeping member order.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeJS(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeJS(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			arr := []any{}
			for dec.More() {
				v, err := decodeJS(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		obj := newObject()
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeJS(dec)
			if err != nil {
				return nil, err
			}
			obj.set(k.(string), v)
		}
		_, err := dec.Token()
		return obj, err
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	default:
		return t, nil // string, bool, nil
	}
}

// toJS converts values raymond hands over (template literals, hash maps)
// to JavaScript values.
func toJS(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case map[string]any:
		o := newObject()
		for _, k := range slices.Sorted(mapKeys(x)) {
			o.set(k, toJS(x[k]))
		}
		return o
	}
	return v
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// jsString is JavaScript's String(v), with Handlebars' rule that null and
// undefined print as nothing.
func jsString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case raymond.SafeString:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return jsNumber(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	case *jsObject, map[string]any:
		return "[object Object]"
	case time.Time:
		return jsDateString(x)
	case []string:
		return strings.Join(x, ",")
	}
	return fmt.Sprint(v)
}

// jsNumber prints a number as JavaScript does: shortest round-trip digits,
// exponent form from 1e21 and below 1e-6.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + exp
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// jsDateString is Date.prototype.toString in the local time zone, e.g.
// "Thu Nov 26 2026 02:52:36 GMT+0000 (Coordinated Universal Time)".
func jsDateString(t time.Time) string {
	name, _ := t.Zone()
	if name == "UTC" {
		name = "Coordinated Universal Time"
	}
	return t.Format("Mon Jan 02 2006 15:04:05 GMT-0700") + " (" + name + ")"
}

// jsISOString is Date.prototype.toISOString.
func jsISOString(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// toNumber is JavaScript's Number(v).
func toNumber(v any) float64 {
	switch x := v.(type) {
	case nil:
		return math.NaN()
	case float64:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		return stringNumber(x)
	case raymond.SafeString:
		return stringNumber(string(x))
	case []any:
		switch len(x) {
		case 0:
			return 0
		case 1:
			return toNumber(jsString(x[0]))
		}
		return math.NaN()
	case time.Time:
		return float64(x.UnixMilli())
	}
	return math.NaN()
}

func stringNumber(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		if n, err := strconv.ParseUint(s[2:], 16, 64); err == nil {
			return float64(n)
		}
		return math.NaN()
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	if strings.ContainsAny(s, "_xXpPiInN") {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// isNumber reports whether v is a JavaScript number (typeof v === 'number').
func isNumber(v any) bool {
	switch v.(type) {
	case float64, int, int64:
		return true
	}
	return false
}

// isString reports whether v is a string or a SafeString.
func isString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case raymond.SafeString:
		return string(x), true
	}
	return "", false
}

// truthy is JavaScript's Boolean(v).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case raymond.SafeString:
		return x != ""
	case float64:
		return x != 0 && !math.IsNaN(x)
	case int:
		return x != 0
	}
	return true
}

// jsonStringify is JSON.stringify(v) (indent "" for the compact form).
// undefined prints as nothing, as JavaScript returns undefined.
func jsonStringify(v any, indent string) string {
	var b strings.Builder
	writeJSON(&b, toJS(v), indent, "")
	return b.String()
}

func writeJSON(b *strings.Builder, v any, indent, prefix string) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(jsNumber(x))
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case string:
		writeJSONString(b, x)
	case raymond.SafeString:
		writeJSONString(b, string(x))
	case time.Time:
		writeJSONString(b, jsISOString(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		inner := prefix + indent
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, indent, inner)
			writeJSON(b, toJS(e), indent, inner)
		}
		newline(b, indent, prefix)
		b.WriteByte(']')
	case *jsObject:
		if len(x.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		inner := prefix + indent
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, indent, inner)
			writeJSONString(b, k)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			writeJSON(b, toJS(x.vals[k]), indent, inner)
		}
		newline(b, indent, prefix)
		b.WriteByte('}')
	case []string:
		arr := make([]any, len(x))
		for i, s := range x {
			arr[i] = s
		}
		writeJSON(b, arr, indent, prefix)
	default:
		writeJSON(b, toJS(x), indent, prefix)
	}
}

func newline(b *strings.Builder, indent, prefix string) {
	if indent == "" {
		return
	}
	b.WriteByte('\n')
	b.WriteString(prefix)
}

// writeJSONString quotes s as JSON.stringify does: only quotes, backslashes
// and control characters are escaped.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else if r == utf8.RuneError {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// htmlEscape is Handlebars' escapeExpression.
func htmlEscape(s string) string {
	if !strings.ContainsAny(s, "&<>\"'`=") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#x27;")
		case '`':
			b.WriteString("&#x60;")
		case '=':
			b.WriteString("&#x3D;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// printEscaped prints a top-level {{value}}: String(value), HTML-escaped
// unless it is a SafeString.
func printEscaped(c *mcall) any {
	v := c.arg(0)
	if s, ok := v.(raymond.SafeString); ok {
		return s
	}
	return raymond.SafeString(htmlEscape(jsString(v)))
}

// printRaw prints a top-level {{{value}}}: String(value), unescaped.
func printRaw(c *mcall) any { return raymond.SafeString(jsString(c.arg(0))) }
