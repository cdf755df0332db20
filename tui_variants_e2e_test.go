//go:build unix

package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestTUIPinsAnyVariant: in a real 60x20 terminal, preview a money route's
// decline among its twelve tabs, pin it with p and watch a client get it;
// t puts the route back on auto.
func TestTUIPinsAnyVariant(t *testing.T) {
	bin := binary(t)
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := newTmux(t, 60, 20, fmt.Sprintf("%s --port %d", bin, port))
	s.waitFor("● serving")

	s.keys("/")
	s.typeText("POST /v1/charges")
	s.keys("Enter")
	s.waitFor("Create a charge")
	s.keys("Tab")
	s.waitFor("[● Success 200]", "›")
	s.keys("3")
	frame := s.waitFor("[○ card_declined/insufficient_… 402]", "Preview only")
	for _, line := range strings.Split(frame, "\n") {
		if strings.Contains(line, "card_declined/insufficient_") && !strings.Contains(line, "┃") && !strings.Contains(line, "│") {
			t.Fatalf("the tab row broke out of its pane:\n%s", frame)
		}
	}
	post := func() (int, string) {
		t.Helper()
		resp, err := http.Post(url+"/v1/charges", "application/x-www-form-urlencoded", strings.NewReader("amount=100&currency=usd"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := post(); code != 200 {
		t.Fatalf("previewing changed the server: %d", code)
	}
	s.keys("p")
	s.waitFor("[● card_declined/insufficient_… 402]", "1 err")
	if code, body := post(); code != 402 || !strings.Contains(body, `"decline_code":"insufficient_funds"`) {
		t.Fatalf("after p: %d %s", code, body)
	}
	s.keys("t")
	s.waitFor("0 err")
	if code, _ := post(); code != 200 {
		t.Fatalf("after t: %d; want the default again", code)
	}
}
