package ui

import (
	"strings"
	"testing"
)

// A request whose test value decided its answer (a declined test card)
// says so in its log entry, escaped.
func TestLogEntryShowsTestValueReason(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	e := event(0, "POST", "/v1/payment_intents", "POST /v1/payment_intents", 402)
	e.Reason = "declined by pm_card_chargeDeclinedInsufficientFunds\x1b[31m"
	m, _ = send(t, m, requestMsg(e))
	m = press(t, m, keyRunes("l"), keyEnter)
	m.log.vp.Height = 200
	v := m.log.vp.View()
	checkSafe(t, "entry", v)
	if want := `why: declined by pm_card_chargeDeclinedInsufficientFunds\x1b[31m`; !strings.Contains(v, want) {
		t.Errorf("entry lacks %q:\n%s", want, v)
	}
}
