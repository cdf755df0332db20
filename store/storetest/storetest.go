// Package storetest checks that an implementation of store.Store behaves
// as package store documents. The embedded Memory store runs it, and so
// must any other backend (a shared one, later), so the Stripe rules above
// the interface can count on the same behaviour from each.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/routedeck/routedeck/store"
)

// Open makes a store for one test, configured by opts (caps, seed, clock;
// never a Path), and closes it when the test ends. A configuration the
// store refuses is an error.
type Open func(t *testing.T, opts store.Options) (store.Store, error)

// Run checks every documented behaviour of the stores open makes.
func Run(t *testing.T, open Open) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, Open)
	}{
		{"PutGetDelete", putGetDelete},
		{"PutRejectsBadObjects", putRejectsBadObjects},
		{"CreatedDefaultsToNow", createdDefaultsToNow},
		{"ListPagesNewestFirst", listPagesNewestFirst},
		{"ListFilters", listFilters},
		{"ParentsAndCascade", parentsAndCascade},
		{"CapRefusesNewObjects", capRefusesNewObjects},
		{"IdempotencyRecords", idempotencyRecords},
		{"IdempotencyReservations", idempotencyReservations},
		{"EventLog", eventLog},
		{"SeedAndReset", seedAndReset},
		{"SubscribeNeverBlocks", subscribeNeverBlocks},
		{"UpdateIsAtomic", updateIsAtomic},
		{"FilledObjects", filledObjects},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open) })
	}
}

var ctx = context.Background()

func mustOpen(t *testing.T, open Open, opts store.Options) store.Store {
	t.Helper()
	s, err := open(t, opts)
	if err != nil {
		t.Fatalf("open(%+v): %v", opts, err)
	}
	return s
}

func mustPut(t testing.TB, m store.Store, obj store.Object) store.Object {
	t.Helper()
	got, err := m.Put(ctx, obj)
	if err != nil {
		t.Fatalf("Put(%s): %v", obj.ID, err)
	}
	return got
}

func mustList(t testing.TB, m store.Store, q store.Query) store.Page {
	t.Helper()
	p, err := m.List(ctx, q)
	if err != nil {
		t.Fatalf("List(%+v): %v", q, err)
	}
	return p
}

// IDs lists the ids of objects, comma-separated.
func IDs(objs []store.Object) string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.ID
	}
	return strings.Join(out, ",")
}

func i64(v int64) *int64 { return &v }

// customerJSON is shaped like the customer the embedded catalog renders
// (about 1.2 KB, indented), so sizes and speeds measured with it are real.
const customerJSON = `{
  "id": %q,
  "object": "customer",
  "address": {
    "city": null,
    "country": null,
    "line1": null,
    "line2": null,
    "postal_code": null,
    "state": null
  },
  "balance": %d,
  "created": %d,
  "currency": "usd",
  "default_source": null,
  "delinquent": false,
  "description": "Customer number %d",
  "discount": {
    "id": "obj_123",
    "object": "discount",
    "checkout_session": null,
    "customer": null,
    "end": null,
    "invoice": null,
    "invoice_item": null,
    "promotion_code": null,
    "start": 109757538,
    "subscription": null,
    "subscription_item": null,
    "source": {
      "coupon": null,
      "type": "coupon"
    },
    "customer_account": null
  },
  "email": %q,
  "invoice_prefix": "7FE1103",
  "invoice_settings": {
    "custom_fields": null,
    "default_payment_method": null,
    "footer": null,
    "rendering_options": {
      "amount_tax_display": null,
      "template": null
    }
  },
  "livemode": false,
  "metadata": {"order_id": "%d"},
  "name": "Jenny Rosen",
  "next_invoice_sequence": 1,
  "phone": null,
  "preferred_locales": [],
  "shipping": {},
  "tax_exempt": "none",
  "test_clock": null
}`

// Customer returns a customer object; n picks its balance, description,
// metadata and email (one of seven).
func Customer(id string, n int, created int64) store.Object {
	email := fmt.Sprintf("user%d@example.com", n%7)
	return store.Object{ID: id, Type: "customer", JSON: fmt.Sprintf(customerJSON, id, n, created, n, email, n)}
}

