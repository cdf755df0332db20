package stripe_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// renderingOnly is a Keeper that is not told what it renders, so every
// create renders: the answers a prepared create must match.
type renderingOnly struct{ server.Keeper }

// paymentsServer serves the embedded catalog with the Stripe rules, the
// test cards and a store, as `routedeck serve` does; prepared says
// whether creates may be prepared.
func paymentsServer(t *testing.T, prepared bool) (*httptest.Server, *store.Memory, *stripe.State) {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	state := stripe.NewState(cat, rules, st, stripe.StateOptions{})
	var keeper server.Keeper = state
	if !prepared {
		keeper = renderingOnly{keeper}
	}
	srv, err := server.New(cat, server.Options{Rules: rules, TestValues: state.Payments(), Own: state.Own(), Keeper: keeper})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		_ = st.Close()
	})
	return ts, st, state
}

// withoutHoles is a created object's JSON with its own id, its creation
// time (the top-level "created") and a charge's own balance transaction
// id written as ID, CREATED and TXN.
func withoutHoles(t *testing.T, raw string) (text, id string, created int64) {
	t.Helper()
	var top struct {
		ID      string `json:"id"`
		Created int64  `json:"created"`
		Balance any    `json:"balance_transaction"`
	}
	if err := json.Unmarshal([]byte(raw), &top); err != nil || top.ID == "" {
		t.Fatalf("not a created object (%v): %s", err, raw)
	}
	text = strings.ReplaceAll(raw, top.ID, "ID")
	if txn, ok := top.Balance.(string); ok && txn != "" {
		text = strings.ReplaceAll(text, txn, "TXN")
	}
	if top.Created != 0 {
		text = strings.ReplaceAll(text, strconv.FormatInt(top.Created, 10), "CREATED")
	}
	return text, top.ID, top.Created
}

// A create answered from a prepared create (the same request again) is
// the create a rendering answers, byte for byte but for its own id and
// time; each has a new id, is stored as answered and raises its event
// with the same object.
func TestPreparedCreateAnswersAsRendered(t *testing.T) {
	prepared, st, state := paymentsServer(t, true)
	rendered, _, _ := paymentsServer(t, false)
	requests := []struct {
		path, form string
		header     []string
	}{
		{path: "/v1/charges", form: "amount=2000&currency=usd&source=tok_visa"},
		{path: "/v1/charges", form: "amount=999&currency=eur&source=tok_mastercard&capture=false&metadata[order]=42"},
		{path: "/v1/charges", form: "amount=2000&currency=usd&source=tok_visa", header: []string{"User-Agent", "curl/8.5.0"}},
		{path: "/v1/customers", form: "email=jenny@example.com&metadata[plan]=pro&address[city]=Berlin"},
		{path: "/v1/customers", form: "email=jenny@example.com", header: []string{"Idempotency-Key", "k1"}},
		{path: "/v1/products", form: "name=Gold&active=false"},
		{path: "/v1/payment_methods", form: "type=card&card[number]=4000056655665556&card[exp_month]=3&card[exp_year]=2031"},
	}
	for _, r := range requests {
		code, _, want := call(t, rendered, "POST", r.path, r.form, r.header...)
		if code != 200 {
			t.Fatalf("POST %s %s rendered: %d %s", r.path, r.form, code, want)
		}
		wantText, _, _ := withoutHoles(t, want)
		seen := map[string]bool{}
		for i := range 3 {
			header := r.header
			if len(header) > 0 && header[0] == "Idempotency-Key" {
				header = []string{"Idempotency-Key", header[1] + strconv.Itoa(i)}
			}
			start := time.Now().Unix()
			code, _, got := call(t, prepared, "POST", r.path, r.form, header...)
			if code != 200 {
				t.Fatalf("POST %s %s (%d): %d %s", r.path, r.form, i+1, code, got)
			}
			text, id, created := withoutHoles(t, got)
			if text != wantText {
				t.Fatalf("POST %s %s (%d) answered\n%s\nwant (rendered)\n%s", r.path, r.form, i+1, text, wantText)
			}
			if seen[id] {
				t.Fatalf("POST %s %s (%d) answered id %s twice", r.path, r.form, i+1, id)
			}
			seen[id] = true
			if created != 0 && (created < start || created > time.Now().Unix()) {
				t.Errorf("POST %s (%d): created %d, not the time of the request", r.path, i+1, created)
			}
			obj, err := st.Get(ctx, id)
			if err != nil || obj.JSON != got {
				t.Fatalf("stored %s: %v\n%s\nwant the answer\n%s", id, err, obj.JSON, got)
			}
			if created != 0 && obj.Created != created {
				t.Errorf("stored %s with Created %d; want %d", id, obj.Created, created)
			}
			// A retrieve answers the bytes the create answered.
			if code, _, again := call(t, prepared, "GET", r.path+"/"+id, "", r.header...); code != 200 || again != got {
				t.Fatalf("GET %s/%s: %d\n%s\nwant the create's answer\n%s", r.path, id, code, again, got)
			}
			page, err := st.ListEvents(ctx, store.Query{Limit: 1})
			if err != nil || len(page.Data) != 1 || !strings.Contains(page.Data[0].JSON, `"data":{"object":`+got+`}`) {
				t.Fatalf("the last event does not carry the object: %v %+v", err, page.Data)
			}
		}
	}
	// Every request above was prepared (the charge twice: compact and
	// indented), so its second and third creates were fills.
	if ok, not := state.PreparedCreates(); ok != len(requests) || not != 0 {
		t.Errorf("%d creates prepared, %d found unpreparable; want %d and 0", ok, not, len(requests))
	}
}

