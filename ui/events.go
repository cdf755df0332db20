package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/webhook"
)

// WebhookLog is what the events pane shows and redelivers: the webhook
// sender's delivery log (*webhook.Sender has these methods). Methods must
// be safe for concurrent use.
type WebhookLog interface {
	// Log returns the logged events with their deliveries, newest first.
	Log() []webhook.Record
	// Redeliver sends a logged event once more to its endpoints.
	Redeliver(eventID string) (int, error)
}

// eventsModel is the events pane (w): the events raised, newest first,
// each with its deliveries; enter opens one (payload and the endpoints'
// answers), r redelivers it.
type eventsModel struct {
	src     WebhookLog
	records []webhook.Record // newest first
	cursor  int
	open    bool
	openID  string
}

func newEventsModel(src WebhookLog) eventsModel { return eventsModel{src: src} }

// refresh reads the delivery log again.
func (p eventsModel) refresh() eventsModel {
	if p.src == nil {
		return p
	}
	p.records = p.src.Log()
	p.cursor = max(0, min(p.cursor, len(p.records)-1))
	return p
}

func (p eventsModel) selected() (webhook.Record, bool) {
	if p.open {
		for _, r := range p.records {
			if r.Event.ID == p.openID {
				return r, true
			}
		}
		return webhook.Record{}, false
	}
	if p.cursor < len(p.records) {
		return p.records[p.cursor], true
	}
	return webhook.Record{}, false
}

// deliveriesLine sums an event's deliveries: "delivered 1, retrying 1".
func deliveriesLine(r webhook.Record) string {
	if len(r.Deliveries) == 0 {
		return "no endpoint"
	}
	var parts []string
	for _, d := range r.Deliveries {
		parts = append(parts, fmt.Sprintf("%s (%d attempts)", d.State, len(d.Attempts)))
	}
	return strings.Join(parts, ", ")
}

// view draws the pane: the list, or the opened event.
func (p eventsModel) view(width int) string {
	var b strings.Builder
	if !p.open {
		b.WriteString(fmt.Sprintf("Webhook events: %d (newest first; enter opens, r redelivers, w or esc goes back)\n\n", len(p.records)))
		if len(p.records) == 0 {
			b.WriteString("No events yet: a request that changes the store raises one (POST /v1/customers).\n")
		}
		for i, r := range p.records {
			mark := "  "
			if i == p.cursor {
				mark = "> "
			}
			line := fmt.Sprintf("%s%s  %-36s %s  %s", mark, time.Unix(r.Event.Created, 0).Format("15:04:05"),
				r.Event.Type, r.Event.ID, deliveriesLine(r))
			b.WriteString(termsafe.Line(truncateTo(line, width)) + "\n")
		}
		return b.String()
	}
	r, ok := p.selected()
	if !ok {
		return "The event is no longer in the delivery log.\n"
	}
	b.WriteString(termsafe.Line(r.Event.Type+" "+r.Event.ID) + "  (esc goes back, r redelivers)\n\n")
	for _, d := range r.Deliveries {
		b.WriteString(termsafe.Line(fmt.Sprintf("→ %s  %s", d.URL, d.State)) + "\n")
		for i, a := range d.Attempts {
			line := fmt.Sprintf("   attempt %d: %d in %v", i+1, a.Status, a.Duration.Round(time.Millisecond))
			if a.Error != "" {
				line += ": " + a.Error
			}
			if a.Response != "" {
				line += "  answer: " + a.Response
			}
			b.WriteString(termsafe.Line(truncateTo(line, width)) + "\n")
		}
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, r.Payload, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(r.Payload)
	}
	b.WriteString("\n" + termsafe.Text(pretty.String()))
	return b.String()
}

// truncateTo cuts s to n runes (n <= 0: as is).
func truncateTo(s string, n int) string {
	if r := []rune(s); n > 0 && len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// eventsKey handles a key while the events pane has focus.
func (m Model) eventsKey(k tea.KeyMsg) (Model, tea.Cmd) {
	p := &m.events
	switch {
	case k.String() == "q" || k.Type == tea.KeyCtrlC:
		return m, tea.Quit
	case k.Type == tea.KeyEsc || k.String() == "w":
		if p.open && k.Type == tea.KeyEsc {
			p.open = false
			return m, nil
		}
		p.open = false
		m.focus = m.back
		return m, nil
	case k.String() == "r":
		r, ok := p.selected()
		if !ok {
			return m, m.setNotice("nothing to redeliver: no event is selected", true)
		}
		n, err := p.src.Redeliver(r.Event.ID)
		if err != nil {
			return m, m.setNotice("could not redeliver: "+err.Error(), true)
		}
		*p = p.refresh()
		return m, m.setNotice(fmt.Sprintf("redelivering %s to %d endpoint(s)", termsafe.Line(r.Event.Type), n), false)
	case k.Type == tea.KeyEnter:
		if r, ok := p.selected(); ok {
			p.open, p.openID = true, r.Event.ID
		}
	case p.open:
	case key.Matches(k, m.ctx.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(k, m.ctx.keys.Down):
		p.cursor = min(len(p.records)-1, p.cursor+1)
		p.cursor = max(0, p.cursor)
	}
	return m, nil
}
