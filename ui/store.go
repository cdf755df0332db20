package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/internal/termsafe"
)

// ObjectStore is what the store pane shows and resets: the objects the
// server keeps (package store, through an adapter in main). Methods must
// be safe for concurrent use.
type ObjectStore interface {
	// Summary counts the objects, by type.
	Summary() StoreSummary
	// Recent returns up to limit objects, newest first, whose id, type or
	// JSON contains filter (case-insensitively); "" matches all.
	Recent(filter string, limit int) []StoredObject
	// Reset puts the store back to its start.
	Reset() error
}

// StoreSummary counts a store's objects.
type StoreSummary struct {
	// Version changes with every change to the store.
	Version uint64
	Objects int
	Types   map[string]int
}

// StoredObject is one object of the store.
type StoredObject struct {
	ID, Type, Parent string
	Created          int64
	JSON             string
}

// storeRows is how many objects the pane lists at most.
const storeRows = 500

// storeModel is the store pane: counts by type, the objects newest first,
// a filter, one object opened (highlighted), and the reset confirmation.
type storeModel struct {
	store   ObjectStore
	ctx     *common
	summary StoreSummary
	objects []StoredObject
	cursor  int
	offset  int
	// shown is the version the list was read at.
	shown uint64

	filter    textinput.Model
	filtering bool

	open   bool
	openID string
	vp     viewport.Model
	// showHistory shows the open object's history instead of its JSON.
	showHistory bool

	confirmReset bool

	width, height int
}

func newStoreModel(st ObjectStore, ctx *common) storeModel {
	f := textinput.New()
	f.Prompt = "/"
	f.Placeholder = "id, type or text"
	return storeModel{store: st, ctx: ctx, filter: f, vp: viewport.New(1, 1)}
}

func (p storeModel) setSize(w, h int) storeModel {
	p.width, p.height = w, h
	p.vp.Width, p.vp.Height = max(w, 1), max(h-1, 1)
	return p
}

// refresh reads the store again if it changed (or force).
func (p storeModel) refresh(force bool) storeModel {
	if p.store == nil {
		return p
	}
	sum := p.store.Summary()
	if !force && sum.Version == p.shown && p.objects != nil {
		p.summary = sum
		return p
	}
	var selected string
	if p.cursor < len(p.objects) {
		selected = p.objects[p.cursor].ID
	}
	p.summary, p.shown = sum, sum.Version
	p.objects = p.store.Recent(p.filter.Value(), storeRows)
	if p.objects == nil {
		p.objects = []StoredObject{}
	}
	p.cursor = 0
	for i, o := range p.objects {
		if o.ID == selected {
			p.cursor = i
			break
		}
	}
	p.clamp()
	if p.open {
		// The open object (or its history) as it is now.
		y := p.vp.YOffset
		p = p.renderOpen()
		p.vp.SetYOffset(y)
	}
	return p
}

// listRows is how many object rows fit under the title, counts and filter.
func (p storeModel) listRows() int { return max(p.height-3, 1) }

func (p *storeModel) clamp() {
	p.cursor = max(0, min(p.cursor, len(p.objects)-1))
	rows := p.listRows()
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(0, min(p.offset, max(len(p.objects)-rows, 0)))
}

func (p storeModel) selected() (StoredObject, bool) {
	if p.cursor < 0 || p.cursor >= len(p.objects) {
		return StoredObject{}, false
	}
	return p.objects[p.cursor], true
}

// openSelected shows the selected object, indented and highlighted.
func (p storeModel) openSelected() storeModel {
	o, ok := p.selected()
	if !ok {
		return p
	}
	p.open, p.openID, p.showHistory = true, o.ID, false
	p = p.renderOpen()
	p.vp.GotoTop()
	return p
}

// renderOpen fills the viewport with the open object (as the store holds
// it now) or its history.
func (p storeModel) renderOpen() storeModel {
	o, ok := p.byID(p.openID)
	if !ok {
		return p
	}
	var text string
	if p.showHistory {
		text = p.historyText(o)
	} else {
		text = prettyObject(o.JSON)
		if p.ctx.color {
			if hl, err := highlightJSON(text, p.ctx.dark); err == nil {
				text = hl
			}
		}
	}
	p.vp.SetContent(ansi.Hardwrap(text, max(p.width, 1), true))
	return p
}

// current is the object the pane's keys act on: the open one, else the
// selected one.
func (p storeModel) current() (StoredObject, bool) {
	if p.open {
		return p.byID(p.openID)
	}
	return p.selected()
}

// prettyObject indents an object's JSON (stored bodies mix styles) and
// escapes it for the terminal.
func prettyObject(js string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(js), "", "  ") == nil {
		js = b.String()
	}
	return termsafe.Text(js)
}

func (p storeModel) title() string {
	s := p.ctx.styles
	t := s.log.title.Render("Store") + s.log.dim.Render(fmt.Sprintf("  %s objects", commas(p.summary.Objects)))
	if p.open {
		t += s.log.dim.Render("  › " + termsafe.Line(p.openID))
		if p.showHistory {
			t += s.log.dim.Render(" › history")
		}
	}
	return t
}

