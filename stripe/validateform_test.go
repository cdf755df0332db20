package stripe

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// validateValues is validateForm as first written, over url.Values: the
// definition the walk over the pairs keeps.
func (c *checker) validateValues(root int, form url.Values) {
	for key, vs := range form {
		name, _ := splitKey(key)
		c.member(root, key, 0, len(name), vs)
	}
}

// sameChecks compares what two walks found: the invalid parameter, the
// unknown names, the nested objects with required members. (Two keys may
// fail with the same parameter and different messages, "amount=x" and
// "amount[a]=1": url.Values' order picked either.)
func sameChecks(a, b *checker) bool {
	if (a.bad == nil) != (b.bad == nil) || (a.bad != nil && a.bad.Param != b.bad.Param) {
		return false
	}
	ua, ub := slices.Compact(slices.Sorted(slices.Values(a.unknown))), slices.Compact(slices.Sorted(slices.Values(b.unknown)))
	return slices.Equal(ua, ub) && maps.Equal(a.instances, b.instances)
}

// FuzzValidateFormLikeValues holds validation over a body's pairs to
// validation over its url.Values, for any body on any create, short
// forms (walked) and long ones (grouped in a map) alike.
func FuzzValidateFormLikeValues(f *testing.F) {
	cat, err := catalog.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	l, err := New(cat, embed.Stripe, Options{}).load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint16(0), "amount=2000&currency=usd&amount=x", uint8(0))
	f.Add(uint16(7), "metadata[k]=&metadata[k]=v&metadata[j]=&nickname=a&nickname=b", uint8(40))
	f.Add(uint16(3), "tax_id_data[0][value]=a&tax_id_data[0][value]=&a[b][c][]=1&card[token]=t", uint8(3))
	f.Fuzz(func(t *testing.T, i uint16, body string, pad uint8) {
		r := cat.Routes[int(i)%len(cat.Routes)]
		op := l.ops[r.Index()]
		if op == 0 {
			return
		}
		var b strings.Builder
		for j := range int(pad) % 48 {
			b.WriteString("metadata[p" + strconv.Itoa(j%20) + "]=v&")
		}
		b.WriteString(body)
		pairs, ok := render.ParsePairs(b.String())
		form, err := url.ParseQuery(b.String())
		if ok != (err == nil) {
			t.Fatalf("ParsePairs(%q) ok %v; url.ParseQuery: %v", b.String(), ok, err)
		}
		if !ok {
			return
		}
		got, want := checker{nodes: l.data.nodes}, checker{nodes: l.data.nodes}
		got.validateForm(op, pairs)
		want.validateValues(op, form)
		if !sameChecks(&got, &want) {
			t.Fatalf("%s %q: pairs found %+v %v %v; url.Values %+v %v %v", r.Key(), b.String(), got.bad, got.unknown, got.instances,
				want.bad, want.unknown, want.instances)
		}
		for _, name := range l.data.nodes.get(op).Required {
			if formHas(pairs, name) != valuesHave(form, name) {
				t.Fatalf("%q: formHas(%q) = %v", b.String(), name, formHas(pairs, name))
			}
		}
	})
}

// valuesHave is formHas as first written, over url.Values.
func valuesHave(form url.Values, key string) bool {
	if _, ok := form[key]; ok {
		return true
	}
	for k := range form {
		if len(k) > len(key) && k[len(key)] == '[' && strings.HasPrefix(k, key) {
			return true
		}
	}
	return false
}
