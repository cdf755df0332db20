package ui

import (
	"encoding/json"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/internal/termsafe"
)

// Authenticator is an ObjectStore that can also complete or fail a
// PaymentIntent's 3-D Secure, as the customer would on Stripe's page
// (main's adapter over package stripe's State.Authenticate, the code
// behind POST /_routedeck/payment_intents/{id}/3ds/complete|fail).
type Authenticator interface {
	// Authenticate completes (complete) or fails the 3-D Secure of the
	// PaymentIntent id and returns its new status; the error says why
	// nothing changed.
	Authenticate(id string, complete bool) (status string, err error)
}

func (p storeModel) authenticator() Authenticator {
	a, _ := p.store.(Authenticator)
	return a
}

// requiresAction reports whether o is a PaymentIntent waiting for 3-D
// Secure.
func requiresAction(o StoredObject) bool {
	if o.Type != "payment_intent" {
		return false
	}
	var v struct {
		Status string `json:"status"`
	}
	return json.Unmarshal([]byte(o.JSON), &v) == nil && v.Status == "requires_action"
}

// authenticate completes or fails the 3-D Secure of the open (or
// selected) PaymentIntent and says what happened on the status line.
func (m Model) authenticate(complete bool) (Model, tea.Cmd) {
	p := &m.store
	what := "fail"
	if complete {
		what = "complete"
	}
	a := p.authenticator()
	if a == nil {
		return m, m.setNotice("this store cannot "+what+" 3-D Secure", true)
	}
	o, ok := p.current()
	if !ok {
		return m, m.setNotice("no object is selected: select a PaymentIntent in requires_action to "+what+" its 3-D Secure", true)
	}
	if !requiresAction(o) {
		return m, m.setNotice(fmt.Sprintf("%s is not a PaymentIntent in requires_action: only one waiting for 3-D Secure can have it %sd", termsafe.Line(o.ID), what), true)
	}
	status, err := a.Authenticate(o.ID, complete)
	if err != nil {
		return m, m.setNotice(fmt.Sprintf("could not %s 3-D Secure of %s: %s", what, termsafe.Line(o.ID), termsafe.Line(err.Error())), true)
	}
	*p = p.refresh(true)
	verb := "failed"
	if complete {
		verb = "completed"
	}
	return m, m.setNotice(fmt.Sprintf("3-D Secure %s for %s: now %s", verb, termsafe.Line(o.ID), termsafe.Line(status)), false)
}
