package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// topSpans are where js's top-level member values lie (js is one valid
// JSON object).
func topSpans(t testing.TB, js string) []Span {
	_, values := topMembers(t, js)
	return values
}

// topKeys are where js's top-level member names lie, inside their quotes
// (js is one valid JSON object).
func topKeys(t testing.TB, js string) []Span {
	keys, _ := topMembers(t, js)
	return keys
}

// topMembers are where js's top-level member names (inside their quotes)
// and values lie (js is one valid JSON object).
func topMembers(t testing.TB, js string) (keys, values []Span) {
	s := scanner{js: js}
	i := skipSpace(js, 0) + 1
	for {
		i = skipSpace(js, i)
		if js[i] == '}' {
			return keys, values
		}
		if js[i] == ',' {
			i = skipSpace(js, i+1)
		}
		end, _, err := s.str(i)
		if err != nil {
			t.Fatalf("topMembers: %v", err)
		}
		keys = append(keys, Span{i + 1, end})
		i = skipSpace(js, skipSpace(js, end+1)+1) // past the colon
		next, err := s.value(i)
		if err != nil {
			t.Fatalf("topMembers: %v", err)
		}
		values = append(values, Span{i, next})
		i = next
	}
}

// edit replaces the values of base's top-level members at (by index)
// with vals, returning the new text and its edits.
func edit(t testing.TB, base string, at []int, vals []string) (string, []Edit) {
	spans := topSpans(t, base)
	var b strings.Builder
	var edits []Edit
	last := 0
	for k, i := range at {
		sp := spans[i]
		b.WriteString(base[last:sp.Start])
		start := b.Len()
		b.WriteString(vals[k])
		edits = append(edits, Edit{Old: sp, New: Span{start, b.Len()}})
		last = sp.End
	}
	b.WriteString(base[last:])
	return b.String(), edits
}

const editBase = `{"id":"pi_1","object":"payment_intent","amount":2000,"created":1700000000,
  "last_payment_error":null,"metadata":{"a":"b"},"next_action":{"type":"use_stripe_sdk"},
  "payment_method":null,"status":"requires_payment_method","esc":"a\"b","tags":[1,2],"n":12,"n":13,
  "live":false,"k\u0065y":"v"}`

