// Package server serves a catalog over HTTP the way Stripe's API answers:
// each request is matched to a route, answered with the route's active
// variant (or the one a Prefer header picks), and published as an Event.
// The server never prints; subscribers decide what to show.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/store"
)

// MaxBodyBytes is the largest request body the server reads (1 MiB).
const MaxBodyBytes = 1 << 20

// MaxDiscardBytes is how much of an oversized body the server reads and
// throws away before its 413, so that clients which send the whole body
// before reading the answer get to read it.
const MaxDiscardBytes = 64 << 20

// DefaultShutdownGrace is how long open requests get to finish once
// serving stops.
const DefaultShutdownGrace = 5 * time.Second

// DefaultBodyTimeout is how long a client has to send a request body.
const DefaultBodyTimeout = 10 * time.Second

// initialBodyBuffer is the body buffer's first size when the announced
// length is unknown or large; it doubles as bytes arrive. A body announced
// smaller than smallBody gets its exact size at once.
const smallBody = 8 << 10

const initialBodyBuffer = 512

// Options configure a Server.
type Options struct {
	// Variant is where every route starts: catalog.Success (the default)
	// leaves it Auto, catalog.Error pins its first error.
	Variant catalog.Kind
	// BodyTimeout is how long a client has to send a request's body once
	// its headers are in (default DefaultBodyTimeout). A body still
	// arriving then is answered 408 and its connection closed.
	BodyTimeout time.Duration
	// ShutdownGrace is how long open requests get to finish once serving
	// stops (default DefaultShutdownGrace).
	ShutdownGrace time.Duration
	// Rules, when set, check requests and finish success bodies (package
	// stripe's validation and expand[] for the Stripe catalog).
	Rules Rules
	// TestValues, when set, let test values in a request (Stripe's test
	// cards) pick its outcome ahead of the route's toggle.
	TestValues TestValues
	// Own, when set, answers the paths under OwnPrefix that no route
	// matches: routedeck's own endpoints.
	Own Own
	// Keeper, when set, answers success requests from kept objects
	// (package stripe's State) and keeps Idempotency-Key responses.
	Keeper Keeper
	// Chooser, when set, picks the variant of routes left on their default
	// (package choose: Mockoon's rules and response modes).
	Chooser Chooser
}

// Server is an http.Handler serving one catalog.
type Server struct {
	cat         *catalog.Catalog
	state       *State
	hub         *hub
	bodyTimeout time.Duration
	grace       time.Duration
	inFlight    atomic.Int64 // requests being handled
	// mockVersion is the Stripe-Mock-Version header value, if the catalog has one.
	mockVersion []string
	rules       Rules
	tests       TestValues
	own         Own
	keeper      Keeper
	chooser     Chooser
	// stopping is closed when shutdown starts: latency waits end.
	stopping     chan struct{}
	stoppingOnce sync.Once
}

// New builds a server for cat.
func New(cat *catalog.Catalog, opts Options) (*Server, error) {
	if cat == nil || len(cat.Routes) == 0 {
		return nil, errors.New("server: empty catalog")
	}
	kind := opts.Variant
	if kind == "" {
		kind = catalog.Success
	}
	bodyTimeout := opts.BodyTimeout
	if bodyTimeout <= 0 {
		bodyTimeout = DefaultBodyTimeout
	}
	grace := opts.ShutdownGrace
	if grace <= 0 {
		grace = DefaultShutdownGrace
	}
	s := &Server{cat: cat, state: NewState(cat, kind), hub: newHub(), bodyTimeout: bodyTimeout, grace: grace, rules: opts.Rules, tests: opts.TestValues, own: opts.Own, keeper: opts.Keeper, chooser: opts.Chooser, stopping: make(chan struct{})}
	if cat.StripeMockVersion != "" {
		s.mockVersion = []string{cat.StripeMockVersion}
	}
	return s, nil
}

// Catalog is the catalog being served.
func (s *Server) Catalog() *catalog.Catalog { return s.cat }

