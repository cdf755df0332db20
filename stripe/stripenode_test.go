package stripe_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/stripe"
)

// TestStripeNodeFlows drives the payment flows of the stripe-go flow tests
// with stripe-node (the version pinned in webhook/testdata/stripe-node),
// against the server `routedeck serve` runs: a second official client
// agrees. flows.js prints a line per flow and exits 1 when any assertion
// fails; the test fails with its output then. stripe-node is installed by
// that folder's setup.sh (.ci/run runs it; the test runs it when it is
// missing); without node or npm the test skips, except in CI.
func TestStripeNodeFlows(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "webhook", "testdata", "stripe-node"))
	if err != nil {
		t.Fatal(err)
	}
	unavailable := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (skipped outside CI; CI installs stripe-node with webhook/testdata/stripe-node/setup.sh)", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("stripe-node flows: node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "stripe", "package.json")); err != nil {
		if out, err := exec.Command(filepath.Join(dir, "setup.sh")).CombinedOutput(); err != nil {
			unavailable("stripe-node flows: installing stripe-node failed: %v: %s", err, out)
		}
	}
	_, ts := statefulServer(t, false, stripe.StateOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "flows.js"))
	cmd.Env = append(os.Environ(), "STRIPE_URL="+ts.URL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("stripe-node flows failed (%v):\n%s", err, out)
	}
	if !strings.Contains(string(out), "\n11 passed, 0 failed\n") {
		t.Fatalf("stripe-node did not pass all 11 flows:\n%s", out)
	}
	t.Logf("stripe-node:\n%s", out)
}
