package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/server"
)

// The tab row is one line no wider than asked, whatever the width, and
// always shows the previewed tab.
func TestVariantTabsFitOneLine(t *testing.T) {
	cat := loadFixture(t)
	r, _ := cat.Lookup("POST /v1/payment_intents")
	st := defaultStyles()
	s := &st
	for shown := range r.Variants {
		tabs := newVariantTabs(r, r.Variants[0], shown)
		for width := 1; width <= 200; width++ {
			row := tabs.view(s, width)
			if strings.Contains(row, "\n") || ansi.StringWidth(row) > width {
				t.Fatalf("shown %d, width %d: %d cells, %q", shown, width, ansi.StringWidth(row), row)
			}
			if width >= 50 && !strings.Contains(ansi.Strip(row), "["+tabs.labels[shown]+"]") {
				t.Fatalf("shown %d, width %d: the shown tab is off the row: %q", shown, width, ansi.Strip(row))
			}
			if width >= 50 && !strings.Contains(row, "›") && !strings.Contains(row, "‹") {
				t.Fatalf("width %d: twelve tabs fit? %q", width, ansi.Strip(row))
			}
			// A click on the shown tab's text finds it.
			if width >= 50 {
				x := strings.Index(ansi.Strip(row), "["+tabs.labels[shown])
				x = ansi.StringWidth(ansi.Strip(row)[:x]) + 1
				if got := tabs.at(x, width); got != shown {
					t.Fatalf("shown %d, width %d: a click at %d finds tab %d", shown, width, x, got)
				}
			}
		}
	}
}

// p pins the previewed variant: the server answers it from the next
// request, the event names it; t puts the route back on auto, then on
// its first error; T and T again restore the pin.
func TestPinPreviewedVariant(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	events, cancel := f.srv.SubscribeSummary(16)
	defer cancel()
	m = selectRoute(t, m, "POST /v1/payment_intents")
	r := selectedRoute(m.list)
	fire := func() (int, string) {
		t.Helper()
		status := get(t, f, http.MethodPost, "/v1/payment_intents")
		e := <-events
		return status, e.Variant
	}
	m = press(t, m, keyRunes("]"), keyRunes("]"), keyRunes("]"))
	if st, name := fire(); st != 200 || name != "success" {
		t.Fatalf("previewing changed the server: %d %s", st, name)
	}
	m = press(t, m, keyRunes("p"))
	if st, name := fire(); st != 402 || name != "card_declined/lost_card" || f.srv.State().Pinned(r) != 3 {
		t.Fatalf("after p: %d %s, pinned %d; want 402 card_declined/lost_card, 3", st, name, f.srv.State().Pinned(r))
	}
	v := m.View()
	for _, want := range []string{"[● card_declined/lost_card 402]", "now answers card_declined/lost_card (402)", "1 on error"} {
		if !strings.Contains(v, want) {
			t.Errorf("after p: view lacks %q:\n%s", want, v)
		}
	}
	m = press(t, m, keyRunes("t"))
	if st, name := fire(); st != 200 || name != "success" || f.srv.State().Pinned(r) != server.Auto {
		t.Errorf("t on a pinned route: %d %s; want auto, success", st, name)
	}
	m = press(t, m, keyRunes("t"))
	if st, name := fire(); st != 402 || name != "error" {
		t.Errorf("t on an auto route: %d %s; want its first error", st, name)
	}
	// A pin to a non-error variant, then T sends all to error and back.
	m = press(t, m, keyRunes("1"), keyRunes("p"), keyRunes("9"), keyRunes("]"), keyRunes("]"), keyRunes("p"))
	if st, name := fire(); st != 429 || name != "429" {
		t.Fatalf("pinned 429: %d %s", st, name)
	}
	m = press(t, m, keyRunes("T"))
	if st, name := fire(); st != 402 || name != "error" {
		t.Errorf("T: %d %s; want every route on its first error", st, name)
	}
	m = press(t, m, keyRunes("T"))
	if st, name := fire(); st != 429 || name != "429" {
		t.Errorf("T again: %d %s; want the pin from before", st, name)
	}
	if f.srv.State().ErrorCount() != 1 {
		t.Errorf("ErrorCount %d; want 1", f.srv.State().ErrorCount())
	}
	_ = m
}

// A long variant name keeps the log's columns: cut to the column, whole
// in the opened entry.
func TestLogCutsLongVariantNames(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	e := event(0, "POST", "/v1/payment_intents", "POST /v1/payment_intents", 402)
	e.Variant = "card_declined/insufficient_funds"
	m, _ = send(t, m, requestMsg(e))
	m, _ = send(t, m, requestMsg(event(1, "GET", "/v1/charges", "GET /v1/charges", 200)))
	m = press(t, m, keyRunes("l"))
	v := m.View()
	var rows []string
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "/v1/payment_intents") || strings.Contains(line, "/v1/charges") {
			rows = append(rows, ansi.Strip(line))
		}
	}
	if len(rows) < 2 || !strings.Contains(rows[0]+rows[1], "card_d…") {
		t.Fatalf("log rows %q; want the name cut", rows)
	}
	// Both rows put the status in the same column (newest first).
	col := func(row, status string) int {
		i := strings.Index(row, " "+status+" ")
		if i < 0 {
			t.Fatalf("row %q has no status %s", row, status)
		}
		return ansi.StringWidth(row[:i])
	}
	if col(rows[0], "200") != col(rows[1], "402") {
		t.Errorf("status columns differ:\n%s\n%s", rows[0], rows[1])
	}
	m = press(t, m, keyRunes("j"))
	m = press(t, m, keyEnter)
	if !strings.Contains(m.View(), "(card_declined/insufficient_funds)") {
		t.Errorf("the opened entry lacks the whole name:\n%s", m.View())
	}
}