// Card returns a card stored under the customer with id parent.
func Card(id, parent string, created int64) store.Object {
	return store.Object{ID: id, Type: "card", Parent: parent, JSON: fmt.Sprintf(
		`{"id":%q,"object":"card","brand":"Visa","customer":%q,"created":%d,"last4":"4242"}`, id, parent, created)}
}

func putGetDelete(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	want := Customer("cus_1", 1, 1700000000)
	mustPut(t, m, want)
	got, err := m.Get(ctx, "cus_1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.JSON != want.JSON || got.Type != "customer" || got.Created != 1700000000 {
		t.Fatalf("Get = %+v; want the stored object byte for byte, created from its JSON", got)
	}

	// An update replaces the object and keeps its place.
	upd := Customer("cus_1", 2, 1700000000)
	mustPut(t, m, upd)
	if got, _ := m.Get(ctx, "cus_1"); got.JSON != upd.JSON {
		t.Fatalf("after update Get = %s; want the new JSON", got.JSON)
	}

	gone, err := m.Delete(ctx, "cus_1", false)
	if err != nil || len(gone) != 1 || gone[0].JSON != upd.JSON {
		t.Fatalf("Delete = %v, %v; want the deleted object", gone, err)
	}
	_, err = m.Get(ctx, "cus_1")
	var nf *store.NotFoundError
	if !errors.Is(err, store.ErrNotFound) || !errors.As(err, &nf) || nf.ID != "cus_1" {
		t.Fatalf("Get after delete: %v; want a store.NotFoundError for cus_1", err)
	}
	if _, err := m.Delete(ctx, "cus_1", false); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second Delete: %v; want store.ErrNotFound", err)
	}
	if n := len(mustList(t, m, store.Query{}).Data); n != 0 {
		t.Fatalf("list after delete has %d objects", n)
	}
}

func putRejectsBadObjects(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	for _, tc := range []struct {
		obj  store.Object
		want string
	}{
		{store.Object{Type: "customer", JSON: `{}`}, "no id"},
		{store.Object{ID: "cus_1", JSON: `{}`}, "no type"},
		{store.Object{ID: "cus_1", Type: "customer", JSON: `{"id": "cus_1",}`}, "invalid JSON"},
		{store.Object{ID: "cus_1", Type: "customer", JSON: `[1, 2]`}, "not an object"},
		{store.Object{ID: "cus_1", Type: "customer", JSON: ``}, "invalid JSON"},
		{store.Object{ID: "cus_1", Type: "customer", JSON: `{} {}`}, "invalid JSON"},
	} {
		_, err := m.Put(ctx, tc.obj)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Put(%+v) = %v; want an error saying %q", tc.obj, err, tc.want)
		}
	}
	if s := m.Stats(); s.Objects != 0 || s.Version != 0 {
		t.Errorf("rejected puts changed the store: %+v", s)
	}
}

func createdDefaultsToNow(t *testing.T, open Open) {
	now := time.Unix(1800000000, 0)
	m := mustOpen(t, open, store.Options{Now: func() time.Time { return now }})
	got := mustPut(t, m, store.Object{ID: "x_1", Type: "thing", JSON: `{"id":"x_1","created":"yesterday"}`})
	if got.Created != now.Unix() {
		t.Errorf("Created = %d; want now (%d) when the JSON has no integer created", got.Created, now.Unix())
	}
	got = mustPut(t, m, store.Object{ID: "x_2", Type: "thing", Created: 5, JSON: `{"created":7}`})
	if got.Created != 5 {
		t.Errorf("Created = %d; want the caller's 5", got.Created)
	}
}

