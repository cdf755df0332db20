package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/server"
)

func TestStartShowsFirstRoute(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	if m.focus != focusList {
		t.Errorf("focus = %v; want list", m.focus)
	}
	if got := m.detail.route.Key(); got != "GET /v1/customers/:customer" {
		t.Errorf("detail route = %q", got)
	}
	if !strings.Contains(m.detail.plain, `"id": "cus_NffrFeUfNV2Hib"`) {
		t.Errorf("preview body not rendered: %q", m.detail.plain)
	}
	v := m.View()
	for _, want := range []string{"Fixture API · 6 routes", "● serving http://127.0.0.1:12111", "0 requests", "0 on error"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
}

func TestNavigationKeys(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	tests := []struct {
		key  tea.KeyMsg
		want string
	}{
		{keyRunes("j"), "POST /v1/customers"},
		{tea.KeyMsg{Type: tea.KeyDown}, "DELETE /v1/customers/:customer"},
		{keyRunes("k"), "POST /v1/customers"},
		{tea.KeyMsg{Type: tea.KeyEnd}, "GET /v1/balance"},
		{tea.KeyMsg{Type: tea.KeyHome}, "GET /v1/customers/:customer"},
		{keyRunes("G"), "GET /v1/balance"},
		{keyRunes("g"), "GET /v1/customers/:customer"},
		{tea.KeyMsg{Type: tea.KeyPgDown}, "GET /v1/balance"},
		{tea.KeyMsg{Type: tea.KeyPgUp}, "GET /v1/customers/:customer"},
	}
	for _, tt := range tests {
		m = press(t, m, tt.key)
		if got := selectedRoute(m.list).Key(); got != tt.want {
			t.Fatalf("after %q: selected %q; want %q", tt.key, got, tt.want)
		}
		if m.detail.route.Key() != tt.want {
			t.Fatalf("after %q: detail shows %q; want %q", tt.key, m.detail.route.Key(), tt.want)
		}
	}
}

func TestToggleSwitchesServerVariant(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	r := selectedRoute(m.list)
	if got := get(t, f, "GET", "/v1/customers/cus_1"); got != 200 {
		t.Fatalf("before toggle: status %d; want 200", got)
	}
	m = press(t, m, keyRunes("t"))
	if got := f.srv.State().Active(r).Kind; got != catalog.Error {
		t.Fatalf("state after t = %s; want error", got)
	}
	if got := get(t, f, "GET", "/v1/customers/cus_1"); got != 404 {
		t.Errorf("after toggle: status %d; want 404", got)
	}
	if m.detail.active.Kind != catalog.Error || !strings.Contains(m.detail.plain, "resource_missing") {
		t.Errorf("detail not on the error variant: kind %s body %q", m.detail.active.Kind, m.detail.plain)
	}
	v := m.View()
	for _, want := range []string{errMarker, "● Error 404", "1 on error", "now answers error (404)"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	// space pages, as in a pager; it never flips the server.
	m = press(t, m, keySpace)
	if got := f.srv.State().Active(r).Kind; got != catalog.Error {
		t.Errorf("state after space = %s; want error still", got)
	}
	m = press(t, m, keyRunes("k"), keyRunes("k"), keyRunes("k"), keyRunes("k"), keyRunes("k"), keyRunes("k"), keyRunes("t"))
	if got := f.srv.State().Active(r).Kind; got != catalog.Success {
		t.Errorf("state after t again = %s; want success", got)
	}
	if strings.Contains(m.View(), errMarker) {
		t.Error("error marker still shown after toggling back")
	}
	if got := get(t, f, "GET", "/v1/customers/cus_1"); got != 200 {
		t.Errorf("after toggling back: status %d; want 200", got)
	}
}

func TestToggleAll(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("t")) // one on error: T still sends all to error
	m = press(t, m, keyRunes("T"))
	if got := f.srv.State().ErrorCount(); got != len(f.cat.Routes) {
		t.Fatalf("after T: %d on error; want %d", got, len(f.cat.Routes))
	}
	if !strings.Contains(m.notice.text, "all 6 routes now answer error") {
		t.Errorf("notice = %q", m.notice.text)
	}
	if got := get(t, f, "GET", "/v1/balance"); got != 401 {
		t.Errorf("balance status %d; want 401", got)
	}
	// T again restores the mix from before: the one route on error.
	m = press(t, m, keyRunes("T"))
	if got := f.srv.State().ErrorCount(); got != 1 || f.srv.State().Active(f.cat.Routes[0]).Kind != catalog.Error {
		t.Errorf("after second T: %d on error; want the 1 from before", got)
	}
	if !strings.Contains(m.notice.text, "back to the earlier mix: 1 on error") {
		t.Errorf("notice = %q", m.notice.text)
	}
	// From no route on error, T T ends with none.
	m = press(t, m, keyRunes("t"), keyRunes("T"), keyRunes("T"))
	if got := f.srv.State().ErrorCount(); got != 0 {
		t.Errorf("after t T T: %d on error; want 0", got)
	}
	if !strings.Contains(m.notice.text, "back to success") {
		t.Errorf("notice = %q", m.notice.text)
	}
}

func TestFireShowsRealResponse(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m, msgs := send(t, m, keyEnter)
	fm, ok := hasMsg[firedMsg](msgs)
	if !ok {
		t.Fatal("enter fired nothing")
	}
	if fm.res.err != nil || fm.res.status != 200 {
		t.Fatalf("fired: status %d err %v", fm.res.status, fm.res.err)
	}
	if m.detail.fired == nil || !strings.Contains(m.detail.plain, "cus_NffrFeUfNV2Hib") {
		t.Fatalf("detail does not show the response: %q", m.detail.plain)
	}
	if !strings.Contains(m.View(), "Response  200 OK") {
		t.Error("view lacks the response status")
	}

	// Switch to error, fire with f: the real server answers 404.
	m = press(t, m, keyRunes("t"), keyRunes("f"))
	if m.detail.fired == nil || m.detail.fired.status != 404 {
		t.Fatalf("after toggle and f: fired %+v; want 404", m.detail.fired)
	}
	if !strings.Contains(m.View(), "404 Not Found") {
		t.Error("view lacks 404 Not Found")
	}

	// esc goes back to the preview.
	m = press(t, m, keyEsc)
	if m.detail.fired != nil || !strings.Contains(m.View(), "Request-Id: req_…") {
		t.Error("esc did not go back to the preview")
	}

	// Moving away drops the fired response.
	m = press(t, m, keyEnter, keyRunes("j"))
	if m.detail.fired != nil {
		t.Error("fired response kept after the selection changed")
	}
}

func TestFirePostSendsSampleBody(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = selectRoute(t, m, "POST /v1/payment_intents")
	m = press(t, m, keyRunes("f"))
	if m.detail.fired == nil || m.detail.fired.status != 200 {
		t.Fatalf("fired = %+v", m.detail.fired)
	}
	if !strings.Contains(m.detail.plain, `"amount": 2000`) || !strings.Contains(m.detail.plain, `"currency": "usd"`) {
		t.Errorf("the template did not see the sample body: %q", m.detail.plain)
	}
}

// What is fired is the catalog's sample request (Route.Sample): the server
// sees its path and its body, which the generator completed with the
// parameters the route requires.
func TestFireSendsCatalogSample(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	events, stop := f.srv.Subscribe(8)
	defer stop()
	m = selectRoute(t, m, "POST /v1/customers")
	m = press(t, m, keyRunes("f"))
	if m.detail.fired == nil || m.detail.fired.status != 200 {
		t.Fatalf("fired = %+v", m.detail.fired)
	}
	r, _ := f.cat.Lookup("POST /v1/customers")
	want := r.Sample()
	e := <-events
	if got := string(e.RequestBody); got != want.Body || want.Body == "" {
		t.Errorf("server saw body %q; want the sample's %q", got, want.Body)
	}
	if e.Path != want.Path {
		t.Errorf("server saw path %q; want the sample's %q", e.Path, want.Path)
	}
}

func TestFireWhenNotServing(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"no-serve", func(c *Config) { c.ServerURL, c.NoServe = "", true }, []string{"browsing only (--no-serve)"}},
		{"port taken", func(c *Config) {
			c.ServerURL, c.ServeError = "", fmt.Errorf("listen: %w", &server.PortInUseError{Host: "127.0.0.1", Port: 12111})
		}, []string{"not serving: port 12111 is in use · try --port 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newFixtureWith(t, 140, 40, tt.edit)
			m, msgs := send(t, m, keyEnter)
			if _, ok := hasMsg[firedMsg](msgs); ok {
				t.Fatal("fired although not serving")
			}
			v := m.View()
			// Only what works is offered: no firing, editing or log.
			for _, absent := range []string{"fire", "request log", "edit"} {
				if strings.Contains(v, absent) {
					t.Errorf("not serving, yet the view offers %q:\n%s", absent, v)
				}
			}
			for _, want := range append(tt.want, "○ ") {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q", want)
				}
			}
		})
	}
}

