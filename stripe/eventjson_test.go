package stripe

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/routedeck/routedeck/webhook"
)

// The stored event is written by hand on the request path; it must be
// what encoding/json makes of the same webhook.Event, byte for byte.
func TestEventJSONIsEncodingJSON(t *testing.T) {
	reqID, key, quoted := "req_abc", "key-1", "k\"ey\\é\n<&>"
	for _, ev := range []webhook.Event{
		{ID: eventID(), Object: "event", APIVersion: "2020-08-27", Created: 1700000000, Type: "customer.created",
			Data: webhook.EventData{Object: json.RawMessage(`{"id":"cus_1","object":"customer","metadata":{"a":"b"},"n":[1,2.5,null,true]}`)}},
		{ID: eventID(), Object: "event", APIVersion: "2024-06-20", Created: 1, Type: "customer.updated", PendingWebhooks: 3,
			Data:    webhook.EventData{Object: json.RawMessage(`{"id":"cus_1","email":"a@b.c"}`), PreviousAttributes: json.RawMessage(`{"email":null}`)},
			Request: webhook.EventRequest{ID: &reqID, IdempotencyKey: &key}},
		{ID: eventID(), Object: "event", APIVersion: "v", Created: 2, Type: "charge.succeeded",
			Data:    webhook.EventData{Object: json.RawMessage(`{}`)},
			Request: webhook.EventRequest{IdempotencyKey: &quoted}},
	} {
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := eventJSON(&ev); got != string(want) {
			t.Errorf("eventJSON:\n got %s\nwant %s", got, want)
		}
	}
}

func TestEventIDShape(t *testing.T) {
	shape := regexp.MustCompile(`^evt_[0-9A-Za-z]{24}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := eventID()
		if !shape.MatchString(id) {
			t.Fatalf("event id %q is not evt_ and 24 letters and digits", id)
		}
		if seen[id] {
			t.Fatalf("event id %q made twice", id)
		}
		seen[id] = true
	}
}
