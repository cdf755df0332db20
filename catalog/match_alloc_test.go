package catalog

import "testing"

// TestMatchWithoutParamsAllocatesNothing checks that matching a route
// without path parameters (POST /v1/charges, each create of the peer
// run) makes no parameter map, while a route with one still gets its own.
func TestMatchWithoutParamsAllocatesNothing(t *testing.T) {
	cat, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	r, params, ok := cat.Match("POST", "/v1/charges")
	if !ok || r.Key() != "POST /v1/charges" || len(params) != 0 {
		t.Fatalf("Match(POST /v1/charges) = %v, %v, %v", r, params, ok)
	}
	if n := testing.AllocsPerRun(100, func() { cat.Match("POST", "/v1/charges") }); n != 0 {
		t.Errorf("Match(POST /v1/charges) allocates %v times; want 0", n)
	}
	_, params, ok = cat.Match("GET", "/v1/charges/ch_1")
	if !ok || len(params) != 1 || params["charge"] != "ch_1" {
		t.Errorf("Match(GET /v1/charges/ch_1) params %v, %v; want charge=ch_1", params, ok)
	}
}