func TestEditThenFire(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("e"))
	if m.focus != focusEditor {
		t.Fatalf("focus = %v; want editor", m.focus)
	}
	// q is text in the form, not quit.
	m, msgs := send(t, m, keyRunes("?"))
	m, msgs2 := send(t, m, keyRunes("q"))
	if _, quit := hasMsg[tea.QuitMsg](append(msgs, msgs2...)); quit || m.help.ShowAll {
		t.Fatal("? or q acted as a command in the editor")
	}
	m = typeText(t, m, "=1")
	m = press(t, m, keyTab)
	m = typeText(t, m, "Prefer: code=404")
	m = press(t, m, keyEnter)
	m = typeText(t, m, "Idempotency-Key: k1")
	m = press(t, m, keyTab)
	m.editor.body.SetValue("")
	m = typeText(t, m, "name=Jo")
	m = press(t, m, keyEnter) // a new line in the body, not a send
	m = typeText(t, m, "&x=2")
	m, msgs = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	fm, ok := hasMsg[firedMsg](msgs)
	if !ok {
		t.Fatal("ctrl+s in the editor fired nothing")
	}
	if fm.res.target != "/v1/customers/cus_NffrFeUfNV2Hib?q=1" {
		t.Errorf("target = %q", fm.res.target)
	}
	if fm.res.body != "name=Jo\n&x=2" {
		t.Errorf("body = %q", fm.res.body)
	}
	// The Prefer header reached the server: it answered the error variant.
	if fm.res.status != 404 {
		t.Errorf("status = %d; want 404 from Prefer: code=404", fm.res.status)
	}
	if m.focus != focusList || m.detail.fired == nil {
		t.Errorf("after firing: focus %v, fired %v", m.focus, m.detail.fired)
	}
	if v := m.View(); !strings.Contains(v, "sent Prefer: code=404") {
		t.Errorf("the response does not show the headers sent:\n%s", v)
	}

	// The editor remembers the route's last request; esc keeps the edit
	// without firing.
	m = press(t, m, keyRunes("e"))
	if got := m.editor.headers.Value(); got != "Prefer: code=404\nIdempotency-Key: k1" {
		t.Errorf("headers not remembered: %q", got)
	}
	if got := m.editor.target.Value(); got != "GET /v1/customers/cus_NffrFeUfNV2Hib?q=1" {
		t.Errorf("path not remembered: %q", got)
	}
	m = typeText(t, m, "&r=2")
	m, msgs = send(t, m, keyEsc)
	if _, ok := hasMsg[firedMsg](msgs); ok || m.focus != focusList {
		t.Errorf("esc: fired %v, focus %v", ok, m.focus)
	}
	// Another route starts from its own sample.
	m = press(t, m, keyRunes("j"), keyRunes("e"))
	if got := m.editor.target.Value(); got != "POST /v1/customers" {
		t.Errorf("second route's path = %q", got)
	}
	m = press(t, m, keyEsc, keyRunes("k"), keyRunes("e"))
	if got := m.editor.target.Value(); got != "GET /v1/customers/cus_NffrFeUfNV2Hib?q=1&r=2" {
		t.Errorf("the esc'd edit was not kept: %q", got)
	}
	// The method is part of the first line: DELETE sends a DELETE.
	m = press(t, m, keyEsc, keyRunes("e"))
	m.editor.target.SetValue("DELETE /v1/customers/cus_1")
	m, msgs = send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if fm, ok := hasMsg[firedMsg](msgs); !ok || fm.res.method != "DELETE" || fm.res.status != 404 { // the remembered Prefer: code=404
		t.Errorf("edited method: %+v", fm.res)
	}
	_ = f
}

