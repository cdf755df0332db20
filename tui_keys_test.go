//go:build unix

package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startTUI runs the app on a free port in a w×h tmux session and waits
// for its first frame.
func startTUI(t *testing.T, w, h int, args ...string) (*tmuxSession, string) {
	t.Helper()
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := newTmux(t, w, h, fmt.Sprintf("%s --port %d %s", binary(t), port, strings.Join(args, " ")))
	s.waitFor("● ", "┗")
	return s, url
}

// waitUntil polls the screen until ok accepts it.
func (s *tmuxSession) waitUntil(what string, ok func(frame string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		frame := s.screen()
		if ok(frame) {
			return frame
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s:\n%s", what, frame)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// filterTo types a filter and applies it.
func (s *tmuxSession) filterTo(term string) {
	s.keys("/")
	s.waitFor("/ ")
	s.typeText(term)
	s.waitFor(term)
	s.keys("Enter")
	s.waitUntil("the filter applied", func(f string) bool { return !strings.Contains(f, "apply filter") })
}

// Issue 7, defect 1: the README's flow, filter to confirm and press t,
// flips confirm, and a client's next confirm gets the 402.
func TestTUIFilterThenToggle(t *testing.T) {
	s, url := startTUI(t, 120, 40)
	s.keys("/")
	s.typeText("POST /v1/payment_intents/:intent/confirm")
	// The exact match is selected while typing: the detail shows it.
	s.waitFor("Confirm that your customer intends to pay")
	s.keys("Enter")
	s.waitFor("esc clear filter")
	s.keys("t")
	s.waitFor("/confirm ✗", "1 on error")
	code, body := post(t, url+"/v1/payment_intents/pi_1/confirm", "")
	if code != 402 || !strings.Contains(body, "card_declined") {
		t.Fatalf("confirm after t: %d %s", code, body)
	}
}

// Issue 7, defect 2: cancelling a filter keeps the route selected before.
func TestTUIFilterCancelKeepsSelection(t *testing.T) {
	s, _ := startTUI(t, 120, 40)
	s.filterTo("GET /v1/customers/:customer")
	s.keys("Escape")
	s.waitUntil("the filter cleared", func(f string) bool { return strings.Contains(f, "┃Routes ") })
	for _, end := range []string{"Escape", "Enter"} {
		s.keys("/")
		s.typeText("zzzqqq")
		s.waitFor("Nothing matched")
		s.keys(end)
		s.waitUntil("the filter gone after "+end, func(f string) bool { return !strings.Contains(f, "zzzqqq") })
		s.keys("t")
		s.waitFor("1 on error")
		frame := s.waitFor("GET /v1/customers/:customer now answers error")
		if strings.Contains(frame, "3d_secure now answers") {
			t.Fatalf("after %s the wrong route flipped:\n%s", end, frame)
		}
		s.keys("t")
		s.waitFor("0 on error")
	}
}

// Issue 7, defect 3: at a size too small to draw, keys do nothing but q.
func TestTUITooSmallIgnoresKeys(t *testing.T) {
	s, url := startTUI(t, 120, 40)
	s.run("resize-window", "-t", s.name, "-x", "30", "-y", "8")
	s.waitFor("terminal too small")
	s.keys("j", "t", "T", "Enter", "l")
	s.run("resize-window", "-t", s.name, "-x", "120", "-y", "40")
	frame := s.waitFor("0 on error", "0 requests")
	if !strings.Contains(frame, "▌POST   /v1/3d_secure") {
		t.Errorf("j moved the cursor while the terminal was too small:\n%s", frame)
	}
	if code, _ := get(t, url+"/v1/customers/cus_1"); code != 200 {
		t.Errorf("a route was flipped while too small: %d", code)
	}
	s.run("resize-window", "-t", s.name, "-x", "30", "-y", "8")
	s.waitFor("terminal too small")
	s.keys("q")
	s.waitFor("EXIT=0")
}

// Issue 7, defect 4: help fits: the full help at 80x24 lists every key,
// and the short help keeps "? help" and "q quit" at 40 columns.
func TestTUIHelpFits(t *testing.T) {
	s, _ := startTUI(t, 80, 24)
	s.keys("?")
	frame := s.waitFor("Keys")
	for _, want := range []string{"l          request log", "esc", "?          close help", "q          quit", "toggle error", "copy curl"} {
		if !strings.Contains(frame, want) {
			t.Errorf("help at 80x24 lacks %q:\n%s", want, frame)
		}
	}
	s.keys("Escape")
	s.run("resize-window", "-t", s.name, "-x", "40", "-y", "12")
	frame = s.waitUntil("the short help at 40 columns", func(f string) bool { return strings.Contains(f, "? help") })
	if !strings.Contains(frame, "q quit") {
		t.Errorf("short help at 40 columns lacks q quit:\n%s", frame)
	}
	s.keys("?")
	s.waitFor("close help")
	// At 40x12 the help scrolls: its last key is reachable.
	for range 20 {
		s.keys("j")
	}
	s.waitFor("q", "quit")
}

// Issue 7, defect 5: a fired response is in view at 120x40 and 80x24.
func TestTUIFiredResponseInView(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s, _ := startTUI(t, size[0], size[1])
			s.filterTo("POST /v1/payment_intents/:intent/confirm")
			s.keys("Enter")
			s.waitFor("Response  200 OK", "Content-Type: application/json", "Request-Id: req_", `"object": "payment_intent"`)
		})
	}
}

