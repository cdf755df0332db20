package render

import (
	"strings"
	"testing"
)

// formKey writes a dotted path as a form key, "a.b.c" as "a[b][c]",
// whatever the dots.
func TestFormKey(t *testing.T) {
	split := func(path string) string { // the plain way, for comparison
		parts := strings.Split(path, ".")
		out := parts[0]
		for _, p := range parts[1:] {
			out += "[" + p + "]"
		}
		return out
	}
	for _, path := range []string{"", "source", "card.number", "a.b.c", "a.", ".a", "..", "items.0.price", "metadata.k.v.w"} {
		if got, want := formKey(path), split(path); got != want {
			t.Errorf("formKey(%q) = %q; want %q", path, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = formKey("source") }); n != 0 {
		t.Errorf("formKey of a plain name allocates %v times", n)
	}
}
