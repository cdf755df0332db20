package ui

import (
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
)

// Issue 7, defect 6: a notice appearing and clearing moves nothing else.
func TestNoticeDoesNotMoveLayout(t *testing.T) {
	m, _ := newFixture(t, 80, 24)
	before := strings.Split(m.View(), "\n")
	m.setNotice("GET /v1/customers/:customer now answers error (404)", false)
	during := strings.Split(m.View(), "\n")
	if len(before) != len(during) {
		t.Fatalf("%d rows before, %d with a notice", len(before), len(during))
	}
	for i := range before {
		if before[i] != during[i] && !strings.Contains(during[i], "now answers") {
			t.Errorf("row %d moved:\n%q\n%q", i, before[i], during[i])
		}
	}
}

// Issue 7, defect 10: without colour, the focused pane still shows.
func TestFocusVisibleWithoutColour(t *testing.T) {
	for _, w := range []int{120, 80} {
		m, _ := newFixture(t, w, 30)
		list := m.View()
		m = press(t, m, keyTab)
		detail := m.View()
		strip := func(s string) string { return s[:strings.LastIndex(s, "\n")] } // drop the help line
		if strip(list) == strip(detail) {
			t.Fatalf("at %d columns the list- and detail-focused screens differ only in the footer", w)
		}
		if !strings.Contains(list, "┏") || !strings.Contains(detail, "┏") {
			t.Errorf("at %d columns the focused pane has no thick border", w)
		}
		if w == 120 && strings.Index(list, "┏") > strings.Index(list, "╭") {
			t.Error("list focus: the thick border is not on the list")
		}
		if w == 120 && strings.Index(detail, "┏") < strings.Index(detail, "╭") {
			t.Error("detail focus: the thick border is not on the detail")
		}
	}
}

// Issue 7, defect 13: E lists only the routes on error.
func TestErrorsOnly(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("j"), keyRunes("t"), keyRunes("j"), keyRunes("j"), keyRunes("t"))
	m = press(t, m, keyRunes("E"))
	var keys []string
	for _, it := range m.list.VisibleItems() {
		keys = append(keys, it.(routeItem).route.Key())
	}
	if strings.Join(keys, ",") != "POST /v1/customers,POST /v1/payment_intents" {
		t.Fatalf("E lists %v", keys)
	}
	if got := selectedRoute(m.list).Key(); got != "POST /v1/payment_intents" {
		t.Errorf("E moved the selection to %s", got)
	}
	if !strings.Contains(m.View(), "on error") {
		t.Errorf("the list does not say it shows only routes on error:\n%s", m.View())
	}
	m = press(t, m, keyRunes("E"))
	if len(m.list.VisibleItems()) != len(m.cat.Routes) || selectedRoute(m.list).Key() != "POST /v1/payment_intents" {
		t.Errorf("E again: %d routes, selected %s", len(m.list.VisibleItems()), selectedRoute(m.list).Key())
	}
}

// Issue 7, defect 16: docs wrap without breaking a link.
func TestDocsLinksNotBroken(t *testing.T) {
	m, f := newFixture(t, 140, 40)
	r := f.cat.Routes[0]
	r.Docs = `<p>If the confirmation_method is automatic, payment may be attempted using our <a href="/docs/stripe-js/reference#stripe-handle-card-payment">client SDKs</a> and the client_secret.</p>`
	m.detail, _ = m.detail.show(nil, nil, false)
	m, _ = send(t, m, keyRunes("j"))
	m, _ = send(t, m, keyRunes("k"))
	m.detail.vp.Height = 100
	m.detail.refresh()
	if !strings.Contains(m.detail.vp.View(), "(https://stripe.com/docs/stripe-js/reference#stripe-handle-card-payment)") {
		t.Errorf("the link is broken:\n%s", m.detail.vp.View())
	}
}

