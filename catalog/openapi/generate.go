package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// Limits on generated bodies: schemas nest (and refer to themselves), so
// generation stops at a depth and a size, where objects become {} and
// arrays [].
const (
	maxDepth = 4
	maxNodes = 1000
	// nullDepth is the depth from which a nullable value is null, as
	// APIs leave most optional nested objects empty.
	nullDepth = 3
)

// generator makes bodies from schemas: the schema's own example, const,
// enum or default where it has one, else a realistic value for its type
// and format (an email for format email, a UUID for uuid...). Its faker
// is seeded by the route, so a route always gets the same body.
type generator struct {
	f     *gofakeit.Faker
	nodes int
	stack map[string]bool // $refs being generated, to stop cycles
}

func newGenerator(key string) *generator {
	return &generator{f: gofakeit.New(seed(key)), stack: map[string]bool{}}
}

// value generates a body for a media type's schema ({} without one).
func (g *generator) value(sp *base.SchemaProxy) any {
	g.nodes = 0
	if sp == nil {
		return object{}
	}
	return g.proxy(sp, "", 0)
}

// headers are a response's headers with their examples (or values
// generated from their schemas); Content-Type is the variant's own.
func (g *generator) headers(r *v3.Response) map[string]string {
	if r.Headers == nil || r.Headers.Len() == 0 {
		return nil
	}
	out := map[string]string{}
	for name, h := range r.Headers.FromOldest() {
		if h == nil || strings.EqualFold(name, "Content-Type") {
			continue
		}
		var v any
		switch {
		case h.Example != nil:
			v, _ = decode(h.Example)
		case h.Examples != nil && h.Examples.Len() > 0:
			for _, ex := range h.Examples.FromOldest() {
				if ex != nil && ex.Value != nil {
					v, _ = decode(ex.Value)
				}
				break
			}
		case h.Schema != nil:
			g.nodes = 0
			v = g.proxy(h.Schema, name, 0)
		}
		switch t := v.(type) {
		case nil:
			continue
		case string:
			out[name] = t
		default:
			data, err := json.Marshal(t)
			if err != nil {
				continue
			}
			out[name] = string(data)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (g *generator) proxy(sp *base.SchemaProxy, name string, depth int) any {
	ref := sp.GetReference()
	s := sp.Schema()
	if s == nil {
		return nil
	}
	if depth >= nullDepth && s.Nullable != nil && *s.Nullable {
		return nil
	}
	if ref != "" {
		if g.stack[ref] || depth > maxDepth {
			return stub(s)
		}
		g.stack[ref] = true
		defer delete(g.stack, ref)
	}
	return g.schema(s, name, depth)
}

// stub is the smallest value of a schema's type, where generation stops.
func stub(s *base.Schema) any {
	if s.Nullable != nil && *s.Nullable {
		return nil
	}
	switch typeOf(s) {
	case "object":
		return object{}
	case "array":
		return []any{}
	case "string":
		return ""
	case "integer", "number":
		return 0
	case "boolean":
		return false
	}
	return nil
}

// typeOf is a schema's type: its first type other than "null", else what
// its keywords imply.
func typeOf(s *base.Schema) string {
	null := false
	for _, t := range s.Type {
		if t != "null" {
			return t
		}
		null = true
	}
	switch {
	case s.Properties != nil && s.Properties.Len() > 0, s.AdditionalProperties != nil:
		return "object"
	case s.Items != nil:
		return "array"
	case null:
		return "null"
	}
	return ""
}

func (g *generator) schema(s *base.Schema, name string, depth int) any {
	g.nodes++
	if depth >= nullDepth && s.Nullable != nil && *s.Nullable {
		return nil
	}
	if g.nodes > maxNodes || depth > 3*maxDepth {
		return stub(s)
	}
	for _, n := range []*yaml.Node{s.Example, s.Const} {
		if n != nil {
			if v, ok := decode(n); ok {
				return v
			}
		}
	}
	if len(s.Examples) > 0 {
		if v, ok := decode(s.Examples[0]); ok {
			return v
		}
	}
	for _, e := range s.Enum {
		if v, ok := decode(e); ok && v != nil {
			return v
		}
	}
	if s.Default != nil {
		if v, ok := decode(s.Default); ok && v != nil {
			return v
		}
	}
	if len(s.AllOf) > 0 {
		return g.allOf(s, name, depth)
	}
	for _, alts := range [][]*base.SchemaProxy{s.OneOf, s.AnyOf} {
		if len(alts) > 0 && alts[0] != nil {
			return g.proxy(alts[0], name, depth+1)
		}
	}
	switch typeOf(s) {
	case "object":
		return g.object(s, depth)
	case "array":
		if s.Items == nil || !s.Items.IsA() || s.Items.A == nil {
			return []any{}
		}
		return []any{g.proxy(s.Items.A, singular(name), depth+1)}
	case "integer":
		return g.integer(s, name)
	case "number":
		lo, hi := bounds(s, 1, 1000)
		return math.Round(g.f.Float64Range(lo, hi)*100) / 100
	case "boolean":
		return g.f.Bool()
	case "null":
		return nil
	}
	return g.str(s, name)
}

// allOf merges the objects of every part (and the schema's own
// properties); a part that is not an object is the value.
func (g *generator) allOf(s *base.Schema, name string, depth int) any {
	merged := object{}
	for _, part := range s.AllOf {
		if part == nil {
			continue
		}
		v := g.proxy(part, name, depth+1)
		o, ok := v.(object)
		if !ok {
			if v != nil {
				return v
			}
			continue
		}
		for _, kv := range o {
			merged = merged.set(kv.k, kv.v)
		}
	}
	if s.Properties != nil {
		for _, kv := range g.object(s, depth).(object) {
			merged = merged.set(kv.k, kv.v)
		}
	}
	return merged
}

func (g *generator) object(s *base.Schema, depth int) any {
	o := object{}
	if s.Properties != nil {
		for k, p := range s.Properties.FromOldest() {
			if p == nil {
				continue
			}
			o = append(o, kv{k, g.proxy(p, k, depth+1)})
		}
	}
	if len(o) == 0 && s.AdditionalProperties != nil && s.AdditionalProperties.IsA() && s.AdditionalProperties.A != nil {
		o = append(o, kv{"key", g.proxy(s.AdditionalProperties.A, "", depth+1)})
	}
	return o
}

func (g *generator) integer(s *base.Schema, name string) any {
	if s.Format == "unix-time" || strings.HasSuffix(name, "_at") || name == "created" || name == "updated" {
		return g.moment().Unix()
	}
	lo, hi := bounds(s, 1, 1000)
	return int64(g.f.Float64Range(math.Ceil(lo), math.Floor(hi)+0.999))
}

// moment is a plausible recent time, from the route's seed.
func (g *generator) moment() time.Time {
	return g.f.DateRange(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)).UTC().Truncate(time.Second)
}

func bounds(s *base.Schema, lo, hi float64) (float64, float64) {
	if s.Minimum != nil {
		lo = *s.Minimum
		if s.Maximum == nil && hi < lo {
			hi = lo + 1000
		}
	}
	if s.Maximum != nil {
		hi = *s.Maximum
		if s.Minimum == nil && lo > hi {
			lo = hi - 1000
		}
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// str is a realistic string: by format, else by the property's name, else
// a word, fitted to minLength and maxLength.
func (g *generator) str(s *base.Schema, name string) any {
	f := g.f
	var v string
	switch strings.ToLower(s.Format) {
	case "email":
		v = f.Email()
	case "uuid":
		v = f.UUID()
	case "date-time":
		v = g.moment().Format(time.RFC3339)
	case "date":
		v = g.moment().Format(time.DateOnly)
	case "time":
		v = g.moment().Format(time.TimeOnly)
	case "uri", "url", "iri", "uri-reference":
		v = f.URL()
	case "hostname", "idn-hostname":
		v = f.DomainName()
	case "ipv4":
		v = f.IPv4Address()
	case "ipv6":
		v = f.IPv6Address()
	case "byte":
		v = "cm91dGVkZWNr"
	case "password":
		v = f.Password(true, true, true, false, false, 12)
	case "binary":
		v = f.LetterN(16)
	default:
		v = g.byName(strings.ToLower(name))
	}
	if s.MinLength != nil && int64(len(v)) < *s.MinLength {
		v += strings.Repeat("x", int(*s.MinLength)-len(v))
	}
	if s.MaxLength != nil && *s.MaxLength >= 0 && int64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

func (g *generator) byName(name string) string {
	f := g.f
	switch {
	case name == "id" || strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "id") && len(name) > 2 && name[len(name)-3] == '_':
		return f.UUID()
	case strings.Contains(name, "email"):
		return f.Email()
	case name == "name" || name == "full_name" || name == "username" || name == "author":
		return f.Name()
	case name == "first_name" || name == "firstname":
		return f.FirstName()
	case name == "last_name" || name == "lastname":
		return f.LastName()
	case strings.Contains(name, "phone"):
		return f.Phone()
	case strings.Contains(name, "url") || strings.Contains(name, "uri") || name == "href" || name == "link" || name == "website":
		return f.URL()
	case name == "city":
		return f.City()
	case name == "country":
		return f.CountryAbr()
	case name == "currency":
		return strings.ToLower(f.CurrencyShort())
	case name == "description" || name == "summary" || name == "message" || name == "comment":
		return f.Sentence()
	case name == "title":
		return f.BookTitle()
	case strings.HasSuffix(name, "_at") || strings.Contains(name, "date") || strings.Contains(name, "time"):
		return g.moment().Format(time.RFC3339)
	case name == "status" || name == "state":
		return "active"
	}
	return f.Word()
}

// singular names an array's items after it ("tags" → "tag").
func singular(name string) string {
	if strings.HasSuffix(name, "s") && len(name) > 1 {
		return name[:len(name)-1]
	}
	return name
}

// object is a JSON object that keeps its keys in the document's order.
type object []kv

type kv struct {
	k string
	v any
}

// set replaces k's value, or appends it.
func (o object) set(k string, v any) object {
	for i := range o {
		if o[i].k == k {
			o[i].v = v
			return o
		}
	}
	return append(o, kv{k, v})
}

// MarshalJSON writes the object in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, o, ""); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeJSON writes v indented by two spaces, objects in order. (Nested
// MarshalJSON calls under json.MarshalIndent re-scan every level, which
// is quadratic in the depth.)
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v, "\n"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any, nl string) error {
	inner := nl
	if nl != "" {
		inner = nl + "  "
	}
	sep := ":"
	if nl != "" {
		sep = ": "
	}
	switch t := v.(type) {
	case object:
		if len(t) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(inner)
			writeString(b, e.k)
			b.WriteString(sep)
			if err := writeJSON(b, e.v, inner); err != nil {
				return fmt.Errorf("%s: %w", e.k, err)
			}
		}
		b.WriteString(nl)
		b.WriteByte('}')
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(inner)
			if err := writeJSON(b, e, inner); err != nil {
				return err
			}
		}
		b.WriteString(nl)
		b.WriteByte(']')
	case string:
		writeString(b, t)
	default:
		data, err := json.Marshal(t)
		if err != nil {
			return err
		}
		b.Write(data)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}
