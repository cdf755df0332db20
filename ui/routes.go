package ui

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
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

// routeDelegate only tells the list how tall a row is; routesView draws
// the rows, scrolling smoothly rather than by pages.
type routeDelegate struct{}

const errMarker = "✗ error"

func (d routeDelegate) Height() int                                  { return 1 }
func (d routeDelegate) Spacing() int                                 { return 0 }
func (d routeDelegate) Update(tea.Msg, *list.Model) tea.Cmd          { return nil }
func (d routeDelegate) Render(io.Writer, list.Model, int, list.Item) {}

// routeRows is the route list's scroll position.
type routeRows struct {
	offset int // first visible item
}

// rowHeight is 2 (route, then group and summary) where there is room,
// else 1, so an 80x24 terminal shows a screenful of routes.
func (m Model) rowHeight() int {
	if m.wide() && m.height >= 30 {
		return 2
	}
	return 1
}

// listRows is how many routes the list pane shows at once.
func (m Model) listRows() int {
	return max((m.list.Height()-1)/m.rowHeight(), 1)
}

// scrollList keeps the cursor in view, moving the window as little as
// possible (smooth scrolling, not pages).
func (m Model) scrollList() Model {
	n, rows, i := len(m.list.VisibleItems()), m.listRows(), m.list.Index()
	off := m.rows.offset
	if i < off {
		off = i
	}
	if i >= off+rows {
		off = i - rows + 1
	}
	m.rows.offset = max(0, min(off, n-rows))
	return m
}

// routesView is the list pane: a title line with the position ("12/384")
// or the filter being typed, then a window of routes around the cursor.
func (m Model) routesView(w, h int) string {
	s := m.ctx.styles
	items := m.list.VisibleItems()
	n := len(items)
	pos := fmt.Sprintf("%s/%s", commas(min(m.list.Index()+1, n)), commas(n))
	if m.list.FilterState() != list.Unfiltered {
		pos += " of " + commas(len(m.cat.Routes))
	}
	if m.errorsOnly {
		pos += " on error"
	}
	var left string
	switch m.list.FilterState() {
	case list.Filtering:
		left = m.list.FilterInput.View()
	case list.FilterApplied:
		left = s.list.FilterPrompt.Render("/ ") + s.route.dim.Render(termsafe.Line(m.list.FilterValue()))
	default:
		left = s.list.Title.Render("Routes")
		if m.errorsOnly {
			left += s.route.errMark.Render(" on error")
		}
	}
	title := spread(left, s.route.dim.Render(pos), w)
	lines := []string{title}
	if n == 0 {
		msg := "No routes."
		if m.list.FilterState() != list.Unfiltered {
			msg = "Nothing matched. esc: back to all routes."
		} else if m.errorsOnly {
			msg = "No route is on error. E: all routes."
		}
		return title + "\n" + s.list.NoItems.Render(msg)
	}
	rh := m.rowHeight()
	end := min(m.rows.offset+max((h-1)/rh, 1), n)
	for i := m.rows.offset; i < end; i++ {
		it, ok := items[i].(routeItem)
		if !ok {
			continue
		}
		lines = append(lines, m.routeRow(it, i, w, rh)...)
	}
	return strings.Join(lines, "\n")
}

// spread puts left and right on one line of width w, cutting left first.
func spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw+2 > w {
		return ansi.Truncate(left, w, "…")
	}
	left = ansi.Truncate(left, w-rw-1, "…")
	return left + strings.Repeat(" ", max(w-rw-ansi.StringWidth(left), 1)) + right
}

