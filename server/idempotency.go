package server

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// idempotencyFingerprint identifies a request's parameters, as Stripe
// compares them for an Idempotency-Key: the method, the path and the
// parameters in a canonical form, so the same parameters sent in another
// order are the same request. A form body (and the query) has its keys
// sorted, each key's values kept in the order sent (x[]=a&x[]=b is not
// x[]=b&x[]=a; items[0] and items[1] are distinct keys); a JSON body is
// decoded and written again with members sorted and no spacing, numbers
// kept as written. A body that parses as neither is compared byte for
// byte.
func idempotencyFingerprint(r *http.Request, body []byte) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte(' ')
	b.WriteString(r.URL.Path)
	b.WriteByte('?')
	b.WriteString(canonicalForm(r.URL.RawQuery))
	b.WriteByte('\n')
	b.WriteString(canonicalBody(r.Header.Get("Content-Type"), body))
	return b.String()
}

// canonicalBody is body in its canonical form (see idempotencyFingerprint).
func canonicalBody(contentType string, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	if mt == "application/json" || (mt == "" && bytes.HasPrefix(trimmed, []byte("{"))) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return "raw:" + string(body)
		}
		out, err := json.Marshal(v) // maps marshal with sorted keys
		if err != nil {
			return "raw:" + string(body)
		}
		return "json:" + string(out)
	}
	return "form:" + canonicalForm(string(body))
}

// canonicalForm sorts a form's keys and keeps each key's values in their
// order; a form that does not parse is returned as sent.
func canonicalForm(raw string) string {
	if raw == "" {
		return ""
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return "raw:" + raw
	}
	return vals.Encode() // sorted by key, values in order
}
