package stripe

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// 3-D Secure by hand: a stored PaymentIntent in requires_action is
// completed (it then succeeds, or waits for capture) or failed
// (requires_payment_method with Stripe's
// payment_intent_authentication_failure), as the customer would on
// Stripe's authentication page. routedeck's own endpoint
// (POST /_routedeck/payment_intents/{id}/3ds/complete|fail, through
// State.Own) and the store pane's keys (State.Authenticate) call the same
// code, and the events that follow (payment_intent.succeeded and
// charge.succeeded, or payment_intent.payment_failed) are raised for both.

// Authenticate completes (complete) or fails the 3-D Secure of the stored
// PaymentIntent id, as the customer would, and raises the events that
// follow. ctx may carry the store.Origin of the action (a key in the
// terminal UI). It returns the PaymentIntent's new status; an error
// says, in one line, why nothing changed.
func (s *State) Authenticate(ctx context.Context, id string, complete bool) (string, error) {
	if _, ok := store.OriginOf(ctx); !ok {
		what := "3-D Secure failed"
		if complete {
			what = "3-D Secure completed"
		}
		ctx = store.WithOrigin(ctx, store.Origin{Method: "KEY", Path: what})
	}
	ans, refused := s.authenticate(ctx, &render.Request{Method: http.MethodPost, Header: http.Header{}}, id, complete)
	if refused != nil {
		return "", fmt.Errorf("%s", refused.Message)
	}
	return payString([]byte(ans.Body.String()), "status"), nil
}

// authenticate is Authenticate for req (whose request id and headers the
// events name): the lifecycle's change, then its events in order, as
// State.Own raises them for the HTTP endpoint.
func (s *State) authenticate(ctx context.Context, req *render.Request, id string, complete bool) (server.Answer, *server.APIError) {
	ctx, c := withChanges(ctx)
	ans, refused := s.life.authenticate(ctx, id, complete)
	s.announce(ctx, &before{}, req, server.Answer{}, c)
	return ans, refused
}

// authenticate moves the stored PaymentIntent id out of requires_action.
func (l *lifecycle) authenticate(ctx context.Context, id string, complete bool) (server.Answer, *server.APIError) {
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "payment_intent" {
		return server.Answer{}, &server.APIError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "resource_missing",
			Message: fmt.Sprintf("No such payment_intent: '%s'", id)}
	}
	ans, refused := l.updateRead(ctx, id, func(b []byte) (*read, *server.APIError) {
		if status := payString(b, "status"); status != "requires_action" {
			return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "payment_intent_unexpected_state",
				Message: fmt.Sprintf("This PaymentIntent has a status of %s: only a PaymentIntent that requires_action can have its 3-D Secure completed or failed.", status)}
		}
		if !complete {
			last := lastError{Code: "payment_intent_authentication_failure", Type: "invalid_request_error",
				DocURL:  "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
				Message: "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again."}
			return &read{now: members{b: setMembers(b, []setting{str("status", "requires_payment_method"), val("last_payment_error", last),
				null("payment_method"), null("next_action")})}}, nil
		}
		amount := topInt(b, "amount")
		manual := strings.HasPrefix(payString(b, "capture_method"), "manual")
		status, received, capturable := "succeeded", amount, int64(0)
		if manual {
			status, received, capturable = "requires_capture", 0, amount
		}
		tc, ok := l.cards.Lookup(payString(b, "payment_method"))
		if !ok {
			tc, _ = l.cards.Lookup("pm_card_authenticationRequired")
		}
		chID := render.NewID("ch")
		charge := chargeRecord{id: chID, intent: id, pm: payString(b, "payment_method"), amount: amount,
			currency: payString(b, "currency"), card: tc, uncaptured: manual, customer: payString(b, "customer")}
		return &read{now: members{b: setMembers(b, []setting{str("status", status), str("latest_charge", chID), num("amount_received", received),
			num("amount_capturable", capturable), null("next_action"), null("last_payment_error")})},
			then: func() { l.storeCharge(ctx, charge) }}, nil
	})
	if refused == nil {
		// An invoice's intent pays its invoice (and may activate a subscription).
		l.intentSettled(ctx, view(ans.Body.String()))
	}
	return ans, refused
}
