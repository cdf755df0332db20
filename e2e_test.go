//go:build unix

package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds routedeck once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "routedeck-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "routedeck")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

// startServe runs `routedeck serve` and returns its base URL and its log lines.
func startServe(t *testing.T, args ...string) (*exec.Cmd, string, *bufio.Scanner) {
	t.Helper()
	return startServeStderr(t, os.Stderr, args...)
}

// get sends a GET with a test key, and the header pairs given.
func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	return request(t, http.MethodGet, url, "", append([]string{"Authorization", "Bearer sk_test_123"}, header...)...)
}

// request sends method to url with body and the header pairs given, and
// returns the answer's status and body.
func request(t *testing.T, method, url, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

func TestServeEndToEnd(t *testing.T) {
	cmd, url, lines := startServe(t, "--set", "GET /v1/customers/:customer=error")
	code, body := get(t, url+"/v1/customers/cus_ABC")
	if code != 404 || !strings.Contains(body, "No such customer: 'cus_ABC'") {
		t.Errorf("got %d %s", code, body)
	}
	code, body = get(t, url+"/v1/customers/cus_ABC", "Prefer", "example=success")
	if code != 200 || !regexp.MustCompile(`"id":\s*"cus_ABC"`).MatchString(body) {
		t.Errorf("got %d %s", code, body)
	}
	if !lines.Scan() || !strings.Contains(lines.Text(), "GET /v1/customers/cus_ABC 404 error GET /v1/customers/:customer") {
		t.Errorf("log line %q", lines.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGINT; want 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
}

func TestServePortInUse(t *testing.T) {
	_, url, _ := startServe(t)
	port := url[strings.LastIndex(url, ":")+1:]
	out, err := exec.Command(binary(t), "serve", "--port", port).CombinedOutput()
	if code := exitCode(err); code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	if !strings.Contains(string(out), "port "+port) || !strings.Contains(string(out), "--port") {
		t.Errorf("message %q does not say which port and how to pick another", out)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// Whatever a request holds, serve prints it as one line of printable text:
// control characters escaped (no retitled terminal, no forged log line),
// Stripe secrets masked.
func TestServeLogLineIsEscaped(t *testing.T) {
	_, url, lines := startServe(t)
	code, _ := get(t, url+"/v1/customers/%1b%5d2;PWNED%07x%0a12:00:00.000%20GET%20forged%20200?key=sk_test_51SecretKey4242&c=%9b31m&sk_live_51NameSecret9999=1")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	if !lines.Scan() {
		t.Fatalf("no log line: %v", lines.Err())
	}
	line := lines.Text()
	for _, c := range line {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) {
			t.Fatalf("log line holds control character %U: %q", c, line)
		}
	}
	for _, want := range []string{`/v1/customers/\x1b]2;PWNED\x07x\n12:00:00.000 GET forged 200`, "key=sk_test_…4242", " 200 success GET /v1/customers/:customer "} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q does not contain %q", line, want)
		}
	}
	if strings.Contains(line, "SecretKey") || strings.Contains(line, "NameSecret") {
		t.Errorf("log line shows a secret key: %q", line)
	}
	// The next request is the next line: nothing was forged in between.
	get(t, url+"/v1/customers/cus_next")
	if !lines.Scan() || !strings.Contains(lines.Text(), "GET /v1/customers/cus_next 200") {
		t.Errorf("next line %q", lines.Text())
	}
}

// Beyond loopback, serve says on stderr that the mock is reachable from the
// network, and prints a URL that works.
func TestServeBeyondLoopbackWarns(t *testing.T) {
	for _, tc := range []struct {
		host string
		warn bool
	}{{"0.0.0.0", true}, {"::", true}, {"127.0.0.1", false}, {"localhost", false}} {
		t.Run(tc.host, func(t *testing.T) {
			if ln, err := net.Listen("tcp", net.JoinHostPort(tc.host, "0")); err != nil {
				t.Skipf("this machine cannot listen on %s: %v", tc.host, err)
			} else {
				ln.Close()
			}
			cmd := exec.Command(binary(t), "serve", "--port", "0", "--host", tc.host)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
			lines := bufio.NewScanner(stdout)
			if !lines.Scan() {
				t.Fatalf("serve printed nothing; stderr %q", stderr.String())
			}
			url := regexp.MustCompile(`http://\S+`).FindString(lines.Text())
			if url == "" {
				t.Fatalf("first line %q names no URL", lines.Text())
			}
			// http://[::]:PORT and http://0.0.0.0:PORT are not addresses a
			// browser or another machine's client can use.
			if strings.Contains(url, "[::]") || strings.Contains(url, "0.0.0.0") {
				t.Errorf("printed URL %s is not one a client can use", url)
			}
			if code, _ := get(t, url+"/v1/customers/cus_1"); code != 200 {
				t.Errorf("%s: status %d", url, code)
			}
			_ = cmd.Process.Signal(syscall.SIGINT)
			_ = cmd.Wait()
			warned := strings.Contains(stderr.String(), "reachable from the network")
			if warned != tc.warn {
				t.Errorf("--host %s: stderr %q; want a warning: %v", tc.host, stderr.String(), tc.warn)
			}
			if tc.warn && strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("want one warning line, got %q", stderr.String())
			}
		})
	}
}

// stalledRequest opens a request that announces a body and never sends it,
// so a graceful shutdown has to wait for it. It returns once the handler is
// waiting for the body: with Expect: 100-continue, net/http says "100
// Continue" when the handler starts reading.
func stalledRequest(t *testing.T, url string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /v1/charges HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n")
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("the server did not start reading the body: %q %v", line, err)
	}
}