func TestCopyBodyAndCurl(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	m, msgs := send(t, m, keyRunes("c"))
	cm, ok := hasMsg[copyMsg](msgs)
	if !ok {
		t.Fatal("c produced no copyMsg")
	}
	body := f.lastCopied(t)
	if body != m.detail.plain || !strings.Contains(body, `"object": "customer"`) {
		t.Errorf("copied %q", body)
	}
	if cm.bytes != len(body) || cm.err != nil {
		t.Errorf("copyMsg = %+v", cm)
	}
	if want := fmt.Sprintf("copied %d bytes (preview body) to the test clipboard", len(body)); m.notice.text != want {
		t.Errorf("notice = %q; want %q", m.notice.text, want)
	}

	m = press(t, m, keyRunes("y"))
	if got := f.lastCopied(t); got != "curl -sS http://127.0.0.1:12111/v1/customers/cus_NffrFeUfNV2Hib" {
		t.Errorf("curl = %q", got)
	}

	// After firing, c copies the response.
	m = press(t, m, keyRunes("t"), keyEnter, keyRunes("c"))
	if got := f.lastCopied(t); !strings.Contains(got, "resource_missing") {
		t.Errorf("copied %q; want the fired 404 body", got)
	}
	if !strings.Contains(m.notice.text, "(response body)") {
		t.Errorf("notice = %q", m.notice.text)
	}
}

