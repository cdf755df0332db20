package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// membersBodies are objects members reads plainly and ones it must leave
// to the scanners: indented, repeated names, escaped names, members to
// add, not an object.
func membersBodies(t testing.TB) map[string]string {
	charge, err := os.ReadFile("testdata/charge.json")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"charge (indented)": string(charge),
		"intent":            `{"id":"pi_1","object":"payment_intent","amount":2000,"currency":"usd","customer":null,"last_payment_error":null,"next_action":{"type":"x"},"payment_method":"pm_1","status":"requires_payment_method"}`,
		"spaced":            `{ "id" : "pi_1" , "status" : "requires_action", "next_action" : null , "payment_method":"pm_1","last_payment_error":{"a":1} }`,
		"repeated":          `{"status":"a","status":"b","payment_method":null,"next_action":1,"last_payment_error":2}`,
		"escaped name":      `{"st\u0061tus":"a","status":"b","payment_method":"x","next_action":1,"last_payment_error":2}`,
		"escaped value":     `{"status":"caf\u00e9","payment_method":"a\"b","next_action":[],"last_payment_error":{}}`,
		"missing members":   `{"id":"pi_1","status":"requires_confirmation"}`,
		"empty":             `{}`,
		"not an object":     `[1,2]`,
		"malformed":         `{"status":"a",}`,
		"invalid scalar":    `{"status":tru,"payment_method":"x","next_action":null,"last_payment_error":null}`,
	}
}

var membersSets = []setting{str("status", "requires_action"), str("payment_method", "pm_card_authenticationRequired"),
	null("last_payment_error"), {"next_action", useStripeSDK("pi_1")}}

// members reads what the scanners read and writes what setMembers
// writes, and the members it finds in what it wrote are that object's.
func TestMembersAreTheScanners(t *testing.T) {
	for name, body := range membersBodies(t) {
		checkMembers(t, name, []byte(body), membersSets)
	}
}

func FuzzMembersAreTheScanners(f *testing.F) {
	for _, body := range membersBodies(f) {
		f.Add(body, "status", "new")
	}
	f.Add(`{"a":1}`, "b", `x`)
	f.Fuzz(func(t *testing.T, body, key, value string) {
		checkMembers(t, "fuzzed", []byte(body), []setting{str(key, value), null("next_action"), {"status", []byte(`{"x":[1]}`)}})
	})
}

func checkMembers(t *testing.T, name string, b []byte, sets []setting) {
	t.Helper()
	m := readMembers(b)
	wantKV, wantOK := topMembers(b, nil)
	if gotKV, gotOK := m.keyValues(nil); gotOK != wantOK || !reflect.DeepEqual(gotKV, wantKV) {
		t.Errorf("%s: keyValues %q %v, topMembers %q %v", name, gotKV, gotOK, wantKV, wantOK)
	}
	for _, key := range []string{"status", "payment_method", "amount", "customer", "next_action", "last_payment_error", "absent", sets[0].key} {
		if got, want := m.str(key), topValues(b, key)[0]; got != want && !repeatedName(b, key) {
			t.Errorf("%s: str(%q) = %q, topValues %q", name, key, got, want)
		}
		if got, want := m.value(key), member2(b, key); string(got) != string(want) {
			t.Errorf("%s: value(%q) = %s, member2 %s", name, key, got, want)
		}
		if got, want := m.strView(key), m.str(key); got != want {
			t.Errorf("%s: strView(%q) = %q, str %q", name, key, got, want)
		}
		if got, want := m.stringView(key), m.string(key); got != want {
			t.Errorf("%s: stringView(%q) = %q, string %q", name, key, got, want)
		}
	}
	// Read in one pass, as a confirm reads the intent (a name twice
	// among them, when the set's is one of the others).
	keys := []string{"status", "payment_method", "amount", "customer", "next_action", "last_payment_error", "absent", sets[0].key}
	views := make([]string, len(keys))
	m.strViews(keys, views)
	for i, key := range keys {
		if want := m.strView(key); views[i] != want {
			t.Errorf("%s: strViews gives %q for %q, strView %q", name, views[i], key, want)
		}
	}
	now := m.set(sets)
	if want := setMembers(b, sets); string(now.b) != string(want) {
		t.Errorf("%s: set wrote\n%s\nsetMembers\n%s", name, now.b, want)
	}
	if !now.ok {
		return
	}
	wantKV, wantOK = topMembers(now.b, nil)
	if gotKV, _ := now.keyValues(nil); !wantOK || !reflect.DeepEqual(gotKV, wantKV) {
		t.Errorf("%s: the members set found %q, topMembers %q %v", name, gotKV, wantKV, wantOK)
	}
	// What the events read of the write: its previous_attributes and
	// both statuses, as they would find them scanning both objects.
	r := m.edit(sets)
	if !r.describes(b, string(now.b)) {
		t.Fatalf("%s: the edit does not describe its own objects", name)
	}
	// Only stored objects, valid JSON, are read so: previous trusts their
	// values (changedObject's valid), where scanning checks them.
	if got, want := r.previous(), previous(b, now.b); string(got) != string(want) && json.Valid(b) {
		t.Errorf("%s: previous %s, scanning both %s", name, got, want)
	}
	for _, key := range []string{"status", "payment_method", "absent"} {
		if got, want := r.now.string(key), topString(now.b, key); got != want {
			t.Errorf("%s: string(%q) = %q, topString %q", name, key, got, want)
		}
		if got, want := r.old.string(key), topString(b, key); got != want {
			t.Errorf("%s: old string(%q) = %q, topString %q", name, key, got, want)
		}
	}
}

