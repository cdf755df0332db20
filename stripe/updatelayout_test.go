package stripe

import (
	"context"
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// The edit layout a PaymentIntent write hands the store with its update
// (values replaced, objects made null, nulls made objects) leaves the
// store holding what it holds after an update it reads in full: the same
// object, found by the same filters.
func TestUpdateLayoutIsTheStoresReading(t *testing.T) {
	ctx := context.Background()
	intents := map[string]string{
		// As the catalog's sample creates one: objects where a confirm
		// writes null.
		"created": `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":0,"created":1700000000,"currency":"usd","customer":null,"last_payment_error":{"type":"idempotency_error"},"latest_charge":null,"metadata":{},"next_action":{"type":"type"},"payment_method":null,"status":"requires_payment_method"}`,
		"nulls":   `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":0,"created":1700000000,"currency":"usd","last_payment_error":null,"latest_charge":null,"next_action":null,"payment_method":"pm_card_visa","status":"requires_confirmation"}`,
		"arrays":  `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":0,"created":1700000000,"last_payment_error":[],"latest_charge":[1],"next_action":[],"payment_method":{},"status":{"a":"b"}}`,
		// The first of two next_action objects is made null: the last,
		// still an object, is the member's value.
		"repeated": `{"id":"pi_1","object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":0,"last_payment_error":{},"latest_charge":null,"next_action":{"a":1},"payment_method":null,"status":"requires_payment_method","next_action":{"b":2}}`,
		"spaced":   `{ "id" : "pi_1" , "object":"payment_intent", "status" : "requires_action", "next_action" : {"x": [1, 2]} , "payment_method":"pm_1","last_payment_error":{"a":1}, "latest_charge": null, "amount_received": 0, "amount_capturable": 0 }`,
	}
	confirms := map[string][]setting{
		"pays": {str("status", "succeeded"), str("payment_method", "pm_card_visa"), str("latest_charge", "ch_1"),
			num("amount_received", 2000), num("amount_capturable", 0), null("last_payment_error"), null("next_action")},
		"3-D Secure": {str("status", "requires_action"), str("payment_method", "pm_card_authenticationRequired"), null("last_payment_error"),
			{"next_action", useStripeSDK("pi_1")}},
		// Not a confirm's, but a string where an object was: a filter
		// finds it (a null matches no filter).
		"a string for an object": {str("next_action", "redirect"), str("last_payment_error", "none")},
		"declines": {str("status", "requires_payment_method"), val("last_payment_error", lastError{Code: "card_declined", Type: "card_error"}),
			str("latest_charge", "ch_2"), null("payment_method"), null("next_action")},
	}
	for iname, body := range intents {
		for cname, sets := range confirms {
			name := iname + ", " + cname
			r := readMembers([]byte(body)).edit(sets)
			if !r.now.ok {
				t.Fatalf("%s: the write did not find its members", name)
			}
			js := string(r.now.b)
			l := r.layout(body, js)
			if l == nil {
				t.Fatalf("%s: no layout", name)
			}
			var stores [2]*store.Memory
			for k := range stores {
				m, err := store.New(store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := m.Put(ctx, store.Object{ID: "pi_1", Type: "payment_intent", JSON: body}); err != nil {
					t.Fatal(err)
				}
				layout := []*store.Layout{l, nil}[k]
				if _, err := m.Update(ctx, "pi_1", func(o store.Object) (store.Object, error) {
					o.JSON, o.Layout = js, layout
					return o, nil
				}); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				stores[k] = m
			}
			kv, _ := topMembers([]byte(js), nil)
			queries := []store.Query{{Equal: map[string]string{"absent": "x"}}}
			for _, m := range kv {
				queries = append(queries, store.Query{Equal: map[string]string{string(m.key): scalarText(m.value)}},
					store.Query{Equal: map[string]string{string(m.key): "null"}})
			}
			for _, q := range queries {
				laid, err1 := stores[0].List(ctx, q)
				read, err2 := stores[1].List(ctx, q)
				if err1 != nil || err2 != nil || !reflect.DeepEqual(laid, read) {
					t.Errorf("%s, %v: with the layout %+v %v; read %+v %v", name, q.Equal, laid, err1, read, err2)
				}
			}
			laid, err1 := stores[0].Get(ctx, "pi_1")
			read, err2 := stores[1].Get(ctx, "pi_1")
			if err1 != nil || err2 != nil || laid != read || laid.JSON != js {
				t.Errorf("%s: with the layout %+v %v; read %+v %v", name, laid, err1, read, err2)
			}
		}
	}
}
