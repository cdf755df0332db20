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

// The Date of a second is formatted once and shared by its responses; the
// next second gets its own.
func TestDateHeaderPerSecond(t *testing.T) {
	var d dateHeader
	at := time.Date(2026, 11, 30, 22, 18, 46, 100, time.FixedZone("CET", 3600))
	first := d.at(at)
	if want := "Mon, 30 Nov 2026 21:18:46 GMT"; len(first) != 1 || first[0] != want {
		t.Fatalf("Date %q; want %q", first, want)
	}
	if again := d.at(at.Add(800 * time.Millisecond)); &again[0] != &first[0] {
		t.Fatalf("the same second formatted again: %q", again)
	}
	if next := d.at(at.Add(time.Second)); next[0] != "Mon, 30 Nov 2026 21:18:47 GMT" {
		t.Fatalf("the next second's Date %q", next)
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
	if w := send(s, http.MethodPost, "/v1/charges", "amount=1", key); w.Code != http.StatusOK || w.Header().Get("Date") == "" {
		t.Fatalf("first answer %d, Date %q", w.Code, w.Header().Get("Date"))
	}
	rec, ok, err := st.LookupIdempotency(context.Background(), "k1")
	if err != nil || !ok {
		t.Fatalf("no record: %v", err)
	}
	if d, kept := rec.Header["Date"]; kept {
		t.Fatalf("the record keeps Date %q: a replay would send the first answer's", d)
	}
}
