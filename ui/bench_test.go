package ui

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
)

// bigCatalog is a synthetic catalog of n routes sharing two templates.
func bigCatalog(b *testing.B, n int) *catalog.Catalog {
	b.Helper()
	type variant struct {
		Kind   string `json:"kind"`
		Status int    `json:"status"`
		File   string `json:"file"`
	}
	type route struct {
		Method   string    `json:"method"`
		Path     string    `json:"path"`
		Summary  string    `json:"summary"`
		Docs     string    `json:"docs"`
		Variants []variant `json:"variants"`
	}
	methods := []string{"GET", "POST", "DELETE"}
	routes := make([]route, n)
	for i := range routes {
		routes[i] = route{
			Method:  methods[i%3],
			Path:    fmt.Sprintf("/v1/resource_%d/item_%d/:id", i%97, i),
			Summary: fmt.Sprintf("Operation %d on resource %d", i, i%97),
			Docs:    "<p>Does a <code>thing</code>. See <a href=\"https://example.com\">docs</a>.</p>",
			Variants: []variant{
				{Kind: "success", Status: 200, File: "ok.hbs"},
				{Kind: "error", Status: 404, File: "err.hbs"},
			},
		}
	}
	manifest, err := json.Marshal(map[string]any{"name": "Big", "routes": routes})
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{
		"catalog.json": {Data: manifest},
		"ok.hbs":       {Data: []byte(`{"id": "{{urlParam 'id'}}", "object": "thing", "amount": 2000}`)},
		"err.hbs":      {Data: []byte(`{"error": {"type": "invalid_request_error", "message": "No such thing"}}`)},
	}
	cat, err := catalog.Load(fsys, catalog.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return cat
}

func bigModel(b *testing.B) Model {
	cat := bigCatalog(b, 10_000)
	m := New(Config{Catalog: cat, Clipboard: func(string) (string, error) { return "", nil }})
	// A blinking cursor's timer would be timed along with the filter.
	m.list.FilterInput.Cursor.SetMode(cursor.CursorStatic)
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return tm.(Model)
}

// BenchmarkFilterKeystroke types one more letter into an open filter and
// runs the list's filter command, as the runtime would.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := bigModel(b)
	tm, _ := m.Update(keyRunes("/"))
	m = tm.(Model)
	tm, _ = m.Update(keyRunes("i"))
	m = tm.(Model)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		tm, cmd := m.Update(keyRunes("t"))
		next := tm.(Model)
		filtered := runFilterCmd(cmd)
		if filtered == nil {
			b.Fatal("no filter results")
		}
		tm, _ = next.Update(filtered)
		_ = tm
	}
}

// runFilterCmd runs cmd and its batches until the list's filter result,
// which it returns still tagged with its filter version (listMsg).
func runFilterCmd(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			if r := runFilterCmd(c); r != nil {
				return r
			}
		}
	case listMsg:
		switch inner := msg.msg.(type) {
		case list.FilterMatchesMsg:
			return msg
		case tea.BatchMsg:
			for _, c := range inner {
				if r := runFilterCmd(tagListCmd(msg.seq, c)); r != nil {
					return r
				}
			}
		}
	}
	return nil
}

func BenchmarkView(b *testing.B) {
	m := bigModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFirstFrame is start-up as the user sees it: the model built
// for the embedded catalog, sized, and its first frame drawn (target
// 100 ms).
func BenchmarkFirstFrame(b *testing.B) {
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		m := New(Config{Catalog: cat, Clipboard: func(string) (string, error) { return "", nil }})
		tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if v := tm.View(); v == "" {
			b.Fatal("empty first frame")
		}
	}
}