// routeRow draws one route: cursor, method, path (shortened in the
// middle so its last segment shows), the error marker, and the group and
// summary after it or on a second line.
func (m Model) routeRow(it routeItem, index, width, rh int) []string {
	s := m.ctx.styles
	selected := index == m.list.Index()
	cursor := s.route.noCursor.String()
	pathStyle := s.route.path
	if selected {
		cursor, pathStyle = s.route.cursor.String(), s.route.selectedPath
	}
	r := it.route
	badge := s.methodStyle(r.Method).Render(ansi.Truncate(r.Method, methodWidth-1, ""))
	avail := width - 1 - methodWidth
	marker := ""
	if m.state.Active(r).Kind == catalog.Error {
		mk := errMarker
		if ansi.StringWidth(r.Path)+1+ansi.StringWidth(mk) > avail {
			mk = "✗" // the path matters more than the word
		}
		marker = " " + s.route.errMark.Render(mk)
		avail -= 1 + ansi.StringWidth(mk)
	}
	behind := ""
	if r.Disabled {
		// Listed as the file has it, so it can be read and previewed.
		behind = s.route.group.Render(disabledMark + " ")
		avail -= ansi.StringWidth(disabledMark) + 1
	} else if r.Shadowed {
		// A shadowed route stays in the list, where the file has it, marked
		// and named after the route it waits behind: hidden, its variants
		// could not be previewed or pinned, and a file's route would go
		// missing without a word; unmarked, it would read as a duplicate.
		behind = s.route.group.Render(shadowMark + " ")
		avail -= ansi.StringWidth(shadowMark) + 1
	}
	path := shortenMiddle(r.Path, max(avail, 1))
	var shown string
	if path == r.Path {
		shown = highlight(path, pathStyle, s.route.match, m.list.MatchesForItem(index), len(r.Method)+1)
	} else {
		shown = pathStyle.Render(path)
	}
	line1 := cursor + badge + behind + shown + marker
	sub, summary := r.Group, r.Summary
	switch {
	case r.Disabled:
		summary = "disabled in the file: not served"
	case r.Shadowed:
		summary = shadowSummary(r)
	}
	if summary != "" {
		sub += " · " + summary
	}
	if rh == 1 {
		// The summary follows on the same line when there is room for it.
		if room := width - ansi.StringWidth(line1) - 3; room >= 12 {
			line1 += "  " + s.route.group.Render(ansi.Truncate(summary, room, "…"))
		}
		return []string{ansi.Truncate(line1, width, "")}
	}
	line2 := cursor + strings.Repeat(" ", methodWidth) + s.route.group.Render(ansi.Truncate(sub, max(width-1-methodWidth, 0), "…"))
	return []string{ansi.Truncate(line1, width, ""), ansi.Truncate(line2, width, "")}
}

// shadowMark marks a route that waits behind an earlier one, and
// disabledMark one the file disables.
const (
	shadowMark   = "↳"
	disabledMark = "⊘"
)

// shadowSummary says which route a shadowed route waits behind, and
// whether any request reaches it.
func shadowSummary(r *catalog.Route) string {
	if r.Reached {
		return "after " + r.ShadowedBy + " passes a request on"
	}
	return "never answers: " + r.ShadowedBy + " answers first"
}

// shortenMiddle fits a path into w cells by cutting its middle, keeping
// its start and its last segment: /v1/payment_int…/confirm.
func shortenMiddle(p string, w int) string {
	if ansi.StringWidth(p) <= w {
		return p
	}
	i := strings.LastIndexByte(p, '/')
	if i <= 0 || ansi.StringWidth(p[i:])+2 > w {
		// The last segment alone is too long: keep its end.
		return "…" + ansi.TruncateLeft(p, ansi.StringWidth(p)-(w-1), "")
	}
	tail := p[i:]
	return ansi.Truncate(p[:i], w-ansi.StringWidth(tail)-1, "") + "…" + tail
}

// highlight underlines the path's runes the filter matched. matches index
// the filter value, where the path starts at offset.
func highlight(path string, base, match lipgloss.Style, matches []int, offset int) string {
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
	return lipgloss.StyleRunes(path, idx, base.Inherit(match), base)
}

// newRouteList builds the route list with the root's keys and styles.
func newRouteList(cat *catalog.Catalog, s *styles, keys keyMap) list.Model {
	items := make([]list.Item, len(cat.Routes))
	for i, r := range cat.Routes {
		items[i] = newRouteItem(r)
	}
	// The items come last: every setter below measures the pagination,
	// which for dots is a string of one per page, thousands on a big catalog.
	l := list.New(nil, routeDelegate{}, 0, 0)
	l.Paginator.Type = paginator.Arabic
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
	l.SetItems(items)
	return l
}

