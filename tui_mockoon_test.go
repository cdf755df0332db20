//go:build unix

package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// In a real terminal on a Mockoon file: a route behind another is listed
// marked ↳, and a preview shows the global variable a request set, then
// follows the next request that changes it.
func TestTUIMockoonPreviewShowsEnvironmentState(t *testing.T) {
	bin := binary(t)
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := newTmux(t, 140, 40, fmt.Sprintf("%s --port %d ui/testdata/mockoon.json", bin, port))
	s.waitFor("● serving "+url, "↳ /users", "after GET /users passes a request on")

	post := func(text string) {
		t.Helper()
		resp, err := http.Post(url+"/greeting", "application/json", strings.NewReader(`{"text": "`+text+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post("from tmux")
	s.keys("/")
	s.typeText("GET /greeting")
	s.keys("Enter")
	s.waitFor(`"greeting": "from tmux"`, `"first": "Ada"`)
	post("and again")
	s.waitFor(`"greeting": "and again"`)
	// The previews wrote nothing: a request still reads what requests set.
	if code, body := get(t, url+"/greeting"); code != 200 || !strings.Contains(body, `"greeting": "and again"`) || !strings.Contains(body, `"count": 2`) {
		t.Fatalf("GET /greeting after the previews: %d %s", code, body)
	}
	s.keys("q")
}
