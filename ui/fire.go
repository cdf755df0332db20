package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/atotto/clipboard"
	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/server"
)

// maxShownBody caps how much of a fired response the UI reads.
const maxShownBody = 4 << 20

// fireTimeout bounds a fired request when Config.Client is nil.
const fireTimeout = 10 * time.Second

// firedMsg is the outcome of a request fired from the UI.
type firedMsg struct {
	seq   int
	route *catalog.Route
	res   *firedResult
}

// fireRequest is what to send: the route's method, a path with query, a body.
type fireRequest struct {
	route  *catalog.Route
	target string
	body   string
}

// fireCmd sends req to base with client, timing it with now.
func fireCmd(seq int, client *http.Client, now func() time.Time, base string, req fireRequest) tea.Cmd {
	return func() tea.Msg {
		method := req.route.Method
		res := &firedResult{method: method, target: req.target, body: req.body}
		msg := firedMsg{seq: seq, route: req.route, res: res}
		var body io.Reader
		if req.body != "" {
			body = strings.NewReader(req.body)
		}
		ctx, cancel := context.WithTimeout(context.Background(), fireTimeout)
		defer cancel()
		hr, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+req.target, body)
		if err != nil {
			res.err = fmt.Errorf("build request: %w", err)
			return msg
		}
		if req.body != "" {
			ct := "application/x-www-form-urlencoded"
			if looksJSON(req.body) {
				ct = "application/json"
			}
			hr.Header.Set("Content-Type", ct)
		}
		hr.Header.Set("User-Agent", "routedeck")
		start := now()
		resp, err := client.Do(hr)
		if err != nil {
			res.err = fmt.Errorf("fire %s %s: %w", method, req.target, err)
			return msg
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxShownBody))
		res.duration = now().Sub(start)
		res.status, res.header, res.respBody = resp.StatusCode, resp.Header, string(data)
		if err != nil {
			res.err = fmt.Errorf("read response: %w", err)
		}
		return msg
	}
}

// copyMsg reports a clipboard write.
type copyMsg struct {
	what  string
	bytes int
	err   error
}

// copyCmd writes text to the clipboard with fn off the UI goroutine.
func copyCmd(fn func(string) error, text, what string) tea.Cmd {
	return func() tea.Msg {
		return copyMsg{what: what, bytes: len(text), err: fn(text)}
	}
}

// systemClipboard copies through the terminal (OSC52, so it works over
// ssh) and the native clipboard when there is one. It only fails when
// neither route could be tried. Inside tmux the sequence is sent as is,
// not wrapped for passthrough: tmux with set-clipboard on keeps it in its
// paste buffer and forwards it to the outer terminal, while passthrough is
// off by default.
func systemClipboard(text string) error {
	seq := osc52.New(text)
	if os.Getenv("TMUX") == "" && strings.HasPrefix(os.Getenv("TERM"), "screen") {
		seq = seq.Screen()
	}
	_, oscErr := seq.WriteTo(os.Stdout)
	var nativeErr error
	if clipboard.Unsupported {
		nativeErr = errors.New("no system clipboard")
	} else {
		nativeErr = clipboard.WriteAll(text)
	}
	if oscErr != nil && nativeErr != nil {
		return fmt.Errorf("terminal: %v; system: %w", oscErr, nativeErr)
	}
	return nil
}

// editorModel edits a request before it is fired: path with query, and body.
type editorModel struct {
	styles *styles
	route  *catalog.Route
	inputs [2]textinput.Model // target, body
	focus  int
	width  int
}

func newEditorModel(s *styles) editorModel {
	e := editorModel{styles: s}
	for i := range e.inputs {
		ti := textinput.New()
		ti.Prompt = ""
		ti.CharLimit = server.MaxBodyBytes
		e.inputs[i] = ti
	}
	e.inputs[0].Placeholder = "/v1/path?query=value"
	e.inputs[1].Placeholder = "form body: a=1&b=2, or JSON"
	return e
}

// start fills the form for r and focuses the path.
func (e editorModel) start(r *catalog.Route) (editorModel, tea.Cmd) {
	e.route = r
	e.inputs[0].SetValue(sampleTarget(r))
	e.inputs[1].SetValue(sampleBody(r))
	e.inputs[0].CursorEnd()
	e.inputs[1].CursorEnd()
	e.focus = 0
	e.inputs[1].Blur()
	return e, e.inputs[0].Focus()
}

func (e editorModel) next() (editorModel, tea.Cmd) {
	e.inputs[e.focus].Blur()
	e.focus = (e.focus + 1) % len(e.inputs)
	return e, e.inputs[e.focus].Focus()
}

func (e editorModel) request() fireRequest {
	target := strings.TrimSpace(e.inputs[0].Value())
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	return fireRequest{route: e.route, target: target, body: e.inputs[1].Value()}
}

func (e editorModel) setSize(w int) editorModel {
	e.width = w
	for i := range e.inputs {
		e.inputs[i].Width = max(w-2, 1)
	}
	return e
}

func (e editorModel) update(msg tea.Msg) (editorModel, tea.Cmd) {
	var cmd tea.Cmd
	e.inputs[e.focus], cmd = e.inputs[e.focus].Update(msg)
	return e, cmd
}

func (e editorModel) view() string {
	s := e.styles
	if e.route == nil {
		return ""
	}
	labels := [2]string{"Path and query", "Body"}
	var b strings.Builder
	b.WriteString(s.detail.heading.Render("Edit request") + "  " + s.methodStyle(e.route.Method).UnsetWidth().Render(e.route.Method) + "\n\n")
	for i, in := range e.inputs {
		ls := s.form.label
		if i == e.focus {
			ls = s.form.focusedLabel
		}
		b.WriteString(ls.Render(labels[i]) + "\n")
		b.WriteString("  " + in.View() + "\n\n")
	}
	b.WriteString(s.form.hint.Render("enter fires · tab switches field · esc cancels"))
	return b.String()
}
