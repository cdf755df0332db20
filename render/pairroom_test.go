package render

import (
	"fmt"
	"strings"
	"testing"
)

// TestPairsOfFirstBodySurviveSetBody checks that the pairs a caller took
// from a request's first body stay as they were when the body is replaced
// and decoded again (a create's shape keeps them while its renderings use
// other bodies), and that a form of a few pairs is decoded without an
// allocation of its own beyond the body's text.
func TestPairsOfFirstBodySurviveSetBody(t *testing.T) {
	req := &Request{Body: []byte("amount=2000&currency=usd&source=tok_visa"), ContentType: "application/x-www-form-urlencoded"}
	first, ok := req.BodyPairs()
	if !ok || len(first) != 3 {
		t.Fatalf("BodyPairs = %v, %v", first, ok)
	}
	req.SetBody([]byte("amount=7777&currency=eur&source=tok_mastercard"))
	if v, _ := req.BodyValue("currency"); v != "eur" {
		t.Fatalf("currency after SetBody = %q, want eur", v)
	}
	if got := fmt.Sprint(first); got != "[{amount 2000} {currency usd} {source tok_visa}]" {
		t.Errorf("first body's pairs after SetBody: %s", got)
	}
	// A long form still decodes whole, every pair in order.
	var long []string
	for i := range 30 {
		long = append(long, fmt.Sprintf("metadata[k%d]=%d", i, i))
	}
	req = &Request{Body: []byte(strings.Join(long, "&"))}
	if pairs, ok := req.BodyPairs(); !ok || len(pairs) != 30 || pairs[29].Key != "metadata[k29]" || pairs[29].Value != "29" {
		t.Errorf("long form: %d pairs, %v", len(pairs), ok)
	}
	body := []byte("amount=2000&currency=usd&source=tok_visa")
	var last *Request // each Request is kept, on the heap, as a server's is
	allocs := testing.AllocsPerRun(100, func() {
		r := &Request{Body: body}
		last = r
		if v, ok := r.BodyValue("source"); !ok || v != "tok_visa" {
			t.Fatalf("source = %q, %v", v, ok)
		}
	})
	if last == nil || allocs > 2 { // the Request and the body's text (string(Body)) only
		t.Errorf("decoding a 3-pair form allocates %v times; want at most 2", allocs)
	}
}