func listPagesNewestFirst(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	// 25 customers over 5 seconds: ties in created go by the order stored.
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("cus_%02d", i)
		mustPut(t, m, Customer(id, i, 1700000000+int64(i/5)))
		want = append([]string{id}, want...)
	}
	mustPut(t, m, Card("card_1", "cus_00", 1700000100)) // another type, newer than all

	// Forward with starting_after, as stripe-go's auto-paging does.
	var got []string
	q := store.Query{Type: "customer", Limit: 10, TotalCount: true}
	for pages := 0; ; pages++ {
		p := mustList(t, m, q)
		if p.TotalCount != 25 {
			t.Fatalf("TotalCount = %d; want 25", p.TotalCount)
		}
		for _, o := range p.Data {
			got = append(got, o.ID)
		}
		if !p.HasMore {
			if pages != 2 || len(p.Data) != 5 {
				t.Fatalf("last page %d has %d objects; want page 2 with 5", pages, len(p.Data))
			}
			break
		}
		q.StartingAfter = p.Data[len(p.Data)-1].ID
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pages gave\n%v\nwant\n%v", got, want)
	}

	// Backward with ending_before from the oldest: the closest newer ones.
	p := mustList(t, m, store.Query{Type: "customer", Limit: 3, EndingBefore: "cus_00"})
	if IDs(p.Data) != "cus_03,cus_02,cus_01" || !p.HasMore {
		t.Fatalf("ending_before cus_00 = %s (has_more %v); want cus_03,cus_02,cus_01 with more", IDs(p.Data), p.HasMore)
	}
	p = mustList(t, m, store.Query{Type: "customer", Limit: 3, EndingBefore: "cus_22"})
	if IDs(p.Data) != "cus_24,cus_23" || p.HasMore {
		t.Fatalf("ending_before cus_22 = %s (has_more %v); want cus_24,cus_23 and no more", IDs(p.Data), p.HasMore)
	}

	// Everything, any type: the card is newest; the default limit is 10.
	p = mustList(t, m, store.Query{})
	if len(p.Data) != store.DefaultLimit || p.Data[0].ID != "card_1" || !p.HasMore || p.TotalCount != -1 {
		t.Fatalf("list all = %s, has_more %v, total %d", IDs(p.Data), p.HasMore, p.TotalCount)
	}

	// Cursor errors name the parameter.
	_, err := m.List(ctx, store.Query{StartingAfter: "cus_nope"})
	var nf *store.NotFoundError
	if !errors.As(err, &nf) || nf.Param != "starting_after" || nf.ID != "cus_nope" {
		t.Fatalf("unknown cursor: %v; want a store.NotFoundError for starting_after", err)
	}
	if _, err := m.List(ctx, store.Query{StartingAfter: "cus_01", EndingBefore: "cus_02"}); err == nil {
		t.Fatal("both cursors: no error")
	}
	if p := mustList(t, m, store.Query{Type: "invoice"}); len(p.Data) != 0 || p.Data == nil || p.HasMore {
		t.Fatalf("empty type lists %+v; want an empty, non-nil page", p)
	}
}

