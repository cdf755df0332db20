package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
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

// fireRequest is what to send: the route's method, a path with query,
// headers and a body.
type fireRequest struct {
	route  *catalog.Route
	method string // "" is the route's
	target string
	header http.Header
	body   string
}

// fireCmd sends req to base with client, timing it with now.
func fireCmd(seq int, client *http.Client, now func() time.Time, base string, req fireRequest) tea.Cmd {
	return func() tea.Msg {
		method := req.route.Method
		if req.method != "" {
			method = req.method
		}
		res := &firedResult{method: method, target: req.target, body: req.body, reqHeader: req.header}
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
			hr.Header.Set("Content-Type", catalog.BodyType(req.body))
		}
		hr.Header.Set("User-Agent", "routedeck")
		for k, vs := range req.header {
			for _, v := range vs {
				hr.Header.Add(k, v)
			}
		}
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

func (m Model) fireSelected() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	s := r.Sample()
	return m.fire(fireRequest{route: r, target: s.Target(), body: s.Body})
}

func (m Model) fire(req fireRequest) (Model, tea.Cmd) {
	if !m.serving() {
		return m, m.setNotice("cannot fire: "+m.notServingReason(), true)
	}
	m.fireSeq++
	notice := m.setNotice(fmt.Sprintf("firing %s %s…", req.route.Method, req.target), false)
	return m, tea.Batch(notice, fireCmd(m.fireSeq, m.client, m.now, m.cfg.ServerURL, req))
}

// fired shows a response if its route is still selected.
func (m Model) fired(msg firedMsg) (Model, tea.Cmd) {
	res := msg.res
	var note tea.Cmd
	if res.err != nil {
		note = m.setNotice(res.err.Error(), true)
	} else {
		note = m.setNotice(fmt.Sprintf("%s %s → %d %s in %s", res.method, res.target, res.status,
			http.StatusText(res.status), formatDuration(res.duration)), false)
	}
	if msg.route != m.detail.route || msg.seq != m.fireSeq {
		return m, note
	}
	if !m.wide() && !m.stacked() && m.focus == focusList {
		m.focus = focusDetail
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.showFired(res)
	return m, tea.Batch(note, cmd)
}
