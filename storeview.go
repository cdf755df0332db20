package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/history"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/ui"
)

// storeView shows a store in the TUI's store pane (ui.ObjectStore), with
// each object's history (ui.ObjectHistory) and 3-D Secure by hand
// (ui.Authenticator).
type storeView struct {
	st store.Store
	// hist keeps the histories (nil: none); state completes or fails
	// 3-D Secure (nil: it cannot).
	hist  *history.Store
	state *stripe.State
}

var (
	_ ui.ObjectStore   = storeView{}
	_ ui.ObjectHistory = storeView{}
	_ ui.Authenticator = storeView{}
)

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

// History is the object's versions, each with what it changed.
func (v storeView) History(id string) []ui.ObjectVersion {
	if v.hist == nil {
		return nil
	}
	vs := v.hist.History(id)
	out := make([]ui.ObjectVersion, len(vs))
	for i, h := range vs {
		ov := ui.ObjectVersion{Time: h.Time, Method: h.Origin.Method, Path: h.Origin.Path, RequestID: h.Origin.RequestID, Deleted: h.Deleted}
		var top struct {
			Status string `json:"status"`
		}
		if json.Unmarshal([]byte(h.JSON), &top) == nil {
			ov.Status = top.Status
		}
		if i > 0 && !h.Deleted {
			for _, c := range history.Changes(vs[i-1].JSON, h.JSON) {
				ov.Changes = append(ov.Changes, ui.FieldChange{Field: c.Field, From: c.From, To: c.To})
			}
		}
		out[i] = ov
	}
	return out
}

// Authenticate completes or fails a PaymentIntent's 3-D Secure through
// the Stripe rules, which raise the events that follow.
func (v storeView) Authenticate(id string, complete bool) (string, error) {
	if v.state == nil {
		return "", errors.New("the store is not the Stripe catalog's")
	}
	return v.state.Authenticate(context.Background(), id, complete)
}