func listFilters(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	for i := range 30 {
		mustPut(t, m, Customer(fmt.Sprintf("cus_%02d", i), i, 1700000000+int64(i)))
	}
	mustPut(t, m, store.Object{ID: "cus_esc", Type: "customer", Created: 1700000100,
		JSON: `{"id":"cus_esc","email":"a\u0040b.com","active":true,"amount":100,"name":null}`})

	for _, tc := range []struct {
		name string
		q    store.Query
		want string
	}{
		{"email", store.Query{Type: "customer", Equal: map[string]string{"email": "user3@example.com"}}, "cus_24,cus_17,cus_10,cus_03"},
		{"escaped string", store.Query{Type: "customer", Equal: map[string]string{"email": "a@b.com"}}, "cus_esc"},
		{"boolean", store.Query{Equal: map[string]string{"active": "true"}}, "cus_esc"},
		{"boolean mismatch", store.Query{Equal: map[string]string{"active": "false"}}, ""},
		{"number", store.Query{Equal: map[string]string{"balance": "7"}}, "cus_07"},
		{"null never matches", store.Query{Equal: map[string]string{"name": "null"}}, ""},
		{"nested never matches", store.Query{Equal: map[string]string{"metadata": "{}"}}, ""},
		{"two fields", store.Query{Equal: map[string]string{"email": "user3@example.com", "balance": "10"}}, "cus_10"},
		{"created gte lt", store.Query{Created: store.Range{Gte: i64(1700000010), Lt: i64(1700000013)}}, "cus_12,cus_11,cus_10"},
		{"created gt lte", store.Query{Created: store.Range{Gt: i64(1700000010), Lte: i64(1700000012)}}, "cus_12,cus_11"},
		{"created empty range", store.Query{Created: store.Range{Gt: i64(1700000012), Lt: i64(1700000010)}}, ""},
		{"match", store.Query{Match: func(o store.Object) bool { return strings.HasSuffix(o.ID, "5") }, Limit: 2}, "cus_25,cus_15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.TotalCount = true
			p := mustList(t, m, tc.q)
			if got := IDs(p.Data); got != tc.want {
				t.Fatalf("got %q; want %q", got, tc.want)
			}
			if tc.q.Limit == 0 && p.TotalCount != len(p.Data) {
				t.Fatalf("TotalCount %d; want %d", p.TotalCount, len(p.Data))
			}
		})
	}

	// A filtered page continues from a cursor that does not itself match.
	p := mustList(t, m, store.Query{Equal: map[string]string{"email": "user3@example.com"}, StartingAfter: "cus_20", Limit: 1})
	if IDs(p.Data) != "cus_17" || !p.HasMore {
		t.Fatalf("filtered page after cus_20 = %s (has_more %v); want cus_17 with more", IDs(p.Data), p.HasMore)
	}
}

func parentsAndCascade(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	mustPut(t, m, Customer("cus_a", 1, 100))
	mustPut(t, m, Customer("cus_b", 2, 100))
	mustPut(t, m, Card("card_1", "cus_a", 101))
	mustPut(t, m, Card("card_2", "cus_a", 102))
	mustPut(t, m, Card("card_3", "cus_b", 103))
	mustPut(t, m, store.Object{ID: "ba_1", Type: "bank_account", Parent: "cus_a", JSON: `{"created":104}`})
	mustPut(t, m, store.Object{ID: "vr_1", Type: "verification", Parent: "ba_1", JSON: `{"created":105}`})

	if p := mustList(t, m, store.Query{Parent: "cus_a"}); IDs(p.Data) != "ba_1,card_2,card_1" {
		t.Fatalf("children of cus_a = %s", IDs(p.Data))
	}
	if p := mustList(t, m, store.Query{Parent: "cus_a", Type: "card", Limit: 1}); IDs(p.Data) != "card_2" || !p.HasMore {
		t.Fatalf("cards of cus_a = %s (has_more %v)", IDs(p.Data), p.HasMore)
	}

	// Without cascade the children stay, still listed under the parent id.
	if gone, _ := m.Delete(ctx, "cus_b", false); IDs(gone) != "cus_b" {
		t.Fatalf("Delete cus_b = %s", IDs(gone))
	}
	if p := mustList(t, m, store.Query{Parent: "cus_b"}); IDs(p.Data) != "card_3" {
		t.Fatalf("children of deleted cus_b = %s; want card_3 kept", IDs(p.Data))
	}

	// With cascade the parent, its children and theirs go.
	gone, err := m.Delete(ctx, "cus_a", true)
	if err != nil || IDs(gone) != "cus_a,ba_1,card_2,card_1,vr_1" {
		t.Fatalf("cascade Delete = %s, %v", IDs(gone), err)
	}
	if p := mustList(t, m, store.Query{}); IDs(p.Data) != "card_3" {
		t.Fatalf("after cascade the store holds %s; want card_3", IDs(p.Data))
	}
	if s := m.Stats(); s.Objects != 1 || s.Types["card"] != 1 || len(s.Types) != 1 {
		t.Fatalf("Stats after cascade = %+v", s)
	}
	// Moving an object to another parent moves it between lists.
	mustPut(t, m, Card("card_3", "cus_c", 103))
	if p := mustList(t, m, store.Query{Parent: "cus_b"}); len(p.Data) != 0 {
		t.Fatalf("cus_b still lists %s after card_3 moved", IDs(p.Data))
	}
	if p := mustList(t, m, store.Query{Parent: "cus_c"}); IDs(p.Data) != "card_3" {
		t.Fatalf("cus_c lists %s; want card_3", IDs(p.Data))
	}
}

