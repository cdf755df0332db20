package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestHighlightJSON(t *testing.T) {
	src := "{\n  \"id\": \"cus_1\",\n  \"n\": -1.5e3,\n  \"ok\": true,\n  \"x\": null\n}"
	for _, dark := range []bool{true, false} {
		out, err := highlightJSON(src, dark)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("dark=%v: no colour in %q", dark, out)
		}
		if got := strings.TrimRight(ansi.Strip(out), "\n"); got != src {
			t.Errorf("dark=%v: highlighting changed the text:\n%s", dark, got)
		}
	}
	// Keys and string values get different colours.
	out, _ := highlightJSON(`{"key": "value"}`, true)
	key := out[:strings.Index(out, `"key"`)]
	val := out[:strings.Index(out, `"value"`)]
	if key[strings.LastIndex(key, "\x1b["):] == val[strings.LastIndex(val, "\x1b["):] {
		t.Errorf("key and value share a colour: %q", out)
	}
}
