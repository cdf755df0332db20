package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/server"
)

// maxLogEntries is how many requests the log keeps; older ones are counted.
const maxLogEntries = 1000

// logModel is the request log: newest first, one row per request, and an
// entry view showing one request and its response in full.
type logModel struct {
	ctx     *common
	entries []server.Event // oldest first
	older   int            // entries dropped to stay under maxLogEntries
	total   int            // every request seen
	cursor  int            // index in newest-first order
	offset  int            // first row shown, newest-first
	width   int
	height  int

	open    bool // an entry is shown in full
	vp      viewport.Model
	seq     int
	entry   server.Event
	plain   string
	styled  string
	pending bool

	// The log as a workspace: a filter (route, status, path), errors
	// only, and a pause that keeps new requests from moving the rows.
	filter     textinput.Model
	filtering  bool
	errorsOnly bool
	paused     bool
	unseen     int   // requests that arrived while paused
	vis        []int // indexes into entries, newest first; nil: all
}

func newLogModel(ctx *common) logModel {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "route, status or path"
	return logModel{ctx: ctx, vp: viewport.New(0, 0), filter: f}
}

// narrowed reports whether a filter or errors-only hides some entries.
func (l logModel) narrowed() bool { return l.filter.Value() != "" || l.errorsOnly }

