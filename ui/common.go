package ui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// common is what every component shares, held by pointer: the styles,
// the key map (the root enables the keys that work on each screen), the
// terminal's colour facts and where curl commands point. One home, so no
// child keeps its own copy of any of them.
type common struct {
	styles  *styles
	keys    keyMap
	color   bool // the terminal shows colour (NO_COLOR and pipes do not)
	dark    bool // on a dark background
	baseURL string
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
