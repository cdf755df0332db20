package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestFlowServeFireAndHammer runs the real program against a real server:
// fire a request, watch it arrive in the log, then let a client hammer the
// server while keys keep working.
func TestFlowServeFireAndHammer(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	ch, unsubscribe := f.srv.Subscribe(4096)
	t.Cleanup(unsubscribe)
	m.cfg.Events = ch
	m.cfg.Dropped = f.srv.Dropped

	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Fixture API")
	tm.Send(keyEnter)
	waitFor("1 request ")

	const hammer = 2000
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < hammer; i += 8 {
				resp, err := http.Get(fmt.Sprintf("%s/v1/charges?i=%d", f.ts.URL, i))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	// Keys work while the requests pour in.
	tm.Send(keyRunes("l"))
	waitFor("Request log")
	wg.Wait()
	waitFor(fmt.Sprintf("%s requests", commas(hammer+1)))
	tm.Send(keyEsc)
	tm.Send(keyRunes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final, ok := tm.FinalModel(t).(Model)
	if !ok {
		t.Fatalf("final model is %T", tm.FinalModel(t))
	}
	if final.log.total != hammer+1 || f.srv.Dropped() != 0 {
		t.Errorf("logged %d of %d requests, %d dropped", final.log.total, hammer+1, f.srv.Dropped())
	}
	golden.RequireEqual(t, []byte(final.View()))
}