// Issue 7, defect 7: the list scrolls a row at a time and shows where it is.
func TestTUIListScrolls(t *testing.T) {
	s, _ := startTUI(t, 80, 24)
	top := func(f string) string { return strings.Split(f, "\n")[3] } // first route row
	first := top(s.screen())
	for range 25 {
		s.keys("j")
	}
	// The cursor sits on the last row, one page would have jumped. The
	// screen is read until it shows that, not at the first "26/": under
	// load tmux may be read while the frame is half drawn.
	frame := s.waitUntil("26/, the list scrolled, with the cursor on the last row", func(f string) bool {
		rows := strings.Split(f, "\n")
		return strings.Contains(f, "26/") && len(rows) > 6 && top(f) != first &&
			(strings.Contains(rows[len(rows)-5], "▌") || strings.Contains(rows[len(rows)-6], "▌"))
	})
	s.keys("j")
	s.waitUntil("27/, scrolled by one row", func(f string) bool {
		return strings.Contains(f, "27/") && strings.Split(f, "\n")[3] == strings.Split(frame, "\n")[4]
	})
	s.keys("End")
	frame = s.waitUntil("the last route selected", func(f string) bool {
		m := regexp.MustCompile(`(\d+)/(\d+)┃`).FindStringSubmatch(f)
		return m != nil && m[1] == m[2]
	})
	if !regexp.MustCompile(`▌\w+ +/v1/`).MatchString(frame) {
		t.Errorf("end shows no selected route:\n%s", frame)
	}
}

// Issue 7, defect 9: with tmux's set-clipboard off and no system
// clipboard, the copy still lands in tmux's buffer, and the app says so.
func TestTUICopySaysWhere(t *testing.T) {
	s, _ := startTUI(t, 120, 40)
	s.run("set-option", "-g", "set-clipboard", "off")
	s.keys("c")
	s.waitFor("tmux's paste buffer")
	s.waitBuffer(`"object": "three_d_secure"`)
}

// Issue 7, defect 11: the header is one row at every width.
func TestTUIHeaderOneRow(t *testing.T) {
	s, _ := startTUI(t, 120, 40)
	for _, w := range []int{80, 60, 40} {
		s.run("resize-window", "-t", s.name, "-x", fmt.Sprint(w), "-y", "10")
		frame := s.waitUntil(fmt.Sprintf("the frame redrawn at %d columns", w), func(f string) bool {
			for _, l := range strings.Split(f, "\n") {
				if strings.HasPrefix(l, "┗") && strings.HasSuffix(l, "┛") && len([]rune(l)) == w {
					return true
				}
			}
			return false
		})
		if !strings.HasPrefix(strings.Split(frame, "\n")[1], "┏") {
			t.Errorf("at %dx10 the header takes more than one row:\n%s", w, frame)
		}
		if !strings.Contains(strings.Split(frame, "\n")[0], "err") {
			t.Errorf("at %dx10 the header lost the error count:\n%s", w, frame)
		}
	}
}

// Issue 7, defect 12: paths are shortened in the middle, so confirm,
// cancel and capture stay apart, in the list and the log.
func TestTUIPathsKeepLastSegment(t *testing.T) {
	s, url := startTUI(t, 60, 20)
	s.filterTo("payment_intents/:intent/c")
	frame := s.waitFor("/confirm", "/cancel", "/capture")
	_ = frame
	post(t, url+"/v1/payment_intents/pi_1/capture", "")
	s.keys("l")
	s.waitFor("/capture")
}

