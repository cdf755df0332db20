package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
)

// palette is the semantic colour set every style is built from. Each
// colour adapts to light and dark terminals.
type palette struct {
	accent, text, subtle, faint, border, focus lipgloss.AdaptiveColor
	get, post, del, other                      lipgloss.AdaptiveColor
	ok, warn, bad                              lipgloss.AdaptiveColor
}

func defaultPalette() palette {
	return palette{
		accent: lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7D79F6"},
		text:   lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#DDDDDD"},
		subtle: lipgloss.AdaptiveColor{Light: "#6E6E6E", Dark: "#9B9B9B"},
		faint:  lipgloss.AdaptiveColor{Light: "#A0A0A0", Dark: "#5C5C5C"},
		border: lipgloss.AdaptiveColor{Light: "#C8C8C8", Dark: "#444444"},
		focus:  lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7D79F6"},
		get:    lipgloss.AdaptiveColor{Light: "#1F6FEB", Dark: "#58A6FF"},
		post:   lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"},
		del:    lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"},
		other:  lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#D29922"},
		ok:     lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"},
		warn:   lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#D29922"},
		bad:    lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"},
	}
}

// styles holds every style the UI renders with, grouped per component.
type styles struct {
	app struct {
		title, name, dim, serving, notServing, errCount, notice, noticeErr, tooSmall lipgloss.Style
	}
	pane struct {
		normal, focused lipgloss.Style
	}
	route struct {
		get, post, del, other          lipgloss.Style // method badges
		path, selectedPath, group      lipgloss.Style
		errMark, cursor, noCursor, dim lipgloss.Style
		match                          lipgloss.Style
	}
	detail struct {
		method, path, summary, heading, text lipgloss.Style
		code, link, bullet                   lipgloss.Style
		tabActive, tabInactive, tabSep       lipgloss.Style
		headerKey, headerVal, curl           lipgloss.Style
		banner, muted, errText               lipgloss.Style
	}
	status struct {
		ok, warn, bad, other lipgloss.Style
	}
	log struct {
		title, header, selected, row, dim lipgloss.Style
	}
	form struct {
		label, focusedLabel, hint lipgloss.Style
	}
	list list.Styles
	help help.Styles
}

func defaultStyles() styles {
	p := defaultPalette()
	var s styles
	ns := lipgloss.NewStyle

	s.app.title = ns().Bold(true).Foreground(p.accent)
	s.app.name = ns().Bold(true).Foreground(p.text)
	s.app.dim = ns().Foreground(p.subtle)
	s.app.serving = ns().Foreground(p.ok)
	s.app.notServing = ns().Foreground(p.warn)
	s.app.errCount = ns().Foreground(p.bad).Bold(true)
	s.app.notice = ns().Foreground(p.accent)
	s.app.noticeErr = ns().Foreground(p.bad)
	s.app.tooSmall = ns().Foreground(p.warn)

	s.pane.normal = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.border)
	// Focus shows in the border's shape too, for NO_COLOR.
	s.pane.focused = ns().Border(lipgloss.ThickBorder()).BorderForeground(p.focus)

	badge := ns().Bold(true).Width(methodWidth)
	s.route.get = badge.Foreground(p.get)
	s.route.post = badge.Foreground(p.post)
	s.route.del = badge.Foreground(p.del)
	s.route.other = badge.Foreground(p.other)
	s.route.path = ns().Foreground(p.text)
	s.route.selectedPath = ns().Foreground(p.accent).Bold(true)
	s.route.group = ns().Foreground(p.faint)
	s.route.dim = ns().Foreground(p.subtle)
	s.route.errMark = ns().Foreground(p.bad).Bold(true)
	s.route.cursor = ns().Foreground(p.accent).SetString("▌")
	s.route.noCursor = ns().SetString(" ")
	s.route.match = ns().Underline(true)

	s.detail.method = ns().Bold(true)
	s.detail.path = ns().Bold(true).Foreground(p.text)
	s.detail.summary = ns().Foreground(p.subtle)
	s.detail.text = ns()
	s.detail.heading = ns().Bold(true).Foreground(p.accent)
	s.detail.code = ns().Foreground(p.other)
	s.detail.link = ns().Foreground(p.get).Underline(true)
	s.detail.bullet = ns().Foreground(p.accent)
	s.detail.tabActive = ns().Bold(true).Foreground(p.accent).Underline(true)
	s.detail.tabInactive = ns().Foreground(p.subtle)
	s.detail.tabSep = ns().Foreground(p.faint)
	s.detail.headerKey = ns().Foreground(p.subtle)
	s.detail.headerVal = ns().Foreground(p.text)
	s.detail.curl = ns().Foreground(p.text)
	s.detail.banner = ns().Bold(true)
	s.detail.muted = ns().Foreground(p.faint)
	s.detail.errText = ns().Foreground(p.bad)

	s.status.ok = ns().Foreground(p.ok)
	s.status.warn = ns().Foreground(p.warn)
	s.status.bad = ns().Foreground(p.bad)
	s.status.other = ns().Foreground(p.subtle)

	s.log.title = ns().Bold(true).Foreground(p.accent)
	s.log.header = ns().Foreground(p.subtle).Bold(true)
	s.log.selected = ns().Foreground(p.accent).Bold(true)
	s.log.row = ns().Foreground(p.text)
	s.log.dim = ns().Foreground(p.faint)

	s.form.label = ns().Foreground(p.subtle)
	s.form.focusedLabel = ns().Foreground(p.accent).Bold(true)
	s.form.hint = ns().Foreground(p.faint)

	s.list = list.DefaultStyles()
	s.list.TitleBar = ns().Padding(0, 0, 0, 1)
	s.list.Title = ns().Bold(true).Foreground(p.accent)
	s.list.StatusBar = ns().Foreground(p.subtle).Padding(0, 0, 0, 1)
	s.list.StatusEmpty = ns().Foreground(p.faint)
	s.list.StatusBarFilterCount = ns().Foreground(p.faint)
	s.list.NoItems = ns().Foreground(p.faint).Padding(0, 0, 0, 1)
	s.list.FilterPrompt = ns().Foreground(p.accent)
	s.list.FilterCursor = ns().Foreground(p.accent)
	s.list.DividerDot = ns().Foreground(p.faint).SetString(" • ")

	s.help = help.Styles{
		Ellipsis:       ns().Foreground(p.faint),
		ShortKey:       ns().Foreground(p.subtle),
		ShortDesc:      ns().Foreground(p.faint),
		ShortSeparator: ns().Foreground(p.faint),
		FullKey:        ns().Foreground(p.subtle),
		FullDesc:       ns().Foreground(p.faint),
		FullSeparator:  ns().Foreground(p.faint),
	}
	return s
}

// methodStyle is the badge style for an HTTP method.
func (s styles) methodStyle(method string) lipgloss.Style {
	switch method {
	case "GET":
		return s.route.get
	case "POST":
		return s.route.post
	case "DELETE":
		return s.route.del
	}
	return s.route.other
}

// statusStyle colours an HTTP status: 2xx green, 4xx yellow, 5xx red.
func (s styles) statusStyle(code int) lipgloss.Style {
	switch {
	case code >= 200 && code < 300:
		return s.status.ok
	case code >= 400 && code < 500:
		return s.status.warn
	case code >= 500:
		return s.status.bad
	}
	return s.status.other
}
