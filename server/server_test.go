package server

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/routedeck/routedeck/catalog"
)

// testCatalog is a three-route catalog, simpler than the real one.
func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	fsys := fstest.MapFS{
		"catalog.json": {Data: []byte(`{"name": "Test", "routes": [
  {"method": "GET", "path": "/v1/customers/:customer", "variants": [
    {"kind": "success", "status": 200, "file": "cus.get.hbs"},
    {"kind": "error", "status": 404, "file": "cus.get.error.hbs"}]},
  {"method": "POST", "path": "/v1/charges", "variants": [
    {"kind": "success", "status": 200, "file": "ch.post.hbs", "headers": {"Stripe-Version": "2026-08-26"}},
    {"kind": "error", "status": 402, "file": "ch.post.error.hbs"}]},
  {"method": "GET", "path": "/v1/broken", "variants": [
    {"kind": "success", "status": 200, "file": "broken.hbs"},
    {"kind": "error", "status": 400, "file": "ch.post.error.hbs"}]}
]}`)},
		"cus.get.hbs":       {Data: []byte(`{"id": "{{urlParam 'customer'}}", "object": "customer"}`)},
		"cus.get.error.hbs": {Data: []byte(`{"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such customer: '{{urlParam 'customer'}}'"}}`)},
		"ch.post.hbs":       {Data: []byte(`{"id": "{{id 'ch'}}", "object": "charge", "amount": {{#reflect 'amount' 'integer'}}100{{/reflect}}, "description": {{#reflect 'description' 'string'}}null{{/reflect}} }`)},
		"ch.post.error.hbs": {Data: []byte(`{"error": {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline", "message": "Your card was declined."}}`)},
		"broken.hbs":        {Data: []byte(`{"name": "{{faker (queryParam 'kind' 'person.firstName')}}"}`)},
	}
	cat, err := catalog.Load(fsys, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func newTestServer(t testing.TB) *Server {
	t.Helper()
	s, err := New(testCatalog(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func send(s *Server, method, target, body string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

func decode(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, w.Body)
	}
	return v
}

func errorField(t *testing.T, w *httptest.ResponseRecorder, field string) string {
	t.Helper()
	e, ok := decode(t, w)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error envelope: %s", w.Body)
	}
	s, _ := e[field].(string)
	return s
}

func TestSuccessEchoesPathAndBody(t *testing.T) {
	s := newTestServer(t)
	w := send(s, "GET", "/v1/customers/cus_ABC?expand[]=x", "", nil)
	if w.Code != 200 || decode(t, w)["id"] != "cus_ABC" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if id := w.Header().Get("Request-Id"); !strings.HasPrefix(id, "req_") {
		t.Errorf("Request-Id = %q", id)
	}
	w = send(s, "POST", "/v1/charges", "amount=2000&description=Caf%C3%A9+%22best%22", nil)
	v := decode(t, w)
	if v["amount"] != 2000.0 || v["description"] != `Café "best"` || !strings.HasPrefix(v["id"].(string), "ch_") {
		t.Errorf("got %v", v)
	}
	if w.Header().Get("Stripe-Version") != "2026-08-26" {
		t.Errorf("variant header missing: %v", w.Header())
	}
}

func TestFreshRequestIDs(t *testing.T) {
	s := newTestServer(t)
	a := send(s, "GET", "/v1/customers/a", "", nil).Header().Get("Request-Id")
	b := send(s, "GET", "/v1/customers/a", "", nil).Header().Get("Request-Id")
	if a == b {
		t.Errorf("two requests got the same Request-Id %q", a)
	}
}

func TestToggleServesErrorFromNextRequest(t *testing.T) {
	s := newTestServer(t)
	r, _ := s.Catalog().Lookup("GET /v1/customers/:customer")
	if got := s.State().Toggle(r); got != r.Variant(catalog.Error) {
		t.Fatalf("Toggle = %s", got.Name)
	}
	w := send(s, "GET", "/v1/customers/cus_X", "", nil)
	if w.Code != 404 || errorField(t, w, "message") != "No such customer: 'cus_X'" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	s.State().Toggle(r)
	if w := send(s, "GET", "/v1/customers/cus_X", "", nil); w.Code != 200 {
		t.Fatalf("after second toggle: %d", w.Code)
	}
	s.State().SetAll(catalog.Error)
	if s.State().ErrorCount() != 3 {
		t.Errorf("ErrorCount = %d", s.State().ErrorCount())
	}
	if w := send(s, "POST", "/v1/charges", "", nil); w.Code != 402 || errorField(t, w, "code") != "card_declined" {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}

func TestPrefer(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		prefer string
		want   int
	}{
		{"code=402", 402},
		{"code=200", 200},
		{"example=error", 402},
		{"example=success", 200},
		{"code=999", 200},
		{"wait=5, code=402", 402},
		{"nonsense", 200},
	}
	for _, tt := range tests {
		w := send(s, "POST", "/v1/charges", "", http.Header{"Prefer": {tt.prefer}})
		if w.Code != tt.want {
			t.Errorf("Prefer %q: got %d; want %d", tt.prefer, w.Code, tt.want)
		}
	}
	r, _ := s.Catalog().Lookup("POST /v1/charges")
	if s.State().Pinned(r) != Auto {
		t.Error("Prefer changed the active variant")
	}
}

func TestCORS(t *testing.T) {
	s := newTestServer(t)
	w := send(s, "OPTIONS", "/v1/charges", "", http.Header{
		"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {"POST"},
		"Access-Control-Request-Headers": {"authorization, content-type"},
	})
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") ||
		w.Header().Get("Access-Control-Allow-Headers") != "authorization, content-type" {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	w = send(s, "GET", "/v1/customers/cus_1", "", http.Header{"Origin": {"http://localhost:3000"}})
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Access-Control-Expose-Headers") != "Request-Id" {
		t.Errorf("CORS headers on a browser request: %v", w.Header())
	}
	w = send(s, "GET", "/v1/customers/cus_1", "", nil)
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS headers without an Origin: %v", w.Header())
	}
	if w := send(s, "OPTIONS", "/v1/charges", "", nil); w.Code != 404 {
		t.Errorf("OPTIONS without Origin is not a preflight: got %d", w.Code)
	}
}

func TestUnknownRoute(t *testing.T) {
	s := newTestServer(t)
	for _, tc := range [][2]string{{"GET", "/v1/foo"}, {"DELETE", "/v1/charges"}, {"GET", "/"}} {
		w := send(s, tc[0], tc[1], "", nil)
		want := "Unrecognized request URL (" + tc[0] + ": " + tc[1] + ")"
		if w.Code != 404 || !strings.HasPrefix(errorField(t, w, "message"), want) || errorField(t, w, "type") != "invalid_request_error" {
			t.Errorf("%s %s: got %d %s", tc[0], tc[1], w.Code, w.Body)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t)
	w := send(s, "POST", "/v1/charges", "amount="+strings.Repeat("9", MaxBodyBytes), nil)
	if w.Code != 413 || errorField(t, w, "type") != "invalid_request_error" {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	w = send(s, "POST", "/v1/charges", "description="+strings.Repeat("x", MaxBodyBytes-20), nil)
	if w.Code != 200 || len(decode(t, w)["description"].(string)) != MaxBodyBytes-20 {
		t.Errorf("a body just under the limit: got %d", w.Code)
	}
}

// errReader fails partway, like a client that hangs up mid-body.
type errReader struct{ n int }

func (e *errReader) Read(p []byte) (int, error) {
	if e.n > 0 {
		e.n = 0
		return copy(p, "amount=1"), nil
	}
	return 0, io.ErrUnexpectedEOF
}

func TestBodyReadErrorIsA400(t *testing.T) {
	s := newTestServer(t)
	req := httptest.NewRequest("POST", "/v1/charges", &errReader{n: 1})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 400 || !strings.Contains(errorField(t, w, "message"), "could not read the request body") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}

func TestRenderErrorIsA500AndServingGoesOn(t *testing.T) {
	s := newTestServer(t)
	w := send(s, "GET", "/v1/broken?kind=no.such.path", "", nil)
	msg := errorField(t, w, "message")
	if w.Code != 500 || errorField(t, w, "type") != "api_error" || !strings.Contains(msg, "GET /v1/broken") || !strings.Contains(msg, "no.such.path") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if w := send(s, "GET", "/v1/customers/x", "", nil); w.Code != 200 {
		t.Errorf("next request: %d", w.Code)
	}
}

func TestEvents(t *testing.T) {
	s := newTestServer(t)
	events, cancel := s.Subscribe(8)
	defer cancel()
	send(s, "POST", "/v1/charges?x=1", "amount=5", nil)
	send(s, "GET", "/v1/nope", "", nil)
	e := <-events
	if e.Method != "POST" || e.Path != "/v1/charges" || e.Query != "x=1" || e.Route != "POST /v1/charges" ||
		e.Variant != "success" || e.Status != 200 || string(e.RequestBody) != "amount=5" || !strings.Contains(e.ResponseBody, `"amount": 5`) {
		t.Errorf("event = %+v", e)
	}
	if e := <-events; e.Route != "" || e.Status != 404 {
		t.Errorf("unmatched event = %+v", e)
	}
}

// Each subscriber gets every event until it unsubscribes (its channel
// then closes, once however often it is ended); the others go on
// getting them; Close ends the rest.
func TestSubscribersComeAndGo(t *testing.T) {
	s := newTestServer(t)
	var chans [3]<-chan Event
	var ends [3]func()
	for i := range chans {
		chans[i], ends[i] = s.Subscribe(4)
	}
	send(s, "GET", "/v1/customers/a", "", nil)
	for i, ch := range chans {
		if e := <-ch; e.Path != "/v1/customers/a" {
			t.Errorf("subscriber %d got %+v", i, e)
		}
	}
	ends[1]()
	ends[1]()
	if _, ok := <-chans[1]; ok {
		t.Error("an ended subscription's channel is still open")
	}
	send(s, "GET", "/v1/customers/b", "", nil)
	for _, i := range []int{0, 2} {
		if e := <-chans[i]; e.Path != "/v1/customers/b" {
			t.Errorf("subscriber %d, after another left, got %+v", i, e)
		}
	}
	s.Close()
	for _, i := range []int{0, 2} {
		if _, ok := <-chans[i]; ok {
			t.Errorf("subscriber %d: channel open after Close", i)
		}
	}
	ends[0]() // after Close: nothing left to end
}

// Events keep at most MaxEventBody of each body, and say how long it was.
func TestEventBodiesAreClipped(t *testing.T) {
	s := newTestServer(t)
	events, cancel := s.Subscribe(1)
	defer cancel()
	big := "description=" + strings.Repeat("x", MaxBodyBytes-100)
	w := send(s, "POST", "/v1/charges", big, nil)
	e := <-events
	if len(e.RequestBody) != MaxEventBody || e.RequestBodySize != len(big) {
		t.Errorf("request body kept %d of %d; want %d of %d", len(e.RequestBody), e.RequestBodySize, MaxEventBody, len(big))
	}
	if len(e.ResponseBody) != MaxEventBody || e.ResponseBodySize != w.Body.Len() {
		t.Errorf("response body kept %d of %d; want %d of %d", len(e.ResponseBody), e.ResponseBodySize, MaxEventBody, w.Body.Len())
	}
	send(s, "GET", "/v1/customers/c", "", nil)
	if e := <-events; e.ResponseBodySize != len(e.ResponseBody) || e.ResponseBodySize == 0 {
		t.Errorf("small body: kept %d of %d", len(e.ResponseBody), e.ResponseBodySize)
	}
}

func TestSlowSubscriberNeverBlocks(t *testing.T) {
	s := newTestServer(t)
	_, cancel := s.Subscribe(2)
	defer cancel()
	done := make(chan struct{})
	go func() {
		for i := 0; i < 50; i++ {
			send(s, "GET", "/v1/customers/x", "", nil)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("handlers blocked on a full subscriber")
	}
	if s.Dropped() != 48 {
		t.Errorf("Dropped = %d; want 48", s.Dropped())
	}
}

func TestConcurrentToggleAndServe(t *testing.T) {
	s := newTestServer(t)
	r, _ := s.Catalog().Lookup("GET /v1/customers/:customer")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				s.State().Toggle(r)
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if w := send(s, "GET", "/v1/customers/x", "", nil); w.Code != 200 && w.Code != 404 {
					t.Errorf("status %d", w.Code)
				}
			}
		}()
	}
	wg.Wait()
	if n := s.State().ErrorCount(); n != 0 && n != 1 {
		t.Errorf("ErrorCount = %d", n)
	}
}

// One real round trip over TCP, with graceful shutdown.
func TestServeAndShutdown(t *testing.T) {
	s := newTestServer(t)
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events, unsubscribe := s.Subscribe(4)
	defer unsubscribe()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/v1/customers/cus_TCP")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "cus_TCP") {
		t.Errorf("got %d %s", resp.StatusCode, body)
	}
	if _, err := Listen("127.0.0.1", ln.Addr().(*net.TCPAddr).Port); err == nil || !strings.Contains(err.Error(), "--port 0") {
		t.Errorf("second Listen on the same port: %v", err)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	<-events // the request's event
	if _, open := <-events; open {
		t.Error("subscription still open after shutdown")
	}
}

func BenchmarkServeHTTP(b *testing.B) {
	s := newTestServer(b)
	req := httptest.NewRequest("GET", "/v1/customers/cus_123", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
	}
}

// newEmbeddedServer serves the catalog compiled into the binary.
func newEmbeddedServer(t testing.TB) *Server {
	t.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func benchmarkEmbedded(b *testing.B, method, target, body string) {
	s := newEmbeddedServer(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// The two routes the peer benchmark measures.
func BenchmarkEmbeddedGetCustomer(b *testing.B) {
	benchmarkEmbedded(b, "GET", "/v1/customers/cus_123", "")
}

func BenchmarkEmbeddedPostCharge(b *testing.B) {
	benchmarkEmbedded(b, "POST", "/v1/charges", "amount=2000&currency=usd&source=tok_visa")
}

// HEAD is answered for every GET route, over a real connection: headers,
// no body; for a spread of routes, the GET's very status and headers.
func TestHeadAnswersEveryGetRoute(t *testing.T) {
	s := newEmbeddedServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	n := 0
	for i, r := range s.Catalog().Routes {
		if r.Method != http.MethodGet {
			continue
		}
		n++
		path := r.SamplePath(r.SampleParams())
		head, err := http.Head(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		headBody, _ := io.ReadAll(head.Body)
		head.Body.Close()
		if head.StatusCode == http.StatusNotFound || head.StatusCode >= 500 || len(headBody) != 0 ||
			head.Header.Get("Content-Type") == "" || head.Header.Get("Request-Id") == "" || head.Header.Get("Content-Length") == "" {
			t.Fatalf("HEAD %s: %d %v, %d body bytes", path, head.StatusCode, head.Header, len(headBody))
		}
		if i%10 != 0 {
			continue
		}
		get, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, get.Body)
		get.Body.Close()
		if head.StatusCode != get.StatusCode || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %v; GET: %d %v", path, head.StatusCode, head.Header, get.StatusCode, get.Header)
		}
	}
	if n == 0 {
		t.Fatal("no GET routes")
	}
	if resp, err := http.Head(ts.URL + "/v1/nope"); err != nil || resp.StatusCode != 404 {
		t.Errorf("HEAD of an unknown route: %v %v", resp, err)
	}
}

// BenchmarkHubPublish is what a request pays to tell a subscriber (the
// serve line, the TUI) of itself: one subscriber that keeps up.
func BenchmarkHubPublish(b *testing.B) {
	h := newHub()
	ch, end := h.subscribe(1024, false)
	defer end()
	done := make(chan struct{})
	go func() {
		for range ch {
		}
		close(done)
	}()
	e := Event{Method: "POST", Path: "/v1/charges", Status: 200}
	b.ReportAllocs()
	for b.Loop() {
		h.publish(e)
	}
	h.close()
	<-done
}