func TestCopyFailureSaysWhy(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	f.copyErr = errNoClipboard
	m = press(t, m, keyRunes("c"))
	if !m.notice.isErr || !strings.Contains(m.notice.text, "no clipboard here") {
		t.Errorf("notice = %+v", m.notice)
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1234: "1,234", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestRequestLog(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	m, _ = send(t, m, requestMsg(event(0, "GET", "/v1/customers/cus_1", "GET /v1/customers/:customer", 200)))
	m, _ = send(t, m, requestsMsg{
		event(1, "POST", "/v1/payment_intents", "POST /v1/payment_intents", 402),
		event(2, "GET", "/v1/nope", "", 404),
	})
	if !strings.Contains(m.View(), "3 requests") {
		t.Error("header lacks 3 requests")
	}
	m = press(t, m, keyRunes("l"))
	if m.focus != focusLog {
		t.Fatalf("focus = %v; want log", m.focus)
	}
	v := m.View()
	iNope, iPI, iCus := strings.Index(v, "/v1/nope"), strings.Index(v, "/v1/payment_intents"), strings.Index(v, "/v1/customers/cus_1")
	if iNope < 0 || iPI < 0 || iCus < 0 || !(iNope < iPI && iPI < iCus) {
		t.Errorf("log not newest first:\n%s", v)
	}
	// j selects the second newest; enter opens it.
	m = press(t, m, keyRunes("j"), keyEnter)
	if !m.log.open || m.log.entry.Path != "/v1/payment_intents" {
		t.Fatalf("open entry = %v %q", m.log.open, m.log.entry.Path)
	}
	v = m.View()
	for _, want := range []string{"Request headers", "User-Agent: curl/8.5.0", "Response body", `"object": "customer"`, "402"} {
		if !strings.Contains(v, want) {
			t.Errorf("entry view lacks %q", want)
		}
	}
	m = press(t, m, keyRunes("c"))
	if got := f.lastCopied(t); !strings.Contains(got, `"object": "customer"`) {
		t.Errorf("copied %q", got)
	}
	m = press(t, m, keyEsc)
	if m.log.open || m.focus != focusLog {
		t.Errorf("esc from entry: open %v focus %v", m.log.open, m.focus)
	}
	m = press(t, m, keyEsc)
	if m.focus != focusList {
		t.Errorf("esc from log: focus %v", m.focus)
	}
	// A new request while the second row is selected keeps that row selected.
	m = press(t, m, keyRunes("l"), keyRunes("g"), keyRunes("j"))
	m, _ = send(t, m, requestMsg(event(3, "GET", "/v1/charges", "GET /v1/charges", 200)))
	if got := m.log.at(m.log.cursor).Path; got != "/v1/payment_intents" {
		t.Errorf("selection moved to %q", got)
	}
}

func TestRequestLogKeepsNewestThousand(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	batch := make(requestsMsg, 0, 1005)
	for i := range 1005 {
		batch = append(batch, event(i, "GET", fmt.Sprintf("/v1/charges/%d", i), "", 404))
	}
	m, _ = send(t, m, batch)
	if len(m.log.entries) != maxLogEntries || m.log.older != 5 || m.log.total != 1005 {
		t.Fatalf("entries %d older %d total %d", len(m.log.entries), m.log.older, m.log.total)
	}
	if m.log.at(0).Path != "/v1/charges/1004" {
		t.Errorf("newest = %q", m.log.at(0).Path)
	}
	m = press(t, m, keyRunes("l"))
	v := m.View()
	for _, want := range []string{"5 older dropped", "1,005 requests"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	m = press(t, m, keyRunes("G"))
	if m.log.at(m.log.cursor).Path != "/v1/charges/5" {
		t.Errorf("oldest kept = %q", m.log.at(m.log.cursor).Path)
	}
}

func TestWaitForEvent(t *testing.T) {
	ch := make(chan server.Event, 8)
	ch <- server.Event{Path: "/a"}
	if msg, ok := waitForEvent(ch)().(requestMsg); !ok || msg.Path != "/a" {
		t.Errorf("one event: got %#v", msg)
	}
	ch <- server.Event{Path: "/b"}
	ch <- server.Event{Path: "/c"}
	if msg, ok := waitForEvent(ch)().(requestsMsg); !ok || len(msg) != 2 || msg[1].Path != "/c" {
		t.Errorf("two events: got %#v", msg)
	}
	close(ch)
	if _, ok := waitForEvent(ch)().(serverStoppedMsg); !ok {
		t.Error("closed channel: want serverStoppedMsg")
	}
}

func TestEventsRearmAndServerStop(t *testing.T) {
	ch := make(chan server.Event, 1)
	m, _ := newFixtureWith(t, 120, 40, func(c *Config) { c.Events = ch })
	if m.Init() == nil {
		t.Fatal("Init does not wait for events")
	}
	_, cmd := m.Update(requestMsg(event(0, "GET", "/v1/balance", "GET /v1/balance", 200)))
	if cmd == nil {
		t.Fatal("requestMsg did not re-arm waitForEvent")
	}
	close(ch)
	m, _ = send(t, m, serverStoppedMsg{})
	if m.serving() || !strings.Contains(m.View(), "○ the server stopped") {
		t.Error("server stop not shown")
	}
}

func TestFilter(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("/"))
	if m.list.FilterState() != list.Filtering {
		t.Fatal("/ did not start filtering")
	}
	// Letters that are keys elsewhere (t, l, q) are filter text here.
	m = typeText(t, m, "charges")
	if got := len(m.list.VisibleItems()); got != 1 {
		t.Fatalf("%d routes match charges; want 1", got)
	}
	if !strings.Contains(m.View(), "1/1 of 6") {
		t.Errorf("count not shown:\n%s", m.View())
	}
	m = press(t, m, keyEnter)
	if m.list.FilterState() != list.FilterApplied || m.detail.route.Key() != "GET /v1/charges" {
		t.Fatalf("after enter: state %v detail %q", m.list.FilterState(), m.detail.route.Key())
	}
	m = press(t, m, keyEsc)
	if m.list.FilterState() != list.Unfiltered || len(m.list.VisibleItems()) != 6 {
		t.Errorf("esc did not clear the filter")
	}
	if got := selectedRoute(m.list); got == nil || got.Key() != "GET /v1/charges" {
		t.Errorf("after clearing the filter the selection moved to %v", got)
	}
	// The summary is searched too.
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "balance")
	if got := selectedRoute(m.list); got == nil || got.Key() != "GET /v1/balance" {
		t.Errorf("filter by summary selected %v", got)
	}
}

func TestTabFocusScrollsDetail(t *testing.T) {
	m, _ := newFixture(t, 120, 20)
	m = press(t, m, keyTab)
	if m.focus != focusDetail {
		t.Fatalf("focus = %v; want detail", m.focus)
	}
	m = press(t, m, keyRunes("j"), keyRunes("j"))
	if m.detail.vp.YOffset != 2 {
		t.Errorf("detail offset = %d; want 2", m.detail.vp.YOffset)
	}
	if selectedRoute(m.list).Key() != "GET /v1/customers/:customer" {
		t.Error("j in the detail moved the list")
	}
	m = press(t, m, keyRunes("G"))
	if !m.detail.vp.AtBottom() {
		t.Error("G did not scroll to the end")
	}
	m = press(t, m, keyTab)
	if m.focus != focusList {
		t.Errorf("second tab: focus %v", m.focus)
	}
	m = press(t, m, keyTab, keyEsc)
	if m.focus != focusList {
		t.Errorf("esc from detail: focus %v", m.focus)
	}
}

func TestNarrowShowsOnePane(t *testing.T) {
	m, _ := newFixture(t, 80, 24)
	v := m.View()
	if strings.Contains(v, "Retrieves a Customer object") {
		t.Error("narrow start shows the detail")
	}
	m = press(t, m, keyTab)
	v = m.View()
	if !strings.Contains(v, "Retrieves a Customer object") || strings.Contains(v, "Routes") {
		t.Errorf("narrow detail focus:\n%s", v)
	}
	// Firing from the list in a narrow terminal shows the response.
	m = press(t, m, keyTab, keyEnter)
	if m.focus != focusDetail || !strings.Contains(m.View(), "200 OK") {
		t.Errorf("narrow fire: focus %v\n%s", m.focus, m.View())
	}
}

func TestHelpToggle(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("?"))
	if !m.help.ShowAll || !strings.Contains(m.View(), "all error/back") {
		t.Fatal("? did not show the full help")
	}
	m = press(t, m, keyRunes("?"))
	if m.help.ShowAll {
		t.Error("second ? did not close the help")
	}
}

