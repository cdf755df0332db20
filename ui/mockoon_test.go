package ui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/choose"
	"github.com/routedeck/routedeck/internal/mockoontest"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
)

// mockoonFixture is a model on testdata/mockoon.json, served as
// `routedeck FILE` serves it: with Mockoon's rules, modes and shared state.
type mockoonFixture struct {
	srv *server.Server
	ch  *choose.Chooser
	ts  *httptest.Server
}

func newMockoonModel(t *testing.T, w, h int) (Model, *mockoonFixture) {
	t.Helper()
	return newMockoonModelOf(t, "testdata/mockoon.json", w, h)
}

func newMockoonModelOf(t *testing.T, file string, w, h int) (Model, *mockoonFixture) {
	t.Helper()
	cat, err := mockoon.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	ts, srv, ch := mockoontest.Serve(t, cat)
	f := &mockoonFixture{srv: srv, ch: ch, ts: ts}
	target, _ := url.Parse(f.ts.URL)
	m := New(Config{
		Catalog:    cat,
		State:      srv.State(),
		ServerURL:  shownURL,
		Client:     &http.Client{Transport: rerouteTransport{target: target}, Timeout: 5 * time.Second},
		Now:        func() time.Time { return fixedTime },
		Clipboard:  func(string) (string, error) { return "", errNoClipboard },
		MockoonEnv: ch.Env(),
	})
	m.noticeTTL = time.Millisecond
	m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m, f
}

// do sends a request to the fixture's server and returns the body.
func (f *mockoonFixture) do(t *testing.T, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	return b.String()
}

// A route behind an earlier one with the same method and path is listed
// where the file has it, marked ↳ and named after that route: reached
// when it passes requests on (FALLBACK), else "never answers"; its detail
// says which.
func TestShadowedRoutesAreListedAndMarked(t *testing.T) {
	m, _ := newMockoonModel(t, 220, 40)
	view := ansi.Strip(m.View())
	words := listWords(view)
	for _, want := range []string{
		"GET /users users · Admins first",
		"GET ↳ /users users · after GET /users passes a request on",
		"GET ↳ /Users Users · never answers: GET /users answers first",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the list lacks %q:\n%s", want, view)
		}
	}
	m = press(t, m, keyRunes("j"))
	if r := selectedRoute(m.list); r == nil || !r.Shadowed || !r.Reached {
		t.Fatalf("selected %v; want the reached shadowed route", r)
	}
	view = ansi.Strip(m.View())
	if !strings.Contains(strings.Join(strings.Fields(view), " "), "↳ Behind GET /users: answers only the requests that route passes on") {
		t.Errorf("the detail does not explain the shadowed route:\n%s", view)
	}
	m = press(t, m, keyRunes("j"))
	view = ansi.Strip(m.View())
	if !strings.Contains(strings.Join(strings.Fields(view), " "), "so it never answers") {
		t.Errorf("the detail does not say the route never answers:\n%s", view)
	}
}

