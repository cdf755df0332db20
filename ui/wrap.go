package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrapWords wraps text at spaces only, so URLs, ids and hyphenated words
// stay whole (ansi.Wrap also breaks at hyphens). A word wider than the
// whole width is the one thing cut, as it must be. Spaces at a break are
// dropped. Styles (ANSI sequences) pass through.
func wrapWords(s string, width int) string {
	width = max(width, 1)
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapLine(p, width)
	}
	return strings.Join(paras, "\n")
}

func wrapLine(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for i, word := range strings.Split(s, " ") {
		ww := ansi.StringWidth(word)
		switch {
		case i == 0:
		case curW+1+ww <= width:
			cur.WriteByte(' ')
			curW++
		default:
			flush()
		}
		if ww > width {
			// Only a word wider than the line is cut: fill the line, then
			// whole lines, and keep the rest to continue on.
			if curW > 0 {
				flush()
			}
			parts := strings.Split(ansi.Hardwrap(word, width, true), "\n")
			lines = append(lines, parts[:len(parts)-1]...)
			word, ww = parts[len(parts)-1], ansi.StringWidth(parts[len(parts)-1])
		}
		cur.WriteString(word)
		curW += ww
	}
	lines = append(lines, cur.String())
	return strings.Join(lines, "\n")
}

// wrapCommand fits a shell command to width without breaking a token:
// a line too long is continued with " \" on the next line, indented, as
// one would type it, so it still pastes and runs. Only a token wider than
// the whole width is cut.
func wrapCommand(cmd string, width int) string {
	width = max(width, 4)
	var out []string
	for _, line := range strings.Split(cmd, "\n") {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		cont := strings.HasSuffix(line, " \\")
		line = strings.TrimSuffix(line, " \\")
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		words := strings.Fields(line)
		cur := indent
		for _, w := range words {
			switch {
			case strings.TrimSpace(cur) == "":
				cur += w
			case ansi.StringWidth(cur)+1+ansi.StringWidth(w)+2 <= width:
				cur += " " + w
			default:
				out = append(out, cur+" \\")
				cur = "  " + w
			}
		}
		if cont {
			cur += " \\"
		}
		out = append(out, strings.Split(ansi.Hardwrap(cur, width, true), "\n")...)
	}
	return strings.Join(out, "\n")
}
