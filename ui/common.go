package ui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/routedeck/routedeck/render"
)

// common is what every component shares, held by pointer: the styles,
// the key map (the root enables the keys that work on each screen), the
// terminal's colour facts, where curl commands point and the state a
// Mockoon environment's previews read. One home, so no
// child keeps its own copy of any of them.
type common struct {
	styles  *styles
	keys    keyMap
	color   bool // the terminal shows colour (NO_COLOR and pipes do not)
	dark    bool // on a dark background
	baseURL string
	// env is the Mockoon environment's shared state (global variables,
	// data buckets) as requests leave it; previews render with a snapshot
	// of it, never with it. nil for catalogs without one.
	env *render.MockoonEnv
}

func newCommon(serverURL string) *common {
	st := defaultStyles()
	return &common{
		styles:  &st,
		keys:    defaultKeyMap(),
		color:   lipgloss.ColorProfile() != termenv.Ascii,
		dark:    lipgloss.HasDarkBackground(),
		baseURL: baseURL(serverURL),
	}
}
