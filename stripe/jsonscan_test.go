package stripe

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// valueEnd and stringEnd find the end of every value encoding/json writes,
// escapes anywhere (before, at and after the short-string loop's reach).
func TestValueEndFindsEncodedValues(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "\\", "\"", "x", "é", "}", "]", "{", "\n", "/"}
	for range 5000 {
		var s strings.Builder
		for range r.IntN(60) {
			s.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		for _, v := range []any{s.String(), []any{s.String(), map[string]any{s.String(): []any{1, s.String()}}}} {
			js, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			padded := append(append([]byte{}, js...), `,"next":1}`...)
			end, err := valueEnd(padded, 0)
			if err != nil || end != len(js) {
				t.Fatalf("valueEnd(%s) = %d, %v; want %d", padded, end, err, len(js))
			}
			if _, err := valueEnd(js[:len(js)-1], 0); err == nil && js[0] != '"' {
				t.Fatalf("valueEnd accepted the cut value %s", js[:len(js)-1])
			}
		}
	}
	for _, bad := range []string{`"abc`, `"abc\"`, `"` + strings.Repeat("a", 30) + `\"`, `{"a":"b}`, `["\"]`} {
		if end, err := valueEnd([]byte(bad), 0); err == nil {
			t.Errorf("valueEnd(%s) = %d, want an error", bad, end)
		}
	}
}
