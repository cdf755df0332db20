package main

import (
	"errors"
	"fmt"
	"regexp"
)

// Shared flag descriptions, so each command's help says the same thing.
const (
	catalogFlags = `  --catalog PATH         load a catalog folder (as written by export), a Mockoon environment
                         or an OpenAPI document instead of the embedded catalog
  --variant KIND         the starting variant of every route: success (its default) or error
                         (its first error status) (default success)
  --set "METHOD /path=NAME"
                         pin one route's variant: its name, its status (the first with it), or
                         success or error; repeatable
`
	servingFlagsHelp = `  --host HOST            address to listen on (default 127.0.0.1; anything else is reachable
                         from the network, and serve warns so)
  --port N               port to listen on (default 12111; 0 picks a free one and prints it)
  --https-port N         HTTPS port beside it, HTTP/2, self-signed certificate, as stripe-mock
                         has (default 12112; 0 picks a free one, as does --port 0)
` + strictFlagHelp
	strictFlagHelp = `  --strict               answer as Stripe does: unknown parameters and unexpandable expand[]
                         paths are 400, ids never stored are 404 resource_missing (without
                         it: warnings in the log, and made-up ids get the fixture; Stripe
                         catalog only)
`
	// storeFlagsHelp are the flags of the object store and its webhooks,
	// shared by the overview and serve's help.
	storeFlagsHelp = `  --seed fixtures|none   the store's start: one fixture object per resource (default), or empty
  --state FILE           load the store from FILE at start (if it exists) and save it there
                         every few seconds and on exit
  --max-objects N        the most objects the store holds (default 100000); past it a create
                         is refused with a Stripe-shaped error, nothing is evicted
  --webhook URL          send the store's events (customer.created, payment_intent.succeeded,
                         ...) to URL, signed as Stripe signs them; repeatable (endpoints can
                         also be registered with POST /v1/webhook_endpoints)
  --webhook-secret whsec_...
                         the secret --webhook's deliveries are signed with (default: a new
                         one, printed on stderr at start)
`
	preferHelp = `Per request, a Prefer header picks a variant: "Prefer: code=402" (the first with that
status) or "Prefer: example=NAME" (by name; example=success and example=error work on any route).
`
)

// commandHelp is each command's --help.
var commandHelp = map[string]string{
	"serve": `Usage:
  routedeck serve [flags]

Serves every route of the catalog headless, one log line per request on stdout
(request text escaped, Stripe secrets masked). Ctrl+C or SIGTERM stops it once open
requests finish (up to 5 s); a second Ctrl+C stops it at once.

Flags:
` + servingFlagsHelp + storeFlagsHelp + catalogFlags + `  --quiet                no log line per request

` + preferHelp,
	"list": `Usage:
  routedeck list [flags]

Prints the catalog's routes: method, path, active variant and summary.

Flags:
  --json                 a JSON array of {method, path, group, summary, active, ...}
` + catalogFlags,
	"show": `Usage:
  routedeck show "METHOD /path" [flags]

Prints a route's rendered body. The route is a pattern ("GET /v1/customers/:customer")
or a concrete path ("GET /v1/customers/cus_123").

Flags:
  --variant NAME         render this variant: its name, its status, or success or error
                         (default success)
  --param name=value     a path parameter's value; repeatable (default: a sample)
  --catalog PATH         load a catalog folder, a Mockoon environment or an OpenAPI document
  --set "METHOD /path=NAME"
                         render the variant this pins for the route
`,
	"export": `Usage:
  routedeck export DIR

Writes the embedded catalog to DIR (catalog.json and one template per variant), for
editing; then run routedeck --catalog DIR. DIR must not hold a catalog already.

Flags:
  --catalog PATH         export this catalog instead of the embedded one: a catalog folder, a
                         Mockoon environment or an OpenAPI document, converted to a folder
`,
	// Built when asked (it lists every event type): see helpText.
	"trigger": "",
	"version": `Usage:
  routedeck version

Prints routedeck's version. --version does the same anywhere.
`,
}

// helpText is cmd's --help, or the overview for "" and the terminal UI.
func helpText(cmd string) string {
	if cmd == "trigger" {
		return triggerHelp()
	}
	if h, ok := commandHelp[cmd]; ok {
		return h
	}
	return usage
}

// helpError means --help was asked for; run prints the command's help on
// stdout.
type helpError struct{ cmd string }

func (e helpError) Error() string { return "help requested" }

// errHelp matches any helpError with errors.Is.
var errHelp = helpError{}

func (e helpError) Is(target error) bool {
	_, ok := target.(helpError)
	return ok
}

// Messages of the flag package, which names flags with one dash. They
// are compiled when a flag is wrong, not at every start.
const (
	flagUndefined = `^flag provided but not defined: -+(.*)$`
	flagNoValue   = `^flag needs an argument: -+(.*)$`
	flagBadValue  = `^invalid value (".*") for flag -+([^:]*): (.*)$`
	flagBadBool   = `^invalid boolean value (".*") for -+([^:]*): .*$`
)

// flagError rewrites a flag package error the way the docs spell flags
// (--port, not -port), in a few words.
func flagError(err error) string {
	msg := err.Error()
	if m := regexp.MustCompile(flagUndefined).FindStringSubmatch(msg); m != nil {
		return "unknown flag --" + m[1]
	}
	if m := regexp.MustCompile(flagNoValue).FindStringSubmatch(msg); m != nil {
		return "--" + m[1] + " needs a value"
	}
	if m := regexp.MustCompile(flagBadBool).FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("--%s %s: want true or false", m[2], m[1])
	}
	if m := regexp.MustCompile(flagBadValue).FindStringSubmatch(msg); m != nil {
		reason := m[3]
		if reason == "parse error" || reason == "value out of range" {
			reason = "want a number"
		}
		return fmt.Sprintf("--%s %s: %s", m[2], m[1], reason)
	}
	return msg
}

// isHelp reports whether err asks for help.
func isHelp(err error) bool { return errors.Is(err, errHelp) }