// State holds the active variants; switch them while serving.
func (s *Server) State() *State { return s.state }

// Subscribe returns a channel of events, with request and response headers
// and bodies, and a function that ends the subscription. Events a full
// buffer cannot take are dropped and counted (Dropped).
func (s *Server) Subscribe(buffer int) (<-chan Event, func()) { return s.hub.subscribe(buffer, true) }

// SubscribeSummary is Subscribe for listeners that need no headers or
// bodies (a log line per request); while only these listen, the server
// skips copying them.
func (s *Server) SubscribeSummary(buffer int) (<-chan Event, func()) {
	return s.hub.subscribe(buffer, false)
}

// Dropped is how many events slow subscribers lost.
func (s *Server) Dropped() int64 { return s.hub.dropped.Load() }

// InFlight is how many requests are being handled right now.
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

// ShutdownGrace is how long open requests get once serving stops.
func (s *Server) ShutdownGrace() time.Duration { return s.grace }

// Close ends all subscriptions.
func (s *Server) Close() { s.hub.close() }

// Header values shared by every response; net/http only reads them.
var (
	jsonType      = []string{"application/json"}
	exposeHeaders = []string{"Request-Id"}
)

// ServeHTTP answers one request: route, read the body, pick the variant,
// render, write headers then status then body, publish the event.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	start := time.Now()
	reqID := render.NewID("req")
	h := w.Header()
	// The request id's and the length's values share one allocation with
	// the rendering's state; each header's slice is capped, so an append
	// to it copies.
	sc := &answerScratch{}
	vals := sc.vals[:]
	vals[0] = reqID
	h["Request-Id"] = vals[0:1:1]
	if s.mockVersion != nil {
		// stripe-go's test suite checks for it before it runs.
		h["Stripe-Mock-Version"] = s.mockVersion
	}
	fromBrowser := headerValue(r.Header, "Origin") != ""
	if fromBrowser {
		// Browsers may call the mock directly (Stripe's API allows any origin).
		h["Access-Control-Allow-Origin"] = []string{"*"}
		h["Access-Control-Expose-Headers"] = exposeHeaders
	}

	var (
		body     []byte
		status   int
		out      Body
		route    *catalog.Route
		variant  *catalog.Variant // nil when the answer is not a variant's
		warnings []string
		test     *Outcome // a test value's outcome, nil for none
		change   Change
		idem     *idempotent
		ran      bool // the request got past validation
	)
	method := r.Method
	if method == http.MethodHead {
		// HEAD is a GET without the body (net/http drops what we write).
		method = http.MethodGet
	}
	route, params, ok := s.cat.Match(method, r.URL.Path)
	switch {
	case fromBrowser && r.Method == http.MethodOptions:
		// A CORS preflight, for any path, as Stripe answers them.
		status = http.StatusNoContent
		h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
		if want := r.Header.Get("Access-Control-Request-Headers"); want != "" {
			h.Set("Access-Control-Allow-Headers", want)
		}
		h.Set("Access-Control-Max-Age", "300")
	case !ok && s.own != nil && strings.HasPrefix(r.URL.Path, OwnPrefix):
		// routedeck's own endpoints (completing 3-D Secure by hand).
		var own string
		status, own = s.own.Answer(r)
		out = Text(own)
		h["Content-Type"] = jsonType
	case !ok:
		if !s.wait(r, s.cat.Latency) {
			return
		}
		status, out = http.StatusNotFound, Text(stripeError("invalid_request_error", "",
			fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", r.Method, r.URL.Path), ""))
		h["Content-Type"] = jsonType
	default:
		var err error
		body, err = s.readBody(w, r, start)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			status, out = http.StatusRequestTimeout, Text(stripeError("invalid_request_error", "",
				fmt.Sprintf("The request body did not arrive within %gs: routedeck closed the connection. Send the body with the request.", s.bodyTimeout.Seconds()), ""))
			h["Content-Type"] = jsonType
			h["Connection"] = []string{"close"}
			break
		}
		if errors.Is(err, errTooLarge) {
			status, out = http.StatusRequestEntityTooLarge, Text(stripeError("invalid_request_error", "request_too_large",
				fmt.Sprintf("Request body too large: routedeck accepts at most %d bytes (1 MiB).", MaxBodyBytes), ""))
			h["Content-Type"] = jsonType
			h["Connection"] = []string{"close"}
			break
		}
		if err != nil {
			status, out = http.StatusBadRequest, Text(stripeError("invalid_request_error", "",
				"routedeck could not read the request body: "+err.Error(), ""))
			h["Content-Type"] = jsonType
			break
		}
		var replay *store.IdempotencyRecord
		var refusedKey *APIError
		idem, replay, refusedKey = s.beginIdempotent(r, body)
		if refusedKey != nil {
			status, out = refusedKey.Status, Text(refusedKey.body())
			h["Content-Type"] = jsonType
			break
		}
		if replay != nil {
			for k, v := range replay.Header {
				h[k] = v
			}
			h["Idempotent-Replayed"] = []string{"true"}
			status, out = replay.Status, Text(replay.Body)
			break
		}
		req := &sc.request
		req.Init(r, params, body)
		req.ID = reqID
		prefer := headerValue(r.Header, "Prefer")
		variant, test = s.choose(route, req, prefer)
		if s.chooser != nil {
			// Rules and response modes decide for a route left on auto,
			// when neither a Prefer header nor a test value did; a route
			// in FALLBACK mode may pass the request on to the next.
			var found bool
			route, variant, test, found = s.chooseOn(route, req, method, r.URL.Path, prefer, variant, test)
			if !found {
				if !s.wait(r, s.cat.Latency) {
					return
				}
				status, out = http.StatusNotFound, Text(stripeError("invalid_request_error", "",
					fmt.Sprintf("Unrecognized request URL (%s: %s): no route answers this request.", r.Method, r.URL.Path), ""))
				h["Content-Type"] = jsonType
				break
			}
		}
		v := variant
		if !s.wait(r, s.cat.Latency+v.Latency) {
			// The client hung up while the answer waited: nothing to send.
			return
		}
		if s.rules != nil {
			var refused *APIError
			warnings, refused = s.rules.Check(route, req)
			if refused != nil && v.Kind == catalog.Success {
				variant, status, out = nil, refused.Status, Text(refused.body())
				h["Content-Type"] = jsonType
				break
			}
		}
		if test != nil && test.Decline != nil {
			d := test.decline()
			variant, status, out = nil, d.Status, Text(d.body())
			h["Content-Type"] = jsonType
			break
		}
		ran = true
		status = v.Status
		people := forPeople(headerValue(r.Header, "User-Agent"))
		sc.v, sc.req, sc.test, sc.people = v, req, test, people
		var rendered Body
		if s.keeper != nil && v.Kind == catalog.Success {
			// The keeper answers from the store, rendering the variant
			// only where it starts from it (a create, an id never stored).
			renderVariant := sc.renderVariant
			var ans Answer
			var refused *APIError
			if rk, ok := s.keeper.(RenderingKeeper); ok {
				from := Rendering{Variant: v, Compact: !people, Outcome: test}
				ans, refused = rk.AnswerRendering(route, req, from, renderVariant)
			} else {
				ans, refused = s.keeper.Answer(route, req, renderVariant)
			}
			err = sc.err
			if err == nil && refused != nil {
				variant, status, out = nil, refused.Status, Text(refused.body())
				h["Content-Type"] = jsonType
				break
			}
			rendered, change = ans.Body, ans.Change
			if ans.Status != 0 {
				status = ans.Status
			}
		} else {
			var text string
			text, err = sc.render()
			rendered = Text(test.finish(text))
			if fk, ok := s.keeper.(FailureKeeper); ok && v.Status == http.StatusPaymentRequired && err == nil {
				fk.Failed(route, req, v)
			}
		}
		if err != nil {
			status, out = http.StatusInternalServerError, Text(stripeError("api_error", "",
				fmt.Sprintf("routedeck could not render %s (%s variant): %v", route.Key(), v.Name, err), ""))
			h["Content-Type"] = jsonType
			break
		}
		if req.Status != 0 {
			// The template set the status (Mockoon's status helper).
			status = req.Status
		}
		if s.rules != nil && v.Kind == catalog.Success {
			finished, more, refused := s.rules.Finish(route, req, rendered)
			warnings = append(warnings, more...)
			if refused != nil {
				variant, status, out = nil, refused.Status, Text(refused.body())
				h["Content-Type"] = jsonType
				break
			}
			rendered = finished
		}
		out = rendered
		if v.ContentType == "application/json" {
			if people {
				out = Text(indented(out.String()))
			}
			h["Content-Type"] = jsonType
		} else {
			h.Set("Content-Type", v.ContentType)
		}
		for k, val := range v.Headers {
			h.Set(k, v.Header(val, req))
		}
	}
	idem.finish(r.Context(), ran, status, h, out)
	vals[1] = strconv.Itoa(out.Len())
	h["Content-Length"] = vals[1:2:2]
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = out.WriteTo(w)
	}

	if listening, details := s.hub.wanted(); listening {
		e := Event{
			Time:      start,
			Method:    r.Method,
			Path:      r.URL.Path,
			Query:     r.URL.RawQuery,
			Status:    status,
			Duration:  time.Since(start),
			RequestID: reqID,
			Warnings:  warnings,
			Change:    change,
		}
		if test != nil {
			e.Reason = test.Reason
		}
		if details {
			e.RequestHeader, e.RequestBody, e.RequestBodySize = r.Header.Clone(), clipBytes(body), len(body)
			e.ResponseHeader, e.ResponseBody, e.ResponseBodySize = h.Clone(), clipString(out.String()), out.Len()
		}
		if route != nil {
			e.Route, e.Answered = route.Key(), route
		}
		if variant != nil {
			e.Variant = variant.Name
		}
		s.hub.publish(e)
	}
}

