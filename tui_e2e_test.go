//go:build unix

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tmuxSession drives the built binary in a real terminal.
type tmuxSession struct {
	t    *testing.T
	name string
}

func newTmux(t *testing.T, width, height int, command string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run installs it")
		}
		t.Skip("tmux is not installed")
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, t.Name())
	s := &tmuxSession{t: t, name: fmt.Sprintf("routedeck-%s-%d", name, os.Getpid())}
	// A private server socket keeps the test away from the user's tmux.
	// The app runs as in a user's terminal: without CI, which makes the
	// colour library take the terminal for a pipe and drop every colour.
	s.run("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "env -u CI "+command+"; echo EXIT=$?; sleep 60")
	s.run("set-option", "-g", "set-clipboard", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.name, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.run(append([]string{"send-keys", "-t", s.name}, keys...)...)
}
func (s *tmuxSession) typeText(text string) { s.run("send-keys", "-t", s.name, "-l", text) }
func (s *tmuxSession) screen() string       { return s.run("capture-pane", "-p", "-t", s.name) }

// waitFor polls the screen until it shows every want, or fails with the last frame.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	// Generous: CI machines are shared and often loaded.
	deadline := time.Now().Add(20 * time.Second)
	for {
		frame := s.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(frame, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return frame
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q:\n%s", missing, frame)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmuxSession) waitBuffer(want string) {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, _ := exec.Command("tmux", "-L", s.name, "show-buffer").CombinedOutput()
		if strings.Contains(string(out), want) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("tmux's buffer never held %q; it holds:\n%.300s", want, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestTUIEndToEnd is the user's first session: filter to a route, switch
// it to error, watch an outside request get the error and show up in the
// log, switch back, fire a request and copy the body and the curl line.
func TestTUIEndToEnd(t *testing.T) {
	bin := binary(t)
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := newTmux(t, 120, 40, fmt.Sprintf("%s --port %d", bin, port))
	s.waitFor(" routes   ", "● serving "+url, "0 requests")

	s.keys("/")
	s.typeText("GET /v1/customers/:customer")
	s.keys("Enter")
	s.waitFor(" of ", "Retrieve a customer")
	s.keys("t")
	s.waitFor("✗ error", "● Error 404", "1 on error")

	code, body := get(t, url+"/v1/customers/cus_X")
	if code != 404 || !strings.Contains(body, "No such customer: 'cus_X'") {
		t.Fatalf("after t: got %d %s", code, body)
	}
	s.keys("l")
	s.waitFor("Request log", "/v1/customers/cus_X", "GET /v1/customers/:customer", "error", "404")
	s.keys("Escape")
	s.waitFor("● Error 404")

	s.keys("t")
	s.waitFor("● Success 200", "0 on error")
	if code, _ := get(t, url+"/v1/customers/cus_X"); code != 200 {
		t.Fatalf("after the second t: got %d", code)
	}

	s.keys("Enter")
	s.waitFor("200 OK", "Request-Id: req_")
	s.keys("c")
	s.waitFor("copied")
	s.waitBuffer(`"object": "customer"`)
	s.keys("y")
	s.waitBuffer("curl -sS " + url + "/v1/customers/cus_")

	s.keys("q")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond); err != nil {
			break // the server shut down with the UI
		}
		if time.Now().After(deadline) {
			t.Fatal("the server still answers after q")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTUIPortTaken opens the UI anyway and says how to fix it.
func TestTUIPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	s := newTmux(t, 100, 30, fmt.Sprintf("%s --port %d", binary(t), port))
	s.waitFor("not serving", "--port 0")
	s.keys("q")
}

// appPID is the pid of the command the session runs (the shell's child).
func (s *tmuxSession) appPID() int {
	s.t.Helper()
	shell := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{pane_pid}"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, _ := exec.Command("pgrep", "-P", shell).Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			var pid int
			fmt.Sscan(f[0], &pid)
			return pid
		}
		if time.Now().After(deadline) {
			s.t.Fatal("the app never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// SIGTERM stops the UI and the server cleanly at any moment, even while
// the program is still starting.
func TestTUISIGTERM(t *testing.T) {
	for _, early := range []bool{true, false} {
		t.Run(fmt.Sprintf("early=%v", early), func(t *testing.T) {
			s := newTmux(t, 100, 30, fmt.Sprintf("%s --port 0", binary(t)))
			pid := s.appPID()
			if !early {
				s.waitFor(" routes   ", "● serving")
			}
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			frame := s.waitFor("EXIT=")
			// Before the process installs its handler, SIGTERM ends it the
			// default way (143) before it has touched the terminal.
			if !strings.Contains(frame, "EXIT=0") && !(early && strings.Contains(frame, "EXIT=143")) {
				t.Errorf("exit after SIGTERM:\n%s", frame)
			}
			if strings.Contains(frame, " routes   ") {
				t.Errorf("the UI is still on screen after exit:\n%s", frame)
			}
		})
	}
}

// SIGHUP (the terminal went away, or a tmux pane was killed) ends the UI
// like SIGTERM does: the terminal is left out of the alternate screen.
func TestTUISIGHUPRestoresTerminal(t *testing.T) {
	s := newTmux(t, 100, 30, fmt.Sprintf("%s --port 0", binary(t)))
	pid := s.appPID()
	s.waitFor(" routes   ", "● serving")
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	frame := s.waitFor("EXIT=")
	if alt := strings.TrimSpace(s.run("display-message", "-p", "-t", s.name, "#{alternate_on}")); alt != "0" {
		t.Errorf("the terminal is still in the alternate screen after SIGHUP:\n%s", frame)
	}
	if strings.Contains(frame, " routes   ") {
		t.Errorf("the UI is still on screen after SIGHUP:\n%s", frame)
	}
}
