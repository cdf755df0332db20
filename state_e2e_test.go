//go:build unix

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stop ends serve with SIGINT, as Ctrl+C does, and waits for it.
func stopServe(t *testing.T, pid int, wait func() error) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// --state keeps the store across a restart; --seed none starts empty;
// --max-objects refuses a create past the cap.
func TestServeStateFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	cmd, url, _ := startServe(t, "--quiet", "--seed", "none", "--max-objects", "2", "--state", path)
	code, body := get(t, url+"/v1/customers")
	if code != 200 || !strings.Contains(body, `"data":[]`) {
		t.Fatalf("--seed none: GET /v1/customers: %d %s", code, body)
	}
	var ids []string
	for _, email := range []string{"a@example.com", "b@example.com"} {
		code, body := post(t, url+"/v1/customers", "email="+email)
		var c struct{ ID string }
		if code != 200 || json.Unmarshal([]byte(body), &c) != nil {
			t.Fatalf("create: %d %s", code, body)
		}
		ids = append(ids, c.ID)
	}
	code, body = post(t, url+"/v1/customers", "email=c@example.com")
	if code != 400 || !strings.Contains(body, "maximum of 2 objects") || !strings.Contains(body, "--max-objects") {
		t.Fatalf("past the cap: %d %s", code, body)
	}
	stopServe(t, cmd.Process.Pid, cmd.Wait)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no state file after exit: %v", err)
	}

	_, url, _ = startServe(t, "--quiet", "--strict", "--state", path)
	for i, id := range ids {
		code, body := get(t, url+"/v1/customers/"+id)
		if code != 200 || !strings.Contains(body, []string{"a@example.com", "b@example.com"}[i]) {
			t.Errorf("after restart, %s: %d %.200s", id, code, body)
		}
	}

	if err := os.WriteFile(path, []byte(`{"version":1,"objects":[{`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec_(t, "serve", "--port", "0", "--state", path)
	if err == nil || !strings.Contains(out, path) || !strings.Contains(out, "--state") {
		t.Errorf("a corrupt state file: err %v, output %q", err, out)
	}
}

// exec_ runs the binary to its end and returns its combined output.
func exec_(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() {
		out, err = cmd.CombinedOutput()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("routedeck %v did not end", args)
	}
	return string(out), err
}

func TestServeSeedFlagError(t *testing.T) {
	out, err := exec_(t, "serve", "--seed", "some")
	if err == nil || !strings.Contains(out, `--seed "some": want fixtures or none`) {
		t.Errorf("err %v, output %q", err, out)
	}
}