// answerScratch is what one answer keeps on the heap, in one allocation:
// the values of its Request-Id and Content-Length headers, the request
// as rendering reads it, and the variant its rendering renders and the
// error it met.
type answerScratch struct {
	vals    [2]string
	request render.Request // what the templates and rules see of the request
	v       *catalog.Variant
	req     *render.Request
	test    *Outcome
	people  bool // indented JSON (forPeople)
	err     error
}

// render renders the variant for the request.
func (a *answerScratch) render() (string, error) {
	if a.people {
		return a.v.Render(a.req)
	}
	return a.v.RenderCompact(a.req)
}

// renderVariant is the rendering a Keeper gets: the variant's body
// finished by the test value's outcome; its error is kept for the answer.
func (a *answerScratch) renderVariant() (string, error) {
	out, err := a.render()
	if err != nil {
		a.err = err
	}
	return a.test.finish(out), err
}

// headerValue is h.Get(key) for a key already in canonical form (a
// constant), without canonicalizing it again.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// forPeople reports whether a request comes from a tool a person reads
// the answer in (curl, HTTPie, Wget, a browser): it gets JSON indented, as
// stripe-mock does for curl. Clients get compact JSON, fewer bytes to send.
func forPeople(userAgent string) bool {
	for _, p := range [...]string{"curl/", "HTTPie/", "Wget/", "Mozilla/"} {
		if strings.HasPrefix(userAgent, p) {
			return true
		}
	}
	return false
}