// selectedRoute is the highlighted route, or nil when the filter matches nothing.
func selectedRoute(l list.Model) *catalog.Route {
	if it, ok := l.SelectedItem().(routeItem); ok {
		return it.route
	}
	return nil
}

// listMsg is a message from a list command, with the filter version it
// was started under.
type listMsg struct {
	seq int
	msg tea.Msg
}

// moveList moves the list cursor. Page keys move by a page of rows and
// stop at the ends, where the list's own paging would not move at all.
func (m Model) moveList(k tea.KeyMsg) (Model, tea.Cmd) {
	n := len(m.list.VisibleItems())
	per := m.listRows()
	switch {
	case n == 0:
	case key.Matches(k, m.ctx.keys.PageDown):
		m.list.Select(min(m.list.Index()+per, n-1))
		return m, nil
	case key.Matches(k, m.ctx.keys.PageUp):
		m.list.Select(max(m.list.Index()-per, 0))
		return m, nil
	}
	return m.updateList(k)
}

// updateList passes a key to the list. The list filters in a command per
// keystroke, and those commands run concurrently: a slow result for "GET
// /v1/c" could land after the one for the whole term and replace it. So
// every command the list returns is tagged with the filter text's version,
// and results for an older text are dropped (listResult).
func (m Model) updateList(k tea.KeyMsg) (Model, tea.Cmd) {
	before := m.list.FilterValue()
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(k)
	if m.list.FilterValue() != before {
		m.filterSeq++
	}
	return m, tagListCmd(m.filterSeq, cmd)
}

func tagListCmd(seq int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return listMsg{seq: seq, msg: cmd()} }
}

// listResult unwraps a tagged list message: batches are tagged again,
// stale filter results dropped, anything else handled as usual.
func (m Model) listResult(msg listMsg) (Model, tea.Cmd) {
	switch inner := msg.msg.(type) {
	case tea.BatchMsg:
		cmds := make([]tea.Cmd, len(inner))
		for i, c := range inner {
			cmds[i] = tagListCmd(msg.seq, c)
		}
		return m, tea.Batch(cmds...)
	case list.FilterMatchesMsg:
		if msg.seq != m.filterSeq {
			return m, nil
		}
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(inner)
		return m, cmd
	case nil:
		return m, nil
	}
	next, cmd := m.Update(msg.msg)
	return next.(Model), cmd
}

// showErrorsOnly lists only the routes on error, or all routes again,
// keeping the selected route selected when it is still listed.
func (m Model) showErrorsOnly(on bool) (Model, tea.Cmd) {
	selected := selectedRoute(m.list)
	m.errorsOnly = on
	items := make([]list.Item, 0, len(m.cat.Routes))
	for _, r := range m.cat.Routes {
		if !on || m.state.Active(r).Kind == catalog.Error {
			items = append(items, newRouteItem(r))
		}
	}
	// With a filter applied the list filters the new items in a command;
	// run it now, so no key meets a list with nothing selected meanwhile.
	if cmd := m.list.SetItems(items); cmd != nil {
		if msg, ok := cmd().(list.FilterMatchesMsg); ok {
			m.list, _ = m.list.Update(msg)
		}
	}
	m.list.Select(0)
	m.selectInList(selected)
	return m, nil
}

// selectInList moves the cursor to r if it is listed.
func (m *Model) selectInList(r *catalog.Route) {
	if r == nil {
		return
	}
	for i, it := range m.list.VisibleItems() {
		if ri, ok := it.(routeItem); ok && ri.route == r {
			m.list.Select(i)
			return
		}
	}
}