// repeatedName reports whether the object b names key more than once:
// topValues then reads the first non-empty one, members the first.
func repeatedName(b []byte, key string) bool {
	kv, ok := topMembers(b, nil)
	n := 0
	for _, m := range kv {
		if string(m.key) == key {
			n++
		}
	}
	return ok && n > 1
}

// values writes what str, num and null write, in one buffer while it has
// room and as they do past it.
func TestValuesAreTheSettings(t *testing.T) {
	for _, room := range []int{0, 5, 64, 1024} {
		v := newValues(room)
		got := []setting{v.str("a", "pm_card_visa"), v.num("b", -2000), v.null("c"), v.str("d", `x"<y>`), v.str("e", "ch_123"),
			v.num("f", 0), v.null("g")}
		want := []setting{str("a", "pm_card_visa"), num("b", -2000), null("c"), str("d", `x"<y>`), str("e", "ch_123"),
			num("f", 0), null("g")}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("room %d: %q, want %q", room, got, want)
		}
	}
}

// A confirm's write takes the members its request read of the intent
// before (the events' watch) only when it is given that very text:
// another text, even of the same bytes, is read anew.
func TestReadIntentTakesOnlyTheWatchedText(t *testing.T) {
	l := &lifecycle{}
	js := `{"id":"pi_1","object":"payment_intent","status":"requires_payment_method","latest_charge":null}`
	w := &before{id: "pi_1", members: readMembers(view(js))}
	ctx, c := withChanges(context.Background())
	c.watched = w
	if got := l.readIntent(ctx, "pi_1", view(js)); &got.at[0] != &w.members.at[0] {
		t.Error("the watched text was read again")
	}
	same := string([]byte(js)) // the same bytes elsewhere
	if got := l.readIntent(ctx, "pi_1", view(same)); !got.ok || &got.at[0] == &w.members.at[0] || string(got.b) != js {
		t.Error("another text was given the watched members")
	}
	if got := l.readIntent(ctx, "pi_2", view(js)); &got.at[0] == &w.members.at[0] {
		t.Error("another intent was given the watched members")
	}
	if got := l.readIntent(context.Background(), "pi_1", view(js)); !got.ok || &got.at[0] == &w.members.at[0] {
		t.Error("a request that watched nothing was given the watched members")
	}
}

// The member scanner reads names and strings eight bytes at a time: a
// quote, a backslash, a control byte, DEL or a byte past ASCII at any
// place of a long name or string value is found as topMembers finds it.
func TestScanMembersFindsEveryByte(t *testing.T) {
	for _, special := range []string{`"`, `\"`, `\\`, `\n`, "\n", "\x00", "\x1f", "\x7f", "é", "\xff", " ", "}", ","} {
		for at := range 20 {
			word := strings.Repeat("a", at) + special + strings.Repeat("b", 19-at)
			for _, body := range []string{
				`{"` + word + `":1,"status":"x"}`,
				`{"id":"` + word + `","status":"requires_action"}`,
				`{"payment_method_configuration_details":"` + word + `","n":12345678901234567890}`,
			} {
				checkMembers(t, fmt.Sprintf("%q at %d in %s", special, at, body), []byte(body), membersSets)
			}
		}
	}
}
