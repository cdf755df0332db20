package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/server"
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

// fixedTime is the clock of every test: fired requests take 0s.
var fixedTime = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// shownURL is the server address the UI shows; requests are rerouted to the
// httptest server so frames don't depend on its random port.
const shownURL = "http://127.0.0.1:12111"

func loadFixture(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.LoadDir("testdata/catalog")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// rerouteTransport sends every request to target and pins the response
// headers that change per request (Date, Request-Id).
type rerouteTransport struct{ target *url.URL }

func (rt rerouteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = rt.target.Scheme, rt.target.Host
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Header.Set("Date", "Fri, 14 Mar 2025 15:09:26 GMT")
	resp.Header.Set("Request-Id", "req_TESTTESTTEST01")
	return resp, nil
}

// fixture is a model wired to a real server and a fake clipboard.
type fixture struct {
	cat     *catalog.Catalog
	srv     *server.Server
	ts      *httptest.Server
	mu      sync.Mutex
	copied  []string
	copyErr error
}

func (f *fixture) clipboard(s string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.copyErr != nil {
		return "", f.copyErr
	}
	f.copied = append(f.copied, s)
	return "the test clipboard", nil
}

func (f *fixture) lastCopied(t *testing.T) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.copied) == 0 {
		t.Fatal("nothing was copied")
	}
	return f.copied[len(f.copied)-1]
}

// newFixture builds a serving model of size w×h.
func newFixture(t *testing.T, w, h int) (Model, *fixture) {
	t.Helper()
	return newFixtureWith(t, w, h, func(*Config) {})
}

func newFixtureWith(t *testing.T, w, h int, edit func(*Config)) (Model, *fixture) {
	t.Helper()
	f := &fixture{cat: loadFixture(t)}
	srv, err := server.New(f.cat, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.ts = httptest.NewServer(srv)
	t.Cleanup(f.ts.Close)
	target, _ := url.Parse(f.ts.URL)
	cfg := Config{
		Catalog:   f.cat,
		State:     srv.State(),
		ServerURL: shownURL,
		Client:    &http.Client{Transport: rerouteTransport{target: target}, Timeout: 5 * time.Second},
		Now:       func() time.Time { return fixedTime },
		Clipboard: f.clipboard,
	}
	edit(&cfg)
	m := New(cfg)
	// A blinking cursor is a timer; tests want no timers.
	m.editor.target.Cursor.SetMode(cursor.CursorStatic)
	m.editor.headers.Cursor.SetMode(cursor.CursorStatic)
	m.editor.body.Cursor.SetMode(cursor.CursorStatic)
	m.list.FilterInput.Cursor.SetMode(cursor.CursorStatic)
	m.noticeTTL = time.Millisecond // the expiry tick returns at once; send drops it
	m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m, f
}

// send feeds msg to Update and then runs the commands that come back,
// feeding their messages in too, the way the runtime would. Ticks
// (notice expiry, cursor blink) and quitting are left out and reported.
func send(t testing.TB, m Model, msg tea.Msg) (Model, []tea.Msg) {
	t.Helper()
	var seen []tea.Msg
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 200 {
			t.Fatal("too many messages: a command loops")
		}
		next := queue[0]
		queue = queue[1:]
		tm, cmd := m.Update(next)
		m = tm.(Model)
		queue = append(queue, runCmd(t, cmd, &seen)...)
	}
	return m, seen
}

// runCmd runs cmd (and batches inside it) and returns the messages to feed back.
func runCmd(t testing.TB, cmd tea.Cmd, seen *[]tea.Msg) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(300 * time.Millisecond):
		// A timer (notice expiry, cursor blink) or a blocking receive.
		return nil
	}
	if msg == nil {
		return nil
	}
	*seen = append(*seen, msg)
	switch msg := msg.(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(t, c, seen)...)
		}
		return out
	case tea.QuitMsg, clearNoticeMsg:
		return nil
	}
	if strings.Contains(reflect.TypeOf(msg).PkgPath(), "bubbles/cursor") {
		return nil
	}
	return []tea.Msg{msg}
}

func hasMsg[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
	keyTab   = tea.KeyMsg{Type: tea.KeyTab}
	keySpace = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}
	keyCtrlC = tea.KeyMsg{Type: tea.KeyCtrlC}
)

// press sends keys one by one.
func press(t testing.TB, m Model, keys ...tea.KeyMsg) Model {
	t.Helper()
	for _, k := range keys {
		m, _ = send(t, m, k)
	}
	return m
}

// typeText sends each rune of s as its own key.
func typeText(t testing.TB, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

// selectRoute moves the list cursor to the route with key k.
func selectRoute(t testing.TB, m Model, k string) Model {
	t.Helper()
	for i := 0; i < len(m.cat.Routes); i++ {
		if r := selectedRoute(m.list); r != nil && r.Key() == k {
			return m
		}
		m = press(t, m, keyRunes("j"))
	}
	t.Fatalf("route %s not found", k)
	return m
}

// get requests path from the test server and returns the status.
func get(t *testing.T, f *fixture, method, path string) int {
	t.Helper()
	req, _ := http.NewRequest(method, f.ts.URL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var errNoClipboard = errors.New("no clipboard here")

// event is a made-up request the server could have answered.
func event(i int, method, path, route string, status int) server.Event {
	kind := catalog.Success
	if status >= 400 {
		kind = catalog.Error
	}
	if route == "" {
		kind = ""
	}
	return server.Event{
		Time:           fixedTime.Add(time.Duration(i) * time.Second),
		Method:         method,
		Path:           path,
		Route:          route,
		Variant:        string(kind),
		Status:         status,
		Duration:       time.Duration(i+1) * 1500 * time.Microsecond,
		RequestID:      "req_EVENT" + strings.Repeat("0", 3),
		RequestHeader:  http.Header{"Accept": {"*/*"}, "User-Agent": {"curl/8.5.0"}},
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Request-Id": {"req_EVENT000"}},
		ResponseBody:   `{"id": "cus_NffrFeUfNV2Hib", "object": "customer"}`,
	}
}
