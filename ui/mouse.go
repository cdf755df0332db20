package ui

import (
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen rows above a pane's content: the header and the top border.
const paneTop = 2

// wheelStep is how many rows one notch of the wheel moves.
const wheelStep = 3

// screenPane is what sits under the pointer.
type screenPane int

const (
	paneNone screenPane = iota
	paneList
	paneDetail
	paneLog
)

// paneAt says which pane the cell (x, y) is in, and the cell's column
// and row within the pane's content.
func (m Model) paneAt(x, y int) (screenPane, int, int) {
	bodyH := m.height - 1 - lipglossHeight(m.footerView())
	if y < paneTop || y >= 1+bodyH-1 {
		return paneNone, 0, 0
	}
	row := y - paneTop
	switch m.focus {
	case focusLog:
		return paneLog, x - 1, row
	case focusEditor:
		return paneNone, 0, 0
	}
	switch {
	case m.stacked():
		lh := m.stackedListHeight(bodyH)
		if y < 1+lh {
			return paneList, x - 1, row
		}
		return paneDetail, x - 1, y - 1 - lh - 1
	case !m.wide() && m.focus == focusDetail:
		return paneDetail, x - 1, row
	case !m.wide():
		return paneList, x - 1, row
	}
	lw := m.width * listPercent / 100
	if x < lw {
		return paneList, x - 1, row
	}
	return paneDetail, x - lw - 1, row
}

// mouse handles the wheel (it scrolls the pane under the pointer) and
// clicks (a route, a variant tab, a log entry; clicking the selected log
// entry opens it).
func (m Model) mouse(msg tea.MouseMsg) (Model, tea.Cmd) {
	if !m.ready || m.tooSmall() || m.help.ShowAll || m.list.FilterState() == list.Filtering || m.log.filtering {
		return m, nil
	}
	pane, px, py := m.paneAt(msg.X, msg.Y)
	if pane == paneNone || msg.Action != tea.MouseActionPress {
		return m, nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp, tea.MouseButtonWheelDown:
		step := wheelStep
		if msg.Button == tea.MouseButtonWheelUp {
			step = -step
		}
		return m.wheel(pane, step), nil
	case tea.MouseButtonLeft:
		return m.click(pane, px, py)
	}
	return m, nil
}

func (m Model) wheel(pane screenPane, step int) Model {
	switch pane {
	case paneList:
		if n := len(m.list.VisibleItems()); n > 0 {
			m.list.Select(max(0, min(m.list.Index()+step, n-1)))
		}
	case paneDetail:
		if step < 0 {
			m.detail.vp.ScrollUp(-step)
		} else {
			m.detail.vp.ScrollDown(step)
		}
		m.detail.firedTop = false
	case paneLog:
		if m.log.open {
			if step < 0 {
				m.log.vp.ScrollUp(-step)
			} else {
				m.log.vp.ScrollDown(step)
			}
		} else {
			m.log = m.log.move(step)
		}
	}
	return m
}

// click acts on row (0 is the pane's first content row) at column x.
func (m Model) click(pane screenPane, x, row int) (Model, tea.Cmd) {
	switch pane {
	case paneList:
		m.focus = focusList
		i := m.rows.offset + (row-1)/m.rowHeight()
		if row >= 1 && i < len(m.list.VisibleItems()) {
			m.list.Select(i)
		}
	case paneDetail:
		m.focus = focusDetail
		if m.detail.route != nil && row+m.detail.vp.YOffset == m.detail.tabsLine {
			if i := m.detail.tabAt(x); i >= 0 {
				var cmd tea.Cmd
				m.detail, cmd = m.detail.selectTab(i)
				return m, cmd
			}
		}
	case paneLog:
		if m.log.open {
			return m, nil
		}
		i := m.log.offset + row - 2 // the title and the column header
		if row < 2 || i >= m.log.n() {
			return m, nil
		}
		if i == m.log.cursor {
			var cmd tea.Cmd
			m.log, cmd = m.log.openEntry()
			return m, cmd
		}
		m.log = m.log.moveTo(i)
	}
	return m, nil
}

// tabAt is the index of the variant tab at column x of the tabs line, or -1.
func (d detailModel) tabAt(x int) int {
	return d.tabRow().at(x, max(d.width, 1))
}

func lipglossHeight(s string) int {
	n := 1
	for _, c := range s {
		if c == '\n' {
			n++
		}
	}
	return n
}
