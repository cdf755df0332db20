//go:build unix

package main

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/internal/bigenv"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/ui"
)

// BenchmarkFirstFrame4MB is `routedeck big.json` up to its first frame,
// on the 4 MB Mockoon environment the target names (≤ 200 ms):
// parse the flags, open and convert the file, build the server and the UI,
// size it and draw it. Listening and the terminal are left out.
func BenchmarkFirstFrame4MB(b *testing.B) {
	file, routes, err := bigenv.Write("../shared/testdata/mockoon/environments", b.TempDir())
	if err != nil {
		b.Skip(err)
	}
	b.Logf("%d routes", routes)
	cpu := cputime.Start()
	for b.Loop() {
		o, _, err := parseFlags("routedeck", []string{"--catalog", file}, commandFlags["routedeck"])
		if err != nil {
			b.Fatal(err)
		}
		srv, err := o.tuiServer()
		if err != nil {
			b.Fatal(err)
		}
		m := ui.New(ui.Config{Catalog: srv.Catalog(), State: srv.State(), NoServe: true})
		tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if frame := tm.View(); !strings.Contains(frame, "Big") {
			b.Fatalf("the first frame does not show the environment:\n%s", frame)
		}
	}
	cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op")
}
