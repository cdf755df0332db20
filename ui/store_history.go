package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/internal/termsafe"
)

// ObjectHistory is an ObjectStore that also keeps each object's history
// (main's adapter over package store/history): the store pane shows it
// with h on an open object.
type ObjectHistory interface {
	// History returns the versions of the object with id, oldest first.
	History(id string) []ObjectVersion
}

// ObjectVersion is one state of an object and what moved it there.
type ObjectVersion struct {
	Time time.Time
	// Method, Path and RequestID name the request that wrote the version
	// (Method "KEY" for a key pressed in this UI, with Path saying what
	// it did); all empty when the write named none (the seed).
	Method, Path, RequestID string
	// Deleted marks the version that deleted the object.
	Deleted bool
	// Status is the object's status field in this version ("" if none).
	Status string
	// Changes are what differ from the version before (nil for the first).
	Changes []FieldChange
}

// FieldChange is one field that changed: its dotted path and values ("" for absent).
type FieldChange struct {
	Field, From, To string
}

func (p storeModel) historian() ObjectHistory {
	h, _ := p.store.(ObjectHistory)
	return h
}

// toggleHistory switches the open object between its JSON and its history.
func (m Model) toggleHistory() (Model, tea.Cmd) {
	p := &m.store
	if p.historian() == nil {
		return m, m.setNotice("this store keeps no history", true)
	}
	p.showHistory = !p.showHistory
	*p = p.renderOpen()
	p.vp.GotoTop()
	return m, nil
}

// historyText is an object's history: one entry per version, oldest
// first, each with the request that wrote it and what it changed.
func (p storeModel) historyText(o StoredObject) string {
	vs := p.historian().History(o.ID)
	s := p.ctx.styles
	var b strings.Builder
	if len(vs) == 0 {
		b.WriteString(s.log.dim.Render("No history: " + termsafe.Line(o.ID) + " has not changed since routedeck started (seed objects and objects loaded from --state have none)."))
		return b.String()
	}
	fmt.Fprintf(&b, "%s %s · %d versions, oldest first · h shows the object\n", termsafe.Line(o.Type), termsafe.Line(o.ID), len(vs))
	for i, v := range vs {
		b.WriteString("\n")
		b.WriteString(s.log.header.Render(v.Time.Format("15:04:05")))
		b.WriteString("  ")
		switch {
		case v.Method == "":
			b.WriteString(s.log.dim.Render("(no request)"))
		case v.Method == "KEY":
			b.WriteString(termsafe.Line(v.Path) + s.log.dim.Render(" (a key in the store pane)"))
		default:
			b.WriteString(termsafe.Line(v.Method + " " + v.Path))
			if v.RequestID != "" {
				b.WriteString(s.log.dim.Render("  " + termsafe.Line(v.RequestID)))
			}
		}
		b.WriteString("\n")
		switch {
		case v.Deleted:
			b.WriteString("          deleted\n")
		case i == 0:
			line := "          created"
			if v.Status != "" {
				line += ": status " + termsafe.Line(v.Status)
			}
			b.WriteString(line + "\n")
		case len(v.Changes) == 0:
			b.WriteString(s.log.dim.Render("          written again, unchanged") + "\n")
		}
		if i == 0 && !v.Deleted {
			continue
		}
		for _, c := range v.Changes {
			from, to := c.From, c.To
			if from == "" {
				from = "(none)"
			}
			if to == "" {
				to = "(none)"
			}
			fmt.Fprintf(&b, "          %s: %s → %s\n", termsafe.Line(c.Field), termsafe.Line(from), termsafe.Line(to))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