// indented is a JSON body as a person reads it: indented two spaces, as
// the catalog renders it for people. The store keeps an object in the
// form it was written (compact for a client's create, a charge a confirm
// wrote, a balance transaction), so a person reading it back gets it
// indented here; a body already indented, or not JSON, is left as it is.
func indented(body string) string {
	if len(body) < 2 || (body[0] != '{' && body[0] != '[') || body[1] == '\n' {
		return body
	}
	var b bytes.Buffer
	b.Grow(len(body) + len(body)/2)
	if json.Indent(&b, []byte(body), "", "  ") != nil {
		return body
	}
	b.WriteByte('\n')
	return b.String()
}

// pick applies a Prefer header (Prism's convention): "code=402" picks the
// first variant with that status, "example=NAME" the variant of that name
// ("example=success" and "example=error" the default and the first error
// where no variant has the name). Anything else leaves the route's active
// variant.
func (s *Server) pick(r *catalog.Route, prefer string) *catalog.Variant {
	i, _ := s.preferred(r, prefer)
	return r.Variants[i]
}

// preferred is pick, as a variant index, and says whether the header
// picked the variant.
func (s *Server) preferred(r *catalog.Route, prefer string) (variant int, preferred bool) {
	if prefer != "" {
		for _, part := range preferParts(prefer) {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				continue
			}
			k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
			i := -1
			switch strings.ToLower(k) {
			case "code":
				if code, err := strconv.Atoi(v); err == nil {
					i = r.VariantWithStatus(code)
				}
			case "example":
				if i = r.VariantNamed(v); i < 0 {
					if kind, err := catalog.ParseKind(v); err == nil {
						i = 0
						if kind == catalog.Error {
							i = r.FirstError()
						}
					}
				}
			}
			if i >= 0 {
				return i, true
			}
		}
	}
	return s.active(r), false
}

