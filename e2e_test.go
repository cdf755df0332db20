//go:build unix

package main

import (
	"bufio"
	"io"
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
	cmd := exec.Command(binary(t), append([]string{"serve", "--port", "0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
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

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer sk_test_123")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeEndToEnd(t *testing.T) {
	cmd, url, lines := startServe(t, "--set", "GET /v1/customers/:customer=error")
	code, body := get(t, url+"/v1/customers/cus_ABC")
	if code != 404 || !strings.Contains(body, "No such customer: 'cus_ABC'") {
		t.Errorf("got %d %s", code, body)
	}
	code, body = get(t, url+"/v1/customers/cus_ABC", "Prefer", "example=success")
	if code != 200 || !strings.Contains(body, `"id": "cus_ABC"`) {
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