// Issue 7, defect 15: --no-serve offers neither firing nor the log.
func TestTUINoServeShowsOnlyWhatWorks(t *testing.T) {
	s := newTmux(t, 120, 40, binary(t)+" --no-serve")
	frame := s.waitFor(" routes   ", "browsing only")
	for _, absent := range []string{"fire", "request log"} {
		if strings.Contains(frame, absent) {
			t.Errorf("--no-serve offers %q:\n%s", absent, frame)
		}
	}
	s.keys("Enter", "l")
	s.keys("t")
	frame = s.waitFor("the preview shows error")
	if strings.Contains(frame, "Request log") || strings.Contains(frame, "now answers") {
		t.Errorf("--no-serve:\n%s", frame)
	}
}

// post sends a form POST the way Stripe's clients do.
func post(t *testing.T, url, form string) (int, string) {
	t.Helper()
	return request(t, http.MethodPost, url, form, "Authorization", "Bearer sk_test_123", "Content-Type", "application/x-www-form-urlencoded")
}

// The mouse: the app asks the terminal for clicks and the wheel, and a
// click selects a route; --no-mouse leaves the mouse to the terminal.
func TestTUIMouse(t *testing.T) {
	s, _ := startTUI(t, 120, 40)
	flag := func() string {
		return strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{mouse_button_flag}"))
	}
	if got := flag(); got != "1" {
		t.Fatalf("the app did not ask for mouse events (mouse_button_flag %q)", got)
	}
	// A left click (SGR encoding, 1-based) on the fourth route row.
	frame := s.screen()
	row := 0
	for i, l := range strings.Split(frame, "\n") {
		if strings.Contains(l, "DELETE /v1/account ") {
			row = i
		}
	}
	if row == 0 {
		t.Fatalf("no DELETE /v1/account row:\n%s", frame)
	}
	var hex []string
	for _, b := range []byte(fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", 10, row+1, 10, row+1)) {
		hex = append(hex, fmt.Sprintf("%02x", b))
	}
	s.run(append([]string{"send-keys", "-t", s.name, "-H"}, hex...)...)
	s.waitFor("▌DELETE /v1/account ", "Delete an account")

	t.Run("no-mouse", func(t *testing.T) {
		s := newTmux(t, 120, 40, binary(t)+" --port 0 --no-mouse")
		s.waitFor("● serving")
		if got := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{mouse_button_flag}")); got != "0" {
			t.Errorf("--no-mouse: the app still asks for mouse events (mouse_button_flag %q)", got)
		}
	})
}

// Issue 6, defect 4: keys typed faster than the app reads them arrive
// together ("ttt…"); each is still a key. 101 t presses sent at once
// leave the route on error, and j j j move three rows.
func TestTUIKeysReadTogether(t *testing.T) {
	s, _ := startTUI(t, 120, 40)
	s.typeText(strings.Repeat("t", 101) + "jjj")
	frame := s.waitFor("1 on error", "4/")
	if !strings.Contains(frame, "▌") || !strings.Contains(frame, "POST   /v1/3d_secure ✗") {
		t.Errorf("the first route is not the one on error:\n%s", frame)
	}
}

// Issue 6, defect 1: what a request carries never reaches the terminal
// raw: an escape that would retitle the terminal shows escaped in the
// log and its entry, and the Authorization key is masked.
func TestTUIRequestCannotRetitleTerminal(t *testing.T) {
	s, url := startTUI(t, 120, 40)
	before := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{pane_title}"))
	request(t, http.MethodGet, url+"/v1/customers/%1b%5d2;PWNED%07x%0aFORGED", "", "Authorization", "Bearer sk_test_51HcSECRETSECRET4242")
	s.keys("l")
	s.waitFor(`\x1b]2;PWNED\x07x\nFORGED`)
	s.keys("Enter")
	frame := s.waitFor("Request headers", "sk_test_…4242")
	if strings.Contains(frame, "SECRETSECRET") {
		t.Errorf("the key is shown whole:\n%s", frame)
	}
	if after := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{pane_title}")); after != before || strings.Contains(after, "PWNED") {
		t.Errorf("a request retitled the terminal: %q -> %q", before, after)
	}
}
