package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// layout sizes the children for the window, header and footer.
func (m Model) layout() (Model, tea.Cmd) {
	if !m.ready {
		return m, nil
	}
	m.help.Width = m.width
	bodyH := m.height - lipgloss.Height(m.headerView()) - lipgloss.Height(m.footerView())
	fw, fh := m.ctx.styles.pane.normal.GetFrameSize()
	listW, detailW := m.width, m.width
	if m.wide() {
		listW = m.width * listPercent / 100
		detailW = m.width - listW
	}
	innerH := max(bodyH-fh, 1)
	listH, detailH := innerH, innerH
	if m.stacked() {
		listH = max(m.stackedListHeight(bodyH)-fh, 1)
		detailH = max(bodyH-m.stackedListHeight(bodyH)-fh, 1)
	}
	if m.list.Width() != listW-fw || m.list.Height() != listH {
		m.list.SetSize(max(listW-fw, 1), listH)
		// The filter is drawn by routesView, which fits it; a width here
		// would pad it with spaces.
		m.list.FilterInput.Width = 0
	}
	m.helpOffset = max(0, min(m.helpOffset, len(m.fullHelpLines(m.width-fw))-(innerH-1)))
	var cmds [2]tea.Cmd
	m.detail, cmds[0] = m.detail.setSize(detailW-fw, detailH)
	m.log, cmds[1] = m.log.setSize(m.width-fw, innerH)
	m.editor = m.editor.setSize(detailW-fw, innerH)
	m.store = m.store.setSize(m.width-fw, innerH)
	return m, tea.Batch(cmds[:]...)
}

// View implements tea.Model.
func (m Model) View() string {
	if !m.ready {
		return "routedeck: starting…"
	}
	if m.tooSmall() {
		msg := fmt.Sprintf("terminal too small\n%dx%d, need %dx%d\nq quits", m.width, m.height, minWidth, minHeight)
		return fitBlock(m.ctx.styles.app.tooSmall.Render(msg), m.width, m.height, false)
	}
	header, footer := m.headerView(), m.footerView()
	bodyH := max(m.height-lipgloss.Height(header)-lipgloss.Height(footer), 1)
	body := m.bodyView(bodyH)
	return fitBlock(header+"\n"+body+"\n"+footer, m.width, m.height, false)
}

// bodyView draws the panes for the current screen. The focused pane has
// a thick border and a marker, so focus shows without colour too.
func (m Model) bodyView(h int) string {
	s := m.ctx.styles
	if m.help.ShowAll {
		return m.pane(s.pane.focused, func(w, h int) string { return m.helpView(w, h) }, m.width, h)
	}
	listView := func(w, h int) string { return m.routesView(w, h) }
	switch m.focus {
	case focusLog:
		return m.pane(s.pane.focused, func(int, int) string { return m.log.view(m.dropped()) }, m.width, h)
	case focusStore:
		return m.pane(s.pane.focused, func(int, int) string { return m.store.view() }, m.width, h)
	case focusEvents:
		return m.pane(s.pane.focused, func(w, h int) string { return m.events.view(w, h) }, m.width, h)
	case focusEditor:
		if !m.wide() {
			return m.pane(s.pane.focused, func(int, int) string { return m.editor.view() }, m.width, h)
		}
		lw := m.width * listPercent / 100
		return lipgloss.JoinHorizontal(lipgloss.Top,
			m.pane(s.pane.normal, listView, lw, h),
			m.pane(s.pane.focused, func(int, int) string { return m.editor.view() }, m.width-lw, h))
	}
	listStyle, detailStyle := s.pane.normal, s.pane.normal
	if m.focus == focusList {
		listStyle = s.pane.focused
	} else {
		detailStyle = s.pane.focused
	}
	detailView := func(int, int) string { return m.detail.view() }
	if m.stacked() {
		lh := m.stackedListHeight(h)
		return lipgloss.JoinVertical(lipgloss.Left,
			m.pane(listStyle, listView, m.width, lh),
			m.pane(detailStyle, detailView, m.width, h-lh))
	}
	if !m.wide() {
		if m.focus == focusDetail {
			return m.pane(detailStyle, detailView, m.width, h)
		}
		return m.pane(listStyle, listView, m.width, h)
	}
	lw := m.width * listPercent / 100
	return lipgloss.JoinHorizontal(lipgloss.Top,
		m.pane(listStyle, listView, lw, h),
		m.pane(detailStyle, detailView, m.width-lw, h))
}

// pane draws content, made for the inner size, in a bordered box of
// exactly w×h cells.
func (m Model) pane(st lipgloss.Style, content func(w, h int) string, w, h int) string {
	fw, fh := st.GetFrameSize()
	iw, ih := max(w-fw, 1), max(h-fh, 1)
	return st.Render(fitBlock(content(iw, ih), iw, ih, true))
}

// fitBlock cuts s to w×h cells; with padTo it also pads to exactly that.
func fitBlock(s string, w, h int, padTo bool) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		l = ansi.Truncate(l, w, "")
		if padTo {
			l = pad(l, w)
		}
		lines[i] = l
	}
	if padTo {
		for len(lines) < h {
			lines = append(lines, strings.Repeat(" ", w))
		}
	}
	return strings.Join(lines, "\n")
}

// tooSmall reports whether the terminal is below the smallest layout.
func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// wide reports whether list and detail fit side by side.
func (m Model) wide() bool { return m.width >= wideWidth }

// stacked reports whether a narrow terminal is tall enough to show the
// detail beneath the list instead of one at a time.
func (m Model) stacked() bool { return !m.wide() && m.height >= stackHeight }

// stackedListHeight is the list pane's share of a stacked body.
func (m Model) stackedListHeight(bodyH int) int { return bodyH * 2 / 5 }
