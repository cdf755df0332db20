//go:build !unix

package cputime

import "time"

// Used is the CPU time the process has used so far: not known here
// (getrusage is unix's), so ok is false.
func Used() (time.Duration, bool) { return 0, false }
