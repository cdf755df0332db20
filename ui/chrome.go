package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/server"
)

// CatalogWarnings are what the catalog found wrong once the UI was up
// (templates of a lazily opened file that do not parse): the footer says
// how many and names the first. The caller lists them all on stderr when
// the UI ends.
type CatalogWarnings []string

// catalogWarned shows msg in the footer.
func (m *Model) catalogWarned(msg CatalogWarnings) tea.Cmd {
	if len(msg) == 0 {
		return nil
	}
	text := termsafe.Line(msg[0])
	if len(msg) > 1 {
		text = fmt.Sprintf("%d warnings (listed on stderr when you quit); first: %s", len(msg), text)
	}
	return m.setNotice(text, true)
}

// setNotice shows text in the footer until it expires.
func (m *Model) setNotice(text string, isErr bool) tea.Cmd {
	m.notice = notice{id: m.notice.id + 1, text: termsafe.Line(text), isErr: isErr}
	id := m.notice.id
	return tea.Tick(m.noticeTTL, func(time.Time) tea.Msg { return clearNoticeMsg{id: id} })
}

// notServingReason says why nothing is listening, for the header and notices.
func (m Model) notServingReason() string {
	switch {
	case m.cfg.NoServe:
		return "browsing only (--no-serve)"
	case m.stopped:
		return "the server stopped"
	case m.cfg.ServeError != nil:
		var inUse *server.PortInUseError
		if errors.As(m.cfg.ServeError, &inUse) {
			return "not serving: " + inUse.Short()
		}
		return "not serving: " + m.cfg.ServeError.Error()
	}
	return "not serving"
}

// commas formats n with thousands separators: 1,234.
func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// headerView is one line: the app, the catalog, the server and the
// counts. When they do not fit, what matters least is shortened first.
func (m Model) headerView() string {
	s := m.ctx.styles
	w := max(m.width, 1)
	routes := commas(len(m.cat.Routes)) + " routes"
	server := []string{s.app.serving.Render("● serving " + m.cfg.ServerURL), s.app.serving.Render("● " + shortURL(m.cfg.ServerURL))}
	if !m.serving() {
		reason := m.notServingReason()
		server = []string{s.app.notServing.Render("○ " + reason), s.app.notServing.Render("○ not serving")}
	}
	reqs := commas(m.log.total) + " requests"
	if m.log.total == 1 {
		reqs = "1 request"
	}
	errs, errStyle := m.state.ErrorCount(), s.app.dim
	if errs > 0 {
		errStyle = s.app.errCount
	}
	title := s.app.title.Render("routedeck")
	catalogName := s.app.name.Render(termsafe.Line(m.cat.Name)) + s.app.dim.Render(" · "+routes)
	rs, es := s.app.dim.Render(commas(m.log.total)+" req"), errStyle.Render(commas(errs)+" err")
	levels := [][]string{
		{title, catalogName, server[0], s.app.dim.Render(reqs), errStyle.Render(commas(errs) + " on error")},
		{title, s.app.dim.Render(routes), server[0], s.app.dim.Render(reqs), errStyle.Render(commas(errs) + " on error")},
		{title, server[0], rs, es},
		{server[0], rs, es},
		{title, s.app.dim.Render(routes), server[1], rs, es},
		{title, server[1], rs, es},
		{server[1], rs, es},
	}
	wide := 1 // levels[:wide] are spaced wider
	if m.cfg.Store != nil {
		// The store's object count, where it fits: before each of the
		// two widest levels, the same with the count.
		objs := s.app.dim.Render(commas(m.store.summary.Objects) + " objects")
		with := func(segs []string) []string {
			return append(append(slices.Clone(segs[:len(segs)-1]), objs), segs[len(segs)-1])
		}
		levels = append([][]string{with(levels[0]), levels[0], with(levels[1])}, levels[1:]...)
		wide = 2
	}
	for i, segs := range levels {
		gap := "   "
		if i >= wide {
			gap = "  "
		}
		if line := strings.Join(segs, gap); ansi.StringWidth(line) <= w {
			return line
		}
	}
	return ansi.Truncate(strings.Join(levels[len(levels)-1], " "), w, "…")
}

// shortURL is a server URL without its scheme and loopback host: ":12111".
func shortURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	if h, port, ok := strings.Cut(u, ":"); ok && (h == "127.0.0.1" || h == "localhost") {
		return ":" + port
	}
	return u
}

// footerView is the status line (kept even when empty, so the layout
// never jumps) over one line of keys.
func (m Model) footerView() string {
	w := max(m.width, 1)
	h := m.shortHelpView(w)
	st := m.ctx.styles.app.notice
	if m.notice.isErr {
		st = m.ctx.styles.app.noticeErr
	}
	return st.Render(ansi.Truncate(m.notice.text, w, "…")) + "\n" + h
}

// helpKey scrolls and closes the help screen; quitting still works.
func (m Model) helpKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case k.String() == "q":
		return m, tea.Quit
	case key.Matches(k, m.ctx.keys.Help), k.Type == tea.KeyEsc:
		m.help.ShowAll = false
	case key.Matches(k, m.ctx.keys.Down):
		m.helpOffset++
	case key.Matches(k, m.ctx.keys.Up):
		m.helpOffset = max(m.helpOffset-1, 0)
	}
	return m, nil
}