// waitExit waits up to limit for cmd to end and returns its exit code, how
// long it took, and its stderr.
func waitExit(t *testing.T, cmd *exec.Cmd, lines *bufio.Scanner, limit time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		return exitCode(err), time.Since(start)
	case <-time.After(limit):
		t.Fatalf("serve still running after %v", limit)
		return 0, 0
	}
}

// A second Ctrl+C (or SIGTERM) ends serve at once, with exit code 130 and a
// line saying what was cut off.
func TestServeSecondSignalStopsAtOnce(t *testing.T) {
	var stderr strings.Builder
	cmd, url, lines := startServeStderr(t, &stderr)
	stalledRequest(t, url)
	_ = cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(300 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	code, took := waitExit(t, cmd, lines, 4*time.Second)
	if code != 130 || took > 2*time.Second {
		t.Errorf("exit %d after %v; want 130 at once", code, took)
	}
	if !strings.Contains(stderr.String(), "stopped at once: 1 request was cut off") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// Running out of the shutdown grace exits 1 and says how many requests were
// cut off, not "context deadline exceeded".
func TestServeShutdownGraceRunsOut(t *testing.T) {
	var stderr strings.Builder
	cmd, url, lines := startServeStderr(t, &stderr)
	stalledRequest(t, url)
	_ = cmd.Process.Signal(syscall.SIGINT)
	code, took := waitExit(t, cmd, lines, 10*time.Second)
	if code != 1 || took < 4*time.Second {
		t.Errorf("exit %d after %v; want 1 after the 5s grace", code, took)
	}
	// First what the wait is for and how to skip it, then what it cost.
	if !strings.Contains(stderr.String(), "waiting up to 5s for 1 request to finish (Ctrl+C again stops at once)") ||
		!strings.Contains(stderr.String(), "1 request was cut off") || strings.Contains(stderr.String(), "deadline exceeded") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// startServeStderr is startServe with stderr going to stderr.
func startServeStderr(t *testing.T, stderr io.Writer, args ...string) (*exec.Cmd, string, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--port", "0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("serve printed nothing: %v", lines.Err())
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(lines.Text())
	if url == "" {
		t.Fatalf("first line %q names no URL", lines.Text())
	}
	return cmd, url, lines
}
