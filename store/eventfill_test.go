package store_test

import (
	"testing"

	"github.com/routedeck/routedeck/store"
)

// An event around a filled object's text reads back byte for byte as
// that text in its envelope: the object just stored, an older one, and
// one replaced since the text was read (whose old text is no longer what
// the store holds for it).
func TestAppendEventAroundFilledReadsBack(t *testing.T) {
	m := newMemory(t, store.Options{})
	tm, err := store.NewTemplate([]string{`{"id":"`, `","object":"charge","amount":`, `,"created":1700000000}`}, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	put := func(id, amount string) string {
		t.Helper()
		f, err := tm.Fill(id, amount)
		if err != nil {
			t.Fatal(err)
		}
		l, err := store.ScanLayout(f.String())
		if err != nil {
			t.Fatal(err)
		}
		got := mustPut(t, m, store.Object{ID: id, Type: "charge", Filled: f, Layout: l})
		return got.Text()
	}
	a := put("ch_a", "100")
	b := put("ch_b", "200")
	bOld := b
	mustPut(t, m, store.Object{ID: "ch_b", Type: "charge", JSON: `{"id":"ch_b","object":"charge","amount":300,"created":1700000000}`})
	c := put("ch_c", "400")
	for i, text := range []string{c, a, bOld, c} {
		id := "evt_" + string(rune('0'+i))
		before, after := `{"id":"`+id+`","object":"event","data":{"object":`, `},"type":"charge.updated"}`
		ev := store.Object{ID: id, Type: "event", JSON: before + "{}" + after}
		if err := m.AppendEventAround(ctx, ev, before, store.Object{JSON: text}, after); err != nil {
			t.Fatal(err)
		}
		got, err := m.GetEvent(ctx, id)
		if want := before + text + after; err != nil || got.JSON != want {
			t.Errorf("event %d read back %q, %v; want %q", i, got.JSON, err, want)
		}
	}
}
