//go:build unix

package main

import (
	"strings"
	"testing"
)

// `routedeck serve` answers Stripe's test cards and its log line says
// which test value decided the answer.
func TestServeSaysWhichTestCardDeclined(t *testing.T) {
	_, url, lines := startServe(t)
	code, body := post(t, url+"/v1/payment_intents", "amount=2000&currency=usd&confirm=true&payment_method=pm_card_chargeDeclinedInsufficientFunds")
	if code != 402 || !strings.Contains(body, `"decline_code":"insufficient_funds"`) && !strings.Contains(body, `"decline_code": "insufficient_funds"`) {
		t.Fatalf("status %d: %s", code, body)
	}
	if !lines.Scan() {
		t.Fatalf("no log line: %v", lines.Err())
	}
	if line := lines.Text(); !strings.Contains(line, " 402 ") || !strings.HasSuffix(line, " declined by pm_card_chargeDeclinedInsufficientFunds") {
		t.Errorf("log line %q does not say which test card declined", line)
	}
}