// filterKey passes a key to the filter being typed. Leaving it without a
// choice (esc, or enter on no match) selects the route from before.
func (m Model) filterKey(k tea.KeyMsg) (Model, tea.Cmd) {
	cancel := k.Type == tea.KeyEsc || (k.Type == tea.KeyEnter && len(m.list.VisibleItems()) == 0)
	m, cmd := m.updateList(k)
	if cancel && m.list.FilterState() != list.Filtering {
		if m.list.FilterState() == list.FilterApplied {
			// enter with nothing matched: back to all routes.
			m.list.ResetFilter()
			m.filterSeq++
		}
		m.list.Select(0)
		m.selectInList(m.preFilter)
	}
	return m, cmd
}

func (m Model) toggle() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	v := m.state.Toggle(r)
	m.mix = nil
	text := fmt.Sprintf("%s now answers %s", r.Key(), v.Name)
	if !m.serving() {
		text = fmt.Sprintf("%s: the preview shows %s (nothing is served)", r.Key(), v.Name)
	}
	text += fmt.Sprintf(" (%d)", v.Status)
	if r.FirstError() < 0 {
		text = fmt.Sprintf("%s has no error variant: it answers %s (%d)", r.Key(), v.Name, v.Status)
	}
	return m, m.setNotice(termsafe.Line(text), false)
}

// toggleAll sends every route to error while any is on success. Once all
// are on error it restores the mix from before (the routes that were on
// error stay there), or sends all back to success if there was none.
func (m Model) toggleAll() (Model, tea.Cmd) {
	n := 0 // the routes that have an error to send them to
	for _, r := range m.cat.Routes {
		if r.FirstError() >= 0 {
			n++
		}
	}
	if m.state.ErrorCount() < n {
		m.mix = m.mix[:0]
		for _, r := range m.cat.Routes {
			if i := m.state.Pinned(r); i != server.Auto {
				m.mix = append(m.mix, pin{r, i})
			}
		}
		m.state.SetAll(catalog.Error)
		again := "all success"
		if len(m.mix) > 0 {
			again = fmt.Sprintf("back to the %s on error before", commas(len(m.mix)))
		}
		return m, m.setNotice(fmt.Sprintf("all %s routes now answer error (T again: %s)", commas(n), again), false)
	}
	m.state.SetAll(catalog.Success)
	restored := len(m.mix)
	for _, p := range m.mix {
		m.state.Pin(p.route, p.variant)
	}
	m.mix = nil
	if restored > 0 {
		return m, m.setNotice(fmt.Sprintf("back to the earlier mix: %s on error, the rest success", commas(restored)), false)
	}
	return m, m.setNotice(fmt.Sprintf("all %s routes back to success", commas(n)), false)
}

// previewTab shows another variant tab in the detail; the server keeps
// answering as before (t changes that).
func (m Model) previewTab(k tea.KeyMsg) (Model, tea.Cmd) {
	if m.detail.route == nil {
		return m, nil
	}
	i := m.detail.tabIndex()
	switch {
	case key.Matches(k, m.ctx.keys.NextTab):
		i++
	case key.Matches(k, m.ctx.keys.PrevTab):
		i--
	default:
		i = int(k.Runes[0] - '1')
		if i >= len(m.detail.route.Variants) {
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.selectTab(i)
	return m, cmd
}

// pinPreviewed makes the variant tab on screen the one the server answers
// (p); t and T still flip the route between auto and its first error.
func (m Model) pinPreviewed() (Model, tea.Cmd) {
	r := m.detail.route
	if r == nil || r != selectedRoute(m.list) {
		return m, nil
	}
	i := m.detail.tabIndex()
	m.state.Pin(r, i)
	m.mix = nil
	v := r.Variants[i]
	what := fmt.Sprintf("%s (%d)", v.Name, v.Status)
	if v.Name == fmt.Sprint(v.Status) {
		what = v.Name
	}
	text := fmt.Sprintf("%s now answers %s; t puts it back on auto", r.Key(), what)
	if !m.serving() {
		text = fmt.Sprintf("%s: pinned %s (nothing is served)", r.Key(), what)
	}
	m, cmd := m.sync()
	return m, tea.Batch(cmd, m.setNotice(termsafe.Line(text), false))
}

// pin is a route's pinned variant, kept to be restored.
type pin struct {
	route   *catalog.Route
	variant int
}
