package stripe_test

import (
	"net/http"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// An Idempotency-Key compares the request's parameters, not its bytes:
// the same parameters in another order replay the first answer byte for
// byte; different parameters (a value, an array's order, the path) are
// Stripe's idempotency_error.
func TestIdempotencyComparesParameters(t *testing.T) {
	s := newStateServer(t, stateConfig{})
	send := func(key, path, contentType, body string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("POST", s.ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Idempotency-Key", key)
		resp, err := s.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp, readAll(t, resp)
	}
	const form = "application/x-www-form-urlencoded"
	conflict := "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'k-form' if you meant to execute a different request."

	first, body1 := send("k-form", "/v1/customers", form, "email=a%40example.com&metadata[plan]=pro&metadata[seats]=3&preferred_locales[0]=en&preferred_locales[1]=fr")
	if first.StatusCode != 200 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q %s", first.StatusCode, first.Header.Get("Idempotent-Replayed"), body1)
	}
	for _, reordered := range []string{
		"metadata[seats]=3&preferred_locales[0]=en&email=a%40example.com&preferred_locales[1]=fr&metadata[plan]=pro",
		"preferred_locales[1]=fr&metadata[plan]=pro&metadata[seats]=3&email=a@example.com&preferred_locales[0]=en",
	} {
		resp, body := send("k-form", "/v1/customers", form, reordered)
		if resp.StatusCode != 200 || body != body1 || resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("same parameters in another order (%s): %d replayed=%q\n%s\nwant\n%s", reordered, resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), body, body1)
		}
	}
	if n := s.store.Stats().Types["customer"]; n != 1 {
		t.Errorf("%d customers stored, want 1", n)
	}
	for _, different := range []struct{ path, body string }{
		{"/v1/customers", "email=b%40example.com&metadata[plan]=pro&metadata[seats]=3&preferred_locales[0]=en&preferred_locales[1]=fr"},
		{"/v1/customers", "email=a%40example.com&metadata[plan]=pro&metadata[seats]=3&preferred_locales[0]=fr&preferred_locales[1]=en"},
		{"/v1/customers", "email=a%40example.com&metadata[plan]=pro&metadata[seats]=3&preferred_locales[0]=en"},
		{"/v1/products", "email=a%40example.com&metadata[plan]=pro&metadata[seats]=3&preferred_locales[0]=en&preferred_locales[1]=fr"},
	} {
		resp, body := send("k-form", different.path, form, different.body)
		if resp.StatusCode != 400 || !strings.Contains(body, `"type": "idempotency_error"`) && !strings.Contains(body, `"type":"idempotency_error"`) || !strings.Contains(body, conflict) {
			t.Fatalf("different parameters %s %s: %d %s", different.path, different.body, resp.StatusCode, body)
		}
	}
	// An array's values keep their order: x[]=a&x[]=b is not x[]=b&x[]=a.
	if resp, body := send("k-array", "/v1/customers", form, "expand[]=tax&expand[]=sources"); resp.StatusCode != 200 {
		t.Fatalf("expand[]: %d %s", resp.StatusCode, body)
	}
	if resp, body := send("k-array", "/v1/customers", form, "expand[]=sources&expand[]=tax"); resp.StatusCode != 400 || !strings.Contains(body, "idempotency_error") {
		t.Fatalf("expand[] reordered: %d %s, want the conflict", resp.StatusCode, body)
	}

	// JSON bodies compare canonically: members in any order, any spacing.
	const js = "application/json"
	j1, jb1 := send("k-json", "/v1/customers", js, `{"email":"j@example.com","metadata":{"a":"1","b":"2"},"balance":100}`)
	if j1.StatusCode != 200 {
		t.Fatalf("json: %d %s", j1.StatusCode, jb1)
	}
	j2, jb2 := send("k-json", "/v1/customers", js, "{ \"balance\": 100,\n \"metadata\": {\"b\":\"2\", \"a\":\"1\"}, \"email\": \"j@example.com\" }")
	if j2.StatusCode != 200 || jb2 != jb1 || j2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("json reordered: %d replayed=%q\n%s\nwant\n%s", j2.StatusCode, j2.Header.Get("Idempotent-Replayed"), jb2, jb1)
	}
	if j3, jb3 := send("k-json", "/v1/customers", js, `{"email":"j@example.com","metadata":{"a":"1","b":"2"},"balance":101}`); j3.StatusCode != 400 || !strings.Contains(jb3, "idempotency_error") {
		t.Fatalf("json different: %d %s", j3.StatusCode, jb3)
	}

	// stripe-go: the same parameters replay the same customer (its
	// metadata map may be encoded in any order), different ones are its
	// typed idempotency error.
	sc := s.client()
	params := func(email string) *stripego.CustomerCreateParams {
		p := &stripego.CustomerCreateParams{Email: stripego.String(email), Name: stripego.String("Ada")}
		for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
			p.AddMetadata(k, strings.ToUpper(k))
		}
		p.SetIdempotencyKey("k-go")
		return p
	}
	c1, err := sc.V1Customers.Create(ctx, params("go@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		c2, err := sc.V1Customers.Create(ctx, params("go@example.com"))
		if err != nil || c2.ID != c1.ID || c2.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("stripe-go replay: %v %+v", err, c2)
		}
	}
	_, err = sc.V1Customers.Create(ctx, params("other@example.com"))
	if se := stripeErrorOf(t, err); se.Type != stripego.ErrorTypeIdempotency || se.HTTPStatusCode != 400 || !strings.Contains(se.Msg, "k-go") {
		t.Fatalf("stripe-go conflict: %s %d %s", se.Type, se.HTTPStatusCode, se.Msg)
	}
}
