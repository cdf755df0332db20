package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// shortHelpView is the footer's one line of keys. "? help" and "q quit"
// are kept at every width; other keys are added while they fit.
func (m Model) shortHelpView(width int) string {
	st := m.ctx.styles.help
	item := func(b key.Binding) string {
		return st.ShortKey.Render(b.Help().Key) + " " + st.ShortDesc.Render(b.Help().Desc)
	}
	sep := st.ShortSeparator.Render(" • ")
	if m.help.ShowAll {
		// The help screen takes only these keys.
		return ansi.Truncate(st.ShortKey.Render("j/k")+" "+st.ShortDesc.Render("scroll")+sep+
			st.ShortKey.Render("?/esc")+" "+st.ShortDesc.Render("close help")+sep+item(m.ctx.keys.Quit), width, "…")
	}
	var tail []string
	for _, b := range []key.Binding{m.ctx.keys.Help, m.ctx.keys.Quit} {
		if b.Enabled() {
			tail = append(tail, item(b))
		}
	}
	tailText := strings.Join(tail, sep)
	used := ansi.StringWidth(tailText)
	var head []string
	for _, b := range m.ctx.keys.ShortHelp() {
		if !b.Enabled() || b.Help().Key == m.ctx.keys.Help.Help().Key || b.Help().Key == m.ctx.keys.Quit.Help().Key {
			continue
		}
		it := item(b)
		if used+ansi.StringWidth(it)+ansi.StringWidth(sep) > width {
			break
		}
		head = append(head, it)
		used += ansi.StringWidth(it) + ansi.StringWidth(sep)
	}
	parts := append(head, tail...)
	return ansi.Truncate(strings.Join(parts, sep), width, "…")
}

// fullHelpLines lays every key that works now out in as many columns as
// the width takes, in the key map's order, column by column.
func (m Model) fullHelpLines(width int) []string {
	st := m.ctx.styles.help
	var bs []key.Binding
	for _, group := range m.ctx.keys.FullHelp() {
		for _, b := range group {
			if b.Enabled() {
				bs = append(bs, b)
			}
		}
	}
	if len(bs) == 0 {
		return nil
	}
	keyW, descW := 0, 0
	for _, b := range bs {
		keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		descW = max(descW, ansi.StringWidth(b.Help().Desc))
	}
	const gap = 3
	colW := keyW + 1 + descW
	cols := max(1, min((width+gap)/(colW+gap), len(bs)))
	rows := (len(bs) + cols - 1) / cols
	lines := make([]string, rows)
	for i, b := range bs {
		cell := st.FullKey.Render(pad(b.Help().Key, keyW)) + " " + st.FullDesc.Render(pad(b.Help().Desc, descW))
		r := i % rows
		if i >= rows {
			cell = strings.Repeat(" ", gap) + cell
		}
		lines[r] += cell
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(strings.TrimRight(l, " "), width, "…")
	}
	return lines
}

// helpView is the help screen: every key, scrolled when the terminal is
// too short to list them all.
func (m Model) helpView(w, h int) string {
	lines := m.fullHelpLines(w)
	title := m.ctx.styles.list.Title.Render("Keys")
	rows := max(h-1, 1)
	off := max(0, min(m.helpOffset, len(lines)-rows))
	end := min(off+rows, len(lines))
	shown := lines[off:end]
	if end < len(lines) || off > 0 {
		title = spread(title, m.ctx.styles.route.dim.Render("j/k scroll · "+commas(end)+"/"+commas(len(lines))), w)
	}
	return title + "\n" + strings.Join(shown, "\n")
}