// Variant tabs preview any variant without touching what the server answers.
func TestPreviewTabs(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	r := selectedRoute(m.list)
	m = press(t, m, keyRunes("]"))
	if got := f.srv.State().Active(r).Kind; got != catalog.Success {
		t.Fatalf("] changed the server to %s", got)
	}
	if get(t, f, "GET", "/v1/customers/cus_1") != 200 {
		t.Error("] changed what the server answers")
	}
	v := m.View()
	for _, want := range []string{" ● Success 200 │[○ Error 404]", "Preview only: the server answers Success", "resource_missing"} {
		if !strings.Contains(v, want) {
			t.Errorf("after ]: view lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes("1"))
	if v := m.View(); !strings.Contains(v, "[● Success 200]│ ○ Error 404 ") || strings.Contains(v, "Preview only") {
		t.Errorf("after 1:\n%s", v)
	}
	// t still flips the server, and the tab then follows it.
	m = press(t, m, keyRunes("2"), keyRunes("t"))
	if v := m.View(); !strings.Contains(v, " ○ Success 200 │[● Error 404]") || strings.Contains(v, "Preview only") {
		t.Errorf("after 2 t:\n%s", v)
	}
}

// The log is a workspace: filter, errors only, flip the entry's route,
// fire it again, pause, clear.
func TestLogWorkspace(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	m, _ = send(t, m, requestMsg(event(0, "GET", "/v1/customers/cus_1", "GET /v1/customers/:customer", 200)))
	m, _ = send(t, m, requestMsg(event(1, "POST", "/v1/payment_intents", "POST /v1/payment_intents", 402)))
	m, _ = send(t, m, requestMsg(event(2, "GET", "/v1/charges", "GET /v1/charges", 200)))
	m = press(t, m, keyRunes("l"), keyRunes("/"))
	m = typeText(t, m, "customers")
	m = press(t, m, keyEnter)
	if m.log.n() != 1 || m.log.at(0).Path != "/v1/customers/cus_1" {
		t.Fatalf("filter customers shows %d entries", m.log.n())
	}
	if v := m.View(); !strings.Contains(v, "/ customers") || strings.Contains(v, "/v1/charges") {
		t.Errorf("filtered log:\n%s", v)
	}
	// t flips the entry's route; f fires it again.
	m = press(t, m, keyRunes("t"))
	if got := f.srv.State().Active(f.cat.Routes[0]).Kind; got != catalog.Error {
		t.Errorf("t in the log: route on %s", got)
	}
	m, msgs := send(t, m, keyRunes("f"))
	fm, ok := hasMsg[firedMsg](msgs)
	if !ok || fm.res.status != 404 || fm.res.target != "/v1/customers/cus_1" {
		t.Errorf("f in the log: %+v", fm.res)
	}
	// esc in the filter clears it; E shows errors only.
	m = press(t, m, keyRunes("/"), keyEsc, keyRunes("E"))
	if m.log.n() != 1 || m.log.at(0).Status != 402 {
		t.Errorf("errors only shows %d entries", m.log.n())
	}
	// esc clears what narrows the log before it closes the log.
	m = press(t, m, keyEsc)
	if m.focus != focusLog || m.log.n() != 3 {
		t.Errorf("esc with errors only: focus %v, %d entries", m.focus, m.log.n())
	}
	// Paused, new requests don't move the selection.
	m = press(t, m, keyRunes("p"))
	sel := m.log.at(m.log.cursor).Path
	m, _ = send(t, m, requestMsg(event(3, "GET", "/v1/balance", "GET /v1/balance", 200)))
	if got := m.log.at(m.log.cursor).Path; got != sel {
		t.Errorf("paused: selection moved from %s to %s", sel, got)
	}
	if !strings.Contains(m.View(), "paused, 1 new") {
		t.Errorf("paused log does not say so:\n%s", m.View())
	}
	m = press(t, m, keyRunes("p"))
	if m.log.cursor != 0 {
		t.Error("following again does not go to the newest")
	}
	m = press(t, m, keyRunes("x"))
	if m.log.n() != 0 || m.log.total != 4 {
		t.Errorf("x: %d entries, %d total", m.log.n(), m.log.total)
	}
}

// E with a filter applied leaves a route selected at once, so a key that
// follows quickly (enter) still finds one.
func TestErrorsOnlyWithFilterKeepsSelectionAtOnce(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "customers")
	m = press(t, m, keyEnter, keyRunes("t"))
	for range 2 {
		tm, _ := m.Update(keyRunes("E")) // no commands run
		m = tm.(Model)
		if selectedRoute(m.list) == nil {
			t.Fatal("after E nothing is selected until a command runs")
		}
	}
}

// A narrow but tall terminal stacks the detail beneath the list.
func TestStackedDetail(t *testing.T) {
	m, _ := newFixture(t, 80, 44)
	v := m.View()
	if !strings.Contains(v, "┃Routes") || !strings.Contains(v, "Retrieves a Customer object") {
		t.Fatalf("80x44 does not show list and detail together:\n%s", v)
	}
	// Firing keeps the list in view; a click on the error tab previews it.
	m = press(t, m, keyEnter)
	if m.focus != focusList || !strings.Contains(m.View(), "200 OK") {
		t.Errorf("fire in the stacked layout:\n%s", m.View())
	}
	m = press(t, m, keyEsc)
	y, x := rowOf(m.View(), "○ Error 404")
	m, _ = send(t, m, click(x+2, y))
	if !strings.Contains(m.View(), "[○ Error 404]") {
		t.Errorf("click on the stacked detail's tab:\n%s", m.View())
	}
}
