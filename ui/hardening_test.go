package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
)

// Several runes read at once reach the model as one key ("tj"); outside
// text inputs each rune is its own key.
func TestRunesTogetherAreSeparateKeys(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	first := selectedRoute(m.list)
	m = press(t, m, keyRunes("tj"))
	if got := f.srv.State().Active(first).Kind; got != catalog.Error {
		t.Errorf("after \"tj\": %s on %s; want error", first.Key(), got)
	}
	if got := selectedRoute(m.list); got == first {
		t.Errorf("after \"tj\": the cursor did not move")
	}
	// In the filter they stay text.
	m = press(t, m, keyRunes("/"), keyRunes("tj"))
	if got := m.list.FilterValue(); got != "tj" {
		t.Errorf("filter text = %q; want %q", got, "tj")
	}
}

// hostile is a request an attacker could send: escapes that retitle the
// terminal and write its clipboard, a newline forging a log line, and a
// secret key.
func hostile() requestMsg {
	e := event(0, "GET", "/v1/customers/\x1b]2;PWNED\x07x\nFORGED 200", "GET /v1/customers/:customer", 200)
	e.Query = "q=\x1b]52;c;ZWNobyBoaQ==\x07"
	e.RequestHeader = http.Header{
		"Authorization": {"Bearer sk_test_51HcBCDEFGHIJKLMNOP4242"},
		"X-Evil":        {"\x1b[2J\x9b31m"},
	}
	e.RequestBody = []byte("api_key=sk_live_ABCDEFGHIJKLMN9999&x=\x1b]0;t\x07")
	e.ResponseHeader = http.Header{"Content-Type": {"text/plain"}}
	e.ResponseBody = "plain \x1b]2;BODY\x07 text"
	return requestMsg(e)
}

func checkSafe(t *testing.T, where, view string) {
	t.Helper()
	if strings.ContainsAny(view, "\x1b\x07\x9b") {
		t.Errorf("%s: a control character reached the screen:\n%q", where, view)
	}
	for _, secret := range []string{"sk_test_51HcBCDEFGHIJKLMNOP4242", "sk_live_ABCDEFGHIJKLMN9999"} {
		if strings.Contains(view, secret) {
			t.Errorf("%s: the secret %s is shown whole", where, secret)
		}
	}
	if strings.Contains(view, "\nFORGED") || strings.Contains(view, "│FORGED") {
		t.Errorf("%s: a newline in the path forged a line:\n%s", where, view)
	}
}

func TestRequestTextIsEscapedAndSecretsMasked(t *testing.T) {
	m, _ := newFixture(t, 200, 40)
	m, _ = send(t, m, hostile())
	m = press(t, m, keyRunes("l"))
	v := m.View()
	checkSafe(t, "log", v)
	if !strings.Contains(v, `\x1b]2;PWNED\x07x\nFORGED`) {
		t.Errorf("the log does not show the path escaped:\n%s", v)
	}
	m = press(t, m, keyEnter)
	m.log.vp.Height = 200
	v = m.log.vp.View()
	checkSafe(t, "entry", v)
	for _, want := range []string{"sk_test_…4242", "sk_live_…9999", `\x1b[2J`, `\x1b]2;BODY\x07`} {
		if !strings.Contains(v, want) {
			t.Errorf("entry lacks %q:\n%s", want, v)
		}
	}
}

// A request's warnings (unknown parameters, from the Stripe rules) show in
// its log entry, escaped.
func TestLogEntryShowsWarnings(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	e := event(0, "POST", "/v1/customers", "POST /v1/customers", 200)
	e.Warnings = []string{"unknown parameter nickname", "unknown parameter x\x1b[31m"}
	m, _ = send(t, m, requestMsg(e))
	m = press(t, m, keyRunes("l"), keyEnter)
	m.log.vp.Height = 200
	v := m.log.vp.View()
	checkSafe(t, "entry", v)
	for _, want := range []string{"warning: unknown parameter nickname", `warning: unknown parameter x\x1b[31m`} {
		if !strings.Contains(v, want) {
			t.Errorf("entry lacks %q:\n%s", want, v)
		}
	}
}

func TestNoticesAreEscaped(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m.setNotice("GET /v1/\x1b]2;x\x07 failed\nline", true)
	checkSafe(t, "notice", m.View())
	if !strings.Contains(m.View(), `GET /v1/\x1b]2;x\x07 failed\nline`) {
		t.Errorf("notice not shown escaped:\n%s", m.View())
	}
}

func TestFiredResponseIsEscaped(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	res := &firedResult{
		method: "GET", target: "/v1/customers/\x1b]2;T\x07", status: 200,
		header:   http.Header{"Content-Type": {"text/plain"}, "X-Echo": {"\x1b]52;c;AAAA\x07"}},
		respBody: "body \x1b]2;B\x07",
	}
	m, _ = send(t, m, firedMsg{seq: m.fireSeq, route: m.detail.route, res: res})
	m.detail.vp.Height = 200
	m.detail.refresh()
	checkSafe(t, "fired", m.detail.vp.View()+m.View())
}

var _ = tea.KeyMsg{}

// y in the log copies the logged request as curl (defect 8 of issue 7).
func TestLogCopiesCurl(t *testing.T) {
	m, f := newFixture(t, 120, 40)
	e := event(0, "POST", "/v1/customers", "POST /v1/customers", 200)
	e.Query = "expand[]=sources"
	e.RequestBody = []byte("email=jenny%40example.com&name=Jenny")
	e.RequestHeader = http.Header{"Idempotency-Key": {"k1"}, "Authorization": {"Bearer sk_test_123456789"}}
	m, _ = send(t, m, requestMsg(e))
	m = press(t, m, keyRunes("l"), keyRunes("y"))
	got := f.lastCopied(t)
	want := "curl -sS 'http://127.0.0.1:12111/v1/customers?expand[]=sources' \\\n  -H 'Idempotency-Key: k1' \\\n  -d email=jenny%40example.com \\\n  -d name=Jenny"
	if got != want {
		t.Errorf("copied\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(m.notice.text, "copied") || !strings.Contains(m.notice.text, "curl command") {
		t.Errorf("notice = %q", m.notice.text)
	}
}
