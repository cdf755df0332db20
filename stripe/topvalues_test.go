package stripe

import (
	"slices"
	"testing"
)

// topValues finds each name once, escaped or not, as decoding reads it:
// the first member of a name wins, and a name that only decodes to the
// key matches it.
func TestTopValuesReadsNamesAsDecoding(t *testing.T) {
	cases := []struct {
		json string
		keys []string
		want []string
	}{
		{`{"status":"ok","amount":5}`, []string{"amount", "status"}, []string{"5", "ok"}},
		{`{"st\u0061tus":"esc","status":"plain"}`, []string{"status"}, []string{"esc"}},
		{`{"statusx":1,"statu":2,"status":"s"}`, []string{"status", "customer"}, []string{"s", ""}},
		{`{"a\\b":"x","a":{"k":1},"b":null,"c":"\u00e9"}`, []string{`a\b`, "a", "b", "c"}, []string{"x", "", "", "é"}},
	}
	for _, c := range cases {
		if got := topValues([]byte(c.json), c.keys...); !slices.Equal(got, c.want) {
			t.Errorf("topValues(%s, %q) = %q, want %q", c.json, c.keys, got, c.want)
		}
	}
}
