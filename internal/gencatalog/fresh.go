package main

import (
	"fmt"
	"strconv"
)

// A created object looks as Stripe makes a new one: the members that say
// what has happened to it since (a cancellation, a last error, a pending
// next action, processing, a transfer, a review, a shipment, a refund...)
// are null. stripe-mock's fixtures fill every member with a sample, so a
// create's body built from them would say, for instance, that a new
// PaymentIntent in requires_payment_method already failed
// (last_payment_error) and waits for an action (next_action); the store
// would keep that and the events would follow it (payment_failed).
//
// The rule, for the top-level members of a create's body (idMode "create")
// that the spec marks nullable and the request does not set (reflected
// parameters stay reflected):
//   - a member named in freshMembers (any object type) or in
//     freshByType[object] is null;
//   - a timestamp holding the fixtures' sample time (placeholderTime:
//     canceled_at, ended_at, voided_at, confirmed_at, succeeded_at,
//     effective_at, webhooks_delivered_at, trial_start, due_date,
//     next_payment_attempt...) is null, except the future times in
//     futureTimes; a parameter the request may set (a subscription's
//     cancel_at) then reflects it, null when not set.
//   - a future time (futureTimes) later than the fixture's creation keeps
//     its distance from it: a Checkout Session created now expires in 24
//     hours ({{now 'unix+86400'}}), or at the time the request sets.
// A timestamp the spec does not mark nullable and the create cannot
// reflect (no integer parameter of its name) holding the sample time is the time of the create ({{now}}): a new
// subscription's start_date and billing_cycle_anchor, an invoice's period,
// a product's updated.
// A status later than a new object's is the one freshStatus gives.
// Members Stripe fills on a new object (client_secret, status,
// automatic_payment_methods, a checkout session's url) are kept.

// placeholderTime is the time stripe-mock's fixtures give every timestamp
// they have no sample for (2009-02-13).
const placeholderTime = "1234567890"

// futureTimes are timestamps Stripe sets ahead of the create (when a key
// or a file expires); the rule leaves them as the fixtures have them.
var futureTimes = map[string]bool{
	"expires_at": true, "expires": true, "deletes_after": true,
}

// freshStatus is, per object type, the status Stripe gives a new object
// where the fixture's is a later one: a payout is pending until it is
// submitted to the bank (in_transit).
var freshStatus = map[string]string{
	"payout": "pending",
}

// freshMembers are members that, on any object, describe what happens
// after it is created; Stripe gives null until it happens.
var freshMembers = map[string]bool{
	"last_payment_error":                   true, // a failed payment attempt
	"last_setup_error":                     true, // a failed setup attempt
	"last_finalization_error":              true, // a failed invoice finalization
	"last_error":                           true, // a failed verification
	"last_verification_report":             true, // a finished verification
	"next_action":                          true, // an action the customer must take, after a confirm
	"processing":                           true, // a payment being processed, after a confirm
	"review":                               true, // a Radar review of a payment
	"transfer_data":                        true, // a transfer to a connected account, only when asked for
	"payment_method_configuration_details": true, // the fixture's names a configuration that does not exist
	"shipping":                             true, // shipping details, only when given
	"customer_shipping":                    true,
	"shipping_details":                     true,
	"pending_update":                       true, // a subscription update waiting for payment
	"pause_collection":                     true, // a paused subscription
	"from_invoice":                         true, // a revision of another invoice, only when asked for
	"from_quote":                           true, // a revision of another quote, only when asked for
	"returned_details":                     true, // a returned treasury transfer
	"failure_details":                      true, // a failed treasury transfer
	"trace_id":                             true, // a payout's trace, once it is paid
	"refunded_at":                          true,
	"transform_quantity":                   true, // a price's quantity transform, only when asked for
	"transform_usage":                      true,
	"billing_thresholds":                   true, // usage thresholds, only when asked for
}

// freshByType are, per object type, the members beyond freshMembers that
// describe what happens after the object is created.
var freshByType = map[string][]string{
	// An open session: no customer has filled Stripe's page yet.
	"checkout.session": {"customer_details", "collected_information", "currency_conversion", "shipping_cost"},
	// Settings a new subscription has only when the request gives them.
	"subscription": {"pending_invoice_item_interval", "billing_thresholds", "billing_cycle_anchor_config"},
	// A new reader runs no action.
	"terminal.reader": {"action"},
	// A report run is pending until its file is made.
	"reporting.report_run": {"result"},
}

// freshen nulls the members of a created object out (a fixture clone) that
// describe what has not happened yet; see the rule above. props is the
// object's schema's properties, form the create's reflected parameters.
func freshen(out *node, object string, props map[string]any, form map[string]string, born int64) {
	byType := map[string]bool{}
	for _, m := range freshByType[object] {
		byType[m] = true
	}
	if st, ok := freshStatus[object]; ok && out.get("status") != nil && form["status"] == "" {
		out.set("status", strNode(st))
	}
	for i, key := range out.keys {
		v := out.vals[i]
		if v.kind == 'z' || v.kind == 't' {
			continue
		}
		placeholder := v.kind == 'n' && v.str == placeholderTime && !futureTimes[key]
		_, reflected := form[key]
		if t, err := strconv.ParseInt(v.str, 10, 64); err == nil && v.kind == 'n' && futureTimes[key] && born > 0 && t > born {
			// An expiry keeps its distance from the creation.
			later := tplNode(fmt.Sprintf("{{now 'unix+%d'}}", t-born))
			if reflected {
				later = reflectNode(key, form[key], later)
			}
			out.vals[i] = later
			continue
		}
		if obj(props[key])["nullable"] != true {
			if placeholder && form[key] != "integer" {
				out.vals[i] = tplNode("{{now}}")
			}
			continue
		}
		if reflected && !placeholder {
			continue
		}
		if freshMembers[key] || byType[key] || placeholder {
			out.vals[i] = &node{kind: 'z', str: "null"}
		}
	}
}