// An Update whose new object comes with its edit layout stores and
// indexes exactly what a plain Update does: the same JSON, the same
// fields, the same lists and filters.
func TestUpdateWithEditLayout(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		at   []int
		vals []string
		took bool // whether the layout is taken rather than the JSON read
	}{
		{"scalars", []int{2, 7, 8}, []string{`3000`, `"pm_123"`, `"succeeded"`}, true},
		{"longer and shorter", []int{0, 8, 13}, []string{`"pi_1"`, `"x"`, `true`}, true},
		{"scalar to object", []int{4, 7}, []string{`{"code":"card_declined"}`, `[1, {"x": null}]`}, true},
		{"object to object", []int{6}, []string{`{"type":"redirect_to_url","redirect_to_url":{"url":"https://x"}}`}, true},
		{"escaped values", []int{8, 9}, []string{`"caf\u00e9"`, `"plain"`}, true},
		{"object to scalar, an escape in the object", []int{6}, []string{`null`}, false},
		{"repeated name", []int{11}, []string{`99`}, false},
		{"last of a repeated name", []int{12}, []string{`"x"`}, true},
		{"escaped name", []int{14}, []string{`"w"`}, false},
		{"invalid value", []int{2}, []string{`12a`}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, edits := edit(t, editBase, c.at, c.vals)
			stores := [2]*Memory{}
			var errs [2]error
			for k := range stores {
				m, err := New(Options{})
				if err != nil {
					t.Fatal(err)
				}
				SetValueIndexMin(m, 0)
				if _, err := m.Put(ctx, Object{ID: "pi_1", Type: "payment_intent", JSON: editBase}); err != nil {
					t.Fatal(err)
				}
				stores[k] = m
				// A filtered list before the update builds value indexes,
				// which the update must keep right.
				if _, err := m.List(ctx, Query{Equal: map[string]string{"status": "x", "amount": "1", "payment_method": "pm_123"}}); err != nil {
					t.Fatal(err)
				}
				_, errs[k] = m.Update(ctx, "pi_1", func(o Object) (Object, error) {
					if k == 1 {
						o.Layout = EditLayout(o.JSON, js, edits)
					}
					o.JSON = js
					return o, nil
				})
			}
			if (errs[0] == nil) != (errs[1] == nil) {
				t.Fatalf("plain update: %v; with layout: %v", errs[0], errs[1])
			}
			plain, laid := stores[0], stores[1]
			if errs[0] != nil {
				return
			}
			if p, l := plain.byID.get("pi_1"), laid.byID.get("pi_1"); p.obj != l.obj || !reflect.DeepEqual(p.fields(), l.fields()) {
				t.Errorf("plain update stored %+v %v;\nwith layout %+v %v", p.obj, p.fields(), l.obj, l.fields())
			}
			queries := []map[string]string{{"status": "succeeded"}, {"amount": "3000"}, {"payment_method": "pm_123"},
				{"id": "pi_1"}, {"n": "13"}, {"n": "99"}, {"live": "false"}, {"live": "true"}, {"payment_method": "x"},
				{"status": "café"}, {"esc": `a"b`}, {"key": "v"}, {"last_payment_error": "null"}}
			for _, q := range queries {
				p, err1 := plain.List(ctx, Query{Equal: q})
				l, err2 := laid.List(ctx, Query{Equal: q})
				if err1 != nil || err2 != nil || !reflect.DeepEqual(p, l) {
					t.Errorf("filter %v: plain %+v %v; with layout %+v %v", q, p, err1, l, err2)
				}
			}
			fs := laid.byID.get("pi_1").fields()
			_, took := laid.entryEdited(editBase, plain.seedFields(t, editBase), Object{ID: "pi_1", Type: "payment_intent", Created: 1, JSON: js, Layout: EditLayout(editBase, js, edits)})
			if took != c.took {
				t.Errorf("the layout was taken: %v, want %v (fields %v)", took, c.took, fs)
			}
		})
	}
}

