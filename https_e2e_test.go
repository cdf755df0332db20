//go:build unix

package main

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// `serve` listens on HTTPS beside HTTP, as stripe-mock does, so a test
// suite written for stripe-mock (STRIPE_MOCK_PORT) runs against it.
func TestServeHTTPS(t *testing.T) {
	cmd := exec.Command(binary(t), "serve", "--port", "0", "--quiet")
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
	m := regexp.MustCompile(`https://127\.0\.0\.1:(\d+)`).FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("first line %q names no https URL", lines.Text())
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		ForceAttemptHTTP2: true,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
	}}
	// stripe-go's suite dials localhost, as here.
	res, err := client.Get("https://localhost:" + m[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.ProtoMajor != 2 || res.Header.Get("Stripe-Mock-Version") != "0.203.0" {
		t.Errorf("got %s with Stripe-Mock-Version %q; want HTTP/2 and 0.203.0", res.Proto, res.Header.Get("Stripe-Mock-Version"))
	}
}

// A taken HTTPS port is an error naming the port and the flag that moves it.
func TestServeHTTPSPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")
	out, err := exec.Command(binary(t), "serve", "--port", "0", "--https-port", port).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v; want 1: %s", err, out)
	}
	if !strings.Contains(string(out), "https port "+port) || !strings.Contains(string(out), "--https-port") {
		t.Errorf("message %q does not say which port and how to pick another", out)
	}
}
