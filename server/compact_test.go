package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// Clients get compact JSON (fewer bytes: a 4 KB charge goes out in one
// write); people reading with curl or a browser get it indented, as
// stripe-mock does.
func TestCompactForClientsIndentedForPeople(t *testing.T) {
	s := newEmbeddedServer(t)
	for ua, indented := range map[string]bool{
		"": false, "Stripe/v1 GoBindings/82.5.1": false, "Go-http-client/1.1": false,
		"curl/8.5.0": true, "HTTPie/3.2.2": true, "Mozilla/5.0 (X11; Linux x86_64)": true,
	} {
		req := httptest.NewRequest("POST", "/v1/charges", strings.NewReader("amount=2000&currency=usd"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", ua)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code != 200 || strings.HasPrefix(body, "{\n  \"id\": ") != indented || strings.Contains(body, `"amount":2000`) == indented {
			t.Errorf("User-Agent %q: %d, indented %v: %.80q", ua, w.Code, !indented, body)
		}
		if !indented && len(body)+200 > 4096 {
			t.Errorf("compact charge is %d bytes: with its headers it no longer fits net/http's 4 KB write buffer", len(body))
		}
	}
}
