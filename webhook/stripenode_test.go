package webhook_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/webhook"
)

// nodeReceiver starts testdata/stripe-node/receiver.js, a handler that
// checks each delivery with stripe-node's constructEvent, and returns its
// URL. stripe-node is installed by testdata/stripe-node/setup.sh (which
// .ci/run runs); if it is missing the test runs the script, and skips
// only outside CI when npm cannot install it.
func nodeReceiver(t *testing.T, secret string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "stripe-node"))
	if err != nil {
		t.Fatal(err)
	}
	inCI := os.Getenv("CI") != ""
	unavailable := func(format string, args ...any) {
		t.Helper()
		if inCI {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (skipped outside CI; CI installs stripe-node with webhook/testdata/stripe-node/setup.sh)", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("stripe-node test: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "stripe", "package.json")); err != nil {
		out, err := exec.Command(filepath.Join(dir, "setup.sh")).CombinedOutput()
		if err != nil {
			unavailable("stripe-node test: installing stripe-node failed: %v: %s", err, out)
		}
	}
	cmd := exec.Command(node, filepath.Join(dir, "receiver.js"))
	cmd.Env = append(os.Environ(), "WEBHOOK_SECRET="+secret)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close() // receiver.js exits when its stdin ends
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				ready <- port
			}
		}
		close(ready)
	}()
	select {
	case port, ok := <-ready:
		if !ok {
			t.Fatal("receiver.js exited before listening")
		}
		return "http://127.0.0.1:" + port + "/webhook"
	case <-time.After(20 * time.Second):
		t.Fatal("receiver.js did not start within 20 s")
	}
	return ""
}

// Every event type, delivered by a Sender, passes stripe-node's
// constructEvent; a tampered body and a wrong secret do not.
func TestStripeNode(t *testing.T) {
	fx := fixtures(t)
	secret := webhook.NewSecret()
	url := nodeReceiver(t, secret)
	reg := webhook.NewRegistry()
	if _, err := reg.Add(webhook.EndpointParams{URL: url, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	s := webhook.NewSender(reg, webhook.Options{Retries: []time.Duration{}})
	defer s.Close()
	results, cancel := s.Subscribe(len(webhook.Types()))
	defer cancel()
	types := map[string]string{}
	for _, typ := range webhook.Types() {
		e := sampleEvent(t, fx, typ, "2026-08-26.dahlia")
		types[e.ID] = typ
		s.Send(e)
	}
	for range types {
		r := <-results
		if r.State != webhook.Delivered {
			t.Errorf("%s: stripe-node refused: %d %s%s", r.EventType, r.Attempt.Status, r.Attempt.Response, r.Attempt.Error)
			continue
		}
		var got struct{ ID, Type, Object string }
		if err := json.Unmarshal([]byte(r.Attempt.Response), &got); err != nil {
			t.Fatalf("receiver answered %q", r.Attempt.Response)
		}
		resource, _ := webhook.Resource(types[got.ID])
		if got.Type != types[got.ID] || got.Type != r.EventType || got.Object != resource {
			t.Errorf("stripe-node read %+v; sent %s", got, types[got.ID])
		}
	}

	body, _ := json.Marshal(sampleEvent(t, fx, "charge.succeeded", "2026-08-26.dahlia"))
	now := time.Now()
	for _, c := range []struct {
		name, body, header string
	}{
		{"tampered body", strings.Replace(string(body), `"succeeded"`, `"failed"`, 1), webhook.Sign(secret, now, body)},
		{"wrong secret", string(body), webhook.Sign(webhook.NewSecret(), now, body)},
		{"too old", string(body), webhook.Sign(secret, now.Add(-301*time.Second), body)},
	} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(c.body))
		req.Header.Set("Stripe-Signature", c.header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(msg), "error") {
			t.Errorf("%s: stripe-node answered %d %s; want 400 and its error", c.name, resp.StatusCode, msg)
		}
	}
}