// matches reports whether e passes the filter and errors-only.
func (l logModel) matches(e server.Event) bool {
	if l.errorsOnly && e.Status < 400 {
		return false
	}
	term := strings.ToLower(strings.TrimSpace(l.filter.Value()))
	if term == "" {
		return true
	}
	hay := strings.ToLower(e.Method + " " + e.Path + "?" + e.Query + " " + e.Route + " " + string(e.Variant) + " " + strconv.Itoa(e.Status))
	for _, w := range strings.Fields(term) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// refilter recomputes the visible entries, keeping the selected one
// selected when it is still shown.
func (l logModel) refilter() logModel {
	var selected *server.Event
	if l.n() > 0 {
		selected = l.ptr(l.cursor)
	}
	l.vis = nil
	if l.narrowed() {
		l.vis = []int{}
		for i := len(l.entries) - 1; i >= 0; i-- {
			if l.matches(l.entries[i]) {
				l.vis = append(l.vis, i)
			}
		}
	}
	l.cursor, l.offset = 0, 0
	for i := range l.n() {
		if l.ptr(i) == selected {
			l.cursor = i
		}
	}
	l.clampScroll()
	return l
}

// n is how many entries are shown.
func (l logModel) n() int {
	if l.vis != nil {
		return len(l.vis)
	}
	return len(l.entries)
}

func (l logModel) ptr(i int) *server.Event {
	if l.vis != nil {
		return &l.entries[l.vis[i]]
	}
	return &l.entries[len(l.entries)-1-i]
}

// clear forgets every entry (the request count stays).
func (l logModel) clear() logModel {
	l.entries, l.vis, l.older, l.unseen = nil, nil, 0, 0
	l.cursor, l.offset, l.open = 0, 0, false
	return l.refilter()
}

func (l logModel) setSize(w, h int) (logModel, tea.Cmd) {
	w, h = max(w, 1), max(h, 1)
	changed := w != l.width
	l.width, l.height = w, h
	l.vp.Width, l.vp.Height = w, max(h-1, 1)
	l.clampScroll()
	if changed && l.open {
		return l.renderEntry()
	}
	return l, nil
}

// add appends requests, trimming the oldest past maxLogEntries. The
// selected row stays on the same request unless it was the newest.
func (l logModel) add(events ...server.Event) logModel {
	l.total += len(events)
	shown := len(events)
	if l.narrowed() {
		shown = 0
		for _, e := range events {
			if l.matches(e) {
				shown++
			}
		}
	}
	// Paused, the rows stay put however many arrive; following, the
	// cursor stays on the newest unless the user moved it.
	if l.cursor > 0 || l.paused {
		l.cursor += shown
		if l.offset > 0 || l.paused {
			l.offset += shown
		}
	}
	if l.paused {
		l.unseen += shown
	}
	l.entries = append(l.entries, events...)
	if n := len(l.entries) - maxLogEntries; n > 0 {
		l.older += n
		// Copy so the backing array doesn't grow forever.
		l.entries = append(make([]server.Event, 0, maxLogEntries+64), l.entries[n:]...)
	}
	if l.narrowed() {
		cur, off := l.cursor, l.offset
		l = l.refilter()
		l.cursor, l.offset = cur, off
	}
	l.cursor = min(l.cursor, max(l.n()-1, 0))
	l.clampScroll()
	return l
}

// at returns the i-th shown entry, newest first.
func (l logModel) at(i int) server.Event { return *l.ptr(i) }

func (l logModel) rows() int { return max(l.height-2, 1) } // title + column header

func (l *logModel) clampScroll() {
	n := l.n()
	l.cursor = max(0, min(l.cursor, n-1))
	rows := l.rows()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(0, min(l.offset, max(n-rows, 0)))
}

// move moves the cursor by delta rows.
func (l logModel) move(delta int) logModel {
	l.cursor += delta
	l.clampScroll()
	return l
}

func (l logModel) moveTo(i int) logModel {
	l.cursor = i
	l.clampScroll()
	return l
}

// openEntry shows the selected request in full.
func (l logModel) openEntry() (logModel, tea.Cmd) {
	if l.n() == 0 {
		return l, nil
	}
	l.open = true
	l.entry = l.at(l.cursor)
	l.vp.GotoTop()
	return l.renderEntry()
}

func (l logModel) renderEntry() (logModel, tea.Cmd) {
	l.seq++
	l.pending = true
	l.refreshEntry()
	ct := ""
	if l.entry.ResponseHeader != nil {
		ct = l.entry.ResponseHeader.Get("Content-Type")
	}
	return l, renderBodyCmd(bodyJob{
		target: targetLog, seq: l.seq, width: l.width, color: l.ctx.color, dark: l.ctx.dark,
		raw: l.entry.ResponseBody, contentType: ct,
	})
}

func (l logModel) bodyRendered(msg bodyRenderedMsg) logModel {
	if msg.seq != l.seq || !l.open {
		return l
	}
	l.pending = false
	l.plain, l.styled = msg.plain, msg.styled
	if msg.err != nil {
		l.styled = msg.err.Error()
	}
	l.refreshEntry()
	return l
}

// shownBody is what "c" copies in the log: the open entry's response body.
func (l logModel) shownBody() string {
	if l.open {
		if l.plain != "" {
			return l.plain
		}
		return l.entry.ResponseBody
	}
	if l.n() == 0 {
		return ""
	}
	return l.at(l.cursor).ResponseBody
}

func (l *logModel) refreshEntry() {
	s := l.ctx.styles
	e := l.entry
	w := max(l.width, 1)
	var b strings.Builder
	target := eventTarget(e)
	b.WriteString(s.methodStyle(e.Method).UnsetWidth().Render(e.Method) + " " + s.detail.path.Render(target) + "\n")
	b.WriteString(s.statusStyle(e.Status).Render(fmt.Sprint(e.Status)) + s.detail.muted.Render(" · "+formatDuration(e.Duration)+" · "+e.Time.Format("15:04:05.000")) + "\n")
	route := e.Route
	if route == "" {
		route = "no matching route"
	} else if e.Variant != "" {
		route += " (" + string(e.Variant) + ")"
	}
	b.WriteString(wrapWords(s.detail.muted.Render("route: "+termsafe.Line(route)), w) + "\n")
	if e.RequestID != "" {
		b.WriteString(s.detail.muted.Render("request id: "+termsafe.Line(e.RequestID)) + "\n")
	}
	if e.Reason != "" {
		// Why a test value in the request decided its answer.
		b.WriteString(wrapWords(s.detail.muted.Render("why: "+termsafe.Line(termsafe.MaskSecrets(e.Reason))), w) + "\n")
	}
	for _, warn := range e.Warnings {
		// Unknown parameters and the like: they name request text.
		b.WriteString(wrapWords(s.status.warn.Render("warning: "+termsafe.Line(warn)), w) + "\n")
	}
	if c := e.Change; c.Op != "" {
		b.WriteString(wrapWords(s.detail.heading.Render("object: ")+termsafe.Line(c.Op+" "+c.Type+" "+c.ID)+s.detail.muted.Render(" (s: store)"), w) + "\n")
	}
	section := func(title string) { b.WriteString("\n" + s.detail.heading.Render(title) + "\n") }
	section("Request headers")
	l.writeHeaders(&b, e.RequestHeader, w)
	section("Request body")
	if len(e.RequestBody) == 0 {
		b.WriteString(s.detail.muted.Render("(empty)") + "\n")
	} else {
		b.WriteString(ansi.Hardwrap(termsafe.Text(termsafe.MaskSecrets(string(e.RequestBody))), w, true) + "\n")
	}
	l.writeClipped(&b, len(e.RequestBody), e.RequestBodySize)
	section("Response headers")
	l.writeHeaders(&b, e.ResponseHeader, w)
	section("Response body")
	writeRenderedBody(&b, s, l.pending, l.plain, l.styled)
	l.writeClipped(&b, len(e.ResponseBody), e.ResponseBodySize)
	l.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

// writeClipped notes a body the server kept only the start of.
func (l *logModel) writeClipped(b *strings.Builder, kept, size int) {
	if size > kept {
		b.WriteString(l.ctx.styles.detail.muted.Render(fmt.Sprintf("… the log keeps the first %s of %s bytes", kib(kept), commas(size))) + "\n")
	}
}

// kib writes a byte count in KiB when it is a whole number of them.
func kib(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return commas(n) + " bytes"
}

// curl is the shown request as a curl command against base.
func (l logModel) curl(base string) string {
	if l.n() == 0 && !l.open {
		return ""
	}
	e := l.shownEntry()
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	return curlCommand(base, e.Method, target, string(e.RequestBody), e.RequestHeader)
}

// shownEntry is the entry the log shows: the open one, or the selected one.
func (l logModel) shownEntry() server.Event {
	if l.open || l.n() == 0 {
		return l.entry
	}
	return l.at(l.cursor)
}

func (l *logModel) writeHeaders(b *strings.Builder, h map[string][]string, w int) {
	lines := sortedHeaders(h)
	if len(lines) == 0 {
		b.WriteString(l.ctx.styles.detail.muted.Render("(none)") + "\n")
		return
	}
	for _, line := range lines {
		k, v, _ := strings.Cut(line, ": ")
		b.WriteString(ansi.Hardwrap(l.ctx.styles.detail.headerKey.Render(k+":")+" "+v, w, true) + "\n")
	}
}

// title is "Requests 12" plus how many older ones were let go and lost.
func (l logModel) title(dropped int64) string {
	s := l.ctx.styles
	t := s.log.title.Render("Request log") + s.log.dim.Render(fmt.Sprintf("  %s shown", commas(l.n())))
	if l.narrowed() {
		t += s.log.dim.Render(" of " + commas(len(l.entries)))
	}
	if l.errorsOnly {
		t += s.status.bad.Render(" · errors only")
	}
	if l.paused {
		t += s.status.warn.Render(fmt.Sprintf(" · paused, %s new", commas(l.unseen)))
	}
	if l.older > 0 {
		t += s.log.dim.Render(fmt.Sprintf(" · %s older dropped", commas(l.older)))
	}
	if dropped > 0 {
		t += s.status.warn.Render(fmt.Sprintf(" · %d not logged (UI fell behind)", dropped))
	}
	return t
}

// Column widths of the log table.
const (
	colTime     = 8
	colMethod   = methodWidth
	colStatus   = 4
	colDuration = 8
	colVariant  = 7
)

func (l logModel) view(dropped int64) string {
	s := l.ctx.styles
	w := max(l.width, 1)
	if l.open {
		return ansi.Truncate(l.title(dropped)+s.log.dim.Render("  › entry"), w, "…") + "\n" + l.vp.View()
	}
	lines := []string{ansi.Truncate(l.title(dropped), w, "…")}
	if l.filtering || l.filter.Value() != "" {
		count := commas(l.n()) + " of " + commas(len(l.entries))
		lines[0] = spread(l.filter.View(), s.log.dim.Render(count), w)
	}
	switch {
	case len(l.entries) == 0:
		lines = append(lines, s.log.dim.Render(wrapWords("No requests yet. Fire one from the list with enter, or point a client at the server.", w)))
		return strings.Join(lines, "\n")
	case l.n() == 0:
		lines = append(lines, s.log.dim.Render(wrapWords("No request matches. esc clears the filter, E shows all statuses.", w)))
		return strings.Join(lines, "\n")
	}
	cols := logColumns(w)
	lines = append(lines, s.log.header.Render(ansi.Truncate(cols.header(), w, "")))
	end := min(l.offset+l.rows(), l.n())
	for i := l.offset; i < end; i++ {
		lines = append(lines, ansi.Truncate(l.row(i, cols), w, ""))
	}
	return strings.Join(lines, "\n")
}

// logCols is the log table's layout for a width: narrow terminals drop
// the time, the variant and the duration before the path shrinks.
type logCols struct {
	time, variant, took bool
	path, route         int
}

func logColumns(w int) logCols {
	c := logCols{time: w >= 90, variant: w >= 100, took: w >= 60}
	fixed := 1 + colMethod + colStatus
	if c.time {
		fixed += colTime + 1
	}
	if c.variant {
		fixed += colVariant + 1
	}
	if c.took {
		fixed += colDuration + 1
	}
	flex := max(w-fixed, 8)
	if w < 70 {
		c.path = flex // the route column goes too
		return c
	}
	c.path = flex / 2
	c.route = flex - c.path
	return c
}

func (c logCols) header() string {
	h := " "
	if c.time {
		h += pad("time", colTime+1)
	}
	h += pad("method", colMethod) + pad("path", c.path)
	if c.route > 0 {
		h += pad("route", c.route)
	}
	if c.variant {
		h += pad("variant", colVariant+1)
	}
	h += pad("code", colStatus)
	if c.took {
		h += fmt.Sprintf(" %*s", colDuration, "took")
	}
	return h
}

// row draws the i-th entry, newest first. Paths and routes are shortened
// in the middle, keeping the last segment.
func (l logModel) row(i int, c logCols) string {
	s := l.ctx.styles
	e := l.at(i)
	cursor, rowStyle := " ", s.log.row
	if i == l.cursor {
		cursor, rowStyle = s.route.cursor.String(), s.log.selected
	}
	row := cursor
	if c.time {
		row += s.log.dim.Render(e.Time.Format("15:04:05")) + " "
	}
	row += s.methodStyle(e.Method).Render(termsafe.Line(e.Method)) +
		rowStyle.Render(pad(shortenMiddle(eventTarget(e), c.path-1), c.path))
	if c.route > 0 {
		route := termsafe.Line(e.Route)
		if route == "" {
			route = "—"
		}
		row += s.log.dim.Render(pad(shortenMiddle(route, c.route-1), c.route))
	}
	if c.variant {
		variant := string(e.Variant)
		if variant == "" {
			variant = "—"
		}
		row += variantStyle(s, e.Status).Render(pad(ansi.Truncate(termsafe.Line(variant), colVariant, "…"), colVariant)) + " "
	}
	row += s.statusStyle(e.Status).Render(fmt.Sprintf("%-*d", colStatus, e.Status))
	if c.took {
		row += " " + s.log.dim.Render(fmt.Sprintf("%*s", colDuration, formatDuration(e.Duration)))
	}
	return row
}

// eventTarget is the request's path and query, fit to show: control
// characters escaped and secrets masked.
func eventTarget(e server.Event) string {
	t := e.Path
	if e.Query != "" {
		t += "?" + e.Query
	}
	return termsafe.Line(termsafe.MaskSecrets(t))
}

// variantStyle colours a variant name by its status: an error red,
// anything else dim.
func variantStyle(s *styles, status int) lipgloss.Style {
	if status >= 400 {
		return s.status.bad
	}
	return s.log.dim
}

// pad right-pads s with spaces to width cells.
func pad(s string, width int) string {
	if n := width - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// update handles the keys that only move within the log: the cursor,
// the filter, errors only, pause and clear. The root handles the rest
// (opening, copying, flipping and firing need more than the log).
func (l logModel) update(k tea.KeyMsg) (logModel, tea.Cmd) {
	keys := l.ctx.keys
	if l.filtering {
		switch k.Type {
		case tea.KeyEnter:
			l.filtering = false
			l.filter.Blur()
			return l, nil
		case tea.KeyEsc:
			l.filtering = false
			l.filter.Blur()
			l.filter.SetValue("")
			return l.refilter(), nil
		}
		var cmd tea.Cmd
		l.filter, cmd = l.filter.Update(k)
		return l.refilter(), cmd
	}
	switch {
	case key.Matches(k, keys.Filter):
		l.filtering = true
		return l, l.filter.Focus()
	case key.Matches(k, keys.ErrorsOnly):
		l.errorsOnly = !l.errorsOnly
		return l.refilter(), nil
	case key.Matches(k, keys.Pause):
		l.paused = !l.paused
		if !l.paused {
			l.unseen = 0
			l = l.moveTo(0)
		}
	case key.Matches(k, keys.Clear):
		return l.clear(), nil
	case key.Matches(k, keys.Up):
		l = l.move(-1)
	case key.Matches(k, keys.Down):
		l = l.move(1)
	case key.Matches(k, keys.PageUp):
		l = l.move(-l.rows())
	case key.Matches(k, keys.PageDown):
		l = l.move(l.rows())
	case key.Matches(k, keys.Home):
		l = l.moveTo(0)
	case key.Matches(k, keys.End):
		l = l.moveTo(l.n() - 1)
	}
	return l, nil
}

func (m Model) logKey(k tea.KeyMsg) (Model, tea.Cmd) {
	l := m.log
	if l.filtering {
		// Typed filter text is never a command.
		var cmd tea.Cmd
		m.log, cmd = l.update(k)
		return m, cmd
	}
	switch {
	case key.Matches(k, m.ctx.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.ctx.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(k, m.ctx.keys.Back):
		switch {
		case l.open:
			m.log.open = false
		case l.narrowed():
			// Like the route list: esc clears the filter before it leaves.
			m.log.filter.SetValue("")
			m.log.errorsOnly = false
			m.log = m.log.refilter()
		default:
			m.focus = m.back
		}
	case key.Matches(k, m.ctx.keys.Log):
		m.log.open = false
		m.focus = m.back
	case key.Matches(k, m.ctx.keys.Open):
		var cmd tea.Cmd
		m.log, cmd = l.openEntry()
		return m, cmd
	case key.Matches(k, m.ctx.keys.Copy):
		body := l.shownBody()
		if body == "" {
			return m, m.setNotice("nothing to copy: the response body is empty", true)
		}
		what := "response body"
		if e := l.shownEntry(); e.ResponseBodySize > len(e.ResponseBody) {
			what = fmt.Sprintf("the first %s of a %s-byte response body", kib(len(e.ResponseBody)), commas(e.ResponseBodySize))
		}
		return m, copyCmd(m.copyFn, body, what)
	case key.Matches(k, m.ctx.keys.CopyCurl):
		c := l.curl(baseURL(m.cfg.ServerURL))
		if c == "" {
			return m, m.setNotice("nothing to copy: no request is selected", true)
		}
		if e := l.shownEntry(); e.RequestBodySize > len(e.RequestBody) {
			return m, m.setNotice("cannot copy as curl: the log kept only the start of this request's body", true)
		}
		return m, copyCmd(m.copyFn, c, "curl command")
	case l.open:
		return m.scrollLogEntry(k)
	case key.Matches(k, m.ctx.keys.Toggle):
		return m.toggleLogged()
	case key.Matches(k, m.ctx.keys.Refire):
		return m.refire()
	default:
		var cmd tea.Cmd
		m.log, cmd = l.update(k)
		return m, cmd
	}
	return m, nil
}

// loggedRoute is the catalog route of the selected log entry.
func (m Model) loggedRoute() (*catalog.Route, server.Event) {
	if m.log.n() == 0 && !m.log.open {
		return nil, server.Event{}
	}
	e := m.log.shownEntry()
	if e.Answered != nil {
		return e.Answered, e
	}
	for _, r := range m.cat.Routes {
		if r.Key() == e.Route {
			return r, e
		}
	}
	return nil, e
}

// toggleLogged flips the route of the selected log entry.
func (m Model) toggleLogged() (Model, tea.Cmd) {
	r, e := m.loggedRoute()
	if r == nil {
		return m, m.setNotice(fmt.Sprintf("%s %s matched no route: nothing to flip", e.Method, e.Path), true)
	}
	v := m.state.Toggle(r)
	m.mix = nil
	return m, m.setNotice(fmt.Sprintf("%s now answers %s", r.Key(), v.Name), false)
}

// refire sends the selected log entry's request again.
func (m Model) refire() (Model, tea.Cmd) {
	r, e := m.loggedRoute()
	if r == nil {
		return m, m.setNotice(fmt.Sprintf("%s %s matched no route: cannot fire it", e.Method, e.Path), true)
	}
	if e.RequestBodySize > len(e.RequestBody) {
		return m, m.setNotice("cannot fire again: the log kept only the start of this request's body", true)
	}
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	h := http.Header{}
	for _, k := range curlHeaders {
		for _, v := range e.RequestHeader.Values(k) {
			h.Add(k, v)
		}
	}
	return m.fire(fireRequest{route: r, target: target, header: h, body: string(e.RequestBody)})
}

func (m Model) scrollLogEntry(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.log.vp, cmd = scrollViewport(m.log.vp, m.ctx.keys, k)
	return m, cmd
}

func (m Model) dropped() int64 {
	if m.cfg.Dropped == nil {
		return 0
	}
	return m.cfg.Dropped()
}
