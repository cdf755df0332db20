//go:build unix

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/source"
)

// sampleMockoon is a Mockoon route echoing its parameter and its body.
const sampleMockoon = `{"uuid": "s", "lastMigration": 33, "name": "Users", "routes": [
  {"method": "post", "endpoint": "users/:userId", "responses": [{"statusCode": 200,
   "headers": [{"key": "Content-Type", "value": "application/json"}],
   "body": "{\"id\": \"{{urlParam 'userId'}}\", \"name\": \"{{body 'name' 'nobody'}}\"}"}]}]}`

// sampleOpenAPI has examples for the path, the query and the body.
const sampleOpenAPI = `openapi: 3.0.3
info: {title: Things, version: "1"}
servers: [{url: /v1}]
paths:
  /things/{thingId}:
    post:
      summary: Update a thing
      parameters:
        - {name: thingId, in: path, required: true, example: th_42, schema: {type: string}}
        - {name: verbose, in: query, example: true, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            example: {name: Widget}
      responses:
        "200":
          description: The thing
          content:
            application/json:
              example: {id: th_42, name: Widget}
        "404":
          description: Not found
          content:
            application/json:
              example: {error: not_found}
`

// Issue 12 item 6: `show` on a route's pattern, the request the terminal
// UI fires (f) and the curl it copies (y) are one sample request, with the
// same concrete path, query and body, for a Stripe, a Mockoon and an
// OpenAPI route; and they get the same answer.
func TestSampleAgreesInShowFireAndCurl(t *testing.T) {
	dir := t.TempDir()
	mockoonFile, openapiFile := filepath.Join(dir, "users.json"), filepath.Join(dir, "things.yaml")
	for file, text := range map[string]string{mockoonFile: sampleMockoon, openapiFile: sampleOpenAPI} {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, file, key string
		// echoed are fields of the answer that come from the sample.
		echoed func(s catalog.Sample) map[string]any
	}{
		{"stripe", "", "POST /v1/customers/:customer", func(s catalog.Sample) map[string]any {
			return map[string]any{"id": s.Params["customer"], "email": "jenny.rosen@example.com", "name": "Jenny Rosen"}
		}},
		{"mockoon", mockoonFile, "POST /users/:userId", func(s catalog.Sample) map[string]any {
			return map[string]any{"id": s.Params["userId"], "name": "nobody"}
		}},
		{"openapi", openapiFile, "POST /v1/things/:thingId", func(s catalog.Sample) map[string]any {
			return map[string]any{"id": "th_42", "name": "Widget"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args []string
			cat, err := catalog.Embedded()
			if tt.file != "" {
				args = []string{"--catalog", tt.file}
				cat, err = source.Open(tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, want, ok := cat.SampleFor(tt.key)
			if !ok {
				t.Fatalf("no route %s", tt.key)
			}
			if tt.name == "openapi" && (want.Target() != "/v1/things/th_42?verbose=true" || want.Body != `{"name":"Widget"}`) {
				t.Fatalf("the OpenAPI sample is %s %q; want its examples", want.Line(), want.Body)
			}

			code, shown, stderr := runCmd(t, append(append([]string{"show"}, args...), tt.key)...)
			if code != 0 {
				t.Fatalf("show: exit %d: %s", code, stderr)
			}
			checkEchoed(t, "show", shown, tt.echoed(want))

			s, url := startTUI(t, 160, 45, args...)
			s.filterTo(tt.key)
			s.keys("f")
			s.waitFor(want.Method + " " + want.Target() + " → 200")
			s.keys("c")
			s.waitBuffer(`"id"`)
			fired := s.buffer()
			checkEchoed(t, "the fired request", fired, tt.echoed(want))
			if !sameJSON(t, fired, shown) {
				t.Errorf("fire answered\n%s\nshow printed\n%s", fired, shown)
			}

			s.keys("y")
			s.waitBuffer("curl ")
			method, target, body := parseCurl(t, s.buffer())
			if method != want.Method || target != url+want.Target() || body != want.Body {
				t.Fatalf("curl sends %s %s %q; want %s %s %q", method, target, body, want.Method, url+want.Target(), want.Body)
			}
			_, answer := request(t, method, target, body, "Content-Type", want.ContentType)
			checkEchoed(t, "the copied curl", answer, tt.echoed(want))
			if !sameJSON(t, answer, shown) {
				t.Errorf("the copied curl got\n%s\nshow printed\n%s", answer, shown)
			}
			s.keys("q")
		})
	}
}

// buffer is tmux's paste buffer, where the app's copies land.
func (s *tmuxSession) buffer() string {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := exec.Command("tmux", "-L", s.name, "show-buffer").Output()
		if err == nil || time.Now().After(deadline) {
			return string(out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkEchoed checks an answer's top-level fields.
func checkEchoed(t *testing.T, what, answer string, want map[string]any) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal([]byte(answer), &got); err != nil {
		t.Fatalf("%s: not a JSON object: %v\n%s", what, err, answer)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %v; want %v", what, k, got[k], v)
		}
	}
}

// sameJSON compares two JSON texts as values.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// parseCurl reads the method, URL and body of a copied curl command.
func parseCurl(t *testing.T, cmd string) (method, url, body string) {
	t.Helper()
	words := shellWords(strings.ReplaceAll(cmd, "\\\n", " "))
	if len(words) == 0 || words[0] != "curl" {
		t.Fatalf("not a curl command: %q", cmd)
	}
	var data []string
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-X" && i+1 < len(words):
			i++
			method = words[i]
		case (w == "-d" || w == "-H") && i+1 < len(words):
			i++
			if w == "-d" {
				data = append(data, words[i])
			}
		case !strings.HasPrefix(w, "-"):
			url = w
		}
	}
	switch {
	case method != "":
	case len(data) > 0:
		method = "POST"
	default:
		method = "GET"
	}
	return method, url, strings.Join(data, "&")
}

// shellWords splits a command line as sh does for plain and single-quoted
// words, the only quoting a copied curl uses.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quoted, escaped := false, false, false
	for _, c := range s {
		switch {
		case escaped:
			w.WriteRune(c)
			escaped = false
		case quoted && c == '\'':
			quoted = false
		case quoted:
			w.WriteRune(c)
		case c == '\'':
			quoted, in = true, true
		case c == ' ' || c == '\n' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		case c == '\\':
			escaped, in = true, true
		default:
			w.WriteRune(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}
