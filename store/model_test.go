package store_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// model is a deliberately simple store: a map and a sort per list. The
// random test below runs the same operations on it and on store.Memory (with
// value indexes built at once, and never) and compares every list.
type model struct {
	objs    map[string]modelObj
	nextSeq uint64
}

type modelObj struct {
	obj store.Object
	seq uint64
}

func (md *model) put(o store.Object) {
	if o.Created == 0 {
		var top struct{ Created int64 }
		_ = json.Unmarshal([]byte(o.JSON), &top)
		o.Created = top.Created
	}
	if old, ok := md.objs[o.ID]; ok {
		md.objs[o.ID] = modelObj{o, old.seq}
		return
	}
	md.nextSeq++
	md.objs[o.ID] = modelObj{o, md.nextSeq}
}

func (md *model) delete(id string, cascade bool) []string {
	if _, ok := md.objs[id]; !ok {
		return nil
	}
	gone := []string{id}
	for i := 0; cascade && i < len(gone); i++ {
		var kids []modelObj
		for _, o := range md.objs {
			if o.obj.Parent == gone[i] {
				kids = append(kids, o)
			}
		}
		slices.SortFunc(kids, newestFirst)
		for _, k := range kids {
			if !slices.Contains(gone, k.obj.ID) {
				gone = append(gone, k.obj.ID)
			}
		}
	}
	for _, g := range gone {
		delete(md.objs, g)
	}
	return gone
}

func newestFirst(a, b modelObj) int {
	if c := cmp.Compare(b.obj.Created, a.obj.Created); c != 0 {
		return c
	}
	return cmp.Compare(b.seq, a.seq)
}

func (md *model) matches(o store.Object, q store.Query) bool {
	if (q.Type != "" && o.Type != q.Type) || (q.Parent != "" && o.Parent != q.Parent) {
		return false
	}
	r := q.Created
	if (r.Gt != nil && o.Created <= *r.Gt) || (r.Gte != nil && o.Created < *r.Gte) ||
		(r.Lt != nil && o.Created >= *r.Lt) || (r.Lte != nil && o.Created > *r.Lte) {
		return false
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(o.JSON), &top); err != nil {
		panic(err)
	}
	for k, want := range q.Equal {
		raw := top[k]
		if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || raw[0] == 'n' {
			return false
		}
		got := string(raw)
		if raw[0] == '"' {
			_ = json.Unmarshal(raw, &got)
		}
		if got != want {
			return false
		}
	}
	return true
}

func (md *model) list(q store.Query) (string, bool, int, error) {
	if q.Limit == 0 {
		q.Limit = store.DefaultLimit
	}
	all := make([]modelObj, 0, len(md.objs))
	for _, o := range md.objs {
		all = append(all, o)
	}
	slices.SortFunc(all, newestFirst)
	var hits []modelObj
	for _, o := range all {
		if md.matches(o.obj, q) {
			hits = append(hits, o)
		}
	}
	total := len(hits)
	if !q.TotalCount {
		total = -1
	}
	page := hits
	if q.StartingAfter != "" {
		c, ok := md.objs[q.StartingAfter]
		if !ok {
			return "", false, 0, store.ErrNotFound
		}
		page = slices.DeleteFunc(slices.Clone(hits), func(o modelObj) bool { return newestFirst(o, c) <= 0 })
	}
	if q.EndingBefore != "" {
		c, ok := md.objs[q.EndingBefore]
		if !ok {
			return "", false, 0, store.ErrNotFound
		}
		newer := slices.DeleteFunc(slices.Clone(hits), func(o modelObj) bool { return newestFirst(o, c) >= 0 })
		more := len(newer) > q.Limit
		newer = newer[max(0, len(newer)-q.Limit):]
		return modelIDs(newer), more, total, nil
	}
	more := len(page) > q.Limit
	return modelIDs(page[:min(len(page), q.Limit)]), more, total, nil
}

func modelIDs(os []modelObj) string {
	out := make([]store.Object, len(os))
	for i, o := range os {
		out[i] = o.obj
	}
	return ids(out)
}

