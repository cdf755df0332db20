package stripe_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/stripe"
)

// TestValidationOfFormEdges pins what validation answers for the form
// edges a decoder may get wrong: repeated keys (every value checked, an
// unknown one named once), an unset hash member repeated with a value,
// long forms, and a query url.ParseQuery refuses in part (its good pairs
// still checked).
func TestValidationOfFormEdges(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Strict: true})
	empty := func(p string) string {
		return "You passed an empty string for '" + p + "'. We assume empty values are an attempt to unset a parameter; however '" + p +
			"' cannot be unset. You should remove '" + p + "' from your request or supply a non-empty value."
	}
	var long strings.Builder
	for i := range 40 {
		fmt.Fprintf(&long, "metadata[k%d]=v&", i)
	}
	cases := []struct {
		name, method, target, form string
		status                     int
		want                       stripeErr
	}{
		{"second value of a repeated key", "POST", "/v1/payment_intents", "amount=100&currency=usd&amount=abc", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: abc", "amount"}},
		{"first value of a repeated key", "POST", "/v1/payment_intents", "amount=abc&currency=usd&amount=100", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: abc", "amount"}},
		{"repeated unknown named once", "POST", "/v1/customers", "nickname=a&email=a@example.com&nickname=b", 400,
			stripeErr{"invalid_request_error", "parameter_unknown", "Received unknown parameter: nickname", "nickname"}},
		{"hash member unset", "POST", "/v1/customers", "metadata[k]=", 200, stripeErr{}},
		// Only a member given nothing but empty values is unset.
		{"hash member unset and set", "POST", "/v1/customers", "metadata[k]=&metadata[k]=x", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_empty", empty("metadata[k]"), "metadata[k]"}},
		{"percent-encoded key", "POST", "/v1/payment_intents", "amount=100&currency=usd&capture%5Fmethod=later", 400,
			stripeErr{"invalid_request_error", "", "Invalid capture_method: must be one of automatic, automatic_async, or manual", "capture_method"}},
		{"nested member repeated, required one missing", "POST", "/v1/customers", "tax_id_data[0][value]=FR1&tax_id_data[0][value]=FR2", 400,
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: tax_id_data[0][type].", "tax_id_data[0][type]"}},
		{"long form", "POST", "/v1/payment_intents", long.String() + "currency=usd&amount=1.5", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: 1.5", "amount"}},
		{"long form, repeated key", "POST", "/v1/payment_intents", long.String() + "currency=usd&amount=1&amount=x", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: x", "amount"}},
		{"long form, missing", "POST", "/v1/payment_intents", long.String() + "currency=usd", 400,
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: amount.", "amount"}},
		{"query refused in part", "GET", "/v1/customers?limit=ten&x=%zz", "", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: ten", "limit"}},
		{"query with repeated key", "GET", "/v1/customers?limit=3&limit=ten", "", 400,
			stripeErr{"invalid_request_error", "parameter_invalid_integer", "Invalid integer: ten", "limit"}},
		{"body with a semicolon is no form", "POST", "/v1/payment_intents", "amount=100;currency=usd", 400,
			stripeErr{"invalid_request_error", "parameter_missing", "Missing required param: amount.", "amount"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, raw := call(t, ts, c.method, c.target, c.form)
			if status != c.status {
				t.Fatalf("status %d; want %d\n%s", status, c.status, raw)
			}
			if got := errorOf(body); got != c.want {
				t.Errorf("error %+v;\nwant  %+v", got, c.want)
			}
		})
	}
}

// TestExpandBothForms expands what expand[] and expand[0] name together,
// and a percent-encoded expand%5B%5D, on a create.
func TestExpandBothForms(t *testing.T) {
	_, ts := newServer(t, stripe.Options{Strict: true})
	for _, form := range []string{
		"amount=100&currency=usd&customer=cus_1&expand[]=customer&expand[0]=payment_method",
		"amount=100&currency=usd&customer=cus_1&expand%5B0%5D=customer&expand%5B%5D=payment_method",
	} {
		status, body, raw := call(t, ts, "POST", "/v1/payment_intents", form)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d\n%s", form, status, raw)
		}
		if _, ok := body["customer"].(map[string]any); !ok {
			t.Errorf("%s: customer not expanded: %v", form, body["customer"])
		}
		if _, ok := body["payment_method"].(map[string]any); !ok && body["payment_method"] != nil {
			t.Errorf("%s: payment_method not expanded: %v", form, body["payment_method"])
		}
	}
}
