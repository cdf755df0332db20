package server

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
)

// Hostile request values never break a body: every route of the embedded
// catalog, both variants, answers valid JSON (or its PDF).
func TestEmbeddedHostileRequests(t *testing.T) {
	s := newEmbeddedServer(t)
	cat := s.Catalog()
	nasty := []string{`"quoted" \back\slash`, "new\nline\r\ttab\x00", "unicode ✓ 🎉 \u2028", "\xff\xfe invalid utf-8", strings.Repeat("long ", 2000)}
	form := url.Values{}
	for _, field := range []string{"amount", "currency", "email", "description", "name", "phone", "metadata[order_id]", "metadata[\"k\"]", "capture", "quantity"} {
		for _, v := range nasty {
			form.Add(field, v)
		}
	}
	body := form.Encode()
	jsonBody, _ := json.Marshal(map[string]any{"email": nasty[0], "amount": nasty[1], "metadata": map[string]string{nasty[2]: nasty[3]}})
	for _, r := range cat.Routes {
		for _, kind := range []catalog.Kind{catalog.Success, catalog.Error} {
			s.State().Set(r, kind)
			params := r.SampleParams()
			for k := range params {
				params[k] = url.PathEscape(nasty[0])
			}
			target := r.SamplePath(params) + "?" + url.Values{"limit": {nasty[1]}}.Encode()
			for _, b := range []struct{ body, ct string }{{body, "application/x-www-form-urlencoded"}, {string(jsonBody), "application/json"}} {
				req := httptest.NewRequest(r.Method, target, strings.NewReader(b.body))
				req.Header.Set("Content-Type", b.ct)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != r.Variant(kind).Status {
					t.Fatalf("%s (%s): status %d; want %d\n%s", r.Key(), kind, w.Code, r.Variant(kind).Status, w.Body)
				}
				if r.Variant(kind).ContentType == "application/pdf" {
					continue
				}
				if !json.Valid(w.Body.Bytes()) {
					t.Fatalf("%s (%s, %s): invalid JSON:\n%.2000s", r.Key(), kind, b.ct, w.Body)
				}
			}
		}
	}
}