// seedFields is the index of js as Put reads it.
func (m *Memory) seedFields(t testing.TB, js string) fields {
	fs, _, _, err := scanTop(js)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// An edit layout that does not describe the text (bytes outside the
// edits changed, a stale base, edits out of order) is not taken: the
// JSON is read, and refused if invalid.
func TestEditLayoutChecked(t *testing.T) {
	ctx := context.Background()
	js, edits := edit(t, editBase, []int{8}, []string{`"succeeded"`})
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := m.seedFields(t, editBase)
	obj := func(js string, l *Layout) Object {
		return Object{ID: "pi_1", Type: "payment_intent", Created: 1, JSON: js, Layout: l}
	}
	broken := strings.Replace(js, `"id":"pi_1"`, `"id":"pi_2"`, 1)
	for name, o := range map[string]Object{
		"other bytes changed": obj(broken, EditLayout(editBase, broken, edits)),
		"stale base":          obj(js, EditLayout(strings.Replace(editBase, "2000", "2001", 1), js, edits)),
		"out of order":        obj(js, EditLayout(editBase, js, []Edit{edits[0], edits[0]})),
		"not a value":         obj(js, EditLayout(editBase, js, []Edit{{Old: Span{edits[0].Old.Start + 1, edits[0].Old.End}, New: Span{edits[0].New.Start + 1, edits[0].New.End}}})),
	} {
		if _, ok := m.entryEdited(editBase, fs, o); ok {
			t.Errorf("%s: the layout was taken", name)
		}
	}
	if _, err := m.Put(ctx, Object{ID: "pi_1", Type: "payment_intent", JSON: editBase}); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(js, `"succeeded"`, `"succeeded`, 1)
	_, err = m.Update(ctx, "pi_1", func(o Object) (Object, error) {
		o.JSON, o.Layout = bad, EditLayout(o.JSON, bad, []Edit{{Old: edits[0].Old, New: Span{edits[0].New.Start, edits[0].New.End - 1}}})
		return o, nil
	})
	if err == nil {
		t.Error("an invalid JSON with an edit layout was stored")
	}
}

// FuzzEditLayout: whatever the values put in, an edit layout the store
// takes gives the index reading the new JSON gives, and is taken only
// for valid JSON.
func FuzzEditLayout(f *testing.F) {
	f.Add(editBase, uint16(0b100110000100), "3000\x00\"pm_1\"\x00null\x00{}")
	f.Add(`{"a":1,"b":"x","c":{"d":[]},"a":2}`, uint16(0b1111), "\"y\"\x00[]\x00 true \x00\"\\u0041\"")
	f.Add(`{"a":{},"b":[1],"c":{"a":1},"d":{"e":[]}}`, uint16(0b1111), "null\x00 2 \x00\"x\"\x00false")
	f.Fuzz(func(t *testing.T, base string, pick uint16, vals string) {
		if _, _, _, err := scanTop(base); err != nil {
			return
		}
		spans := topSpans(t, base)
		var at []int
		for i := range spans {
			if i < 16 && pick&(1<<i) != 0 {
				at = append(at, i)
			}
		}
		vs := strings.Split(vals, "\x00")
		if len(vs) < len(at) {
			at = at[:len(vs)]
		}
		js, edits := edit(t, base, at, vs)
		if _, _, _, err := scanTop(js); err == nil {
			// A writer that read every member names each edited
			// member whose name no other has (store.Edit's Key).
			keys := topKeys(t, js)
			count := map[string]int{}
			for _, k := range keys {
				count[js[k.Start:k.End]]++
			}
			for i, k := range at {
				if name := js[keys[k].Start:keys[k].End]; count[name] == 1 && strings.IndexByte(js, '\\') < 0 && utf8.ValidString(js) {
					edits[i].Key = keys[k]
				}
			}
		}
		m, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, ok := m.entryEdited(base, m.seedFields(t, base), Object{ID: "x", Type: "t", Created: 1, JSON: js, Layout: EditLayout(base, js, edits)})
		if !ok {
			return
		}
		fs, _, _, err := scanTop(js)
		if err != nil {
			t.Fatalf("the layout was taken for invalid JSON %q: %v", js, err)
		}
		if !reflect.DeepEqual(e.fields(), fs) {
			t.Fatalf("fields from the layout %v; read %v (%q)", e.fields(), fs, js)
		}
	})
}

// An edit that makes a member's object or array a scalar (a confirm
// nulls an intent's next_action) is taken when the writer says where the
// member's name lies (it read every member: no other has the name), and
// then indexes the member as reading the new JSON does; without the
// name's place, or with a name that is not plain or not the member's,
// the store reads the JSON.
func TestEditObjectToScalar(t *testing.T) {
	const plainBase = `{"id":"pi_1","object":"payment_intent","amount":2000,"created":1700000000,"last_payment_error":{"type":"x"},` +
		`"metadata":{"a":"b"},"next_action":{"type":"use_stripe_sdk"},"payment_method":null,"status":"requires_payment_method",` +
		` "tags" : [1,2],"z":{}}`
	cases := []struct {
		name string
		base string
		at   []int
		vals []string
		keys func(edits []Edit, own, all []Span) // sets the edits' Key: own are their members' names, all every member's
		took bool
	}{
		{"object to null", plainBase, []int{6}, []string{`null`}, allKeys, true},
		{"two objects to scalars, with others", plainBase, []int{4, 6, 8}, []string{`null`, `"x"`, `"succeeded"`}, allKeys, true},
		{"array to number, spaced", plainBase, []int{9}, []string{`12`}, allKeys, true},
		{"the last member", plainBase, []int{10}, []string{`true`}, allKeys, true},
		{"the first member", `{"a":{"b":1},"c":2}`, []int{0}, []string{`"x"`}, allKeys, true},
		{"a name quoted elsewhere", `{"a":{"next_action":1},"next_action":{},"b":"next_action"}`, []int{1}, []string{`null`}, allKeys, true},
		{"no name given", plainBase, []int{6}, []string{`null`}, func([]Edit, []Span, []Span) {}, false},
		{"another member's name", plainBase, []int{6}, []string{`null`}, func(e []Edit, _, all []Span) { e[0].Key = all[5] }, false},
		{"a name not its own", plainBase, []int{6}, []string{`null`}, func(e []Edit, own, _ []Span) { e[0].Key = Span{own[0].Start + 1, own[0].End} }, false},
		{"escaped name", `{"n\u0061me":[],"b":2}`, []int{0}, []string{`2`}, allKeys, false},
		{"an escaped quote in the name", `{"a\"b":[],"b":2}`, []int{0}, []string{`2`}, allKeys, false},
		{"the end of a name past an escaped quote", `{"a\"b":[],"c":2}`, []int{0}, []string{`2`},
			func(e []Edit, own, _ []Span) { e[0].Key = Span{own[0].End - 1, own[0].End} }, false},
		{"not valid UTF-8 in the name", "{\"a\xffb\":[],\"b\":2}", []int{0}, []string{`2`}, allKeys, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, edits := edit(t, c.base, c.at, c.vals)
			keys := topKeys(t, js)
			picked := make([]Span, len(c.at))
			for k, i := range c.at {
				picked[k] = keys[i]
			}
			c.keys(edits, picked, keys)
			m, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			e, took := m.entryEdited(c.base, m.seedFields(t, c.base), Object{ID: "pi_1", Type: "payment_intent", Created: 1, JSON: js, Layout: EditLayout(c.base, js, edits)})
			if took != c.took {
				t.Errorf("the layout was taken: %v, want %v", took, c.took)
			}
			if !took {
				return
			}
			fs, _, _, err := scanTop(js)
			if err != nil || !reflect.DeepEqual(e.fields(), fs) {
				t.Errorf("fields from the layout %v; read %v %v", e.fields(), fs, err)
			}
		})
	}
}