func capRefusesNewObjects(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{MaxObjects: 3})
	for i := range 3 {
		mustPut(t, m, Customer(fmt.Sprintf("cus_%d", i), i, int64(i+1)))
	}
	_, err := m.Put(ctx, Customer("cus_3", 3, 4))
	var full *store.FullError
	if !errors.Is(err, store.ErrFull) || !errors.As(err, &full) || full.Max != 3 || full.ID != "cus_3" {
		t.Fatalf("Put past the cap: %v; want a store.FullError for cus_3 at 3", err)
	}
	if !strings.Contains(err.Error(), "maximum of 3") {
		t.Errorf("error %q does not state the cap", err)
	}
	if p := mustList(t, m, store.Query{}); IDs(p.Data) != "cus_2,cus_1,cus_0" {
		t.Fatalf("the cap evicted something: %s", IDs(p.Data))
	}
	mustPut(t, m, Customer("cus_0", 9, 1)) // an update is not a new object
	if _, err := m.Delete(ctx, "cus_1", false); err != nil {
		t.Fatal(err)
	}
	mustPut(t, m, Customer("cus_3", 3, 4)) // room again
	if _, err := open(t, store.Options{MaxObjects: 1, Seed: []store.Object{Customer("a", 1, 1), Customer("b", 2, 2)}}); err == nil {
		t.Fatal("a seed past the cap was accepted")
	}
	if _, err := open(t, store.Options{MaxObjects: -1}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("a negative cap: %v", err)
	}
}

func idempotencyRecords(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{MaxIdempotencyKeys: 3})
	if _, ok, _ := m.LookupIdempotency(ctx, "k1"); ok {
		t.Fatal("lookup of an unknown key found a record")
	}
	rec := store.IdempotencyRecord{Key: "k1", Fingerprint: "POST /v1/customers email=a", Status: 200,
		Header: http.Header{"Request-Id": {"req_1"}}, Body: `{"id":"cus_1"}`}
	kept, stored, err := m.RecordIdempotency(ctx, rec)
	if err != nil || !stored || kept.Body != rec.Body || kept.Created.IsZero() {
		t.Fatalf("first record = %+v, %v, %v", kept, stored, err)
	}
	rec.Header.Set("Request-Id", "changed by the caller")
	kept.Header.Set("Request-Id", "changed too")

	// A second request with the key gets the first record back.
	again, stored, _ := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k1", Fingerprint: "other", Body: "x"})
	if stored || again.Fingerprint != "POST /v1/customers email=a" || again.Header.Get("Request-Id") != "req_1" {
		t.Fatalf("second record = %+v, stored %v; want the first one, unchanged", again, stored)
	}
	got, ok, _ := m.LookupIdempotency(ctx, "k1")
	if !ok || got.Body != `{"id":"cus_1"}` || got.Status != 200 || got.Header.Get("Request-Id") != "req_1" {
		t.Fatalf("lookup = %+v, %v", got, ok)
	}

	// Past the cap the oldest records go.
	for _, k := range []string{"k2", "k3", "k4", "k5"} {
		if _, _, err := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: k}); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range map[string]bool{"k1": false, "k2": false, "k3": true, "k4": true, "k5": true} {
		if _, ok, _ := m.LookupIdempotency(ctx, k); ok != want {
			t.Errorf("key %s kept = %v; want %v", k, ok, want)
		}
	}
	if s := m.Stats(); s.IdempotencyKeys != 3 {
		t.Errorf("Stats.IdempotencyKeys = %d; want 3", s.IdempotencyKeys)
	}
	if _, _, err := m.RecordIdempotency(ctx, store.IdempotencyRecord{}); err == nil {
		t.Error("a record without a key was accepted")
	}
}

