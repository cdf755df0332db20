package stripe

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"testing"
)

// setMembersIn writes in one pass what setMembers followed by setIn, one
// path at a time, write: on the charge a test card finishes, and where
// the nested object is absent, not an object, or repeated.
func TestSetMembersInIsSetMembersThenSetIn(t *testing.T) {
	charge, err := os.ReadFile("testdata/charge.json")
	if err != nil {
		t.Fatal(err)
	}
	top := []setting{str("status", "succeeded"), {"paid", []byte("true")}, null("failure_code"), num("amount_refunded", 0)}
	pmd := []setting{str("type", "card")}
	card := []setting{str("brand", "visa"), str("last4", "4242"), num("exp_month", 12), str("display_brand", "visa")}
	for name, body := range map[string]string{
		"charge":           string(charge),
		"compact":          `{"id":"ch_1","status":"pending","payment_method_details":{"card":{"brand":"x"},"type":"x"},"paid":false}`,
		"no card":          `{"id":"ch_1","payment_method_details":{"type":"x"}}`,
		"card not object":  `{"id":"ch_1","payment_method_details":{"card":null}}`,
		"no details":       `{"id":"ch_1","status":"pending"}`,
		"details null":     `{"id":"ch_1","payment_method_details":null,"paid":false}`,
		"details repeated": `{"payment_method_details":{"type":"a"},"payment_method_details":{"type":"b"}}`,
		"escaped key":      `{"payment_method\u005fdetails":{"type":"a"},"status":"x"}`,
		"empty":            `{}`,
		"not an object":    `[1]`,
	} {
		want := setMembers([]byte(body), top)
		want = setIn(want, "payment_method_details", pmd)
		want = setIn(want, "payment_method_details.card", card)
		got := setMembersIn([]byte(body), top, []nestedSet{{key: "payment_method_details", sets: pmd, in: []nestedSet{{key: "card", sets: card}}}})
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// stringValue is what decoding the string gives, plain or escaped.
func TestStringValueIsDecoding(t *testing.T) {
	for _, raw := range []string{`"cus_123"`, `""`, `"a\"b"`, `"caf\u00e9"`, `"café"`, "\"\xff\"", `"<&>"`, `"a\\"`, `12`, `null`} {
		var want string
		_ = json.Unmarshal([]byte(raw), &want)
		if got := stringValue([]byte(raw), span{0, len(raw)}); got != want {
			t.Errorf("stringValue(%s) = %q, want %q", raw, got, want)
		}
	}
}

// A flat form's parameters are what the general walk makes of them.
func TestFlatFormParamsAreTheTree(t *testing.T) {
	for _, q := range []string{
		"amount=2000&currency=usd&source=tok_visa",
		"email=a@example.com&email=b@example.com&name=",
		"=x&a]=1&b=2",
		"metadata[k]=v&amount=1", // not flat: the walk itself
	} {
		form, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		got, want := formParams(form), formTree(form, map[string]any{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: formParams %v, the walk %v", q, got, want)
		}
	}
}
