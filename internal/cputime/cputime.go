// Package cputime measures the CPU time the process uses, which other
// processes on a shared machine inflate less than wall time: benchmarks
// report it per operation beside ns/op.
package cputime

import (
	"testing"
	"time"
)

// A Meter measures the CPU time the process uses from Start on.
type Meter struct {
	start time.Duration
}

// Start starts a Meter.
func Start() Meter {
	used, _ := Used()
	return Meter{start: used}
}

// Since is the CPU time used since m started; ok is false where the
// system does not tell (see Used).
func (m Meter) Since() (cpu time.Duration, ok bool) {
	used, ok := Used()
	return used - m.start, ok
}

// Report reports the CPU time used since m started, divided by n, in
// units of per, as the metric unit (such as "cpu-ms/op" with
// time.Millisecond). Where the system does not tell, it reports nothing.
func (m Meter) Report(b *testing.B, n int, per time.Duration, unit string) {
	cpu, ok := m.Since()
	if !ok || n <= 0 {
		return
	}
	b.ReportMetric(float64(cpu)/float64(per)/float64(n), unit)
}
