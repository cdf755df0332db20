package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// statefulServer is the server `routedeck serve` runs: the embedded
// catalog, the Stripe rules, the test cards and a seeded store.
func statefulServer(b *testing.B) *server.Server {
	b.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	seed := stripe.Seed(cat)
	st, err := store.New(store.Options{Seed: seed, MaxObjects: 50_000_000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	payments := stripe.NewPayments(cat, st)
	s, err := server.New(cat, server.Options{Rules: rules, TestValues: payments, Own: payments,
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func serve(b *testing.B, s *server.Server, method, target, body string) string {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s %s: status %d %s", method, target, w.Code, w.Body)
	}
	return w.Body.String()
}

// bareServer is the server without the Stripe rules and store, the
// baseline of the ratios.
func bareServer(b *testing.B) *server.Server {
	b.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	s, err := server.New(cat, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// loop runs fn b.N times and reports the process's CPU time per request
// (cpu-ns/op) beside the wall time: on a busy machine the CPU a request
// costs is the steadier measure.
func loop(b *testing.B, fn func()) {
	b.ReportAllocs()
	cpu := cputime.Start()
	n := 0
	for b.Loop() {
		fn()
		n++
	}
	cpu.Report(b, n, time.Nanosecond, "cpu-ns/op")
}

func BenchmarkBareGetCustomer(b *testing.B) {
	s := bareServer(b)
	loop(b, func() { serve(b, s, "GET", "/v1/customers/cus_123", "") })
}

func BenchmarkBarePostCharge(b *testing.B) {
	s := bareServer(b)
	loop(b, func() { serve(b, s, "POST", "/v1/charges", "amount=2000&currency=usd&source=tok_visa") })
}

// The peer benchmark's GET_CREATED run: retrieve a customer created
// first. Compare with BenchmarkEmbeddedGetCustomer (no store).
func BenchmarkStatefulGetCreatedCustomer(b *testing.B) {
	s := statefulServer(b)
	var c struct{ ID string }
	if err := json.Unmarshal([]byte(serve(b, s, "POST", "/v1/customers", "email=a@example.com")), &c); err != nil {
		b.Fatal(err)
	}
	loop(b, func() { serve(b, s, "GET", "/v1/customers/"+c.ID, "") })
}

// A create that stores the charge. Compare with BenchmarkEmbeddedPostCharge.
func BenchmarkStatefulPostCharge(b *testing.B) {
	s := statefulServer(b)
	loop(b, func() { serve(b, s, "POST", "/v1/charges", "amount=2000&currency=usd&source=tok_visa") })
}

// A create of a charge for an amount no create had before (each
// request's body differs): the general create path, which the prepared
// creates of BenchmarkStatefulPostCharge do not fill.
func BenchmarkStatefulPostChargeVaried(b *testing.B) {
	s := statefulServer(b)
	n := 0
	loop(b, func() {
		n++
		serve(b, s, "POST", "/v1/charges", "amount="+strconv.Itoa(2000+n)+"&currency=usd&source=tok_visa")
	})
}

func BenchmarkStatefulListCustomers(b *testing.B) {
	s := statefulServer(b)
	for range 1000 {
		serve(b, s, "POST", "/v1/customers", "email=a@example.com")
	}
	loop(b, func() { serve(b, s, "GET", "/v1/customers?limit=10", "") })
}

// The peer benchmark's GET_CREATED run creates with POST /v1/customers:
// a create that stores the customer.
func BenchmarkStatefulPostCustomer(b *testing.B) {
	s := statefulServer(b)
	loop(b, func() { serve(b, s, "POST", "/v1/customers", "email=bench@example.com") })
}

// The peer benchmark's default GET: the sample customer through the
// stateful server.
func BenchmarkStatefulGetSampleCustomer(b *testing.B) {
	s := statefulServer(b)
	loop(b, func() { serve(b, s, "GET", "/v1/customers/cus_123", "") })
}
