package catalog

import (
	"slices"
	"testing"
)

func TestNotesGroupPerFeature(t *testing.T) {
	var n, part Notes
	n.Warn("proxy mode (to %s) is not supported", "http://x")
	for _, r := range []string{"GET /a", "GET /b", "GET /c", "GET /d"} {
		n.Note("rules are not applied", r)
	}
	part.Note("latency is not applied", "GET /e")
	part.Note("rules are not applied", "GET /f")
	n.Merge(&part)
	got := n.Warnings()
	want := []string{
		"proxy mode (to http://x) is not supported",
		"rules are not applied: 5 routes (GET /a, GET /b, GET /c and 2 more)",
		"latency is not applied: 1 route (GET /e)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Warnings() = %q; want %q", got, want)
	}
}