// allKeys gives each edit its member's name's place.
func allKeys(edits []Edit, own, _ []Span) {
	for i := range edits {
		edits[i].Key = own[i]
	}
}

// Objects of one shape written by edit layouts alike (confirmed intents
// of the same lengths) share their fields, and every filter finds them
// as after plain updates; one of other lengths keeps fields of its own.
func TestUpdatesWithEditLayoutShareFields(t *testing.T) {
	ctx := context.Background()
	plain, laid := mustNew(t), mustNew(t)
	const base = `{"id":"pi_%02d","object":"payment_intent","amount":%d,"status":"requires_payment_method","payment_method":null,"n":%d}`
	var shared []*entry
	for i := range 8 {
		id := fmt.Sprintf("pi_%02d", i)
		amount := 2000 + i // the same length, but the last
		if i == 7 {
			amount = 70
		}
		js0 := fmt.Sprintf(base, i, amount, i)
		js, edits := edit(t, js0, []int{3, 4}, []string{`"succeeded"`, fmt.Sprintf(`"pm_%02d"`, i)})
		for k, m := range []*Memory{plain, laid} {
			if _, err := m.Put(ctx, Object{ID: id, Type: "payment_intent", JSON: js0}); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Update(ctx, id, func(o Object) (Object, error) {
				if k == 1 {
					o.Layout = EditLayout(o.JSON, js, edits)
				}
				o.JSON = js
				return o, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		laid.mu.RLock()
		shared = append(shared, laid.byID.get(id))
		laid.mu.RUnlock()
	}
	for i, e := range shared {
		if same := e.fp == shared[0].fp; same != (i < 7) {
			t.Errorf("%s shares the first one's fields: %v", e.obj.ID, same)
		}
	}
	for _, q := range []map[string]string{{"status": "succeeded"}, {"payment_method": "pm_03"}, {"amount": "2005"}, {"amount": "70"},
		{"n": "7"}, {"id": "pi_07"}, {"status": "requires_payment_method"}} {
		p, err1 := plain.List(ctx, Query{Equal: q})
		l, err2 := laid.List(ctx, Query{Equal: q})
		if err1 != nil || err2 != nil || !reflect.DeepEqual(p, l) || (q["status"] != "requires_payment_method" && len(l.Data) == 0) {
			t.Errorf("filter %v: plain %+v %v; with layout %+v %v", q, p, err1, l, err2)
		}
	}
}

func mustNew(t *testing.T) *Memory {
	t.Helper()
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	SetValueIndexMin(m, 0)
	return m
}
