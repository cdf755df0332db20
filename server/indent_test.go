package server

import "testing"

// indented indents compact JSON for people and leaves the rest as it is.
func TestIndented(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":1,"b":[1,{"c":null}]}`: "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ]\n}\n",
		`[]`:                         "[]\n",
		`{}`:                         "{}\n",
		"{\n  \"a\": 1\n}\n":         "{\n  \"a\": 1\n}\n", // already indented
		`{"a":`:                      `{"a":`,              // not JSON: as it is
		`plain text`:                 `plain text`,
		``:                           ``,
	} {
		if got := indented(in); got != want {
			t.Errorf("indented(%q) = %q, want %q", in, got, want)
		}
	}
}
