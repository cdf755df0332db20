package render

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// formBodies are form bodies with the edges a decoder may get wrong:
// percent-decoding and '+', repeated keys, expand[] and expand[0],
// nested keys, empty values and pieces, keys without '=', and bodies
// url.ParseQuery refuses (a bad escape, a semicolon), which are no form.
var formBodies = []string{
	"",
	"amount=2000&currency=usd&source=tok_visa",
	"email=a%40b.c&name=J+Doe&description=a%20b%2Bc",
	"a=1&a=2&a=&b=3",
	"expand[]=customer&expand[]=invoice&expand[0]=x&expand%5B1%5D=y",
	"card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2030",
	"a[b][c]=deep&a[b]=shallow&a=top",
	"metadata[k]=v&metadata[k]=w&metadata[e]=&metadata[x][y]=z&metadata[]=n&metadata=m",
	"empty=&=novalue&bare&&&last=1",
	"&",
	"=",
	"%zz=1&a=2",
	"a=%zz",
	"a=1;b=2",
	"a=1&b=2;c",
	"k[=1&k[]]=2&k[a[b]]=3",
	"%E2%82%AC=%E2%82%AC&utf=\xff",
	"a=%41%42&%61=dup",
}

// TestBodyFormLikeParseQuery pins the form decoding to url.ParseQuery's:
// the same keys and values in the same order, no form where it fails,
// and BodyValue and BodyMap answering what the parsed form holds (the
// first of repeated values).
func TestBodyFormLikeParseQuery(t *testing.T) {
	for _, body := range formBodies {
		checkFormLikeParseQuery(t, body, []string{"a", "a.b", "a.b.c", "card.number", "expand", "metadata.k", "metadata", "empty", "", "bare", "€", "last", "k.a[b"},
			[]string{"metadata", "a", "card", "k", "expand"})
	}
	// A long form, which BodyValue reads through an index.
	var long strings.Builder
	for i := range 40 {
		fmt.Fprintf(&long, "items[%d][price]=p%d&a=%d&metadata[k%d]=v&", i%7, i, i, i%3)
	}
	long.WriteString("a[b][c]=deep")
	checkFormLikeParseQuery(t, long.String(), []string{"a", "items.0.price", "items.6.price", "items.7.price", "metadata.k2", "a.b.c", "zz"},
		[]string{"metadata", "items"})
}

func checkFormLikeParseQuery(t *testing.T, body string, paths, maps_ []string) {
	t.Helper()
	want, err := url.ParseQuery(body)
	if err != nil || body == "" {
		want = nil
	}
	r := &Request{Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}
	got := r.BodyForm()
	if (got == nil) != (want == nil) || !maps.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Fatalf("BodyForm(%q) = %v; url.ParseQuery: %v", body, got, want)
	}
	for _, path := range paths {
		r := &Request{Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}
		v, ok := r.BodyValue(path)
		wv, wok := "", false
		if vs := want[formKey(path)]; len(vs) > 0 {
			wv, wok = vs[0], true
		}
		if v != wv || ok != wok {
			t.Fatalf("BodyValue(%q) of %q = %q, %v; want %q, %v", path, body, v, ok, wv, wok)
		}
	}
	for _, name := range maps_ {
		r := &Request{Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}
		m, ok := r.BodyMap(name)
		var wm map[string]string
		for k, vs := range want {
			inner, found := strings.CutPrefix(k, name+"[")
			if !found || !strings.HasSuffix(inner, "]") || len(vs) == 0 {
				continue
			}
			inner = inner[:len(inner)-1]
			if inner == "" || strings.ContainsAny(inner, "[]") {
				continue
			}
			if wm == nil {
				wm = map[string]string{}
			}
			wm[inner] = vs[0]
		}
		if ok != (wm != nil) || !maps.Equal(m, wm) {
			t.Fatalf("BodyMap(%q) of %q = %v, %v; want %v", name, body, m, ok, wm)
		}
	}
}

// TestBodyValueEdges spells out what the table above compares: the first
// of repeated values, decoded keys and values, empty values found.
func TestBodyValueEdges(t *testing.T) {
	r := &Request{Body: []byte("a=1&a=2&e=&n%5Bk%5D=x+y%21&card[number]=4242&bare")}
	for _, c := range []struct {
		path, want string
		ok         bool
	}{
		{"a", "1", true}, {"e", "", true}, {"n.k", "x y!", true}, {"card.number", "4242", true},
		{"bare", "", true}, {"card", "", false}, {"n", "", false}, {"card.number.x", "", false},
	} {
		if v, ok := r.BodyValue(c.path); v != c.want || ok != c.ok {
			t.Errorf("BodyValue(%q) = %q, %v; want %q, %v", c.path, v, ok, c.want, c.ok)
		}
	}
	if _, ok := (&Request{Body: []byte("a=1;b=2")}).BodyValue("a"); ok {
		t.Error("a body with a semicolon is no form, as url.ParseQuery has it")
	}
}
