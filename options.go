package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/source"
	"github.com/routedeck/routedeck/choose"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/history"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// Version is set at build time with -ldflags "-X main.Version=v1.2.3".
var Version = ""

func versionString() string {
	v := Version
	if v == "" {
		v = "(devel)"
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
			v = info.Main.Version
		}
	}
	return "routedeck " + v
}

const usage = `routedeck explores and mocks the Stripe API from a terminal.

Usage:
  routedeck [PATH] [flags]          open the terminal UI and serve every route (of PATH:
                                    a catalog folder or a Mockoon environment file)
  routedeck serve [flags]           serve headless, one log line per request
  routedeck list [--json] [flags]   print the routes
  routedeck show "METHOD /path"     print a route's rendered body
  routedeck export DIR              write the embedded catalog (or --catalog's) to DIR for editing
  routedeck trigger TYPE --to URL   send one signed webhook event to a handler (no server)
  routedeck version                 print the version
  routedeck COMMAND --help          what one command does and its flags

Flags (every command):
  --catalog PATH         load a catalog folder (as written by export), a Mockoon environment
                         or an OpenAPI document instead of the embedded catalog
  --variant KIND         the starting variant of every route: success (its default) or error
                         (its first error status) (default success)
  --set "METHOD /path=NAME"
                         pin one route's variant: its name, its status, or success or error;
                         repeatable
Serving (routedeck, serve):
  --host HOST            address to listen on (default 127.0.0.1)
  --port N               port to listen on (default 12111; 0 picks a free one and prints it)
  --https-port N         HTTPS port beside it, HTTP/2, self-signed certificate, as stripe-mock
                         has (default 12112; 0 picks a free one, as does --port 0)
  --no-serve             (routedeck only) browse without serving
  --no-mouse             (routedeck only) leave the mouse to the terminal (select, copy)
  --quiet                (serve only) no log line per request
` + strictFlagHelp + `` + storeFlagsHelp + `show:
  --variant NAME         render this variant: its name, its status, or success or error
  --param name=value     a path parameter's value; repeatable (default: a sample)

Per request, a Prefer header picks a variant: "Prefer: code=402" or "Prefer: example=NAME".
`

// errVersion means --version was asked for; run prints the version on
// stdout.
var errVersion = errors.New("version requested")

// usageError is a mistake in the command line; cmd names the command whose
// --help to point to ("" for routedeck's own).
type usageError struct{ msg, cmd string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return usageError{msg: fmt.Sprintf(format, args...)}
}

// options are the flags shared by every command.
type options struct {
	catalogDir string
	// lazy parses an imported file's templates on first use (the
	// terminal UI, which warms them after its first frame).
	lazy       bool
	stderr     io.Writer // for the warnings of an imported catalog
	variant    string
	command    string // the command parsed for ("show", "serve", "routedeck")
	sets       multiFlag
	host       string
	port       int
	httpsPort  int
	noServe    bool
	noMouse    bool
	quiet      bool
	serving    bool
	strict     bool
	rules      *stripe.Rules // set by newServer for the Stripe catalog
	seed       string
	statePath  string
	maxObjects int
	// store is the object store behind the Stripe rules, when serving
	// the Stripe catalog; closeStore saves and closes it.
	store interface {
		store.Store
		Close() error
	}
	json   bool
	params multiFlag
	// webhooks (--webhook, repeatable) are registered at start, signed
	// with webhookSecret (--webhook-secret, or a new one, printed).
	webhooks      multiFlag
	webhookSecret string
	// sender delivers the Stripe catalog's events; closeStore stops it.
	sender *webhook.Sender
	// keepHistory, set by the terminal UI before newServer, keeps every
	// object's history (store/history) for the store pane in history;
	// objects is the store the Stripe rules write to (store, or history
	// over it), and state the rules' State.
	keepHistory bool
	history     *history.Store
	objects     store.Store
	state       *stripe.State
	// mockoonEnv is the served Mockoon environment's shared state, which
	// the terminal UI's previews read.
	mockoonEnv *render.MockoonEnv
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// parseFlags parses args for one command. serving adds --host/--port.
func parseFlags(name string, args []string, extra func(*flag.FlagSet, *options)) (*options, []string, error) {
	o := &options{host: "127.0.0.1", port: 12111, httpsPort: 12112, variant: string(catalog.Success)}
	fs, version := newFlagSet(name, o, extra)
	// Flags may come before or after the arguments:
	// show "GET /v1/customers/:customer" --variant error.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, errHelp
			}
			if name == "routedeck" {
				return nil, nil, usageErrorf("%s", flagError(err))
			}
			return nil, nil, usageErrorf("%s: %s", name, flagError(err))
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *version {
		return nil, nil, errVersion
	}
	// --port 0 asks for free ports: HTTPS too, unless it was given.
	httpsGiven := false
	fs.Visit(func(f *flag.Flag) { httpsGiven = httpsGiven || f.Name == "https-port" })
	if o.port == 0 && !httpsGiven {
		o.httpsPort = 0
	}
	o.command = name
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	return o, positional, nil
}

