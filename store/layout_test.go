package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// An object Put with the layout of the text it was filled from is
// indexed as one read from its JSON: the same fields, its own created.
func TestPutWithLayout(t *testing.T) {
	ctx := context.Background()
	const text = `{"id":"cus_aaaa","object":"customer","created":1700000000,"email":"a@example.com","metadata":{"k":"v"},"n":12}`
	l, err := ScanLayout(text)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.NewReplacer("cus_aaaa", "cus_bbbb", "1700000000", "1800000000").Replace(text)
	if _, err := m.Put(ctx, Object{ID: "cus_bbbb", Type: "customer", JSON: filled, Layout: l}); err != nil {
		t.Fatal(err)
	}
	got, err := m.Get(ctx, "cus_bbbb")
	if err != nil || got.Created != 1800000000 || got.Layout != nil || got.JSON != filled {
		t.Fatalf("stored %+v, %v; want created 1800000000 and no layout", got, err)
	}
	read, err := m.prepare(Object{ID: "cus_bbbb", Type: "customer", JSON: filled})
	if err != nil {
		t.Fatal(err)
	}
	if e := m.byID.get("cus_bbbb"); !reflect.DeepEqual(e.fields(), read.fields()) {
		t.Errorf("fields from the layout %+v; read %+v", e.fields(), read.fields())
	}
	page, err := m.List(ctx, Query{Type: "customer", Equal: map[string]string{"email": "a@example.com", "n": "12"}})
	if err != nil || len(page.Data) != 1 {
		t.Errorf("filter on a layout's fields: %+v %v", page, err)
	}
	// A JSON of another length is read, and refused when it is not JSON.
	if _, err := m.Put(ctx, Object{ID: "cus_c", Type: "customer", JSON: text[:len(text)-1], Layout: l}); err == nil {
		t.Error("a truncated JSON with a layout was stored")
	}
}

// MembersLayout, given where an object's members lie, is what reading
// the object finds; a scalar that is not valid JSON is refused.
func TestMembersLayout(t *testing.T) {
	for _, js := range []string{editBase, `{"created":12,"a":"x","created":{}}`, `{"created":"1","b":[1],"c\u0072eated":3}`} {
		var ms []Member
		for _, v := range topSpans(t, js) {
			// The name is the string before the colon before the value.
			colon := strings.LastIndexByte(js[:v.Start], ':')
			end := strings.LastIndexByte(js[:colon], '"')
			start := end - 1
			for js[start] != '"' || js[start-1] == '\\' {
				start--
			}
			ms = append(ms, Member{Key: Span{start + 1, end}, Value: v})
		}
		given, err := MembersLayout(js, ms)
		read, err2 := ScanLayout(js)
		if err != nil || err2 != nil || !reflect.DeepEqual(given, read) {
			t.Errorf("%s: given %+v %v; read %+v %v", js, given, err, read, err2)
		}
	}
	js := `{"a":1x,"b":"y"}`
	if _, err := MembersLayout(js, []Member{{Key: Span{2, 3}, Value: Span{5, 7}}}); err == nil {
		t.Error("an invalid number was taken")
	}
}
