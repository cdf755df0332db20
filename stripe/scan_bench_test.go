package stripe

import (
	"os"
	"testing"
)

// BenchmarkScanCharge is one pass over the members of the charge a test
// card finishes, as setMembers, mergeInto and member make.
func BenchmarkScanCharge(b *testing.B) {
	charge, err := os.ReadFile("testdata/charge.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(charge)))
	for b.Loop() {
		if err := eachMember(charge, func([]byte, span) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFinishCharge is what a test card does to a rendered charge.
func BenchmarkFinishCharge(b *testing.B) {
	charge, err := os.ReadFile("testdata/charge.json")
	if err != nil {
		b.Fatal(err)
	}
	top := []setting{str("status", "succeeded"), {"paid", []byte("true")}, null("failure_code"), null("failure_message"),
		{"captured", []byte("true")}, num("amount_captured", 2000), num("amount_refunded", 0), {"refunded", []byte("false")}}
	in := []nestedSet{{key: "payment_method_details", sets: []setting{str("type", "card")},
		in: []nestedSet{{key: "card", sets: []setting{str("brand", "visa"), str("last4", "4242"), num("exp_month", 12)}}}}}
	b.SetBytes(int64(len(charge)))
	b.ReportAllocs()
	for b.Loop() {
		setMembersIn(charge, top, in)
	}
}