func idempotencyReservations(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	reserve := store.IdempotencyRecord{Key: "k", Fingerprint: "fp"}
	if _, stored, _ := m.RecordIdempotency(ctx, reserve); !stored {
		t.Fatal("the reservation was not stored")
	}
	// A second request with the key, while the first runs, sees the reservation.
	if got, stored, _ := m.RecordIdempotency(ctx, reserve); stored || got.Status != 0 {
		t.Fatalf("second reservation = %+v, stored %v; want the first, in progress", got, stored)
	}
	// A response with another fingerprint does not replace it.
	if _, stored, _ := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k", Fingerprint: "other", Status: 200}); stored {
		t.Fatal("a response with another fingerprint replaced the reservation")
	}
	// The reserving request's response does.
	if got, stored, _ := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k", Fingerprint: "fp", Status: 200, Body: "{}"}); !stored || got.Status != 200 {
		t.Fatalf("the response = %+v, stored %v", got, stored)
	}
	if got, _, _ := m.LookupIdempotency(ctx, "k"); got.Status != 200 || got.Body != "{}" {
		t.Fatalf("lookup after the response = %+v", got)
	}
	// A recorded response is final.
	if _, stored, _ := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k", Fingerprint: "fp", Status: 201}); stored {
		t.Fatal("a recorded response was replaced")
	}
	if err := m.ForgetIdempotency(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.LookupIdempotency(ctx, "k"); ok {
		t.Fatal("a forgotten key is still kept")
	}
	if s := m.Stats(); s.IdempotencyKeys != 0 {
		t.Fatalf("Stats.IdempotencyKeys = %d after forgetting", s.IdempotencyKeys)
	}
	if err := m.ForgetIdempotency(ctx, "never"); err != nil {
		t.Fatalf("forgetting an unknown key: %v", err)
	}
}

func eventLog(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{MaxEvents: 4})
	ev := func(i int, typ string) store.Object {
		id := fmt.Sprintf("evt_%d", i)
		return store.Object{ID: id, Type: "event", Parent: "cus_1",
			JSON: fmt.Sprintf(`{"id":%q,"object":"event","type":%q,"created":%d}`, id, typ, 1000+i)}
	}
	for i := range 6 {
		typ := "customer.created"
		if i%2 == 1 {
			typ = "customer.updated"
		}
		if _, err := m.AppendEvent(ctx, ev(i, typ)); err != nil {
			t.Fatal(err)
		}
	}
	p, err := m.ListEvents(ctx, store.Query{TotalCount: true})
	if err != nil || IDs(p.Data) != "evt_5,evt_4,evt_3,evt_2" || p.TotalCount != 4 {
		t.Fatalf("events = %s (total %d), %v; want the newest 4", IDs(p.Data), p.TotalCount, err)
	}
	p, _ = m.ListEvents(ctx, store.Query{Equal: map[string]string{"type": "customer.updated"}, Parent: "cus_1"})
	if IDs(p.Data) != "evt_5,evt_3" {
		t.Fatalf("updated events = %s", IDs(p.Data))
	}
	if _, err := m.GetEvent(ctx, "evt_0"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("dropped event: %v; want store.ErrNotFound", err)
	}
	if got, err := m.GetEvent(ctx, "evt_4"); err != nil || !strings.Contains(got.JSON, `"evt_4"`) {
		t.Fatalf("GetEvent = %+v, %v", got, err)
	}
	if _, err := m.AppendEvent(ctx, ev(5, "x")); err == nil {
		t.Fatal("a repeated event id was accepted")
	}
	if _, err := m.Get(ctx, "evt_4"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("events are not objects: Get found one")
	}
	if s := m.Stats(); s.Events != 4 || s.Objects != 0 {
		t.Fatalf("Stats = %+v", s)
	}
}

