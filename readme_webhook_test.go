//go:build unix

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readmeSection is the README's section under heading, up to the next
// "## " heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README.md has no %q", heading)
	}
	s = s[i+len(heading)+2:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// fenced returns the fenced blocks of lang in s, in order.
func fenced(s, lang string) []string {
	var out []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// startReceiver runs cmd and waits until addr accepts connections.
func startReceiver(t *testing.T, cmd *exec.Cmd, addr string) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "receiver")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(out.Name())
			t.Fatalf("%s did not listen on %s within 30 s: %s", cmd.Path, addr, log)
		}
	}
}

// The README's "Test your webhook handler offline": its stripe-go and
// stripe-node handlers, run as written (on a free port instead of 4242),
// and its trigger commands, run against them.
func TestReadmeWebhookReceivers(t *testing.T) {
	sec := readmeSection(t, "## Test your webhook handler offline")
	goSrc, jsSrc := fenced(sec, "go"), fenced(sec, "js")
	if len(goSrc) != 1 || len(jsSrc) != 1 {
		t.Fatalf("want one Go and one JavaScript handler in the section; found %d and %d", len(goSrc), len(jsSrc))
	}
	var triggers []string
	for _, block := range fenced(sec, "sh") {
		for _, line := range strings.Split(block, "\n") {
			if strings.HasPrefix(line, "routedeck trigger ") {
				triggers = append(triggers, line)
			}
		}
	}
	if len(triggers) != 2 || strings.Contains(triggers[0], "--api-version") || !strings.Contains(triggers[1], "--api-version 2025-08-27.basil") {
		t.Fatalf("want the two trigger commands, the second with --api-version 2025-08-27.basil: %q", triggers)
	}
	bin := binary(t)
	// trigger runs a README command against the handler on port and
	// returns its exit code and output.
	trigger := func(line string, port int) (int, string) {
		args := strings.Fields(strings.ReplaceAll(line, "127.0.0.1:4242", fmt.Sprintf("127.0.0.1:%d", port)))[2:]
		out, err := exec.Command(bin, append([]string{"trigger"}, args...)...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}

	t.Run("stripe-go", func(t *testing.T) {
		if !strings.Contains(goSrc[0], `"127.0.0.1:4242"`) {
			t.Fatalf("the Go handler does not listen on 127.0.0.1:4242:\n%s", goSrc[0])
		}
		// A main package inside the module, so that it builds with the
		// module's stripe-go; "_" keeps it out of ./... patterns.
		dir, err := os.MkdirTemp(".", "_readme_go_")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		port := freePort(t)
		src := strings.Replace(goSrc[0], `"127.0.0.1:4242"`, fmt.Sprintf(`"127.0.0.1:%d"`, port), 1)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		exe := filepath.Join(t.TempDir(), "receiver")
		if out, err := exec.Command("go", "build", "-o", exe, "./"+dir).CombinedOutput(); err != nil {
			t.Fatalf("the README's Go handler does not build: %v\n%s", err, out)
		}
		startReceiver(t, exec.Command(exe), fmt.Sprintf("127.0.0.1:%d", port))
		// As the README says: stripe-go refuses the catalog's API version
		// and takes the one --api-version names.
		if code, out := trigger(triggers[0], port); code != 1 || !strings.Contains(out, "400") {
			t.Errorf("%s\nagainst stripe-go: exit %d, %s; want 1 and the handler's 400", triggers[0], code, out)
		}
		if code, out := trigger(triggers[1], port); code != 0 || !strings.Contains(out, "delivered customer.created evt_") {
			t.Errorf("%s\nagainst stripe-go: exit %d, %s; want it delivered", triggers[1], code, out)
		}
	})

	t.Run("stripe-node", func(t *testing.T) {
		dir, err := filepath.Abs(filepath.Join("webhook", "testdata", "stripe-node"))
		if err != nil {
			t.Fatal(err)
		}
		node, err := exec.LookPath("node")
		if err == nil {
			_, err = os.Stat(filepath.Join(dir, "node_modules", "stripe", "package.json"))
		}
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("node or stripe-node is missing (webhook/testdata/stripe-node/setup.sh installs it): %v", err)
			}
			t.Skipf("node or stripe-node is missing (webhook/testdata/stripe-node/setup.sh installs it): %v", err)
		}
		if !strings.Contains(jsSrc[0], ".listen(4242, '127.0.0.1')") {
			t.Fatalf("the Node handler does not listen on 127.0.0.1:4242:\n%s", jsSrc[0])
		}
		port := freePort(t)
		f, err := os.CreateTemp(dir, "readme-receiver-*.js")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(f.Name()) })
		src := strings.Replace(jsSrc[0], ".listen(4242, '127.0.0.1')", fmt.Sprintf(".listen(%d, '127.0.0.1')", port), 1)
		if _, err := f.WriteString(src); err != nil {
			t.Fatal(err)
		}
		f.Close()
		startReceiver(t, exec.Command(node, f.Name()), fmt.Sprintf("127.0.0.1:%d", port))
		for _, line := range triggers {
			if code, out := trigger(line, port); code != 0 || !strings.Contains(out, "delivered ") || !strings.Contains(out, ": 200 in ") {
				t.Errorf("%s\nagainst stripe-node: exit %d, %s; want it delivered", line, code, out)
			}
		}
		// And a wrong secret is refused by the handler as written.
		wrong := strings.Replace(triggers[0], "whsec_test_123", "whsec_another_secret", 1)
		if code, out := trigger(wrong, port); code != 1 || !strings.Contains(out, "400") {
			t.Errorf("%s\nagainst stripe-node: exit %d, %s; want 1 and the handler's 400", wrong, code, out)
		}
	})
}