// A stored object from a prepared create answers filters as one read
// from its JSON does.
func TestPreparedCreateFilters(t *testing.T) {
	ts, _, _ := paymentsServer(t, true)
	for range 3 {
		if code, _, raw := call(t, ts, "POST", "/v1/customers", "email=a@example.com"); code != 200 {
			t.Fatalf("create: %d %s", code, raw)
		}
	}
	code, body, raw := call(t, ts, "GET", "/v1/customers?email=a@example.com&limit=10", "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 3 {
		t.Fatalf("list by email: %d %s", code, raw)
	}
	code, body, raw = call(t, ts, "GET", "/v1/customers?created[gte]="+strconv.FormatInt(time.Now().Unix()-60, 10), "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 3 {
		t.Fatalf("list by created: %d %s", code, raw)
	}
}

// The prepared creates are bounded; past the bound, creates of request
// shapes not seen yet (here each names another metadata key) are answered
// as rendered, and those prepared still are.
func TestPreparedCreatesBounded(t *testing.T) {
	ts, st, state := paymentsServer(t, true)
	n := stripe.MaxPrepared + 44
	for i := range n {
		form := "email=c" + strconv.Itoa(i) + "@example.com&metadata[k" + strconv.Itoa(i) + "]=v"
		code, body, raw := call(t, ts, "POST", "/v1/customers", form)
		if code != 200 || body["email"] != "c"+strconv.Itoa(i)+"@example.com" {
			t.Fatalf("create %d: %d %s", i, code, raw)
		}
	}
	ok, not := state.PreparedCreates()
	if ok+not != stripe.MaxPrepared || ok == 0 {
		t.Errorf("%d prepared creates kept (%d of them unpreparable); want the bound, %d", ok+not, not, stripe.MaxPrepared)
	}
	code, body, raw := call(t, ts, "POST", "/v1/customers", "email=c0@example.com&metadata[k0]=v")
	if code != 200 || body["email"] != "c0@example.com" {
		t.Fatalf("a prepared create again: %d %s", code, raw)
	}
	if stats := st.Stats(); stats.Objects != n+1 {
		t.Errorf("%d objects stored; want %d", stats.Objects, n+1)
	}
}

// A charge from a prepared create (kept as the shared template and its
// own values) reads back as answered through the API, and its event
// keeps the charge as it was created after the charge changes.
func TestPreparedChargeEventAfterUpdate(t *testing.T) {
	ts, st, _ := paymentsServer(t, true)
	const form = "amount=2000&currency=usd&source=tok_visa"
	var created []string
	for range 3 {
		code, _, raw := call(t, ts, "POST", "/v1/charges", form)
		if code != 200 {
			t.Fatalf("create: %d %s", code, raw)
		}
		created = append(created, raw)
	}
	last := created[2]
	_, id, _ := withoutHoles(t, last)
	if code, _, raw := call(t, ts, "GET", "/v1/charges/"+id, ""); code != 200 || raw != last {
		t.Fatalf("retrieve: %d\n%s\nwant the create's answer\n%s", code, raw, last)
	}
	code, body, raw := call(t, ts, "GET", "/v1/charges?limit=3", "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 3 {
		t.Fatalf("list: %d %s", code, raw)
	}
	if code, _, raw := call(t, ts, "POST", "/v1/charges/"+id, "description=changed"); code != 200 || !strings.Contains(raw, `"changed"`) {
		t.Fatalf("update: %d %s", code, raw)
	}
	page, err := st.ListEvents(ctx, store.Query{Equal: map[string]string{"object": "event"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range page.Data {
		if strings.Contains(ev.JSON, `"id":"`+id+`"`) && !strings.Contains(ev.JSON, `"changed"`) {
			found = true
			if !strings.Contains(ev.JSON, `"data":{"object":`+last+`}`) {
				t.Fatalf("the event of %s no longer carries the charge as created:\n%s", id, ev.JSON)
			}
		}
	}
	if !found {
		t.Fatalf("no event of the create of %s among %d", id, len(page.Data))
	}
}
