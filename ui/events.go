package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
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
// answers), r redelivers it, n picks an event type and raises an event of
// it (as `stripe trigger` does).
type eventsModel struct {
	src     WebhookLog
	records []webhook.Record // newest first
	cursor  int
	open    bool
	openID  string

	// results tell of each delivery's progress, so that the pane follows
	// it; nil when the log has none to give.
	results <-chan webhook.Result

	// The picker (n): the event types routedeck knows (webhook.Types, the
	// list `routedeck trigger` takes), narrowed by the filter typed.
	picking bool
	filter  textinput.Model
	types   []string // all, sorted
	shown   []string // those the filter matches
	pick    int      // index into shown
}

// resultSource is a WebhookLog that tells of deliveries as they progress
// (*webhook.Sender).
type resultSource interface {
	Subscribe(buffer int) (<-chan webhook.Result, func())
}

func newEventsModel(src WebhookLog) eventsModel {
	f := textinput.New()
	f.Prompt = "type: "
	f.Placeholder = "filter, e.g. payment_intent"
	p := eventsModel{src: src, filter: f}
	if rs, ok := src.(resultSource); ok {
		// The subscription lasts as long as the sender (its Close ends it).
		p.results, _ = rs.Subscribe(256)
	}
	return p
}

// deliveryMsg says deliveries progressed; ok is false once the sender
// has closed.
type deliveryMsg struct{ ok bool }

// nextDelivery waits for the next delivery results (taking every one
// already queued: a burst costs one update).
func (p eventsModel) nextDelivery() tea.Cmd {
	ch := p.results
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return deliveryMsg{}
		}
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					return deliveryMsg{}
				}
			default:
				return deliveryMsg{ok: true}
			}
		}
	}
}

// startPicking opens the picker with an empty filter.
func (p eventsModel) startPicking() (eventsModel, tea.Cmd) {
	p.picking = true
	if p.types == nil {
		p.types = webhook.Types()
	}
	p.filter.SetValue("")
	p.pick = 0
	p = p.refilter()
	return p, p.filter.Focus()
}

// refilter narrows the types to those containing every word typed.
func (p eventsModel) refilter() eventsModel {
	words := strings.Fields(strings.ToLower(p.filter.Value()))
	p.shown = make([]string, 0, len(p.types))
	for _, t := range p.types {
		ok := true
		for _, w := range words {
			if !strings.Contains(t, w) {
				ok = false
				break
			}
		}
		if ok {
			p.shown = append(p.shown, t)
		}
	}
	p.pick = max(0, min(p.pick, len(p.shown)-1))
	return p
}

// pickerView draws the picker in h lines, the chosen type kept in view.
func (p eventsModel) pickerView(width, h int) string {
	var b strings.Builder
	b.WriteString("New event, as `stripe trigger`: from the catalog's sample object, stored in /v1/events,\n")
	b.WriteString("delivered to the webhook endpoints. ↑/↓ choose, enter sends, esc cancels.\n")
	b.WriteString(p.filter.View() + "\n")
	if len(p.shown) == 0 {
		b.WriteString(termsafe.Line(fmt.Sprintf("No event type contains %q.", p.filter.Value())) + "\n")
		return b.String()
	}
	rows := max(1, h-4)
	first := max(0, min(p.pick-rows/2, len(p.shown)-rows))
	for i := first; i < len(p.shown) && i < first+rows; i++ {
		mark := "  "
		if i == p.pick {
			mark = "> "
		}
		b.WriteString(truncateTo(mark+p.shown[i], width) + "\n")
	}
	b.WriteString(fmt.Sprintf("%d of %d types", len(p.shown), len(p.types)))
	return b.String()
}

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

// view draws the pane in width x h: the picker, the list, or the opened
// event.
func (p eventsModel) view(width, h int) string {
	if p.picking {
		return p.pickerView(width, h)
	}
	var b strings.Builder
	if !p.open {
		b.WriteString(fmt.Sprintf("Webhook events: %d (newest first; enter opens, r redelivers, n new event, w or esc goes back)\n\n", len(p.records)))
		if len(p.records) == 0 {
			b.WriteString("No events yet: a request that changes the store raises one (POST /v1/customers), or n.\n")
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
	if p.picking {
		return m.pickerKey(k)
	}
	switch {
	case k.String() == "q" || k.Type == tea.KeyCtrlC:
		return m, tea.Quit
	case key.Matches(k, m.ctx.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
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
	case k.String() == "n":
		if m.cfg.TriggerEvent == nil {
			return m, m.setNotice("n: raising events needs the Stripe catalog's store (routedeck with the embedded Stripe catalog)", true)
		}
		var cmd tea.Cmd
		*p, cmd = p.startPicking()
		return m, cmd
	case key.Matches(k, m.ctx.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(k, m.ctx.keys.Down):
		p.cursor = min(len(p.records)-1, p.cursor+1)
		p.cursor = max(0, p.cursor)
	}
	return m, nil
}

// pickerKey handles a key while the event type picker is open: typed
// text filters, ↑/↓ choose, enter raises the event, esc cancels.
func (m Model) pickerKey(k tea.KeyMsg) (Model, tea.Cmd) {
	p := &m.events
	switch k.Type {
	case tea.KeyCtrlC:
		return m, tea.Quit
	case tea.KeyEsc:
		p.picking = false
		p.filter.Blur()
		return m, nil
	case tea.KeyUp:
		p.pick = max(0, p.pick-1)
		return m, nil
	case tea.KeyDown:
		p.pick = max(0, min(len(p.shown)-1, p.pick+1))
		return m, nil
	case tea.KeyEnter:
		if len(p.shown) == 0 {
			return m, m.setNotice(fmt.Sprintf("no event type contains %q: esc cancels", p.filter.Value()), true)
		}
		typ := p.shown[p.pick]
		p.picking = false
		p.filter.Blur()
		ev, err := m.cfg.TriggerEvent(typ)
		if err != nil {
			return m, m.setNotice("could not raise "+typ+": "+err.Error(), true)
		}
		*p = p.refresh()
		p.cursor = 0
		for i, r := range p.records {
			if r.Event.ID == ev.ID {
				p.cursor = i
			}
		}
		if ev.PendingWebhooks == 0 {
			return m, m.setNotice(fmt.Sprintf("raised %s %s (GET /v1/events); no webhook endpoint wants it: register one with --webhook URL or POST /v1/webhook_endpoints", typ, ev.ID), false)
		}
		return m, m.setNotice(fmt.Sprintf("raised %s %s; delivering to %d endpoint(s)", typ, ev.ID, ev.PendingWebhooks), false)
	}
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(k)
	*p = p.refilter()
	return m, cmd
}