func TestQuit(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	for _, k := range []tea.KeyMsg{keyRunes("q"), keyCtrlC} {
		_, cmd := m.Update(k)
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s did not quit", k)
		}
	}
	// While filtering q is text; ctrl+c still quits.
	m = press(t, m, keyRunes("/"))
	m, msgs := send(t, m, keyRunes("q"))
	if _, ok := hasMsg[tea.QuitMsg](msgs); ok {
		t.Error("q quit while filtering")
	}
	if _, cmd := m.Update(keyCtrlC); cmd == nil {
		t.Error("ctrl+c while filtering: no command")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c while filtering did not quit")
	}
	// From the log, q quits too.
	m, _ = newFixture(t, 120, 40)
	m = press(t, m, keyRunes("l"))
	if _, cmd := m.Update(keyRunes("q")); cmd == nil {
		t.Error("q in the log: no command")
	}
}

func TestAnySizeRenders(t *testing.T) {
	sizes := []struct{ w, h int }{{20, 6}, {10, 3}, {1, 1}, {0, 0}, {39, 9}, {40, 10}, {45, 12}, {99, 30}, {100, 30}, {300, 100}}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m, _ := newFixture(t, sz.w, sz.h)
			m, _ = send(t, m, requestMsg(event(0, "GET", "/v1/balance", "GET /v1/balance", 200)))
			for _, k := range []tea.KeyMsg{keyRunes("t"), keyEnter, keyTab, keyRunes("j"), keyRunes("?"), keyRunes("l"), keyEnter, keyEsc, keyEsc, keyRunes("e")} {
				m = press(t, m, k)
				checkFits(t, m.View(), sz.w, sz.h)
			}
			if sz.w < minWidth || sz.h < minHeight {
				if sz.h > 0 && sz.w >= 18 && !strings.Contains(m.View(), "terminal too small") {
					t.Errorf("view:\n%s", m.View())
				}
			}
		})
	}
}