func seedAndReset(t *testing.T, open Open) {
	seed := []store.Object{Customer("cus_fixture", 1, 100), Card("card_fixture", "cus_fixture", 100)}
	m := mustOpen(t, open, store.Options{Seed: seed})
	if p := mustList(t, m, store.Query{}); IDs(p.Data) != "card_fixture,cus_fixture" {
		t.Fatalf("seeded store lists %s; want the seed, the later one first", IDs(p.Data))
	}
	mustPut(t, m, Customer("cus_new", 2, 200))
	mustPut(t, m, Customer("cus_fixture", 3, 100))
	if _, err := m.Delete(ctx, "card_fixture", false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AppendEvent(ctx, store.Object{ID: "evt_1", Type: "event", JSON: `{}`}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k"}); err != nil {
		t.Fatal(err)
	}
	before := m.Stats().Version
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if p := mustList(t, m, store.Query{}); IDs(p.Data) != "card_fixture,cus_fixture" {
		t.Fatalf("after Reset the store lists %s; want the seed", IDs(p.Data))
	}
	if got, _ := m.Get(ctx, "cus_fixture"); got.JSON != seed[0].JSON {
		t.Fatal("Reset kept the update of a seed object")
	}
	if s := m.Stats(); s.Events != 0 || s.IdempotencyKeys != 0 || s.Objects != 2 || s.Version <= before {
		t.Fatalf("Stats after Reset = %+v", s)
	}
	// New objects after a reset still sort newest.
	mustPut(t, m, store.Object{ID: "x", Type: "thing", Created: 100, JSON: `{}`})
	if p := mustList(t, m, store.Query{Limit: 1}); IDs(p.Data) != "x" {
		t.Fatalf("newest after reset = %s; want x", IDs(p.Data))
	}
	for _, bad := range [][]store.Object{
		{Customer("a", 1, 1), Customer("a", 2, 2)},
		{{ID: "b", Type: "t", JSON: "nope"}},
	} {
		if _, err := open(t, store.Options{Seed: bad}); err == nil || !strings.Contains(err.Error(), "seed object") {
			t.Errorf("bad seed: %v; want an error naming the seed object", err)
		}
	}
}

func subscribeNeverBlocks(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	start := m.Stats().Version
	ch, cancel := m.Subscribe(2)
	mustPut(t, m, Customer("cus_1", 1, 1))
	if _, err := m.Delete(ctx, "cus_1", false); err != nil {
		t.Fatal(err)
	}
	mustPut(t, m, Customer("cus_2", 2, 2)) // the buffer is full: dropped, not blocked
	if c := <-ch; c.Op != store.OpPut || c.ID != "cus_1" || c.Type != "customer" || c.Version != start+1 {
		t.Fatalf("first change = %+v; want the put at version %d", c, start+1)
	}
	if c := <-ch; c.Op != store.OpDelete || c.ID != "cus_1" || c.Version != start+2 {
		t.Fatalf("second change = %+v; want the delete at version %d", c, start+2)
	}
	if s := m.Stats(); s.Dropped != 1 || s.Version != start+3 {
		t.Fatalf("Stats = %+v; want 1 dropped at version %d", s, start+3)
	}
	cancel()
	cancel()
	if _, isOpen := <-ch; isOpen {
		t.Fatal("channel still open after cancel")
	}
}

func updateIsAtomic(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	mustPut(t, m, store.Object{ID: "ctr", Type: "counter", JSON: `{"n":0,"created":1}`})
	bump := func(o store.Object) (store.Object, error) {
		var v struct{ N int }
		if err := json.Unmarshal([]byte(o.JSON), &v); err != nil {
			return o, err
		}
		o.JSON = fmt.Sprintf(`{"n":%d,"created":1}`, v.N+1)
		return o, nil
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() { // updaters
			defer wg.Done()
			for range 100 {
				if _, err := m.Update(ctx, "ctr", bump); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() { // plain puts of other objects and reads in between
			defer wg.Done()
			for i := range 100 {
				mustPut(t, m, store.Object{ID: fmt.Sprint("o", i), Type: "other", JSON: `{}`})
				_, _ = m.Get(ctx, "ctr")
			}
		}()
	}
	wg.Wait()
	if got, _ := m.Get(ctx, "ctr"); got.JSON != `{"n":400,"created":1}` {
		t.Fatalf("after 400 concurrent updates: %s", got.JSON)
	}

	boom := errors.New("boom")
	if _, err := m.Update(ctx, "ctr", func(o store.Object) (store.Object, error) { return o, boom }); err != boom {
		t.Fatalf("fn's error: %v", err)
	}
	if _, err := m.Update(ctx, "ctr", func(o store.Object) (store.Object, error) { o.ID = "other"; return o, nil }); err == nil {
		t.Fatal("an update changing the id was accepted")
	}
	if _, err := m.Update(ctx, "ctr", func(o store.Object) (store.Object, error) { o.JSON = "[]"; return o, nil }); err == nil {
		t.Fatal("an update to invalid JSON was accepted")
	}
	if _, err := m.Update(ctx, "nope", bump); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of a missing id: %v", err)
	}
	if got, _ := m.Get(ctx, "ctr"); got.JSON != `{"n":400,"created":1}` {
		t.Fatalf("failed updates changed the object: %s", got.JSON)
	}
}

// filledObjects: an object put as a template and its values
// (Object.Filled) reads back as the same object put whole, through Get,
// List with a filter, Update's function and Delete; Put returns it with
// its text (Object.Text).
func filledObjects(t *testing.T, open Open) {
	m := mustOpen(t, open, store.Options{})
	tm, err := store.NewTemplate([]string{`{"id":"`, `","object":"charge","amount":`, `,"created":1700000000,"email":"`, `"}`}, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := func(id, amount, email string) string {
		return `{"id":"` + id + `","object":"charge","amount":` + amount + `,"created":1700000000,"email":"` + email + `"}`
	}
	for i, amount := range []string{"2000", "15", "2000"} {
		id := fmt.Sprintf("ch_%d", i)
		f, err := tm.Fill(id, amount, "a@example.com")
		if err != nil {
			t.Fatal(err)
		}
		l, err := store.ScanLayout(f.String())
		if err != nil {
			t.Fatal(err)
		}
		put := mustPut(t, m, store.Object{ID: id, Type: "charge", Filled: f, Layout: l})
		if put.Text() != want(id, amount, "a@example.com") || put.Created != 1700000000 {
			t.Fatalf("Put returned %+v (text %s)", put, put.Text())
		}
	}
	got, err := m.Get(ctx, "ch_1")
	if err != nil || got.JSON != want("ch_1", "15", "a@example.com") || got.Filled != nil {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	p := mustList(t, m, store.Query{Type: "charge", Equal: map[string]string{"amount": "2000", "email": "a@example.com"}, TotalCount: true})
	if IDs(p.Data) != "ch_2,ch_0" || p.TotalCount != 2 || p.Data[0].JSON != want("ch_2", "2000", "a@example.com") {
		t.Fatalf("List by amount = %s (total %d)", IDs(p.Data), p.TotalCount)
	}
	upd, err := m.Update(ctx, "ch_0", func(o store.Object) (store.Object, error) {
		if o.JSON != want("ch_0", "2000", "a@example.com") {
			return o, fmt.Errorf("Update's function got %q", o.JSON)
		}
		o.JSON = want("ch_0", "2000", "b@example.com")
		return o, nil
	})
	if err != nil || upd.JSON != want("ch_0", "2000", "b@example.com") {
		t.Fatalf("Update = %+v, %v", upd, err)
	}
	if p := mustList(t, m, store.Query{Equal: map[string]string{"email": "b@example.com"}}); IDs(p.Data) != "ch_0" {
		t.Fatalf("List by the updated email = %s", IDs(p.Data))
	}
	gone, err := m.Delete(ctx, "ch_2", false)
	if err != nil || len(gone) != 1 || gone[0].JSON != want("ch_2", "2000", "a@example.com") {
		t.Fatalf("Delete = %+v, %v", gone, err)
	}
}