// newFlagSet is a command's flags: those every command has, then extra's.
// It returns the --version flag's value too.
func newFlagSet(name string, o *options, extra func(*flag.FlagSet, *options)) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.catalogDir, "catalog", "", "")
	fs.StringVar(&o.variant, "variant", o.variant, "")
	fs.Var(&o.sets, "set", "")
	version := fs.Bool("version", false, "")
	if extra != nil {
		extra(fs, o)
	}
	return fs, version
}

// Each command's own flags, beside those every command has; their help is
// in help.go, and a test checks that each flag is named there.
var commandFlags = map[string]func(*flag.FlagSet, *options){
	"routedeck": tuiFlags,
	"serve":     serveFlags,
	"list":      func(fs *flag.FlagSet, o *options) { fs.BoolVar(&o.json, "json", false, "") },
	"show":      func(fs *flag.FlagSet, o *options) { fs.Var(&o.params, "param", "") },
	"export":    nil,
}

func tuiFlags(fs *flag.FlagSet, o *options) {
	servingFlags(fs, o)
	fs.BoolVar(&o.noServe, "no-serve", false, "")
	fs.BoolVar(&o.noMouse, "no-mouse", false, "")
}

func serveFlags(fs *flag.FlagSet, o *options) {
	servingFlags(fs, o)
	fs.BoolVar(&o.quiet, "quiet", false, "")
}

func servingFlags(fs *flag.FlagSet, o *options) {
	o.serving = true
	fs.StringVar(&o.host, "host", o.host, "")
	fs.IntVar(&o.port, "port", o.port, "")
	fs.IntVar(&o.httpsPort, "https-port", o.httpsPort, "")
	fs.BoolVar(&o.strict, "strict", false, "")
	fs.StringVar(&o.seed, "seed", "fixtures", "")
	fs.StringVar(&o.statePath, "state", "", "")
	fs.IntVar(&o.maxObjects, "max-objects", store.DefaultMaxObjects, "")
	fs.Var(&o.webhooks, "webhook", "")
	fs.StringVar(&o.webhookSecret, "webhook-secret", "", "")
}

