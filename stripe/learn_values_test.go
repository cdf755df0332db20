package stripe

import (
	"strings"
	"testing"
	"time"
)

// learnValues cuts at a value only where the renderings show it echoed
// as it is; a value changed on its way (upper-cased, counted, read
// elsewhere) leaves the create unprepared.
func TestLearnValuesCutsAtEchoesOnly(t *testing.T) {
	at := func(js string, unix int64, id string) rendering {
		return rendering{js: js, ids: []string{id}, prefixes: []string{"ch"}, now: time.Unix(unix, 0), ok: true}
	}
	learnWith := func(tpl func(v string) string) *preparedCreate {
		obj := func(id, now, v string) string {
			return strings.NewReplacer("ID", id, "NOW", now).Replace(tpl(v))
		}
		return learnValues(
			at(obj("ch_a", "1700000000", "2000"), 1700000000, "ch_a"),
			at(obj("ch_b", "1800000000", "13579"), 1800000000, "ch_b"),
			at(obj("ch_c", "1900000000", "57913"), 1900000000, "ch_c"),
			[]string{"2000"}, []string{"13579"}, []string{"57913"})
	}
	good := learnWith(func(v string) string {
		return `{"id":"ID","object":"charge","amount":` + v + `,"amount_captured":` + v + `,"created":NOW,"x":"ID"}`
	})
	if !good.ok || len(good.holes) != 5 {
		t.Fatalf("learnt %+v; want five holes", good)
	}
	if got, want := good.fillWith([]string{"ch_d"}, time.Unix(1600000000, 0), []string{"7"}),
		`{"id":"ch_d","object":"charge","amount":7,"amount_captured":7,"created":1600000000,"x":"ch_d"}`; got != want {
		t.Errorf("filled\n%s\nwant\n%s", got, want)
	}
	for name, tpl := range map[string]func(v string) string{
		"a value's length": func(v string) string {
			return `{"id":"ID","object":"charge","amount":` + v + `,"digits":` + string(rune('0'+len(v))) + `,"created":NOW}`
		},
		"a value changed": func(v string) string {
			r := []byte(v)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return `{"id":"ID","object":"charge","amount":` + string(r) + `,"created":NOW}`
		},
		"a value read before the renderings": func(string) string {
			return `{"id":"ID","object":"charge","amount":2000,"created":NOW}`
		},
	} {
		if p := learnWith(tpl); p.ok {
			t.Errorf("%s: learnt %+v; want no cut", name, p)
		}
	}
}
