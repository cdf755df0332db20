package stripe

import (
	"strings"
	"testing"
	"time"
)

// learn keeps a cut only where every byte that differs between the two
// renderings is an id or the time, and every id or time it cut at
// differs.
func TestLearnCutsAtIdsAndTimeOnly(t *testing.T) {
	at := func(js string, unix int64, ids ...string) rendering {
		prefixes := make([]string, len(ids))
		for i, id := range ids {
			prefixes[i], _, _ = strings.Cut(id, "_")
		}
		return rendering{js: js, ids: ids, prefixes: prefixes, now: time.Unix(unix, 0), ok: true}
	}
	const tpl = `{"id":"ID","object":"charge","created":NOW,"refunds":{"url":"/v1/charges/ID/refunds"},"x":X}`
	obj := func(id string, now, x string) string {
		return strings.NewReplacer("ID", id, "NOW", now, "X", x).Replace(tpl)
	}
	good := learn(at(obj("ch_a", "1700000000", "1"), 1700000000, "ch_a"), at(obj("ch_b", "1800000000", "1"), 1800000000, "ch_b"))
	if !good.ok || good.typ != "charge" || len(good.holes) != 3 {
		t.Fatalf("learnt %+v; want a charge with three holes", good)
	}
	if got, want := good.fillWith([]string{"ch_c"}, time.Unix(1900000000, 0), nil), obj("ch_c", "1900000000", "1"); got != want {
		t.Errorf("filled\n%s\nwant\n%s", got, want)
	}
	o := good.fill(time.Unix(1900000001, 0), nil)
	if o.Filled == nil || o.JSON != "" || o.Type != "charge" {
		t.Errorf("fill gave %+v; want a charge kept as the template filled", o)
	}
	js, id := o.Text(), o.ID
	if !strings.HasPrefix(id, "ch_") || id == "ch_c" || js != obj(id, "1900000001", "1") {
		t.Errorf("fill gave %s %s", id, js)
	}
	for name, second := range map[string]rendering{
		"a value that is neither id nor time differs": at(obj("ch_b", "1800000000", "2"), 1800000000, "ch_b"),
		"the id is not an id the rendering made":      at(obj("ch_b", "1800000000", "1"), 1800000000, "ch_z"),
		"other ids were made":                         at(obj("ch_b", "1800000000", "1"), 1800000000, "ch_b", "pm_c"),
	} {
		if p := learn(at(obj("ch_a", "1700000000", "1"), 1700000000, "ch_a"), second); p.ok {
			t.Errorf("%s: learnt %+v; want no cut", name, p)
		}
	}
	// A constant equal to the first rendering's time is not a hole: the
	// second rendering keeps it where the time moved.
	if p := learn(at(obj("ch_a", "1700000000", "1700000000"), 1700000000, "ch_a"), at(obj("ch_b", "1800000000", "1700000000"), 1800000000, "ch_b")); p.ok {
		t.Errorf("a constant equal to the time was cut at: %+v", p)
	}
	// Not an object, or a list: never prepared.
	if p := learn(at(`{"id":"ch_a","object":"list"}`, 1, "ch_a"), at(`{"id":"ch_b","object":"list"}`, 2, "ch_b")); p.ok {
		t.Errorf("a list was prepared")
	}
}