// validate checks flag values that do not need the catalog.
func (o *options) validate() error {
	if _, err := catalog.ParseKind(o.variant); err != nil && o.command != "show" {
		// show renders one route: any of its variants' names will do.
		return usageErrorf("--variant: %v", err)
	}
	if strings.TrimSpace(o.variant) == "" {
		return usageErrorf("--variant: empty (want a variant's name, its status, or success or error)")
	}
	if o.port < 0 || o.port > 65535 {
		return usageErrorf("--port %d: want 0 to 65535", o.port)
	}
	if o.httpsPort < 0 || o.httpsPort > 65535 {
		return usageErrorf("--https-port %d: want 0 to 65535", o.httpsPort)
	}
	if o.seed != "" && o.seed != "fixtures" && o.seed != "none" {
		return usageErrorf("--seed %q: want fixtures or none", o.seed)
	}
	if o.maxObjects < 1 && o.serving {
		return usageErrorf("--max-objects %d: want 1 or more", o.maxObjects)
	}
	if strings.TrimSpace(o.host) == "" {
		return usageErrorf("--host: empty")
	}
	if o.webhookSecret != "" && (!strings.HasPrefix(o.webhookSecret, "whsec_") || len(o.webhookSecret) == len("whsec_")) {
		return usageErrorf("--webhook-secret: want a secret that starts with whsec_ (or leave it out for a new one)")
	}
	if o.webhookSecret != "" && len(o.webhooks) == 0 {
		return usageErrorf("--webhook-secret: give the endpoint too, with --webhook URL")
	}
	for _, s := range o.sets {
		if _, _, err := splitSet(s); err != nil {
			return err
		}
	}
	for _, p := range o.params {
		if k, _, ok := strings.Cut(p, "="); !ok || k == "" {
			return usageErrorf("--param %q: want name=value", p)
		}
	}
	return nil
}

// splitSet parses --set "GET /v1/customers/:customer=error": the route
// and what names its variant (a name, a status, success or error), which
// only the route can resolve.
func splitSet(s string) (route, variant string, err error) {
	i := strings.LastIndex(s, "=")
	if i < 0 {
		return "", "", usageErrorf("--set %q: want \"METHOD /path=NAME\" (a variant's name or status, or success or error)", s)
	}
	variant = strings.TrimSpace(s[i+1:])
	route = strings.TrimSpace(s[:i])
	if !strings.Contains(route, " ") || variant == "" {
		return "", "", usageErrorf("--set %q: want \"METHOD /path=NAME\" (a variant's name or status, or success or error)", s)
	}
	return route, variant, nil
}

// loadCatalog loads --catalog (a catalog folder or a Mockoon file) or the
// embedded catalog. What an imported file has that the catalog does not
// serve is printed on stderr, one line each.
func (o *options) loadCatalog() (*catalog.Catalog, error) {
	if o.catalogDir == "" {
		return catalog.Embedded()
	}
	open := source.Open
	if o.lazy {
		open = source.OpenLazy
	}
	cat, err := open(o.catalogDir)
	if err != nil {
		return nil, err
	}
	if o.stderr != nil {
		for _, w := range cat.Warnings {
			fmt.Fprintf(o.stderr, "routedeck: %s: %s\n", o.catalogDir, w)
		}
	}
	return cat, nil
}

