package stripe

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/store"
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

// A fill with values of other lengths moves the members that follow
// them: the members it gives the store are where they lie in the filled
// text.
func TestLearnValuesMovesMembers(t *testing.T) {
	obj := func(id, now string, v []string) string {
		return `{"id":"` + id + `","object":"customer","amount":` + v[0] + `,"description":"` + v[1] + `","created":` + now +
			`,"metadata":{"k":"` + v[2] + `","id":"` + id + `"},"email":"` + v[1] + `@x","livemode":false}`
	}
	at := func(id string, unix int64, v ...string) rendering {
		return rendering{js: obj(id, strconv.FormatInt(unix, 10), v), ids: []string{id},
			prefixes: []string{"cus"}, now: time.Unix(unix, 0), ok: true}
	}
	p := learnValues(at("cus_a", 1700000000, "2000", "plain", "42"), at("cus_b", 1800000000, "13579", "AbCdEf", "864"),
		at("cus_c", 1900000000, "57913", "bCdEfG", "246"), []string{"2000", "plain", "42"}, []string{"13579", "AbCdEf", "864"}, []string{"57913", "bCdEfG", "246"})
	if !p.ok || p.members == nil {
		t.Fatalf("learnt %+v; want a cut with members", p)
	}
	for _, values := range [][]string{{"7", `say \"hi\" \u2713`, "1"}, {"123456789012345", "", "98765432"}, {"2000", "plain", "42"}} {
		ids := []string{"cus_0123456789abcdefXYZ"}
		now := time.Unix(1234567890, 0)
		js := p.fillWith(ids, now, values)
		if want := obj(ids[0], "1234567890", values); js != want {
			t.Fatalf("filled\n%s\nwant\n%s", js, want)
		}
		got, want := p.movedMembers(p.holeLens(ids, now, values)), membersOf(js, nil, nil)
		if !slices.Equal(got, want) {
			t.Errorf("values %q: members %v; want %v", values, got, want)
		}
		if p.layoutOf(js, p.holeLens(ids, now, values), values) == nil {
			t.Errorf("values %q: no layout", values)
		}
	}
}

// Fills whose values have the same lengths share a layout only while
// the store reads them alike: a value the store must decode (an escape, a
// byte past ASCII) has a layout of its own, the store's own reading.
func TestFilledLayoutsAreTheStoresReading(t *testing.T) {
	obj := func(id, now, amount, desc string) string {
		return `{"id":"` + id + `","object":"customer","amount":` + amount + `,"description":"` + desc + `","created":` + now + `}`
	}
	at := func(id string, unix int64, amount, desc string) rendering {
		return rendering{js: obj(id, strconv.FormatInt(unix, 10), amount, desc), ids: []string{id},
			prefixes: []string{"cus"}, now: time.Unix(unix, 0), ok: true}
	}
	p := learnValues(at("cus_a", 1700000000, "2000", "plain"), at("cus_b", 1800000000, "13579", "AbCdEf"),
		at("cus_c", 1900000000, "57913", "bCdEfG"), []string{"2000", "plain"}, []string{"13579", "AbCdEf"}, []string{"57913", "bCdEfG"})
	if !p.ok || p.members == nil {
		t.Fatalf("learnt %+v; want a cut with members", p)
	}
	// Each pair of values has the lengths of the one before it.
	for _, values := range [][]string{{"2001", "abcdef"}, {"2002", "uvwxyz"}, {"2003", `ab\"cd`}, {"2004", "abécd"}, {"2005", "ghijkl"}} {
		o := p.fill(time.Unix(1234567890, 0), values)
		js, got := o.Text(), o.Layout
		want, err := store.ScanLayout(js)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("values %q: layout %+v; want the store's reading %+v", values, got, want)
		}
	}
}
