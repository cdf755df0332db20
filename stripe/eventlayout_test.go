package stripe

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/webhook"
)

// The envelope's layout the event writer hands the store (unread) is the
// store's own reading of it, and the event it keeps reads back, lists and
// filters exactly as one appended as JSON and read in full.
func TestEventLayoutIsTheStoresReading(t *testing.T) {
	ctx := context.Background()
	reqID, key, quoted := "req_abc", "key-1", "k\"ey\\é\n<&>"
	object := `{"id":"cus_1","object":"customer","email":"a@b.c","metadata":{"a":"b"}}`
	for i, ev := range []webhook.Event{
		{ID: eventID(), Object: "event", APIVersion: "2020-08-27", Created: 1700000000, Type: "customer.created"},
		{ID: eventID(), Object: "event", APIVersion: "2024-06-20", Created: 1, Type: "customer.updated", PendingWebhooks: 3,
			Data:    webhook.EventData{PreviousAttributes: json.RawMessage(`{"email":null,"metadata":{"a":"c"}}`)},
			Request: webhook.EventRequest{ID: &reqID, IdempotencyKey: &key}},
		{ID: eventID(), Object: "event", APIVersion: "v\"1\u00e9", Created: 2, Type: "caf\u00e9.<updated>", PendingWebhooks: 12,
			Request: webhook.EventRequest{IdempotencyKey: &quoted}},
	} {
		ev.Data.Object = webhook.RawObject(json.RawMessage(object))
		before, after, ms := eventAroundMembers(&ev)
		envelope := before + "{}" + after
		given, err := store.MembersLayout(envelope, ms[:])
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		read, err := store.ScanLayout(envelope)
		if err != nil || !reflect.DeepEqual(given, read) {
			t.Errorf("event %d: the writer's layout %+v; the store reads %+v %v", i, given, read, err)
		}
		var stores [2]*store.Memory
		for k := range stores {
			m, err := store.New(store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Put(ctx, store.Object{ID: "cus_1", Type: "customer", JSON: object}); err != nil {
				t.Fatal(err)
			}
			stores[k] = m
		}
		if err := stores[0].AppendEventAround(ctx, store.Object{ID: ev.ID, Type: "event", Layout: given}, before, store.Object{JSON: object}, after); err != nil {
			t.Fatal(err)
		}
		if _, err := stores[1].AppendEvent(ctx, store.Object{ID: ev.ID, Type: "event", JSON: eventJSON(&ev)}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []store.Query{
			{Equal: map[string]string{"type": ev.Type}},
			{Equal: map[string]string{"api_version": ev.APIVersion, "livemode": "false"}},
			{Equal: map[string]string{"pending_webhooks": "3"}},
			{Equal: map[string]string{"id": ev.ID, "object": "event"}},
			{Equal: map[string]string{"data": "x"}},
			{Created: store.Range{Lte: &ev.Created}},
		} {
			laid, err1 := stores[0].ListEvents(ctx, q)
			checked, err2 := stores[1].ListEvents(ctx, q)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(laid, checked) {
				t.Errorf("event %d, %+v: with the layout %+v %v; read %+v %v", i, q, laid, err1, checked, err2)
			}
		}
		laid, err1 := stores[0].GetEvent(ctx, ev.ID)
		checked, err2 := stores[1].GetEvent(ctx, ev.ID)
		if err1 != nil || err2 != nil || laid != checked || laid.JSON != eventJSON(&ev) {
			t.Errorf("event %d: with the layout %+v %v; read %+v %v", i, laid, err1, checked, err2)
		}
	}
}

// A layout kept for an envelope's shape serves only envelopes it fits:
// for events that differ in every value (lengths, escapes, previous
// attributes, request, pending webhooks, type), one cache's layout of
// each envelope is the store's own reading of it.
func TestEnvelopeLayoutsFitEveryEnvelope(t *testing.T) {
	var c envelopeLayouts
	reqIDs := []*string{nil, ptr("req_abc"), ptr("req_abcdef")}
	keys := []*string{nil, ptr("key-1"), ptr("k\"ey\\é\n<&>")}
	prevs := []json.RawMessage{nil, json.RawMessage(`{"email":null}`), json.RawMessage(`{"email":"a@b.cd"}`)}
	versions := []string{"2020-08-27", "2024-06-20.acacia", "v\"1\u00e9", "2020-08-\u00e9", "2020-08-28\x7f"}
	types := []string{"charge.succeeded", "charge.refunded", "payment_intent.succeeded", "caf\u00e9.<updated>", "charge.captured"}
	n := 0
	for i := range 400 {
		ev := webhook.Event{ID: eventID(), Object: "event", APIVersion: versions[i%len(versions)],
			Created: []int64{1700000000, 1700000001, 2, 17000000000}[i/4%4], Type: types[i/16%len(types)],
			PendingWebhooks: []int{0, 3, 12}[i/80%3],
			Data:            webhook.EventData{PreviousAttributes: prevs[i%3]},
			Request:         webhook.EventRequest{ID: reqIDs[i/5%3], IdempotencyKey: keys[i/7%3]}}
		env := writeEnvelope(&ev)
		got := c.layout(&env)
		want, err := store.ScanLayout(env.text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("event %+v: the kept layout %+v; the store reads %+v %v", ev, got, want, err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no event checked")
	}
}

func ptr[T any](v T) *T { return &v }
