package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fillOf cuts js at cuts (sorted, clamped): the pieces between them are
// by turns the template's text and a value; equal values share one.
func fillOf(t testing.TB, js string, cuts []int) *Filled {
	t.Helper()
	at := []int{0}
	for _, c := range cuts {
		at = append(at, min(max(c, at[len(at)-1]), len(js)))
	}
	if len(at)%2 == 0 {
		at = append(at, len(js)) // an odd count of pieces: text, value, ..., text
	}
	at = append(at, len(js))
	var text, values []string
	var holes []int
	for i := 0; i+1 < len(at); i++ {
		seg := js[at[i]:at[i+1]]
		if i%2 == 0 {
			text = append(text, seg)
			continue
		}
		h := slices.Index(values, seg)
		if h < 0 {
			h = len(values)
			values = append(values, seg)
		}
		holes = append(holes, h)
	}
	tm, err := NewTemplate(text, holes)
	if err != nil {
		t.Fatal(err)
	}
	f, err := tm.Fill(values...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// putFilled stores obj as a fill of its JSON cut at cuts, with its layout.
func putFilled(t testing.TB, m *Memory, obj Object, cuts []int) Object {
	t.Helper()
	l, err := ScanLayout(obj.JSON)
	if err != nil {
		t.Fatalf("%s: %v", obj.JSON, err)
	}
	obj.Filled, obj.Layout = fillOf(t, obj.JSON, cuts), l
	obj.JSON = ""
	got, err := m.Put(context.Background(), obj)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A fill reads back as the text it was cut from, whole or in parts.
func FuzzFilled(f *testing.F) {
	f.Add(`{"id":"ch_1","amount":2000,"created":1700000000,"paid":true}`, uint16(7), uint16(11), uint16(22), uint16(26))
	f.Add(`{"a":"x\u0041","b":null}`, uint16(0), uint16(0), uint16(3), uint16(9))
	f.Add(`{}`, uint16(1), uint16(1), uint16(1), uint16(2))
	f.Fuzz(func(t *testing.T, js string, a, b, c, d uint16) {
		if len(js) > 300 {
			return
		}
		cuts := []int{int(a) % (len(js) + 1), int(b) % (len(js) + 1), int(c) % (len(js) + 1), int(d) % (len(js) + 1)}
		slices.Sort(cuts)
		fresh := fillOf(t, js, cuts) // not joined yet: compared piece by piece
		if !fresh.prefixOf(js) || !fresh.prefixOf(js+"}") || (js != "" && fresh.prefixOf(js[:len(js)-1]+string([]byte{js[len(js)-1] ^ 1}))) {
			t.Fatalf("prefixOf of a fill not joined is wrong for %q", js)
		}
		fl := fillOf(t, js, cuts)
		if fl.String() != js || fl.Len() != len(js) || string(fl.AppendTo([]byte("x"))) != "x"+js {
			t.Fatalf("fill of %q reads %q", js, fl.String())
		}
		var w bytes.Buffer
		if n, err := fl.WriteTo(&w); err != nil || n != int64(len(js)) || w.String() != js {
			t.Fatalf("WriteTo: %q, %d, %v", w.String(), n, err)
		}
		for i := 0; i <= len(js); i++ {
			for j := i; j <= len(js); j++ {
				if got := fl.sub(i, j); got != js[i:j] {
					t.Fatalf("sub(%d, %d) = %q; want %q", i, j, got, js[i:j])
				}
				if j-i <= 40 && !fresh.Contains(js[i:j]) {
					t.Fatalf("Contains(%q) of a fill of %q is false", js[i:j], js)
				}
			}
			if got := fresh.Head(i); got != js[:i] {
				t.Fatalf("Head(%d) = %q; want %q", i, got, js[:i])
			}
		}
		if fresh.Head(len(js)+5) != js {
			t.Fatalf("Head past the end of %q is %q", js, fresh.Head(len(js)+5))
		}
		for _, s := range []string{`"failed"`, "x" + js, js + "}", strings.Repeat(`"`, 40)} {
			if fresh.Contains(s) != strings.Contains(js, s) {
				t.Fatalf("Contains(%q) of a fill of %q is %v", s, js, !strings.Contains(js, s))
			}
		}
		if len(js) > 2 {
			// A changed byte inside: the text without it is not found.
			changed := js[1:len(js)-1] + string([]byte{js[len(js)-1] ^ 1})
			if fresh.Contains(changed) != strings.Contains(js, changed) {
				t.Fatalf("Contains(%q) of a fill of %q is wrong", changed, js)
			}
		}
		if !fl.prefixOf(js) || !fl.prefixOf(js+"}") || (js != "" && fl.prefixOf(js[:len(js)-1])) {
			t.Fatalf("prefixOf is wrong for %q", js)
		}
		if js != "" && fl.prefixOf(js[:len(js)-1]+string([]byte{js[len(js)-1] ^ 1})) {
			t.Fatalf("prefixOf takes a changed last byte of %q", js)
		}
		l, err := ScanLayout(js)
		if err != nil {
			return
		}
		m, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := m.Put(ctx, Object{ID: "x", Type: "t", Filled: fl, Layout: l}); err != nil {
			t.Fatal(err)
		}
		if _, err := plain.Put(ctx, Object{ID: "x", Type: "t", JSON: js}); err != nil {
			t.Fatal(err)
		}
		got, err := m.Get(ctx, "x")
		want, _ := plain.Get(ctx, "x")
		if err != nil || got != want {
			t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
		}
		// Every field filters alike.
		for _, f := range l.fields {
			if f.kind == 0 {
				continue
			}
			name := source{js: js}.sub(f.key, f.key+uint32(f.klen))
			q := Query{Equal: map[string]string{name: f.text(source{js: js})}}
			p1, err1 := m.List(ctx, q)
			p2, err2 := plain.List(ctx, q)
			if err1 != nil || err2 != nil || len(p1.Data) != len(p2.Data) {
				t.Fatalf("List(%v): %d, %v; plain %d, %v", q.Equal, len(p1.Data), err1, len(p2.Data), err2)
			}
		}
	})
}

func TestTemplateChecked(t *testing.T) {
	for _, c := range []struct {
		text  []string
		holes []int
	}{{[]string{"a"}, []int{0}}, {[]string{"a", "b"}, []int{-1}}, {[]string{"a", "b", "c"}, []int{1, 1}}} {
		if _, err := NewTemplate(c.text, c.holes); err == nil {
			t.Errorf("NewTemplate(%q, %v) took them", c.text, c.holes)
		}
	}
	tm, err := NewTemplate([]string{`{"id":"`, `","other":"`, `"}`}, []int{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.Fill("a", "b"); err == nil {
		t.Error("a fill of two values for a template of one was taken")
	}
	f, err := tm.Fill("ch_1")
	if err != nil || f.String() != `{"id":"ch_1","other":"ch_1"}` || f.Value(0) != "ch_1" {
		t.Fatalf("fill = %q, %v", f.String(), err)
	}
	// More fills joined than the template keeps: each reads its own text.
	var fills []*Filled
	for i := range 3 * recentJoins {
		f, err := tm.Fill(fmt.Sprintf("ch_%d", i))
		if err != nil {
			t.Fatal(err)
		}
		fills = append(fills, f)
		_ = f.String()
	}
	for i, f := range fills {
		want := fmt.Sprintf(`{"id":"ch_%d","other":"ch_%d"}`, i, i)
		if got := f.String(); got != want || !f.prefixOf(want) || f.prefixOf(strings.Replace(want, "ch_", "cx_", 1)) {
			t.Fatalf("fill %d reads %q; want %q", i, got, want)
		}
	}
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Put(context.Background(), Object{ID: "ch_1", Type: "charge", JSON: "{}", Filled: f}); err == nil {
		t.Error("Put took an object with both JSON and Filled")
	}
}

// twin is a store that keeps every object whole and one that keeps them
// filled where it can: every read of one must equal the other's.
type twin struct {
	plain, parted *Memory
	dir           string
}

func newTwin(t *testing.T, opts Options) *twin {
	tw := &twin{dir: t.TempDir()}
	var err error
	o := opts
	o.Path = filepath.Join(tw.dir, "plain.json")
	if tw.plain, err = New(o); err != nil {
		t.Fatal(err)
	}
	o.Path = filepath.Join(tw.dir, "parted.json")
	if tw.parted, err = New(o); err != nil {
		t.Fatal(err)
	}
	return tw
}

func (tw *twin) check(t *testing.T, step int, what string, a, b any, errA, errB error) {
	t.Helper()
	if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
		t.Fatalf("step %d %s: errors %v; parted %v", step, what, errA, errB)
	}
	if fmt.Sprintf("%#v", a) != fmt.Sprintf("%#v", b) {
		t.Fatalf("step %d %s:\n plain %#v\nparted %#v", step, what, a, b)
	}
}

// Objects kept filled read back byte for byte as objects kept whole,
// through every reader: Get, List with filters (scanned and indexed) and
// a Match, Update's function, Delete, events around them (also after the
// object changed), a saved file and a store loaded from it, and Reset.
func TestFilledReadsAsWhole(t *testing.T) {
	ctx := context.Background()
	seed := []Object{{ID: "cus_seed", Type: "customer", JSON: `{"id":"cus_seed","status":"active","created":5}`}}
	// One clock for both, so their saved files agree to the byte.
	saved := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tw := newTwin(t, Options{Seed: seed, SaveEvery: -1, MaxEvents: 40, Now: func() time.Time { return saved }})
	rng := rand.New(rand.NewPCG(3, 4))
	statuses := []string{"active", "canceled", "past_due"}
	tw.plain.valueIndexMin = 1 << 30 // scans
	tw.parted.valueIndexMin = 8      // indexes the fields filtered on, once past 8 objects
	indexed, scanned := false, false
	object := func() Object {
		id := fmt.Sprintf("ch_%d", rng.IntN(60))
		js := fmt.Sprintf(`{"id":%q,"object":"charge","status":%q,"email":"u%d@x.io","amount":%d,"paid":%v,"created":%d,"nested":{"id":%q}}`,
			id, statuses[rng.IntN(3)], rng.IntN(4), rng.IntN(3)*1000, rng.IntN(2) == 0, rng.IntN(10), id)
		if rng.IntN(6) == 0 {
			js = fmt.Sprintf(`{"id":%q,"status":null,"email":"u\u0031@x.io","created":%d}`, id, rng.IntN(10))
		}
		return Object{ID: id, Type: []string{"charge", "customer"}[rng.IntN(2)], Parent: []string{"", "cus_seed"}[rng.IntN(2)], JSON: js}
	}
	eventSeq := 0
	for step := range 2500 {
		switch r := rng.IntN(100); {
		case r < 35:
			o := object()
			a, errA := tw.plain.Put(ctx, o)
			cuts := make([]int, rng.IntN(7))
			for i := range cuts {
				cuts[i] = rng.IntN(len(o.JSON) + 1)
			}
			slices.Sort(cuts)
			b := putFilled(t, tw.parted, o, cuts)
			if b.Filled == nil || b.JSON != "" {
				t.Fatalf("step %d: Put of a fill returned %+v; want it kept filled", step, b)
			}
			b = joined(b)
			tw.check(t, step, "Put", a, b, errA, nil)
		case r < 45:
			id := fmt.Sprintf("ch_%d", rng.IntN(60))
			a, errA := tw.plain.Get(ctx, id)
			b, errB := tw.parted.Get(ctx, id)
			tw.check(t, step, "Get", a, b, errA, errB)
		case r < 52:
			id := fmt.Sprintf("ch_%d", rng.IntN(60))
			status := statuses[rng.IntN(3)]
			var given [2]string
			update := func(i int) func(Object) (Object, error) {
				return func(o Object) (Object, error) {
					given[i] = o.JSON
					if o.Filled != nil {
						return o, errors.New("Update's function got a fill")
					}
					o.JSON = strings.Replace(o.JSON, `"status":"`, `"status":"`+status+`-`, 1)
					return o, nil
				}
			}
			a, errA := tw.plain.Update(ctx, id, update(0))
			b, errB := tw.parted.Update(ctx, id, update(1))
			tw.check(t, step, "Update", a, b, errA, errB)
			tw.check(t, step, "Update's input", given[0], given[1], nil, nil)
		case r < 58:
			id, cascade := fmt.Sprintf("ch_%d", rng.IntN(60)), rng.IntN(2) == 0
			a, errA := tw.plain.Delete(ctx, id, cascade)
			b, errB := tw.parted.Delete(ctx, id, cascade)
			tw.check(t, step, "Delete", a, b, errA, errB)
		case r < 68:
			// An event around an object as a create's answer gives it.
			id := fmt.Sprintf("ch_%d", rng.IntN(60))
			o, err := tw.plain.Get(ctx, id)
			if err != nil {
				continue
			}
			eventSeq++
			ev := Object{ID: fmt.Sprintf("evt_%d", eventSeq), Type: "event"}
			before := fmt.Sprintf(`{"id":%q,"object":"event","created":%d,"data":{"object":`, ev.ID, rng.IntN(10))
			after := fmt.Sprintf(`},"type":"charge.%s"}`, statuses[rng.IntN(3)])
			for _, m := range []*Memory{tw.plain, tw.parted} {
				if err := m.AppendEventAround(ctx, ev, before, Object{JSON: o.JSON}, after); err != nil {
					t.Fatal(err)
				}
			}
		case r < 74:
			q := Query{Limit: 1 + rng.IntN(5)}
			if rng.IntN(2) == 0 {
				q.Equal = map[string]string{"type": "charge." + statuses[rng.IntN(3)]}
			}
			a, errA := tw.plain.ListEvents(ctx, q)
			b, errB := tw.parted.ListEvents(ctx, q)
			tw.check(t, step, "ListEvents", a, b, errA, errB)
		case r < 75:
			for _, m := range []*Memory{tw.plain, tw.parted} {
				if err := m.Reset(ctx); err != nil {
					t.Fatal(err)
				}
			}
		case r < 77:
			if err := tw.plain.Save(); err != nil {
				t.Fatal(err)
			}
			if err := tw.parted.Save(); err != nil {
				t.Fatal(err)
			}
			a, errA := os.ReadFile(filepath.Join(tw.dir, "plain.json"))
			b, errB := os.ReadFile(filepath.Join(tw.dir, "parted.json"))
			tw.check(t, step, "saved file", string(a), string(b), errA, errB)
		default:
			q := Query{Limit: rng.IntN(8), TotalCount: rng.IntN(2) == 0}
			if rng.IntN(2) == 0 {
				q.Type = []string{"charge", "customer"}[rng.IntN(2)]
			}
			if rng.IntN(3) == 0 {
				q.Parent = "cus_seed"
			}
			switch rng.IntN(5) {
			case 0:
				q.Equal = map[string]string{"status": statuses[rng.IntN(3)]}
			case 1:
				q.Equal = map[string]string{"email": fmt.Sprintf("u%d@x.io", rng.IntN(4))}
			case 2:
				q.Equal = map[string]string{"amount": fmt.Sprint(rng.IntN(3) * 1000), "paid": "true"}
			case 3:
				want := fmt.Sprintf(`"amount":%d`, rng.IntN(3)*1000)
				q.Match = func(o Object) bool { return o.Filled == nil && strings.Contains(o.JSON, want) }
			}
			if rng.IntN(3) == 0 {
				q.StartingAfter = fmt.Sprintf("ch_%d", rng.IntN(60))
			}
			a, errA := tw.plain.List(ctx, q)
			b, errB := tw.parted.List(ctx, q)
			tw.check(t, step, fmt.Sprintf("List(%+v)", q), a, b, errA, errB)
			if len(q.Equal) > 0 {
				n := ValueIndexes(tw.parted)
				indexed, scanned = indexed || n > 0, scanned || n == 0
			}
		}
	}
	if tw.parted.Stats().Objects == 0 || !indexed || !scanned {
		t.Fatalf("the run ended with %d objects, filters indexed %v, scanned %v; the test must exercise all", tw.parted.Stats().Objects, indexed, scanned)
	}
	// A store loaded from the saved file reads as the whole one.
	for _, m := range []*Memory{tw.plain, tw.parted} {
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	a, errA := New(Options{Path: filepath.Join(tw.dir, "plain.json"), SaveEvery: -1})
	b, errB := New(Options{Path: filepath.Join(tw.dir, "parted.json"), SaveEvery: -1})
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	pa, _ := a.List(ctx, Query{Limit: 1000})
	pb, _ := b.List(ctx, Query{Limit: 1000})
	tw.check(t, -1, "loaded", pa, pb, nil, nil)
}

// An event around an object kept filled keeps the fill itself, not the
// text it was handed, and reads back what the object was when it was
// appended, after the object changed.
func TestEventAroundFilledObject(t *testing.T) {
	ctx := context.Background()
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	js := `{"id":"ch_1","object":"charge","status":"succeeded","created":1700000000}`
	obj := putFilled(t, m, Object{ID: "ch_1", Type: "charge", JSON: js}, []int{7, 11, 55, 65})
	text := obj.Text() // the create's answer: its own copy
	before, after := `{"id":"evt_1","object":"event","data":{"object":`, `},"type":"charge.succeeded"}`
	if err := m.AppendEventAround(ctx, Object{ID: "evt_1", Type: "event"}, before, Object{JSON: text}, after); err != nil {
		t.Fatal(err)
	}
	e := m.events.byID.get("evt_1")
	if e.parts == nil || e.parts.fill != obj.Filled || e.parts.object != "" {
		t.Fatalf("the event keeps %+v; want the object's fill", e.parts)
	}
	if _, err := m.Update(ctx, "ch_1", func(o Object) (Object, error) {
		o.JSON = strings.Replace(o.JSON, "succeeded", "refunded", 1)
		return o, nil
	}); err != nil {
		t.Fatal(err)
	}
	ev, err := m.GetEvent(ctx, "evt_1")
	if err != nil || ev.JSON != before+js+after {
		t.Fatalf("GetEvent = %q, %v; want %q", ev.JSON, err, before+js+after)
	}
	p, err := m.ListEvents(ctx, Query{Equal: map[string]string{"type": "charge.succeeded"}})
	if err != nil || len(p.Data) != 1 || p.Data[0].JSON != before+js+after {
		t.Fatalf("ListEvents = %+v, %v", p, err)
	}
	// An object text that is not the stored one's is kept as given.
	if err := m.AppendEventAround(ctx, Object{ID: "evt_2", Type: "event"}, before, Object{JSON: js}, after); err != nil {
		t.Fatal(err)
	}
	if ev, _ := m.GetEvent(ctx, "evt_2"); ev.JSON != before+js+after {
		t.Fatalf("GetEvent(evt_2) = %q", ev.JSON)
	}
	// The object as Put returned it, filled: kept as its fill, joined by
	// neither the append nor anything before it, and read back whole.
	js3 := strings.Replace(js, "ch_1", "ch_3", 1)
	obj3 := putFilled(t, m, Object{ID: "ch_3", Type: "charge", JSON: js3}, []int{7, 11, 55, 65})
	if obj3.Filled == nil || obj3.JSON != "" {
		t.Fatalf("Put returned %+v; want it filled", obj3)
	}
	if err := m.AppendEventAround(ctx, Object{ID: "evt_3", Type: "event"}, before, obj3, after); err != nil {
		t.Fatal(err)
	}
	if _, joined := obj3.Filled.recent(); joined {
		t.Fatal("appending the event joined the object's text")
	}
	if e := m.events.byID.get("evt_3"); e.parts == nil || e.parts.fill != obj3.Filled {
		t.Fatalf("the event keeps %+v; want the object's fill", e.parts)
	}
	if ev, err := m.GetEvent(ctx, "evt_3"); err != nil || ev.JSON != before+js3+after {
		t.Fatalf("GetEvent(evt_3) = %q, %v; want %q", ev.JSON, err, before+js3+after)
	}
}

// Filled objects written, updated, read, listed by a field and wrapped in
// events at once, race-free, each read whole.
func TestFilledConcurrent(t *testing.T) {
	ctx := context.Background()
	m, err := New(Options{MaxEvents: 50})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := NewTemplate([]string{`{"id":"`, `","object":"charge","amount":`, `,"status":"new","created":1700000000}`}, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	whole := func(id, amount string) string {
		return `{"id":"` + id + `","object":"charge","amount":` + amount + `,"status":"new","created":1700000000}`
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id, amount := fmt.Sprintf("ch_%d", i%20), fmt.Sprint(1000+w)
				f, err := tm.Fill(id, amount)
				if err != nil {
					t.Error(err)
					return
				}
				l, _ := ScanLayout(f.String())
				obj, err := m.Put(ctx, Object{ID: f.Value(0), Type: "charge", Filled: f, Layout: l})
				if err != nil {
					t.Error(err)
					return
				}
				evID := fmt.Sprintf("evt_%d_%d", w, i)
				if err := m.AppendEventAround(ctx, Object{ID: evID, Type: "event"}, `{"id":"`+evID+`","data":{"object":`, Object{JSON: obj.Text()}, `}}`); err != nil {
					t.Error(err)
					return
				}
				switch i % 3 {
				case 0:
					got, err := m.Get(ctx, id)
					if err != nil || got.Filled != nil || !strings.HasPrefix(got.JSON, `{"id":"`+id+`"`) {
						t.Errorf("Get(%s) = %+v, %v", id, got, err)
						return
					}
				case 1:
					_, err := m.Update(ctx, id, func(o Object) (Object, error) {
						o.JSON = strings.Replace(o.JSON, `"new"`, `"old"`, 1)
						return o, nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				case 2:
					p, err := m.List(ctx, Query{Equal: map[string]string{"amount": amount}, Limit: 100})
					if err != nil {
						t.Error(err)
						return
					}
					for _, o := range p.Data {
						if o.JSON != whole(o.ID, amount) && o.JSON != strings.Replace(whole(o.ID, amount), `"new"`, `"old"`, 1) {
							t.Errorf("listed %q", o.JSON)
							return
						}
					}
				}
				if ev, err := m.GetEvent(ctx, evID); err == nil && ev.JSON != `{"id":"`+evID+`","data":{"object":`+whole(id, amount)+`}}` {
					t.Errorf("GetEvent(%s) = %q", evID, ev.JSON)
					return
				}
			}
		}()
	}
	wg.Wait()
}
