package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"

	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// requestSample is an operation's sample query and body (see
// catalog.Route.Sample): the query parameters that are required or have
// an example, and the request body's example, else one generated from its
// schema. Its own generator keeps the responses' bodies as they are.
func (c *converter) requestSample(key string, item *v3.PathItem, op *v3.Operation) (query, body string) {
	gen := newGenerator(key + " request")
	q := url.Values{}
	for _, params := range [][]*v3.Parameter{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p == nil || p.In != "query" || q.Has(p.Name) {
				continue
			}
			required := p.Required != nil && *p.Required
			var v any
			found := false
			if p.Example != nil {
				v, found = decode(p.Example)
			}
			if !found && p.Examples != nil {
				for _, ex := range p.Examples.FromOldest() {
					if ex != nil && ex.Value != nil {
						v, found = decode(ex.Value)
					}
					break
				}
			}
			if !found && required && p.Schema != nil {
				v, found = gen.proxy(p.Schema, p.Name, 0), true
			}
			if s, ok := scalar(v); found && ok {
				q.Add(p.Name, s)
			}
		}
	}
	return q.Encode(), c.requestBody(op.RequestBody, gen)
}

// requestBody is the sample body of a request body: JSON where the
// document takes JSON, a form where it takes only forms.
func (c *converter) requestBody(rb *v3.RequestBody, gen *generator) string {
	if rb == nil || rb.Content == nil || rb.Content.Len() == 0 {
		return ""
	}
	var form *v3.MediaType
	for ct, mt := range rb.Content.FromOldest() {
		mediaType, _, _ := mime.ParseMediaType(ct)
		switch {
		case isJSON(ct):
			data, err := encodeJSON(example(mt, gen))
			var b bytes.Buffer
			if err != nil || json.Compact(&b, data) != nil {
				return ""
			}
			return b.String()
		case mediaType == "application/x-www-form-urlencoded" && form == nil:
			form = mt
		}
	}
	if form == nil {
		return ""
	}
	if form.Example != nil || form.Examples != nil && form.Examples.Len() > 0 {
		data, err := encodeJSON(example(form, gen))
		var fields map[string]any
		if err != nil || json.Unmarshal(data, &fields) != nil {
			return ""
		}
		values := url.Values{}
		for k, v := range fields {
			if s, ok := scalar(v); ok {
				values.Set(k, s)
			}
		}
		return values.Encode()
	}
	return formFields(form, gen)
}

// formFields is a form of a schema's required scalar fields: a form's
// schema (Stripe's) can have hundreds of optional ones.
func formFields(mt *v3.MediaType, gen *generator) string {
	if mt.Schema == nil || mt.Schema.Schema() == nil {
		return ""
	}
	s := mt.Schema.Schema()
	values := url.Values{}
	if s.Properties == nil {
		return ""
	}
	for _, name := range s.Required {
		p, ok := s.Properties.Get(name)
		if !ok || p == nil || p.Schema() == nil {
			continue
		}
		switch typeOf(p.Schema()) {
		case "string", "integer", "number", "boolean":
			if v, ok := scalar(gen.proxy(p, name, 1)); ok {
				values.Set(name, v)
			}
		}
	}
	return values.Encode()
}

// example is a media type's example, its first named example, or a value
// generated from its schema.
func example(mt *v3.MediaType, gen *generator) any {
	if mt == nil {
		return nil
	}
	if mt.Example != nil {
		if v, ok := decode(mt.Example); ok {
			return v
		}
	}
	if mt.Examples != nil {
		for _, ex := range mt.Examples.FromOldest() {
			if ex != nil && ex.Value != nil {
				if v, ok := decode(ex.Value); ok {
					return v
				}
			}
			break
		}
	}
	return gen.value(mt.Schema)
}

// scalar writes a string, number or boolean as a query or form value.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool, float64, int, int64, uint64, json.Number:
		return strings.TrimSpace(fmt.Sprint(v)), true
	}
	return "", false
}
