//go:build unix

package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestTUIReadmeFlippingRoutes runs the README's "Flipping routes while
// your app runs" walk-through in a real terminal, with the route and the
// keys the README names, and checks that each step does what it says.
func TestTUIReadmeFlippingRoutes(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### Flipping routes while your app runs")
	if !ok {
		t.Fatal("README lacks the flipping routes walk-through")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	m := regexp.MustCompile("Press `/` and type `([^`]+)`").FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("the walk-through no longer says which route to type:\n%s", section)
	}
	route := m[1]
	for _, claim := range []string{"Press `enter` to keep the filter, then `t`", "`1 on error`", "`402 card_declined`",
		"press `t` again\n   and it succeeds", "`T` again puts back", "`E` lists only the routes on error",
		"Press `enter` to fire the route yourself", "`c` to copy", "`esc` to clear the filter (the route stays selected)"} {
		if !strings.Contains(section, claim) {
			t.Fatalf("the walk-through changed; this test follows %q:\n%s", claim, section)
		}
	}

	s, url := startTUI(t, 120, 40)
	confirm := url + "/v1/payment_intents/pi_1/confirm"
	// 3. "/" and the route: selected as you type; enter, then t.
	s.keys("/")
	s.typeText(route)
	s.waitFor("Confirm that your customer intends to pay")
	s.keys("Enter")
	s.waitUntil("the filter kept", func(f string) bool { return !strings.Contains(f, "apply filter") })
	s.keys("t")
	s.waitFor("/confirm ✗", "1 on error")
	if code, body := post(t, confirm, "payment_method=pm_1"); code != 402 || !strings.Contains(body, `"card_declined"`) {
		t.Fatalf("the app's next confirm: %d %s", code, body)
	}
	s.keys("t")
	s.waitFor("0 on error")
	if code, _ := post(t, confirm, "payment_method=pm_1"); code != 200 {
		t.Fatalf("after t again: %d", code)
	}
	// 4. T: every route on error; T again: back to the routes on error before.
	s.keys("t")
	s.waitFor("1 on error")
	s.keys("T")
	frame := s.waitFor("now answer error")
	total := regexp.MustCompile(`(\d[\d,]*) routes`).FindStringSubmatch(frame)
	if total == nil || !strings.Contains(frame, total[1]+" on error") {
		t.Fatalf("T did not put every route on error:\n%s", frame)
	}
	if code, _ := get(t, url+"/v1/balance"); code < 400 {
		t.Fatalf("after T: balance answers %d", code)
	}
	s.keys("T")
	s.waitFor("1 on error", "back to the earlier mix")
	if code, _ := get(t, url+"/v1/balance"); code != 200 {
		t.Fatalf("after T again: balance answers %d", code)
	}
	s.keys("E")
	s.waitFor("1/1 of", "on error")
	s.keys("E")
	// 5. enter fires; c copies; esc clears the filter, the route stays selected.
	s.keys("Enter")
	s.waitFor("Response  402 Payment Required", `"code": "card_declined"`)
	s.keys("c")
	s.waitFor("copied")
	s.keys("Escape")
	// The whole list is redrawn after esc: a capture can catch it half
	// written, so wait for the frame to settle on the selected route (a
	// route left unselected fails after waitUntil's deadline, with the frame).
	s.waitUntil("the route still selected after esc", func(f string) bool {
		return !strings.Contains(f, "esc clear filter") && strings.Contains(f, "▌POST   /v1/payment_intents/:intent/confirm")
	})
}