// newServer loads the catalog and applies --variant and --set.
func (o *options) newServer() (*server.Server, error) {
	cat, err := o.loadCatalog()
	if err != nil {
		return nil, err
	}
	kind, _ := catalog.ParseKind(o.variant)
	sopts := server.Options{Variant: kind}
	// Stripe's rules are for Stripe's catalog, not for a Mockoon file that
	// happens to share its name.
	if o.serving && cat.Name == stripe.CatalogName && cat.Imported == "" {
		// Stripe's rules (validation from the spec, expand[]) apply to the
		// Stripe catalog, embedded or exported, not to other APIs.
		seed := func() ([]store.Object, error) {
			if o.seed == "none" {
				return nil, nil
			}
			var s []store.Object
			if o.catalogDir == "" {
				// The embedded catalog's seed was rendered when it was
				// generated: no template compiles for it here.
				var err error
				if s, err = stripe.ParseSeed(embed.Seed); err != nil {
					return nil, fmt.Errorf("embedded catalog: %w", err)
				}
			} else {
				s = stripe.Seed(cat)
			}
			return s[:min(len(s), o.maxObjects)], nil
		}
		build := func() (*store.Memory, error) {
			s, err := seed()
			if err != nil {
				return nil, err
			}
			return store.New(store.Options{Seed: s, Path: o.statePath, MaxObjects: o.maxObjects, OnSaveError: o.saveError})
		}
		var st store.Store
		if o.statePath != "" {
			// A state file is read now, so that a bad one stops start-up.
			m, err := build()
			if err != nil {
				return nil, fmt.Errorf("--state: %w", err)
			}
			st, o.store = m, m
		} else {
			l := newLazyStore(build, o.strict)
			st, o.store = l, l
		}
		if o.keepHistory {
			o.history = history.New(st, history.Options{})
			st = o.history
		}
		o.objects = st
		o.rules = stripe.New(cat, embed.Stripe, stripe.Options{Strict: o.strict, Objects: stripe.StoreObjects(st)})
		sopts.Rules = o.rules
		// Webhook endpoints (--webhook, POST /v1/webhook_endpoints) get
		// the events the store's changes raise, off the request path.
		reg, err := o.webhookEndpoints()
		if err != nil {
			o.closeStore()
			return nil, err
		}
		sender := webhook.NewSender(reg, webhook.Options{})
		o.sender = sender
		state := stripe.NewState(cat, o.rules, st, stripe.StateOptions{Strict: o.strict, Endpoints: reg,
			Events: func(e webhook.Event) { sender.Send(e) }})
		// routedeck's own endpoints (3-D Secure, Checkout) raise events too.
		sopts.Keeper, sopts.Own = state, state.Own()
		// Stripe's test cards pick their outcomes (pm_card_chargeDeclined);
		// what payments do is kept as the state keeps it.
		sopts.TestValues = state.Payments()
		o.state = state
	} else if len(o.webhooks) > 0 {
		return nil, usageErrorf("--webhook: events come from the Stripe catalog's store; %s has none", cat.Name)
	}
	if cat.Imported == "Mockoon" || cat.HasChoice() {
		// Mockoon's rules, response modes, request counters, global
		// variables and data buckets.
		ch, err := choose.New(cat)
		if err != nil {
			o.closeStore()
			return nil, err
		}
		sopts.Chooser = ch
		o.mockoonEnv = ch.Env()
	}
	srv, err := server.New(cat, sopts)
	if err != nil {
		o.closeStore()
		return nil, err
	}
	for _, s := range o.sets {
		key, name, _ := splitSet(s)
		r, ok := cat.Lookup(key)
		if !ok {
			o.closeStore()
			return nil, usageErrorf("--set: no route %q in %s (see 'routedeck list')", key, cat.Name)
		}
		i, err := r.FindVariant(name)
		if err != nil {
			o.closeStore()
			return nil, usageErrorf("--set %q: %s", s, termsafe.Line(err.Error()))
		}
		srv.State().Pin(r, i)
	}
	return srv, nil
}

// webhookEndpoints registers --webhook's URLs, signed with
// --webhook-secret or a new secret, which it prints.
func (o *options) webhookEndpoints() (*webhook.Registry, error) {
	reg := webhook.NewRegistry()
	if len(o.webhooks) == 0 {
		return reg, nil
	}
	secret := o.webhookSecret
	if secret == "" {
		secret = webhook.NewSecret()
	}
	for _, u := range o.webhooks {
		if _, err := reg.Add(webhook.EndpointParams{URL: u, Secret: secret}); err != nil {
			return nil, usageErrorf("--webhook %s: %v", u, err)
		}
	}
	if o.stderr != nil {
		how := "given"
		if o.webhookSecret == "" {
			how = "generated; pass --webhook-secret to keep one"
		}
		fmt.Fprintf(o.stderr, "routedeck: sending webhook events to %s, signed with %s (%s)\n", strings.Join(o.webhooks, ", "), secret, how)
	}
	return reg, nil
}

// saveError reports a periodic save of --state that failed.
func (o *options) saveError(err error) {
	if o.stderr != nil {
		fmt.Fprintf(o.stderr, "routedeck: --state: %v\n", err)
	}
}

// closeStore saves (with --state) and closes the store, if there is one.
func (o *options) closeStore() error {
	if o.sender != nil {
		o.sender.Close()
		o.sender = nil
	}
	if o.store == nil {
		return nil
	}
	st := o.store
	o.store = nil
	if err := st.Close(); err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	return nil
}
