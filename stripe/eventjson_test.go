package stripe

import (
	"bytes"
	"encoding/json"
	"os"
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
			Data: webhook.EventData{Object: webhook.RawObject(json.RawMessage(`{"id":"cus_1","object":"customer","metadata":{"a":"b"},"n":[1,2.5,null,true]}`))}},
		{ID: eventID(), Object: "event", APIVersion: "2024-06-20", Created: 1, Type: "customer.updated", PendingWebhooks: 3,
			Data:    webhook.EventData{Object: webhook.RawObject(json.RawMessage(`{"id":"cus_1","email":"a@b.c"}`)), PreviousAttributes: json.RawMessage(`{"email":null}`)},
			Request: webhook.EventRequest{ID: &reqID, IdempotencyKey: &key}},
		{ID: eventID(), Object: "event", APIVersion: "v", Created: 2, Type: "charge.succeeded",
			Data:    webhook.EventData{Object: webhook.RawObject(json.RawMessage(`{}`))},
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

// previousByDecoding is previous as encoding/json computes it.
func previousByDecoding(old, now []byte) json.RawMessage {
	var o, n map[string]json.RawMessage
	if json.Unmarshal(old, &o) != nil || json.Unmarshal(now, &n) != nil {
		return nil
	}
	changed := map[string]json.RawMessage{}
	for k, nv := range n {
		ov, ok := o[k]
		if !ok {
			changed[k] = json.RawMessage("null")
			continue
		}
		if !jsonEqual(ov, nv) {
			changed[k] = ov
		}
	}
	if len(changed) == 0 {
		return nil
	}
	b, _ := json.Marshal(changed)
	return b
}

// previous reads members with the scanner; it must agree with decoding,
// indented or compact, with escapes, repeated keys and nested changes.
func TestPreviousAgreesWithDecoding(t *testing.T) {
	charge, err := os.ReadFile("testdata/charge.json")
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, charge); err != nil {
		t.Fatal(err)
	}
	changedCharge := bytes.Replace(compact.Bytes(), []byte(`"status":"succeeded"`), []byte(`"status":"failed","extra":{"a":[1,"}"]}`), 1)
	pairs := [][2]string{
		{`{"a":1,"b":"x"}`, `{"a":1,"b":"y"}`},
		{`{"a":1,"b":"x"}`, `{ "b" : "x" , "a" : 1 }`},
		{`{"a":{"k":"v"},"n":null}`, `{"a":{"k":"w"},"n":null,"new":true}`},
		{`{"a":"<&>","b":"\u00e9"}`, `{"a":"x","b":"é"}`},
		{`{"a\u0062":1}`, `{"ab":2}`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`{"a":1,"a":2}`, `{"a":2,"a":2}`},
		{`{"a":2,"a":1}`, `{"a":1,"a":1}`},
		{`{"a":1,"a":1}`, `{"a":2,"a":1}`},
		{`{"a":1,"a":1}`, `{"a":1,"a":2}`},
		{`{"a":1,"b":2,"a":3}`, `{"a":1,"b":5,"a":3}`},
		{`{}`, `{"a":[1,2]}`},
		{`{"a":[1, 2]}`, `{"a":[1,2]}`},
		{`{"z":1,"b":2,"a<":3,"c":[1]}`, `{"z":9,"b":8,"a<":7,"c":[2]}`},
		{`{"b":"x y","c":"&","a":1}`, `{"b":"z","c":"q","a":2}`},
		{"{\"a\":\"\u2028\",\"b\":1}", `{"a":"x","b":2}`},
		{`{"a":tru,"b":1}`, `{"a":true,"b":1}`},
		{string(charge), compact.String()},
		{compact.String(), string(changedCharge)},
		{string(charge), string(changedCharge)},
	}
	for _, p := range pairs {
		got, want := previous([]byte(p[0]), []byte(p[1])), previousByDecoding([]byte(p[0]), []byte(p[1]))
		if !bytes.Equal(got, want) {
			t.Errorf("previous(%.60s, %.60s) = %s, want %s", p[0], p[1], got, want)
		}
	}
	if previous(nil, []byte(`{"a":1}`)) != nil {
		t.Error("previous of a new object is not nil")
	}
}

// str writes what json.Marshal writes.
func TestStrIsJSONMarshal(t *testing.T) {
	for _, s := range []string{"", "succeeded", "4242", "a<b", "a&b", "é", "q\"uote", "back\\slash", "tab\t", "\x7f", "ok-_./:"} {
		want, _ := json.Marshal(s)
		if got := str("k", s).val; !bytes.Equal(got, want) {
			t.Errorf("str(%q) = %s, want %s", s, got, want)
		}
	}
}