// A preview renders with the environment as requests left it (global
// variables, data buckets) and changes none of it: the template's own
// setGlobalVar and setData write to a copy, and no request counter moves.
func TestPreviewReadsTheEnvironmentWithoutChangingIt(t *testing.T) {
	m, f := newMockoonModel(t, 120, 40)
	f.do(t, "POST", "/greeting", `{"text": "hello"}`)

	m = selectRoute(t, m, "GET /greeting")
	for _, want := range []string{`"greeting": "hello"`, `"first": "Ada"`, `"count": 2`} {
		if !strings.Contains(m.detail.plain, want) {
			t.Errorf("the preview lacks %s:\n%s", want, m.detail.plain)
		}
	}
	// Away and back: a second preview, still nothing written.
	m = press(t, m, keyRunes("k"), keyRunes("j"))
	if !strings.Contains(m.detail.plain, `"count": 2`) || !strings.Contains(m.detail.plain, `"greeting": "hello"`) {
		t.Errorf("a second preview sees the first one's writes:\n%s", m.detail.plain)
	}
	env := f.ch.Env()
	if g := env.Globals()["greeting"]; g != "hello" {
		t.Errorf("after previews the greeting is %v; want hello", g)
	}
	if users, _ := env.Buckets(&render.Request{})["Users"].([]any); len(users) != 2 {
		t.Errorf("after previews the bucket holds %d users; want 2", len(users))
	}
	// The next request gets what the previews showed, then writes for real.
	if got := f.do(t, "GET", "/greeting", ""); !strings.Contains(got, `"greeting": "hello"`) || !strings.Contains(got, `"count": 2`) {
		t.Errorf("GET /greeting after previews = %s", got)
	}
	if g := env.Globals()["greeting"]; g != "changed by a preview" {
		t.Errorf("a request's setGlobalVar: greeting %v", g)
	}

	// A SEQUENTIAL route's preview does not count as its request.
	m = selectRoute(t, m, "GET /turns")
	if !strings.Contains(m.detail.plain, `"turn": 1`) {
		t.Errorf("GET /turns preview: %s", m.detail.plain)
	}
	if got := f.do(t, "GET", "/turns", ""); !strings.Contains(got, `"turn": 1`) {
		t.Errorf("the first GET /turns after a preview = %s; want turn 1", got)
	}

	// A preview on screen follows the requests that change what it reads.
	m = press(t, m, keyRunes("k"))
	if r := selectedRoute(m.list); r == nil || r.Key() != "GET /greeting" {
		t.Fatalf("k from GET /turns selects %v", r)
	}
	if !strings.Contains(m.detail.plain, `"greeting": "changed by a preview"`) || !strings.Contains(m.detail.plain, `"count": 3`) {
		t.Errorf("the preview after a request's writes:\n%s", m.detail.plain)
	}
	f.do(t, "POST", "/greeting", `{"text": "bye"}`)
	m, _ = send(t, m, requestMsg(server.Event{Method: "POST", Path: "/greeting", Route: "POST /greeting", Status: 200}))
	if !strings.Contains(m.detail.plain, `"greeting": "bye"`) {
		t.Errorf("the preview did not follow the request that set the greeting:\n%s", m.detail.plain)
	}
}

// listWords is the list pane's text of a view, the detail cut off, its
// words joined by single spaces.
func listWords(view string) string {
	var pane []string
	for _, line := range strings.Split(view, "\n") {
		if left, _, ok := strings.Cut(line, "┃│"); ok {
			pane = append(pane, strings.Trim(left, "┃▌ "))
		}
	}
	return strings.Join(strings.Fields(strings.Join(pane, " ")), " ")
}

// A route the file disables is listed, marked ⊘, and its detail says it
// is not served; firing at its path gets the route after it.
func TestDisabledRouteIsListedAndMarked(t *testing.T) {
	m, _ := newMockoonModelOf(t, "testdata/mockoon-disabled.json", 220, 40)
	words := listWords(ansi.Strip(m.View()))
	for _, want := range []string{
		"GET ⊘ /x x · disabled in the file: not served",
		"GET ↳ /x x · after GET /x passes a request on",
		"GET ⊘ /y y · disabled in the file: not served",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the list lacks %q:\n%s", want, words)
		}
	}
	m = press(t, m, keyRunes("j"))
	view := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	if !strings.Contains(view, "⊘ Disabled in the file: not served.") {
		t.Errorf("the detail does not say the route is disabled:\n%s", view)
	}
	// f fires the sample request: the route after the disabled one answers.
	_, msgs := send(t, m, keyRunes("f"))
	fired, ok := hasMsg[firedMsg](msgs)
	if !ok || fired.res == nil || fired.res.err != nil || fired.res.respBody != "third" {
		t.Errorf("firing at the disabled route: %+v; want the third route's answer", fired.res)
	}
}

// t in the request log flips the route that answered the entry: a
// shadowed route the first passed the request on to, not the first route
// of the same key.
func TestLogTogglesTheRouteThatAnswered(t *testing.T) {
	m, f := newMockoonModel(t, 120, 40)
	events, stop := f.srv.Subscribe(4)
	defer stop()
	f.do(t, "GET", "/users", "")
	e := <-events
	m, _ = send(t, m, requestMsg(e))
	m = press(t, m, keyRunes("l"), keyRunes("t"))
	first, behind := m.cat.Routes[0], m.cat.Routes[1]
	if got := f.srv.State().Pinned(first); got != server.Auto {
		t.Errorf("the first GET /users was pinned to %d", got)
	}
	if got := f.srv.State().Active(behind); got.Name != "broken" {
		t.Errorf("the route behind answers %s; want its error, broken", got.Name)
	}
	if got := f.do(t, "GET", "/users", ""); got != `{"error": "broken"}` {
		t.Errorf("GET /users after t = %s; want the route behind's error", got)
	}
}
