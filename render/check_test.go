package render

import (
	"errors"
	"strings"
	"testing"
)

// Defect: a template rendering invalid JSON loaded and was served as 200
// application/json. CheckJSON names the line the JSON error is on.
func TestCheckJSON(t *testing.T) {
	tests := []struct {
		src  string
		line int
		want string
	}{
		{"{\n  \"id\": \"{{id 'cus'}}\"\n  \"object\": \"customer\"\n}", 3, "after object key:value pair"},
		{"{\n  \"a\": 1,\n  \"b\": {{body 'b' 'x'}}\n}", 3, "invalid character 'x'"},
		{"{\n  \"list\": [\n{{#each (array 'a' 'b')}}\n    \"{{this}}\",\n{{/each}}\n  ]\n}", 6, "invalid character ']'"},
		{"{\n  \"a\": {\n    \"b\": 1\n", 3, "unexpected end"},
		{"{{~#if 1~}}\n{\"a\": 1,}\n{{~/if~}}", 2, "invalid character '}'"},
	}
	for _, tt := range tests {
		tpl, err := Compile("t.hbs", tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		err = tpl.CheckJSON(&Request{})
		var le *LineError
		if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "t.hbs: ") {
			t.Errorf("CheckJSON(%q) = %v; want line %d and %q", tt.src, err, tt.line, tt.want)
		}
	}
	for _, src := range []string{`{"a": "{{body 'x'}}"}`, "[\n{{#each (array 'a' 'b')}}{{#if @index}},{{/if}}\"{{this}}\"{{/each}}\n]"} {
		tpl, err := Compile("t.hbs", src)
		if err != nil {
			t.Fatal(err)
		}
		if err := tpl.CheckJSON(&Request{Body: []byte(`x="`)}); err != nil {
			t.Errorf("CheckJSON(%q) = %v", src, err)
		}
	}
}
