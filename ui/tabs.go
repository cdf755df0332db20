package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
)

// maxTabName is the most cells of a variant's name a tab shows.
const maxTabName = 28

// variantTabs is the detail's row of variant tabs: "[● Success 200]│ ○
// Error 404 │ ○ 429 ›3". It is always one line: when the tabs are wider
// than the pane, the row scrolls to keep the shown tab in view and counts
// the hidden ones at either end ("‹2 ", " 3›").
type variantTabs struct {
	labels []string // each tab's text, without its brackets
	shown  int      // the tab in brackets
}

// newVariantTabs builds the row for r: ● marks active (what the server
// answers), brackets the shown tab.
func newVariantTabs(r *catalog.Route, active *catalog.Variant, shown int) variantTabs {
	t := variantTabs{labels: make([]string, len(r.Variants)), shown: shown}
	for i, v := range r.Variants {
		mark := "○ "
		if v == active {
			mark = "● "
		}
		t.labels[i] = mark + tabTitle(v)
	}
	return t
}

// tabTitle is a variant's name and status, "Success 200", "429",
// "card_declined/insufficient_funds 402", its name cut to fit a tab.
func tabTitle(v *catalog.Variant) string {
	status := strconv.Itoa(v.Status)
	name := termsafe.Line(v.Name)
	switch name {
	case "success", "error":
		name = strings.ToUpper(name[:1]) + name[1:]
	case status:
		return status
	}
	return ansi.Truncate(name, maxTabName, "…") + " " + status
}

// tabWidth is a tab's width with its brackets (or their room).
func (t variantTabs) tabWidth(i int) int { return ansi.StringWidth(t.labels[i]) + 2 }

// markers are the counts of hidden tabs before and after a window.
func (t variantTabs) markers(first, last int) (left, right string) {
	if first > 0 {
		left = "‹" + strconv.Itoa(first) + " "
	}
	if last < len(t.labels)-1 {
		right = " " + strconv.Itoa(len(t.labels)-1-last) + "›"
	}
	return left, right
}

// fits reports whether tabs first..last and their markers fit in width.
func (t variantTabs) fits(first, last, width int) bool {
	w := last - first // separators
	for i := first; i <= last; i++ {
		w += t.tabWidth(i)
	}
	left, right := t.markers(first, last)
	return w+ansi.StringWidth(left)+ansi.StringWidth(right) <= width
}

// window is the range of tabs shown in width: from the first tab as far
// as they fit, or, when the shown tab lies beyond, ending with it.
func (t variantTabs) window(width int) (first, last int) {
	n := len(t.labels)
	if n == 0 {
		return 0, -1
	}
	for last+1 < n && t.fits(0, last+1, width) {
		last++
	}
	if t.shown <= last {
		return 0, last
	}
	first, last = t.shown, t.shown
	for first > 0 && t.fits(first-1, last, width) {
		first--
	}
	for last+1 < n && t.fits(first, last+1, width) {
		last++
	}
	return first, last
}

// view draws the row in width cells, never more.
func (t variantTabs) view(s *styles, width int) string {
	first, last := t.window(width)
	left, right := t.markers(first, last)
	parts := make([]string, 0, last-first+1)
	for i := first; i <= last; i++ {
		if i == t.shown {
			parts = append(parts, s.detail.tabActive.Render("["+t.labels[i]+"]"))
		} else {
			parts = append(parts, s.detail.tabInactive.Render(" "+t.labels[i]+" "))
		}
	}
	row := s.detail.tabSep.Render(left) + strings.Join(parts, s.detail.tabSep.Render("│")) + s.detail.tabSep.Render(right)
	return ansi.Truncate(row, max(width, 1), "…")
}

// at is the tab under column x of the row drawn in width, or -1.
func (t variantTabs) at(x, width int) int {
	first, last := t.window(width)
	left, _ := t.markers(first, last)
	pos := ansi.StringWidth(left)
	for i := first; i <= last; i++ {
		w := t.tabWidth(i)
		if x >= pos && x < pos+w {
			return i
		}
		pos += w + 1 // the separator
	}
	return -1
}
