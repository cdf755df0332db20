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
	m.detail, _ = m.detail.show(nil, catalog.Success, false)
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
	if got := f.srv.State().Active(r); got != catalog.Success {
		t.Fatalf("] changed the server to %s", got)
	}
	if get(t, f, "GET", "/v1/customers/cus_1") != 200 {
		t.Error("] changed what the server answers")
	}
	v := m.View()
	for _, want := range []string{"● Success 200 │ [○ Error 404]", "Preview only: the server answers Success", "resource_missing"} {
		if !strings.Contains(v, want) {
			t.Errorf("after ]: view lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes("1"))
	if v := m.View(); !strings.Contains(v, "[● Success 200] │ ○ Error 404") || strings.Contains(v, "Preview only") {
		t.Errorf("after 1:\n%s", v)
	}
	// t still flips the server, and the tab then follows it.
	m = press(t, m, keyRunes("2"), keyRunes("t"))
	if v := m.View(); !strings.Contains(v, "○ Success 200 │ [● Error 404]") || strings.Contains(v, "Preview only") {
		t.Errorf("after 2 t:\n%s", v)
	}
}