// counts is the per-type line: "customer 3 · card 1 · …", most first.
func (p storeModel) counts() string {
	types := make([]string, 0, len(p.summary.Types))
	for t := range p.summary.Types {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b string) int {
		if d := p.summary.Types[b] - p.summary.Types[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%s %s", termsafe.Line(t), commas(p.summary.Types[t]))
	}
	if len(parts) == 0 {
		return "no objects"
	}
	return strings.Join(parts, " · ")
}

func (p storeModel) view() string {
	s := p.ctx.styles
	w := max(p.width, 1)
	lines := []string{ansi.Truncate(p.title(), w, "…")}
	if p.open {
		return lines[0] + "\n" + p.vp.View()
	}
	lines = append(lines, s.log.dim.Render(ansi.Truncate(p.counts(), w, "…")))
	switch {
	case p.confirmReset:
		lines = append(lines, s.status.warn.Render(ansi.Truncate("Reset the store to its start? Every object created since goes. y resets, n keeps", w, "…")))
	case p.filtering || p.filter.Value() != "":
		p.filter.Width = max(w-2, 1)
		lines = append(lines, ansi.Truncate(p.filter.View(), w, ""))
	default:
		lines = append(lines, s.log.header.Render(ansi.Truncate(pad("CREATED", 9)+pad("TYPE", 24)+"ID", w, "")))
	}
	if len(p.objects) == 0 {
		msg := "No objects. Create one from an app (POST /v1/customers) and it shows here."
		if p.filter.Value() != "" {
			msg = "No object matches the filter."
		}
		return strings.Join(append(lines, s.log.dim.Render(msg)), "\n")
	}
	end := min(p.offset+p.listRows(), len(p.objects))
	for i := p.offset; i < end; i++ {
		o := p.objects[i]
		created := time.Unix(o.Created, 0).Format("15:04:05")
		row := pad(created, 9) + pad(ansi.Truncate(termsafe.Line(o.Type), 23, "…"), 24) + termsafe.Line(o.ID)
		if o.Parent != "" {
			row += s.log.dim.Render("  under " + termsafe.Line(o.Parent))
		}
		row = ansi.Truncate(row, w, "…")
		if i == p.cursor {
			row = s.log.selected.Render(pad(row, w))
		}
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

// storeKey handles keys while the store pane has focus.
func (m Model) storeKey(k tea.KeyMsg) (Model, tea.Cmd) {
	p := &m.store
	if p.confirmReset {
		p.confirmReset = false
		if k.String() != "y" {
			return m, m.setNotice("the store is unchanged", false)
		}
		if err := p.store.Reset(); err != nil {
			return m, m.setNotice("could not reset the store: "+err.Error(), true)
		}
		p.open = false
		*p = p.refresh(true)
		return m, m.setNotice(fmt.Sprintf("the store is back to its start: %s objects", commas(p.summary.Objects)), false)
	}
	if p.filtering {
		switch k.Type {
		case tea.KeyEnter:
			p.filtering = false
			p.filter.Blur()
			return m, nil
		case tea.KeyEsc:
			p.filtering = false
			p.filter.Blur()
			p.filter.SetValue("")
			*p = p.refresh(true)
			return m, nil
		}
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(k)
		*p = p.refresh(true)
		return m, cmd
	}
	switch {
	case k.String() == "q" || k.Type == tea.KeyCtrlC:
		return m, tea.Quit
	case key.Matches(k, m.ctx.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case k.Type == tea.KeyEsc:
		switch {
		case p.open && p.showHistory:
			p.showHistory = false
			*p = p.renderOpen()
		case p.open:
			p.open = false
		case p.filter.Value() != "":
			p.filter.SetValue("")
			*p = p.refresh(true)
		default:
			m.focus = m.back
		}
		return m, nil
	case k.String() == "s":
		p.open = false
		m.focus = m.back
		return m, nil
	case k.String() == "h" && p.open:
		return m.toggleHistory()
	case k.String() == "a", k.String() == "d":
		return m.authenticate(k.String() == "a")
	case k.String() == "c":
		o, ok := p.current()
		if !ok {
			return m, m.setNotice("nothing to copy: no object is selected", true)
		}
		return m, copyCmd(m.copyFn, prettyObject(o.JSON), termsafe.Line(o.Type+" "+o.ID))
	case k.String() == "x":
		p.confirmReset = true
		return m, nil
	case p.open:
		var cmd tea.Cmd
		p.vp, cmd = scrollViewport(p.vp, m.ctx.keys, k)
		return m, cmd
	case k.String() == "/":
		p.filtering = true
		return m, p.filter.Focus()
	case k.Type == tea.KeyEnter:
		*p = p.openSelected()
		return m, nil
	case key.Matches(k, m.ctx.keys.Up):
		p.cursor--
	case key.Matches(k, m.ctx.keys.Down):
		p.cursor++
	case key.Matches(k, m.ctx.keys.PageUp):
		p.cursor -= p.listRows()
	case key.Matches(k, m.ctx.keys.PageDown):
		p.cursor += p.listRows()
	case key.Matches(k, m.ctx.keys.Home):
		p.cursor = 0
	case key.Matches(k, m.ctx.keys.End):
		p.cursor = len(p.objects) - 1
	}
	p.clamp()
	return m, nil
}

func (p storeModel) byID(id string) (StoredObject, bool) {
	for _, o := range p.objects {
		if o.ID == id {
			return o, true
		}
	}
	return StoredObject{}, false
}
