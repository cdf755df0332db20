package stripe_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

// creates posts each form to both servers and requires the prepared
// server's answer to be the rendered one but for its id and time.
func sameAsRendered(t *testing.T, prepared, rendered string, path, form string, code int, pbody, rbody string) {
	t.Helper()
	_ = code
	want, _, _ := withoutHoles(t, rbody)
	got, _, _ := withoutHoles(t, pbody)
	if got != want {
		t.Fatalf("POST %s %s answered\n%s\nwant (rendered)\n%s", path, form, got, want)
	}
}

// Creates whose values differ (amounts, emails, descriptions, metadata)
// share one prepared create by the request's shape, and each is answered
// as a rendering answers it, byte for byte but for its id and time,
// whatever its values hold (quotes, backslashes, unicode, HTML).
func TestPreparedCreateVariedValues(t *testing.T) {
	prepared, _, state := paymentsServer(t, true)
	rendered, _, _ := paymentsServer(t, false)
	odd := []string{`say "hi"`, `back\slash`, "naïve ✓ café", "<b>&amp;</b>", "tab\there", "x", "a much longer description than the others were"}
	series := []struct {
		path string
		form func(i int) string
	}{
		{"/v1/charges", func(i int) string {
			return "amount=" + strconv.Itoa(50+i*977) + "&currency=usd&source=tok_visa"
		}},
		{"/v1/charges", func(i int) string {
			return "amount=" + strconv.Itoa(2000+i) + "&currency=usd&source=tok_visa&description=" + url.QueryEscape(odd[i%len(odd)]) +
				"&metadata[order]=" + url.QueryEscape(odd[(i+3)%len(odd)]) + "&metadata[n]=" + strconv.Itoa(i+1)
		}},
		{"/v1/customers", func(i int) string {
			return "email=" + url.QueryEscape("user"+strconv.Itoa(i*31)+"@example.com") + "&name=" + url.QueryEscape(odd[i%len(odd)])
		}},
		{"/v1/products", func(i int) string { return "name=" + url.QueryEscape(odd[i%len(odd)]) }},
	}
	const n = 9
	for _, s := range series {
		for i := range n {
			form := s.form(i)
			rcode, _, want := call(t, rendered, "POST", s.path, form)
			pcode, _, got := call(t, prepared, "POST", s.path, form)
			if rcode != 200 || pcode != 200 {
				t.Fatalf("POST %s %s: %d %s (rendered: %d %s)", s.path, form, pcode, got, rcode, want)
			}
			sameAsRendered(t, "", "", s.path, form, pcode, got, want)
		}
	}
	// One prepared create a series: its values were filled, not learnt
	// again for each request.
	if ok, not := state.PreparedCreates(); ok != len(series) || not != 0 {
		t.Errorf("%d creates prepared, %d unpreparable; want %d (one a shape) and 0", ok, not, len(series))
	}
}

// A test value decides a create's outcome: creates alike but for it are
// never filled with another's outcome, however their amounts differ.
func TestPreparedCreateVariedKeepsOutcome(t *testing.T) {
	prepared, _, _ := paymentsServer(t, true)
	rendered, _, _ := paymentsServer(t, false)
	sources := []string{"tok_visa", "tok_mastercard", "tok_chargeDeclined", "tok_amex", "tok_visa_debit"}
	for i := range 15 {
		src := sources[i%len(sources)]
		form := "amount=" + strconv.Itoa(1000+i*7) + "&currency=usd&source=" + src
		rcode, rbody, want := call(t, rendered, "POST", "/v1/charges", form)
		pcode, pbody, got := call(t, prepared, "POST", "/v1/charges", form)
		if pcode != rcode {
			t.Fatalf("%s: %d %s; want %d %s", form, pcode, got, rcode, want)
		}
		if src == "tok_chargeDeclined" {
			if pcode != 402 {
				t.Fatalf("%s: %d %s; want a decline", form, pcode, got)
			}
			continue
		}
		if pcode != 200 {
			t.Fatalf("%s: %d %s", form, pcode, got)
		}
		brand := func(b map[string]any) any {
			d, _ := b["payment_method_details"].(map[string]any)
			c, _ := d["card"].(map[string]any)
			return c["brand"]
		}
		if brand(pbody) != brand(rbody) || brand(pbody) == nil {
			t.Fatalf("%s: brand %v; want %v", form, brand(pbody), brand(rbody))
		}
		sameAsRendered(t, "", "", "/v1/charges", form, pcode, got, want)
	}
}

// A boolean is kept in the shape: a charge created with capture=false is
// never filled from one with capture=true, or the other way.
func TestPreparedCreateVariedKeepsBooleans(t *testing.T) {
	prepared, _, state := paymentsServer(t, true)
	rendered, _, _ := paymentsServer(t, false)
	for i := range 10 {
		capture := strconv.FormatBool(i%2 == 0)
		form := "amount=" + strconv.Itoa(3000+i) + "&currency=usd&source=tok_visa&capture=" + capture
		_, rbody, want := call(t, rendered, "POST", "/v1/charges", form)
		pcode, pbody, got := call(t, prepared, "POST", "/v1/charges", form)
		if pcode != 200 {
			t.Fatalf("%s: %d %s", form, pcode, got)
		}
		if pbody["captured"] != rbody["captured"] || pbody["amount"] != rbody["amount"] {
			t.Fatalf("%s: captured %v amount %v; want %v %v", form, pbody["captured"], pbody["amount"], rbody["captured"], rbody["amount"])
		}
		sameAsRendered(t, "", "", "/v1/charges", form, pcode, got, want)
	}
	if ok, not := state.PreparedCreates(); ok != 2 || not != 0 {
		t.Errorf("%d creates prepared, %d unpreparable; want 2 (capture true and false) and 0", ok, not)
	}
}

// Customers filled with values of other lengths are stored where their
// members lie: a list filters each by its own email, and all by their
// time.
func TestPreparedCreateVariedFilters(t *testing.T) {
	ts, _, state := paymentsServer(t, true)
	ids := map[string]string{}
	for i := range 12 {
		email := "u" + strconv.Itoa(i*i*i) + "@example.com"
		form := "description=" + url.QueryEscape(`d "`+strconv.Itoa(i*977)+`" ✓`) + "&email=" + url.QueryEscape(email) +
			"&name=" + url.QueryEscape("N"+strconv.Itoa(i*31)) + "&metadata[k]=" + strconv.Itoa(1+i*4099)
		code, body, raw := call(t, ts, "POST", "/v1/customers", form)
		if code != 200 || body["email"] != email {
			t.Fatalf("create %d: %d %s", i, code, raw)
		}
		ids[email], _ = body["id"].(string)
	}
	if ok, _ := state.PreparedCreates(); ok != 1 {
		t.Fatalf("%d creates prepared; want 1 filled 11 times", ok)
	}
	for email, id := range ids {
		code, body, raw := call(t, ts, "GET", "/v1/customers?limit=100&email="+url.QueryEscape(email), "")
		data, _ := body["data"].([]any)
		if code != 200 || len(data) != 1 || data[0].(map[string]any)["id"] != id {
			t.Fatalf("list by email %s: %d %s; want %s alone", email, code, raw, id)
		}
	}
	code, body, raw := call(t, ts, "GET", "/v1/customers?limit=100&created[gte]="+strconv.FormatInt(time.Now().Unix()-60, 10), "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != len(ids) {
		t.Fatalf("list by created: %d %s", code, raw)
	}
}
