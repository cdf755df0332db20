package ui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
)

// goldenSizes are the frames every screen is checked at: wide, classic
// and small.
var goldenSizes = []struct{ w, h int }{{120, 40}, {80, 24}, {60, 20}}

// frame renders one screen at each golden size. setup drives the model
// there from the start screen; wide tells it whether panes sit side by side.
func checkFrames(t *testing.T, setup func(t *testing.T, m Model, wide bool) Model) {
	t.Helper()
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m, _ := newFixture(t, size.w, size.h)
			m = setup(t, m, size.w >= wideWidth)
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

func TestGoldenStart(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model { return m })
}

func TestGoldenFiltered(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m = press(t, m, keyRunes("/"))
		return typeText(t, m, "cust")
	})
}

func TestGoldenErrorDetail(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m = press(t, m, keyRunes("t"))
		if !wide {
			m = press(t, m, keyTab)
		}
		return m
	})
}

func TestGoldenFired(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m = selectRoute(t, m, "POST /v1/payment_intents")
		return press(t, m, keyEnter)
	})
}

func TestGoldenLog(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m, _ = send(t, m, requestMsg(event(0, "GET", "/v1/customers/cus_1", "GET /v1/customers/:customer", 200)))
		m, _ = send(t, m, requestMsg(event(1, "POST", "/v1/payment_intents", "POST /v1/payment_intents", 402)))
		m, _ = send(t, m, requestMsg(event(2, "GET", "/v1/nope", "", 404)))
		m, _ = send(t, m, requestMsg(event(3, "GET", "/v1/charges", "GET /v1/charges", 500)))
		return press(t, m, keyRunes("l"))
	})
}

func TestGoldenLogEntry(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		e := event(0, "POST", "/v1/customers", "POST /v1/customers", 200)
		e.RequestBody = []byte("email=jenny.rosen%40example.com")
		m, _ = send(t, m, requestMsg(e))
		return press(t, m, keyRunes("l"), keyEnter)
	})
}

func TestGoldenHelp(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		return press(t, m, keyRunes("?"))
	})
}

func TestGoldenEditor(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m = selectRoute(t, m, "POST /v1/customers")
		return press(t, m, keyRunes("e"))
	})
}

// TestGoldenNoColorFocus is the detail focused with colour off (the test
// profile is NO_COLOR's): the focus shows in the borders and the keys.
func TestGoldenNoColorFocus(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		return press(t, m, keyTab)
	})
}

// TestGoldenStacked is a narrow, tall terminal: the detail beneath the list.
func TestGoldenStacked(t *testing.T) {
	m, _ := newFixture(t, 80, 44)
	m = selectRoute(t, m, "POST /v1/payment_intents")
	m = press(t, m, keyEnter)
	golden.RequireEqual(t, []byte(m.View()))
}

func TestGoldenNotServing(t *testing.T) {
	m, _ := newFixtureWith(t, 120, 40, func(c *Config) { c.ServerURL, c.NoServe = "", true })
	m = press(t, m, keyRunes("f"))
	golden.RequireEqual(t, []byte(m.View()))
}

var _ tea.Model = Model{}

// A route with twelve variants: the tab row scrolls to the previewed one,
// counting the hidden tabs, and p pins it.
func TestGoldenManyVariants(t *testing.T) {
	checkFrames(t, func(t *testing.T, m Model, wide bool) Model {
		m = selectRoute(t, m, "POST /v1/payment_intents")
		m = press(t, m, keyRunes("9"), keyRunes("]"), keyRunes("p"))
		if !wide {
			m = press(t, m, keyTab)
		}
		return m
	})
}