// preferParts splits a Prefer header into its preferences and their
// parameters ("code=402", `example="200 cat"`): at commas, semicolons and
// spaces outside quotes, so a quoted name may hold spaces.
func preferParts(prefer string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i <= len(prefer); i++ {
		if i < len(prefer) {
			c := prefer[i]
			if c == '"' {
				quoted = !quoted
			}
			if quoted || c != ',' && c != ';' && c != ' ' && c != '\t' {
				continue
			}
		}
		if part := prefer[start:i]; strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
		start = i + 1
	}
	return parts
}

// active is the variant r answers with when the request picks none: the
// pinned one, else the default.
func (s *Server) active(r *catalog.Route) int {
	if i := s.state.Pinned(r); i != Auto {
		return i
	}
	return 0
}

// readBody reads the request body, at most MaxBodyBytes, before the body
// deadline (counted from start, the handler's start: the time it
// starts to read the body, without asking the clock again). Its buffer grows as bytes arrive, never ahead of them to an
// announced length, so clients that announce a large body and send little
// cost little. A body over the limit is read on and discarded, up to
// MaxDiscardBytes, so that a client which sends the whole body before
// reading (Python's urllib) is not reset before it reads the 413.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, start time.Time) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return nil, nil
	}
	if r.ContentLength > MaxBodyBytes {
		if r.ContentLength > MaxDiscardBytes || expectsContinue(r) {
			// Too large to read through, or the client waits for our
			// word before sending: refuse at once.
			return nil, errTooLarge
		}
	}
	// The deadline is set here rather than as the server's ReadTimeout so
	// that it starts with the body and ends with it.
	jc := startBodyDeadline(w, r, start.Add(s.bodyTimeout))
	defer endBodyDeadline(w, jc)
	if r.ContentLength > MaxBodyBytes {
		return nil, discard(r.Body)
	}
	data, err := readLimited(r.Body, r.ContentLength)
	if errors.Is(err, errTooLarge) {
		return nil, discard(r.Body)
	}
	if err == nil {
		// Read to its end: closed, so that net/http need not look for
		// more of it before the answer.
		_ = r.Body.Close()
	}
	return data, err
}

