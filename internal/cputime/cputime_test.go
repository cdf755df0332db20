package cputime_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/routedeck/routedeck/internal/cputime"
)

// A Meter counts the CPU a busy loop burns, and not the time spent
// asleep.
func TestMeter(t *testing.T) {
	if _, ok := cputime.Used(); !ok {
		t.Skipf("no CPU time on %s", runtime.GOOS)
	}
	m := cputime.Start()
	time.Sleep(50 * time.Millisecond)
	if cpu, _ := m.Since(); cpu > 40*time.Millisecond {
		t.Errorf("asleep 50 ms: %v CPU; want little", cpu)
	}
	m = cputime.Start()
	for deadline := time.Now().Add(30 * time.Millisecond); time.Now().Before(deadline); {
	}
	if cpu, _ := m.Since(); cpu < time.Millisecond {
		t.Errorf("busy 30 ms: %v CPU; want some (a loaded machine gives less than all)", cpu)
	}
}