// TestListsAgreeWithModel runs random puts, updates, deletes and resets,
// and compares random lists (filters, cursors, counts) with the model.
func TestListsAgreeWithModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seed := []store.Object{customer("cus_seed", 0, 5)}
	indexed := newMemory(t, store.Options{Seed: seed})
	store.SetValueIndexMin(indexed, 0) // index every filtered field at once
	scanning := newMemory(t, store.Options{Seed: seed})
	store.SetValueIndexMin(scanning, 1<<30) // never index
	md := &model{objs: map[string]modelObj{}}
	md.put(seed[0])

	statuses := []string{"active", "canceled", "past_due"}
	randomObject := func() store.Object {
		id := fmt.Sprintf("obj_%d", rng.IntN(120))
		typ := []string{"customer", "subscription"}[rng.IntN(2)]
		parent := []string{"", "cus_seed", "obj_1", "obj_2"}[rng.IntN(4)]
		status := statuses[rng.IntN(3)]
		js := fmt.Sprintf(`{"id":%q,"status":%q,"email":"u%d@x.io","amount":%d,"live":%v,"created":%d}`,
			id, status, rng.IntN(4), rng.IntN(3), rng.IntN(2) == 0, rng.IntN(10))
		if rng.IntN(5) == 0 {
			js = fmt.Sprintf(`{"id":%q,"status":null,"email":"u\u0031@x.io","created":%d}`, id, rng.IntN(10))
		}
		return store.Object{ID: id, Type: typ, Parent: parent, JSON: js}
	}
	randomQuery := func() store.Query {
		q := store.Query{Limit: rng.IntN(6), TotalCount: rng.IntN(2) == 0}
		if rng.IntN(2) == 0 {
			q.Type = []string{"customer", "subscription", "card"}[rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			q.Parent = []string{"cus_seed", "obj_1", "obj_9"}[rng.IntN(3)]
		}
		q.Equal = map[string]string{}
		switch rng.IntN(5) {
		case 0:
			q.Equal["status"] = statuses[rng.IntN(3)]
		case 1:
			q.Equal["email"] = fmt.Sprintf("u%d@x.io", rng.IntN(4))
		case 2:
			q.Equal["amount"] = fmt.Sprint(rng.IntN(3))
			q.Equal["live"] = "true"
		case 3:
			q.Equal["status"] = "null"
		}
		if rng.IntN(4) == 0 {
			q.Created.Gte = i64(int64(rng.IntN(10)))
		}
		if rng.IntN(4) == 0 {
			q.Created.Lt = i64(int64(rng.IntN(10)))
		}
		cursor := fmt.Sprintf("obj_%d", rng.IntN(120))
		switch rng.IntN(3) {
		case 0:
			q.StartingAfter = cursor
		case 1:
			q.EndingBefore = cursor
		}
		return q
	}

	for step := range 3000 {
		switch r := rng.IntN(100); {
		case r < 55:
			o := randomObject()
			md.put(o)
			mustPut(t, indexed, o)
			mustPut(t, scanning, o)
		case r < 70:
			id, cascade := fmt.Sprintf("obj_%d", rng.IntN(120)), rng.IntN(2) == 0
			want := md.delete(id, cascade)
			for _, s := range []*store.Memory{indexed, scanning} {
				gone, err := s.Delete(ctx, id, cascade)
				if len(want) == 0 && !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("step %d: Delete(%s) = %v; want store.ErrNotFound", step, id, err)
				}
				if len(want) > 0 && (err != nil || len(gone) != len(want)) {
					t.Fatalf("step %d: Delete(%s, %v) = %s, %v; want %v", step, id, cascade, ids(gone), err, want)
				}
			}
		case r < 71:
			md.objs, md.nextSeq = map[string]modelObj{}, 0
			md.put(seed[0])
			indexed.Reset(ctx)
			scanning.Reset(ctx)
		default:
			q := randomQuery()
			want, wantMore, wantTotal, wantErr := md.list(q)
			for name, s := range map[string]*store.Memory{"indexed": indexed, "scanning": scanning} {
				p, err := s.List(ctx, q)
				if wantErr != nil || err != nil {
					if !errors.Is(err, store.ErrNotFound) || wantErr == nil {
						t.Fatalf("step %d %s: List(%+v) error %v; model %v", step, name, q, err, wantErr)
					}
					continue
				}
				if got := ids(p.Data); got != want || p.HasMore != wantMore || p.TotalCount != wantTotal {
					t.Fatalf("step %d %s: List(%+v)\n got %s more %v total %d\nwant %s more %v total %d",
						step, name, q, got, p.HasMore, p.TotalCount, want, wantMore, wantTotal)
				}
			}
		}
	}
	if n := store.ValueIndexes(indexed); n == 0 {
		t.Fatal("the indexed store built no value index")
	}
}