// checkFits fails when a frame is taller or wider than the terminal.
func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > max(h, 1) {
		t.Errorf("%d lines; terminal has %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > max(w, 0) {
			t.Errorf("line %d is %d wide; terminal has %d: %q", i, lw, w, l)
		}
	}
}

func TestResizeRerendersBody(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	seq := m.detail.seq
	m, msgs := send(t, m, tea.WindowSizeMsg{Width: 150, Height: 40})
	if _, ok := hasMsg[bodyRenderedMsg](msgs); !ok || m.detail.seq == seq {
		t.Error("resize did not re-render the body")
	}
	if m.detail.pending {
		t.Error("body still pending after the render came back")
	}
}

// A body the server clipped says so in the log and in the copy notice.
func TestLogEntryClippedBody(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	e := event(0, "POST", "/v1/charges", "POST /v1/charges", 200)
	e.RequestBody, e.RequestBodySize = []byte(strings.Repeat("a", server.MaxEventBody)), 1_000_000
	e.ResponseBody, e.ResponseBodySize = `{"id": "ch_1", "object": "charge"`, 200_000
	m, _ = send(t, m, requestMsg(e))
	m = press(t, m, keyRunes("l"), keyEnter)
	view := ansi.Strip(m.log.vp.View())
	m.log.vp.GotoBottom()
	view += ansi.Strip(m.log.vp.View())
	for _, want := range []string{"the log keeps the first 16 KiB of 1,000,000 bytes", "the log keeps the first 33 bytes of 200,000 bytes"} {
		if !strings.Contains(view, want) {
			t.Errorf("entry view lacks %q:\n%s", want, view)
		}
	}
	m = press(t, m, keyRunes("c"))
	if got := f.lastCopied(t); got != e.ResponseBody {
		t.Errorf("copied %q", got)
	}
	if want := "first 33 bytes of a 200,000-byte response body"; !strings.Contains(m.notice.text, want) {
		t.Errorf("notice %q lacks %q", m.notice.text, want)
	}
}
