package catalog

import (
	"strings"
	"testing"
)

// defaultFileSplit is DefaultFile as first written: the definition the
// one-allocation form keeps.
func defaultFileSplit(method, routePath, name string) string {
	var b strings.Builder
	b.WriteString("routes")
	for _, seg := range strings.Split(strings.Trim(routePath, "/"), "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(seg, ":", "_"))
	}
	b.WriteByte('/')
	b.WriteString(strings.ToLower(method))
	b.WriteByte('.')
	for _, c := range name {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	b.WriteString(".hbs")
	return b.String()
}

func TestDefaultFileKeepsItsDefinition(t *testing.T) {
	for _, tc := range [][3]string{
		{"GET", "/v1/customers/:customer", "success"},
		{"Delete", "//v1//a/:id/", "card_declined/insufficient funds"},
		{"POST", "", "é"},
		{"PÜT", "/", "401"},
		{"get", "/:a:b/c", ""},
	} {
		if got, want := DefaultFile(tc[0], tc[1], tc[2]), defaultFileSplit(tc[0], tc[1], tc[2]); got != want {
			t.Errorf("DefaultFile%q = %q; want %q", tc, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { DefaultFile("GET", "/v1/customers/:customer/sources/:id", "success") }); n > 1 {
		t.Errorf("DefaultFile allocates %v times; want 1", n)
	}
}

func FuzzDefaultFile(f *testing.F) {
	f.Add("GET", "/v1/customers/:customer", "success")
	f.Add("post", "//a//:b/", "x/y z")
	f.Fuzz(func(t *testing.T, method, path, name string) {
		if got, want := DefaultFile(method, path, name), defaultFileSplit(method, path, name); got != want {
			t.Fatalf("DefaultFile(%q, %q, %q) = %q; the definition gives %q", method, path, name, got, want)
		}
	})
}
