package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/routedeck/routedeck/store"
)

// Every response carries the Date net/http would write: the time it was
// answered, to the second, in http.TimeFormat.
func TestDateHeader(t *testing.T) {
	ts := httptest.NewServer(newTestServer(t))
	defer ts.Close()
	for range 3 {
		before := time.Now().Truncate(time.Second)
		resp, err := ts.Client().Get(ts.URL + "/v1/customers/cus_1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		after := time.Now()
		if v := resp.Header.Values("Date"); len(v) != 1 {
			t.Fatalf("Date headers %q; want one", v)
		}
		got, err := http.ParseTime(resp.Header.Get("Date"))
		if err != nil || got.Before(before) || got.After(after) {
			t.Fatalf("Date %q (%v); want a time between %v and %v", resp.Header.Get("Date"), err, before, after)
		}
	}
}

// An idempotent request's replay is dated when it is sent: the record
// of the first answer keeps no Date.
func TestDateNotKeptForReplay(t *testing.T) {
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(testCatalog(t), Options{Keeper: &fillKeeper{keys: st, fills: []*store.Filled{cutFill(t, `{"id":"ch_1"}`, nil)}}})
	if err != nil {
		t.Fatal(err)
	}
	key := http.Header{"Idempotency-Key": {"k1"}}
	if w := send(s, http.MethodPost, "/v1/charges", "amount=1", key); w.Code != http.StatusOK {
		t.Fatalf("first answer %d", w.Code)
	}
	rec, ok, err := st.LookupIdempotency(context.Background(), "k1")
	if err != nil || !ok {
		t.Fatalf("no record: %v", err)
	}
	if d, kept := rec.Header["Date"]; kept {
		t.Fatalf("the record keeps Date %q: a replay would send the first answer's", d)
	}
}
