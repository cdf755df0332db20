package main

import (
	"strings"

	"github.com/routedeck/routedeck/stripe"
)

// sharedDir holds the templates of the variants many routes share: one
// file each, however many routes name it.
const sharedDir = "errors"

// extra is a variant beyond a route's success and error.
type extra struct {
	name, label string
	status      int
	file, body  string
}

// chargeRoutes are the routes that move money: each makes (or captures) a
// charge, so a card can be declined there with the charge's id in the
// error. They are the entries of moneyRoutes whose decline carries a
// charge: charges create and capture, PaymentIntents create, confirm,
// capture and increment_authorization, invoices pay and orders pay.
func chargeRoutes(key string) bool { return moneyRoutes[key] }

// declineVariants are, on the routes that move money, one card_error per
// common decline of Stripe's test cards, beyond the generic decline the
// route's "error" variant already is.
func declineVariants(key string) []extra {
	var out []extra
	if chargeRoutes(key) {
		for _, d := range stripe.CommonDeclines() {
			if d.DeclineCode == "generic_decline" {
				continue // the route's error variant
			}
			out = append(out, declineVariant(d))
		}
	}
	return out
}

// declineVariant is the 402 card_error a declined card gets, shaped as
// package stripe's test cards answer it (with the charge Stripe made).
func declineVariant(d stripe.Decline) extra {
	e := &node{kind: 'o'}
	e.set("charge", tplNode(`"{{id 'ch'}}"`))
	e.set("code", strNode(d.Code))
	if d.DeclineCode != "" {
		e.set("decline_code", strNode(d.DeclineCode))
	}
	e.set("doc_url", strNode(d.DocURL()))
	e.set("message", strNode(d.Message))
	if d.Param != "" {
		e.set("param", strNode(d.Param))
	}
	e.set("type", strNode("card_error"))
	name := d.Name()
	return extra{name: name, label: "Declined: " + d.Message, status: 402,
		file: sharedDir + "/" + strings.ReplaceAll(name, "/", ".") + ".hbs", body: envelope(e)}
}

// commonErrors are the errors of Stripe's API itself, the same on every
// route (the manifest's commonVariants): a bad API key, too many
// requests, a failure on Stripe's side.
func commonErrors() []extra {
	auth := &node{kind: 'o'}
	auth.set("message", strNode("Invalid API Key provided: sk_test_********************1234"))
	auth.set("type", strNode("authentication_error"))
	rate := &node{kind: 'o'}
	rate.set("code", strNode("rate_limit"))
	rate.set("doc_url", strNode(docURL("rate_limit")))
	rate.set("message", strNode("Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."))
	rate.set("type", strNode("invalid_request_error"))
	api := &node{kind: 'o'}
	api.set("message", strNode("An unknown error occurred"))
	api.set("type", strNode("api_error"))
	return []extra{
		{name: "401", label: "Invalid API key (authentication_error).", status: 401, file: sharedDir + "/401.hbs", body: envelope(auth)},
		{name: "429", label: "Rate limited (rate_limit).", status: 429, file: sharedDir + "/429.hbs", body: envelope(rate)},
		{name: "500", label: "Stripe's servers failed (api_error).", status: 500, file: sharedDir + "/500.hbs", body: envelope(api)},
	}
}

// envelope wraps an error object as Stripe sends it: {"error": {...}}.
func envelope(e *node) string {
	out := &node{kind: 'o'}
	out.set("error", e)
	return out.pretty()
}
