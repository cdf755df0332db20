package ui

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/server"
)

// methodWidth fits the longest method badge ("DELETE", "OPTIONS" is cut).
const methodWidth = 7

// routeItem is one route in the list. filter is precomputed because the
// list asks for it once per item on every keystroke of a filter.
type routeItem struct {
	route  *catalog.Route
	filter string
}

func newRouteItem(r *catalog.Route) routeItem {
	return routeItem{route: r, filter: filterValue(r)}
}

// FilterValue implements list.Item: the filter matches method, path,
// summary and docs (see filterRoutes).
func (i routeItem) FilterValue() string { return i.filter }

// routeDelegate draws a route on two lines: badge, path and error marker;
// then the group and summary, dimmed.
type routeDelegate struct {
	styles *styles
	state  *server.State
}

const errMarker = "✗ error"

func (d routeDelegate) Height() int                         { return 2 }
func (d routeDelegate) Spacing() int                        { return 0 }
func (d routeDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d routeDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	it, ok := item.(routeItem)
	if !ok {
		return
	}
	s := d.styles
	width := m.Width()
	selected := index == m.Index()
	cursor := s.route.noCursor.String()
	if selected {
		cursor = s.route.cursor.String()
	}
	badge := s.methodStyle(it.route.Method).Render(ansi.Truncate(it.route.Method, methodWidth-1, ""))

	avail := width - 1 - methodWidth
	marker := ""
	if d.state != nil && d.state.Active(it.route) == catalog.Error {
		marker = " " + s.route.errMark.Render(errMarker)
		avail -= 1 + ansi.StringWidth(errMarker)
	}
	pathStyle := s.route.path
	if selected {
		pathStyle = s.route.selectedPath
	}
	path := ansi.Truncate(it.route.Path, max(avail, 0), "…")
	line1 := cursor + badge + d.highlight(path, pathStyle, m.MatchesForItem(index), len(it.route.Method)+1) + marker

	sub := it.route.Group
	if it.route.Summary != "" {
		sub += " · " + it.route.Summary
	}
	sub = ansi.Truncate(sub, max(width-1-methodWidth, 0), "…")
	line2 := cursor + strings.Repeat(" ", methodWidth) + s.route.group.Render(sub)

	fmt.Fprint(w, ansi.Truncate(line1, width, "")+"\n"+ansi.Truncate(line2, width, ""))
}

// highlight underlines the path's runes the filter matched. matches index
// the filter value, where the path starts at offset.
func (d routeDelegate) highlight(path string, base lipgloss.Style, matches []int, offset int) string {
	var idx []int
	n := utf8.RuneCountInString(path)
	for _, i := range matches {
		if i -= offset; i >= 0 && i < n {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return base.Render(path)
	}
	return lipgloss.StyleRunes(path, idx, base.Inherit(d.styles.route.match), base)
}

// newRouteList builds the route list with the root's keys and styles.
func newRouteList(cat *catalog.Catalog, st *server.State, s *styles, keys keyMap) list.Model {
	items := make([]list.Item, len(cat.Routes))
	for i, r := range cat.Routes {
		items[i] = newRouteItem(r)
	}
	l := list.New(items, routeDelegate{styles: s, state: st}, 0, 0)
	l.Title = "Routes"
	l.Styles = s.list
	l.KeyMap = listKeyMap(keys)
	// The status bar reads "12 of 384 routes".
	of := fmt.Sprintf("of %d routes", len(items))
	l.SetStatusBarItemName(of, of)
	l.Styles.DividerDot = lipgloss.NewStyle()
	l.Styles.StatusBarFilterCount = l.Styles.StatusBarFilterCount.Transform(func(string) string { return "" })
	l.Filter = filterRoutes
	l.SetShowHelp(false)
	l.SetShowPagination(false)
	l.DisableQuitKeybindings()
	l.FilterInput.Prompt = "/ "
	return l
}

// selectedRoute is the highlighted route, or nil when the filter matches nothing.
func selectedRoute(l list.Model) *catalog.Route {
	if it, ok := l.SelectedItem().(routeItem); ok {
		return it.route
	}
	return nil
}
