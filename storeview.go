package main

import (
	"context"
	"strings"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/ui"
)

// storeView shows a store in the TUI's store pane (ui.ObjectStore).
type storeView struct{ st store.Store }

var _ ui.ObjectStore = storeView{}

func (v storeView) Summary() ui.StoreSummary {
	s := v.st.Stats()
	return ui.StoreSummary{Version: s.Version, Objects: s.Objects, Types: s.Types}
}

// Recent lists the newest objects; a filter is matched while the store
// lists (under its read lock), so it must stay a plain substring test.
func (v storeView) Recent(filter string, limit int) []ui.StoredObject {
	q := store.Query{Limit: limit}
	if f := strings.ToLower(strings.TrimSpace(filter)); f != "" {
		q.Match = func(o store.Object) bool {
			return strings.Contains(strings.ToLower(o.ID), f) || strings.Contains(strings.ToLower(o.Type), f) ||
				strings.Contains(strings.ToLower(o.JSON), f)
		}
	}
	page, err := v.st.List(context.Background(), q)
	if err != nil {
		return nil
	}
	out := make([]ui.StoredObject, len(page.Data))
	for i, o := range page.Data {
		out[i] = ui.StoredObject{ID: o.ID, Type: o.Type, Parent: o.Parent, Created: o.Created, JSON: o.JSON}
	}
	return out
}

func (v storeView) Reset() error { return v.st.Reset(context.Background()) }
