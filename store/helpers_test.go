package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// customerJSON is shaped like the customer the embedded catalog renders
// (about 1.4 KB, indented), so sizes and speeds measured here are real.
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

// customer returns a customer object; n picks its balance and email.
func customer(id string, n int, created int64) Object {
	email := fmt.Sprintf("user%d@example.com", n%7)
	return Object{ID: id, Type: "customer", JSON: fmt.Sprintf(customerJSON, id, n, created, n, email, n)}
}

// card returns a card stored under the customer with id parent.
func card(id, parent string, created int64) Object {
	return Object{ID: id, Type: "card", Parent: parent, JSON: fmt.Sprintf(
		`{"id":%q,"object":"card","brand":"Visa","customer":%q,"created":%d,"last4":"4242"}`, id, parent, created)}
}

func newMemory(t testing.TB, opts Options) *Memory {
	t.Helper()
	m, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m
}

func mustPut(t testing.TB, m Store, obj Object) Object {
	t.Helper()
	got, err := m.Put(context.Background(), obj)
	if err != nil {
		t.Fatalf("Put(%s): %v", obj.ID, err)
	}
	return got
}

func mustList(t testing.TB, m Store, q Query) Page {
	t.Helper()
	p, err := m.List(context.Background(), q)
	if err != nil {
		t.Fatalf("List(%+v): %v", q, err)
	}
	return p
}

// ids lists the ids of a page, comma-separated.
func ids(objs []Object) string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.ID
	}
	return strings.Join(out, ",")
}

func i64(v int64) *int64 { return &v }