// readLimited reads body to EOF into a buffer that starts small (or at the
// announced size, when that is small) and doubles as bytes arrive.
func readLimited(body io.Reader, announced int64) ([]byte, error) {
	size := initialBodyBuffer
	if announced > 0 && announced < smallBody {
		size = int(announced) + 1 // +1: room to see EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > MaxBodyBytes {
				return nil, errTooLarge
			}
			buf = slices.Grow(buf, min(len(buf), MaxBodyBytes+1-len(buf)))
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > MaxBodyBytes {
			return nil, errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// discard reads what is left of an oversized body, up to MaxDiscardBytes,
// and reports errTooLarge whatever happens: the answer is a 413 anyway.
func discard(body io.Reader) error {
	_, _ = io.CopyN(io.Discard, body, MaxDiscardBytes)
	return errTooLarge
}

// setReadDeadline sets the read deadline of w's connection, as
// http.ResponseController does, without its allocations on the common path
// (net/http's own writers). Writers that cannot take one (a recorder in
// tests) are left alone.
func setReadDeadline(w http.ResponseWriter, t time.Time) {
	switch d := w.(type) {
	case interface{ SetReadDeadline(time.Time) error }:
		_ = d.SetReadDeadline(t)
	case interface{ Unwrap() http.ResponseWriter }:
		_ = http.NewResponseController(w).SetReadDeadline(t)
	}
}

func expectsContinue(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Expect"), "100-continue")
}

var errTooLarge = errors.New("request body too large")

type stripeErrorBody struct {
	Error stripeErrorFields `json:"error"`
}

type stripeErrorFields struct {
	Code    string `json:"code,omitempty"`
	DocURL  string `json:"doc_url,omitempty"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	Type    string `json:"type"`
}

// stripeError is Stripe's error envelope as JSON text.
func stripeError(typ, code, message, param string) string {
	e := stripeErrorBody{Error: stripeErrorFields{Type: typ, Code: code, Message: message, Param: param}}
	if code != "" {
		e.Error.DocURL = "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		// Marshalling a struct of strings cannot fail.
		return `{"error":{"type":"api_error","message":"routedeck: internal error"}}`
	}
	return string(b) + "\n"
}

// HTTPServer wraps the handler with the timeouts a local mock needs.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// Serve serves on ln until ctx is done, then shuts down gracefully (open
// requests get the shutdown grace, then are cut off: a *CutOffError) and
// ends all subscriptions.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer()
	ln = joinWrites(hs, ln)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	err := s.shutdown(hs, errc)
	s.Close()
	return err
}

// shutdown stops hs gracefully; once the grace runs out it closes the
// connections left and says how many requests that cut off.
func (s *Server) shutdown(hs *http.Server, errc <-chan error) error {
	s.stoppingOnce.Do(func() { close(s.stopping) })
	ctx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	err := hs.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		n := s.InFlight()
		_ = hs.Close()
		err = &CutOffError{Requests: n, Grace: s.grace}
	}
	<-errc
	return err
}

// CutOffError says the shutdown grace ran out while requests were open.
type CutOffError struct {
	Requests int // requests being handled when the grace ran out
	Grace    time.Duration
}

func (e *CutOffError) Error() string {
	switch e.Requests {
	case 0:
		return fmt.Sprintf("stopped after the %v shutdown grace: closed connections still sending a request", e.Grace)
	case 1:
		return fmt.Sprintf("stopped after the %v shutdown grace: 1 request was cut off", e.Grace)
	}
	return fmt.Sprintf("stopped after the %v shutdown grace: %d requests were cut off", e.Grace, e.Requests)
}

// PortInUseError says the port is taken and how to pick another.
type PortInUseError struct {
	Host string
	Port int
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d on %s is already in use: stop the other server or pick another port with --port N (--port 0 picks a free one)", e.Port, e.Host)
}

// Short is the one-line form for a status bar.
func (e *PortInUseError) Short() string {
	return fmt.Sprintf("port %d is in use · try --port 0", e.Port)
}

// Listen opens host:port; a taken port is a *PortInUseError.
func Listen(host string, port int) (net.Listener, error) {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, errAddrInUse) {
			return nil, &PortInUseError{Host: host, Port: port}
		}
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}
