package store

import (
	"errors"
	"slices"
)

// errTwoCursors is the error of a Query with both cursors.
var errTwoCursors = errors.New("store: a list takes starting_after or ending_before, not both")

// page selects one page of x (oldest first) for q; cursors are looked up
// in ids. x may hold more than q selects (every filter, Type and Parent
// included, is checked); exact says it holds only objects of q's Type and
// Parent, so a count without filters needs no scan. The caller holds the
// store's read lock.
func page(x index, exact bool, q Query, ids func(string) *entry) (Page, error) {
	if q.StartingAfter != "" && q.EndingBefore != "" {
		return Page{}, errTwoCursors
	}
	if q.Limit < 0 {
		return Page{}, errors.New("store: a list limit must not be negative")
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	match := matcher(q)
	lo, hi := x.bounds(q.Created)
	p := Page{TotalCount: -1, Data: make([]Object, 0, min(limit, hi-lo))}
	if q.TotalCount {
		if exact && len(q.Equal) == 0 && q.Match == nil {
			p.TotalCount = hi - lo
		} else {
			p.TotalCount = count(x[lo:hi], match)
		}
	}
	switch {
	case q.EndingBefore != "":
		c := ids(q.EndingBefore)
		if c == nil {
			return Page{}, &NotFoundError{ID: q.EndingBefore, Param: "ending_before"}
		}
		lo = max(lo, x.search(c.obj.Created, c.seq+1))
		// Walk up from the cursor: the closest newer objects, then newest first.
		for i := lo; i < hi; i++ {
			if e := x[i]; match(e) {
				if len(p.Data) == limit {
					p.HasMore = true
					break
				}
				p.Data = append(p.Data, e.object())
			}
		}
		slices.Reverse(p.Data)
	default:
		if q.StartingAfter != "" {
			c := ids(q.StartingAfter)
			if c == nil {
				return Page{}, &NotFoundError{ID: q.StartingAfter, Param: "starting_after"}
			}
			hi = min(hi, x.search(c.obj.Created, c.seq))
		}
		for i := hi - 1; i >= lo; i-- {
			if e := x[i]; match(e) {
				if len(p.Data) == limit {
					p.HasMore = true
					break
				}
				p.Data = append(p.Data, e.object())
			}
		}
	}
	return p, nil
}

func count(x index, match func(*entry) bool) int {
	n := 0
	for _, e := range x {
		if match(e) {
			n++
		}
	}
	return n
}

// matcher turns the filters of q into one predicate.
func matcher(q Query) func(*entry) bool {
	type eq struct {
		field, value string
		guess        int // where the field was in the last object: objects of a type share a layout
	}
	eqs := make([]eq, 0, len(q.Equal))
	for f, v := range q.Equal {
		eqs = append(eqs, eq{field: f, value: v})
	}
	typ, parent, fn := q.Type, q.Parent, q.Match
	return func(e *entry) bool {
		if (typ != "" && e.obj.Type != typ) || (parent != "" && e.obj.Parent != parent) {
			return false
		}
		for i := range eqs {
			c := &eqs[i]
			js := e.source()
			f, at := e.fields().find(js, c.field, c.guess)
			if at < 0 || !f.equals(js, c.value) {
				return false
			}
			c.guess = at
		}
		return fn == nil || fn(e.object())
	}
}
