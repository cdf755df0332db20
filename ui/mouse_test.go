package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

func wheel(x, y int, down bool) tea.MouseMsg {
	b := tea.MouseButtonWheelUp
	if down {
		b = tea.MouseButtonWheelDown
	}
	return tea.MouseMsg{X: x, Y: y, Button: b, Action: tea.MouseActionPress}
}

// rowOf is the screen row that shows text, or -1.
func rowOf(view, text string) (row, col int) {
	for i, l := range strings.Split(view, "\n") {
		if j := strings.Index(l, text); j >= 0 {
			return i, len([]rune(l[:j]))
		}
	}
	return -1, -1
}

func TestMouseClicksAndWheel(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	// A click on a route selects it.
	y, x := rowOf(m.View(), "/v1/charges")
	m, _ = send(t, m, click(x, y))
	if got := selectedRoute(m.list).Key(); got != "GET /v1/charges" {
		t.Fatalf("click on /v1/charges selected %s", got)
	}
	// A click on a variant tab previews it.
	y, x = rowOf(m.View(), "○ Error 500")
	m, _ = send(t, m, click(x+2, y))
	if !strings.Contains(m.View(), "[○ Error 500]") || m.focus != focusDetail {
		t.Errorf("click on the error tab:\n%s", m.View())
	}
	// The wheel over the list moves it, over the detail scrolls the detail.
	y, x = rowOf(m.View(), "GET    /v1/charges")
	m, _ = send(t, m, wheel(x, y, false))
	if got := selectedRoute(m.list).Key(); got != "POST /v1/customers" { // three up
		t.Errorf("wheel up over the list selected %s", got)
	}
	off := m.detail.vp.YOffset
	m, _ = send(t, m, wheel(80, 10, true))
	if m.detail.vp.YOffset <= off && m.detail.vp.TotalLineCount() > m.detail.vp.Height {
		t.Errorf("wheel over the detail did not scroll it")
	}
	// In the log, a click selects an entry and a second click opens it.
	m, _ = send(t, m, requestMsg(event(0, "GET", "/v1/customers/cus_1", "GET /v1/customers/:customer", 200)))
	m, _ = send(t, m, requestMsg(event(1, "GET", "/v1/balance", "GET /v1/balance", 200)))
	m = press(t, m, keyRunes("l"))
	y, x = rowOf(m.View(), "/v1/customers/cus_1")
	m, _ = send(t, m, click(x, y))
	if m.log.at(m.log.cursor).Path != "/v1/customers/cus_1" {
		t.Errorf("click did not select the log entry")
	}
	m, _ = send(t, m, click(x, y))
	if !m.log.open || m.log.entry.Path != "/v1/customers/cus_1" {
		t.Errorf("second click did not open the entry")
	}
}
