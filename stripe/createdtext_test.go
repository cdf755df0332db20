package stripe_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/stripe"
)

// A stored create answers from its fill (its template's pieces and its
// values, never joined on the way), and every reader of the charge gets
// the same bytes: the client's answer (compact, with its length), a GET
// of the charge, the event handed to the webhooks, the event GET
// /v1/events/:id gives, and curl's indented answer. Creates of several
// shapes, each many times: the first ones prepare the fill, the rest
// fill it.
func TestStoredCreateReadsAlike(t *testing.T) {
	got := &raised{}
	_, ts := statefulServer(t, false, stripe.StateOptions{Events: got.add})
	do := func(method, path, ua string, form url.Values) (string, *http.Response) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s (%v)", method, path, resp.StatusCode, b, err)
		}
		return string(b), resp
	}
	const client = "Stripe/v1 GoBindings/82.5.1"
	forms := []url.Values{
		{"amount": {"2000"}, "currency": {"usd"}, "source": {"tok_visa"}},
		{"amount": {"123456"}, "currency": {"eur"}, "source": {"tok_visa"}, "description": {`caf\u00e9 "x" failed`}},
		{"amount": {"2000"}, "currency": {"usd"}, "source": {"tok_mastercard"}, "metadata[order]": {"7"}},
		{"amount": {"900"}, "currency": {"usd"}, "source": {"tok_visa"}, "capture": {"false"}},
	}
	for _, form := range forms {
		for i := range 5 {
			from := got.len()
			body, resp := do(http.MethodPost, "/v1/charges", client, form)
			if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Fatalf("Content-Length %s for %d bytes", resp.Header.Get("Content-Length"), len(body))
			}
			var ch struct{ ID, Status string }
			if err := json.Unmarshal([]byte(body), &ch); err != nil || ch.ID == "" {
				t.Fatalf("create %v #%d answered %.200s (%v)", form, i, body, err)
			}
			if stored, _ := do(http.MethodGet, "/v1/charges/"+ch.ID, client, nil); stored != body {
				t.Fatalf("GET %s = %.200s; the create answered %.200s", ch.ID, stored, body)
			}
			types, events := got.since(from)
			if len(events) != 1 || types[0] != "charge.succeeded" {
				t.Fatalf("create %v raised %v; want charge.succeeded", form, types)
			}
			if obj := string(events[0].Data.Object.JSON()); obj != body {
				t.Fatalf("the webhooks' event holds %.200s; the create answered %.200s", obj, body)
			}
			logged, _ := do(http.MethodGet, "/v1/events/"+events[0].ID, client, nil)
			var ev struct {
				Data struct{ Object json.RawMessage }
			}
			if err := json.Unmarshal([]byte(logged), &ev); err != nil || string(ev.Data.Object) != body {
				t.Fatalf("GET /v1/events/%s holds %.200s (%v); the create answered %.200s", events[0].ID, ev.Data.Object, err, body)
			}
			marshaled, err := json.Marshal(events[0])
			if err != nil || !bytes.Contains(marshaled, []byte(`"object":`+body)) {
				t.Fatalf("the event as delivered: %.300s (%v)", marshaled, err)
			}
		}
	}
	// A person reads the stored charge indented.
	body, _ := do(http.MethodPost, "/v1/charges", client, forms[0])
	var ch struct{ ID string }
	if err := json.Unmarshal([]byte(body), &ch); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Indent(&want, []byte(body), "", "  "); err != nil {
		t.Fatal(err)
	}
	if got, _ := do(http.MethodGet, "/v1/charges/"+ch.ID, "curl/8.5.0", nil); got != want.String()+"\n" {
		t.Fatalf("curl reads %.200s; want %.200s", got, want.String())
	}
}
