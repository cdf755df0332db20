package ui

import (
	"testing"
	"time"

	"github.com/routedeck/routedeck/internal/cputime"
)

// reportCPU reports the process's CPU time per op since start, which
// other processes on a shared machine inflate less than wall time.
func reportCPU(b *testing.B) func() {
	cpu := cputime.Start()
	return func() { cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op") }
}
