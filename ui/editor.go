package ui

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/server"
)

// Editor fields, in tab order.
const (
	fieldTarget = iota
	fieldHeaders
	fieldBody
	fieldCount
)

// editorHeaderRows is the height of the headers field.
const editorHeaderRows = 3

// editorModel edits a request before it is fired: the path with its
// query, headers (one "Name: value" a line) and a multi-line body. It
// remembers the last request of each route, fired or not.
type editorModel struct {
	ctx     *common
	route   *catalog.Route
	target  textinput.Model
	headers textarea.Model
	body    textarea.Model
	focus   int
	width   int
	height  int
	// drafts is each route's last edited request. A map is shared by
	// copies of the model; only the UI goroutine touches it.
	drafts map[*catalog.Route]editorDraft
}

// editorDraft is an edited request, as typed.
type editorDraft struct{ target, headers, body string }

func newEditorModel(ctx *common) editorModel {
	e := editorModel{ctx: ctx, drafts: map[*catalog.Route]editorDraft{}}
	e.target = textinput.New()
	e.target.Prompt = ""
	e.target.Placeholder = "POST /v1/path?query=value"
	e.headers = newEditorArea("e.g. Prefer: code=402 (or Idempotency-Key, Stripe-Account)")
	e.body = newEditorArea("form body: a=1&b=2, or JSON")
	return e
}

func newEditorArea(placeholder string) textarea.Model {
	ta := textarea.New()
	ta.Prompt = "│ "
	ta.ShowLineNumbers = false
	ta.Placeholder = placeholder
	ta.CharLimit = server.MaxBodyBytes
	ta.MaxHeight = 0
	return ta
}

// start fills the form with r's last request (or its sample) and focuses
// the path.
func (e editorModel) start(r *catalog.Route) (editorModel, tea.Cmd) {
	e.route = r
	d, ok := e.drafts[r]
	if !ok {
		s := r.Sample()
		d = editorDraft{target: s.Line(), body: s.Body}
	}
	e.target.SetValue(d.target)
	e.target.CursorEnd()
	e.headers.SetValue(d.headers)
	e.body.SetValue(d.body)
	e.focus = fieldTarget
	e.headers.Blur()
	e.body.Blur()
	return e, e.target.Focus()
}

// save remembers the form as r's last request.
func (e editorModel) save() editorModel {
	if e.route != nil {
		e.drafts[e.route] = editorDraft{target: e.target.Value(), headers: e.headers.Value(), body: e.body.Value()}
	}
	return e
}

// next moves focus by delta fields, wrapping around.
func (e editorModel) next(delta int) (editorModel, tea.Cmd) {
	e.target.Blur()
	e.headers.Blur()
	e.body.Blur()
	e.focus = (e.focus + delta + fieldCount) % fieldCount
	switch e.focus {
	case fieldHeaders:
		return e, e.headers.Focus()
	case fieldBody:
		return e, e.body.Focus()
	}
	return e, e.target.Focus()
}

// request is the form as a request to fire.
func (e editorModel) request() fireRequest {
	method, target := splitMethod(strings.TrimSpace(e.target.Value()))
	if method == "" {
		method = e.route.Method
	}
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	return fireRequest{route: e.route, method: method, target: target, header: parseHeaderLines(e.headers.Value()), body: e.body.Value()}
}

// splitMethod reads "POST /v1/x?y=1" as a method and a target; a line
// without a method is all target.
func splitMethod(line string) (method, target string) {
	m, rest, ok := strings.Cut(line, " ")
	if !ok || m == "" || strings.Trim(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", line
	}
	return m, strings.TrimSpace(rest)
}

// parseHeaderLines reads "Name: value" lines; lines without a colon or a
// name are skipped.
func parseHeaderLines(s string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(s, "\n") {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			continue
		}
		h.Add(textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value))
	}
	return h
}

func (e editorModel) setSize(w, h int) editorModel {
	e.width, e.height = w, h
	e.target.Width = max(w-3, 1)
	e.headers.SetWidth(max(w, 4))
	e.headers.SetHeight(editorHeaderRows)
	// Title, blank, three labels, path, three gaps and the hint.
	e.body.SetWidth(max(w, 4))
	e.body.SetHeight(max(h-10-editorHeaderRows, 2))
	return e
}

func (e editorModel) update(msg tea.Msg) (editorModel, tea.Cmd) {
	var cmd tea.Cmd
	switch e.focus {
	case fieldHeaders:
		e.headers, cmd = e.headers.Update(msg)
	case fieldBody:
		e.body, cmd = e.body.Update(msg)
	default:
		e.target, cmd = e.target.Update(msg)
	}
	return e, cmd
}

func (e editorModel) view() string {
	s := e.ctx.styles
	if e.route == nil {
		return ""
	}
	label := func(i int, text string) string {
		if i == e.focus {
			return s.form.focusedLabel.Render("▸ " + text)
		}
		return s.form.label.Render("  " + text)
	}
	var b strings.Builder
	b.WriteString(s.detail.heading.Render("Request") + "  " + s.methodStyle(e.route.Method).UnsetWidth().Render(e.route.Method) +
		s.form.hint.Render("  "+e.route.Path) + "\n\n")
	b.WriteString(label(fieldTarget, "Method, path and query") + "\n")
	b.WriteString("│ " + e.target.View() + "\n\n")
	b.WriteString(label(fieldHeaders, "Headers (Name: value a line)") + "\n")
	b.WriteString(e.headers.View() + "\n\n")
	b.WriteString(label(fieldBody, "Body") + "\n")
	b.WriteString(e.body.View() + "\n\n")
	b.WriteString(s.form.hint.Render("ctrl+s sends · esc keeps the edit"))
	return b.String()
}

func (m Model) edit() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.start(r)
	m.back, m.focus = m.focus, focusEditor
	return m, cmd
}

func (m Model) editorKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.ctx.keys.Back):
		m.editor = m.editor.save()
		m.focus = m.back
		return m, nil
	case key.Matches(k, m.ctx.keys.EditSubmit), k.Type == tea.KeyEnter && m.editor.focus == fieldTarget:
		m.editor = m.editor.save()
		m.focus = m.back
		return m.fire(m.editor.request())
	case key.Matches(k, m.ctx.keys.EditNext):
		var cmd tea.Cmd
		delta := 1
		if k.Type == tea.KeyShiftTab {
			delta = -1
		}
		m.editor, cmd = m.editor.next(delta)
		return m, cmd
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.update(k)
	return m, cmd
}
