package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// triggerHelp is trigger's --help, with every event type it knows.
func triggerHelp() string {
	var b strings.Builder
	b.WriteString(`Usage:
  routedeck trigger TYPE --to URL [--secret whsec_...] [--api-version VERSION]

Sends one signed event of TYPE to URL and exits, without a server: for testing a
webhook handler from scripts and CI. The event is shaped as Stripe's, its
data.object the catalog's sample object for the type (payment_intent.succeeded has
status "succeeded"). It is POSTed as JSON with a Stripe-Signature header, so the
handler's stripe.webhooks.constructEvent (stripe-node) or webhook.ConstructEvent
(stripe-go) checks it as it would Stripe's. Exit 0 when URL answers 2xx within 10 s;
1 when it answers anything else or cannot be reached.

Flags:
  --to URL               the handler's URL, such as http://127.0.0.1:4242/webhook
  --secret whsec_...     the signing secret the handler checks with (default: a new
                         one, printed)
  --api-version VERSION  the event's api_version (default: the catalog's,
                         `)
	b.WriteString(catalogAPIVersion())
	b.WriteString(`). stripe-go accepts only its own
                         release train unless the handler sets
                         IgnoreAPIVersionMismatch: for stripe-go v82 pass
                         2025-08-27.basil (its stripe.APIVersion)

Event types:
`)
	line := " "
	for _, t := range webhook.Types() {
		if len(line)+1+len(t) > 88 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + t
	}
	b.WriteString(line + "\n")
	return b.String()
}

// catalogAPIVersion is the API version of the embedded catalog's spec
// (the "version" of embed.Stripe, which the generator writes first, so
// that this reads only the start).
func catalogAPIVersion() string {
	dec := json.NewDecoder(bytes.NewReader(embed.Stripe))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "unknown"
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return "unknown"
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return "unknown"
		}
		var s string
		if key == "version" && json.Unmarshal(v, &s) == nil {
			return s
		}
	}
	return "unknown"
}

// runTrigger sends one signed event to --to.
func runTrigger(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("trigger", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "")
	secret := fs.String("secret", "", "")
	apiVersion := fs.String("api-version", "", "")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return errHelp
			}
			return usageErrorf("trigger: %s", flagError(err))
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(positional) == 0:
		return usageErrorf("trigger: want an event type, e.g. routedeck trigger payment_intent.succeeded --to http://127.0.0.1:4242/webhook")
	case len(positional) > 1:
		return usageErrorf("trigger: want one event type; got %q and %q", positional[0], positional[1])
	case *to == "":
		return usageErrorf("trigger: --to URL is required (your webhook handler, e.g. --to http://127.0.0.1:4242/webhook)")
	}
	if u, err := url.Parse(*to); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageErrorf("trigger: --to %q: want an absolute http or https URL, such as http://127.0.0.1:4242/webhook", *to)
	}
	if *secret != "" && (!strings.HasPrefix(*secret, "whsec_") || len(*secret) == len("whsec_")) {
		return usageErrorf("trigger: --secret: want the endpoint's signing secret, whsec_...")
	}
	typ := positional[0]
	if err := webhook.CheckType(typ); err != nil {
		return usageErrorf("trigger: %v", err)
	}
	data, err := stripe.ParseData(embed.Stripe)
	if err != nil {
		return err
	}
	version := *apiVersion
	if version == "" {
		version = data.Version
	}
	now := time.Now()
	obj, prev, err := webhook.Sample(typ, data.Fixtures, now)
	if err != nil {
		return err
	}
	ev, err := webhook.NewEvent(webhook.EventParams{Type: typ, Object: obj, PreviousAttributes: prev, APIVersion: version, Created: now})
	if err != nil {
		return err
	}
	ev.PendingWebhooks = 1
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("trigger %s: %w", typ, err)
	}
	if *secret == "" {
		*secret = webhook.NewSecret()
		fmt.Fprintf(stdout, "secret %s (generated: give the handler this secret, or pass its own with --secret)\n", *secret)
	}
	a := webhook.Deliver(ctx, nil, *to, *secret, body, webhook.Timeout)
	target := termsafe.Line(*to)
	if a.Status == 0 {
		return fmt.Errorf("trigger: %s %s not delivered to %s: %s", typ, ev.ID, target, termsafe.Line(a.Error))
	}
	if !a.OK() {
		msg := fmt.Sprintf("trigger: %s %s: %s answered %d %s", typ, ev.ID, target, a.Status, http.StatusText(a.Status))
		if r := strings.TrimSpace(a.Response); r != "" {
			msg += ": " + clip(termsafe.Line(r), 200)
		}
		if strings.Contains(a.Response, "API version") && *apiVersion == "" {
			msg += fmt.Sprintf(" (the event's api_version is %s; a stripe-go handler wants its own release train: pass --api-version, e.g. 2025-08-27.basil for stripe-go v82)", version)
		}
		return errors.New(msg)
	}
	fmt.Fprintf(stdout, "delivered %s %s to %s: %d in %v\n", typ, ev.ID, target, a.Status, a.Duration.Round(time.Millisecond))
	return nil
}

// clip shortens s to at most n bytes, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
