package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mattn/go-isatty"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/ui"
	"github.com/routedeck/routedeck/webhook"
)

// runServe serves headless until interrupted, one line per request on stdout.
// The first signal (ctx) shuts down gracefully; a second one (now) ends
// at once.
func runServe(ctx context.Context, now <-chan struct{}, args []string, stdout, stderr io.Writer) error {
	o, rest, err := parseFlags("serve", args, commandFlags["serve"])
	if err != nil {
		return err
	}
	o.stderr = stderr
	if len(rest) > 0 {
		return usageErrorf("serve: unexpected argument %q", rest[0])
	}
	// Before the server is built, so that start-up's garbage is not
	// collected while start-up runs (serveOn collects it after).
	o.tuneGC()
	// The ports open first: a client that connects while the server is
	// being built waits for its answer rather than being refused.
	ln, tlsLn, err := o.listen(stderr)
	if err != nil {
		return err
	}
	srv, err := o.newServer()
	if err != nil {
		ln.Close()
		tlsLn.Close()
		return err
	}
	err = serveOn(ctx, now, o, srv, ln, tlsLn, stdout, stderr)
	if cerr := o.closeStore(); err == nil {
		err = cerr
	}
	return err
}

// listen opens serve's HTTP and HTTPS ports, warning on stderr when the
// HTTP one is reachable from other machines.
func (o *options) listen(stderr io.Writer) (ln, tlsLn net.Listener, err error) {
	ln, err = server.Listen(o.host, o.port)
	if err != nil {
		return nil, nil, err
	}
	if w := exposureWarning(o.host, ln); w != "" {
		fmt.Fprintln(stderr, w)
	}
	tlsLn, err = listenHTTPS(o.host, o.httpsPort)
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	return ln, tlsLn, nil
}

// serveHeadless is serve once the flags are read and the server built.
func serveHeadless(ctx context.Context, now <-chan struct{}, o *options, srv *server.Server, stdout, stderr io.Writer) error {
	ln, tlsLn, err := o.listen(stderr)
	if err != nil {
		return err
	}
	return serveOn(ctx, now, o, srv, ln, tlsLn, stdout, stderr)
}

// serveOn serves srv on the open ports ln (HTTP) and tlsLn (HTTPS) until
// ctx ends (gracefully) or now is closed (at once).
func serveOn(ctx context.Context, now <-chan struct{}, o *options, srv *server.Server, ln, tlsLn net.Listener, stdout, stderr io.Writer) error {
	o.tuneGC()
	// Once start-up's background work (the store, the rules' tables) is
	// done, collect its garbage and give the memory back: an idle server
	// holds only what it uses.
	go func() {
		select {
		case <-time.After(startupSettle):
		case <-ctx.Done():
			return
		}
		if o.store != nil {
			o.store.Stats() // waits for a store built in the background
		}
		debug.FreeOSMemory()
	}()
	out := bufio.NewWriter(stdout)
	fmt.Fprintf(out, "routedeck: serving %d routes of %s on %s and %s (Ctrl+C stops)\n",
		len(srv.Catalog().Routes), srv.Catalog().Name, serverURL(ln), "https"+strings.TrimPrefix(serverURL(tlsLn), "http"))
	if err := out.Flush(); err != nil {
		return err
	}
	done := make(chan struct{})
	if !o.quiet {
		events, cancel := srv.SubscribeSummary(4096)
		defer cancel()
		go func() {
			defer close(done)
			logEvents(out, events)
		}()
	} else {
		close(done)
	}
	served := make(chan error, 1)
	go func() {
		tlsDone := make(chan error, 1)
		go func() { tlsDone <- srv.ServeTLS(ctx, tlsLn) }()
		err := srv.Serve(ctx, ln)
		if tlsErr := <-tlsDone; err == nil {
			err = tlsErr
		}
		<-done
		served <- err
	}()
	stopping := ctx.Done()
	for {
		select {
		case err := <-served:
			return err
		case <-stopping:
			stopping = nil
			if n := srv.InFlight(); n > 0 {
				fmt.Fprintf(stderr, "routedeck: stopping: waiting up to %v for %s to finish (Ctrl+C again stops at once)\n", srv.ShutdownGrace(), requests(n))
			}
		case <-now:
			_ = out.Flush()
			n := srv.InFlight()
			verb := "were"
			if n == 1 {
				verb = "was"
			}
			return fmt.Errorf("%w: %s %s cut off", errStoppedAtOnce, requests(n), verb)
		}
	}
}

// startupSettle is how long after it starts listening serve collects
// start-up's garbage: the work start-up leaves to the background takes a
// few milliseconds.
const startupSettle = 100 * time.Millisecond

// tuneGC sets serve's collector. A mock server's heap is small and
// short-lived: collect less often and spend the CPU on requests; but
// collect harder as memory nears 64 MiB (unless GOMEMLIMIT says
// otherwise), so that a crowd of slow clients cannot make a garbage heap
// five times their size. The object store is live memory, not garbage:
// its room (--max-objects at 8 KiB an object, JSON and index) comes on
// top, or a store of a few thousand objects would make every request pay
// for a collection (so it is called again once the store exists).
func (o *options) tuneGC() {
	debug.SetGCPercent(400)
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := int64(64 << 20)
		if o.store != nil {
			limit += int64(o.maxObjects) * 8 << 10
		}
		debug.SetMemoryLimit(limit)
	}
}

// errStoppedAtOnce means a second signal stopped serve without waiting.
var errStoppedAtOnce = errors.New("stopped at once")

// requests is "1 request" or "n requests".
func requests(n int) string {
	if n == 1 {
		return "1 request"
	}
	return strconv.Itoa(n) + " requests"
}

// listenHTTPS opens the HTTPS port; a taken port says which flag moves it.
func listenHTTPS(host string, port int) (net.Listener, error) {
	ln, err := server.Listen(host, port)
	var inUse *server.PortInUseError
	if errors.As(err, &inUse) {
		return nil, fmt.Errorf("https port %d on %s is already in use: stop the other server or pick another port with --https-port N (--https-port 0 picks a free one)", port, host)
	}
	return ln, err
}

// logBatchDelay is how long the logger waits after a batch before looking
// again: under load it wakes a few hundred times a second instead of once
// per request, and an idle server's line still appears at once.
const logBatchDelay = 5 * time.Millisecond

// logEvents writes one line per event. It blocks for the first event, then
// writes whatever else has queued, flushes, and pauses briefly.
func logEvents(w *bufio.Writer, events <-chan server.Event) {
	for e := range events {
		writeEventLine(w, e)
		for more := true; more; {
			select {
			case e, ok := <-events:
				if !ok {
					_ = w.Flush()
					return
				}
				writeEventLine(w, e)
			default:
				more = false
			}
		}
		_ = w.Flush()
		time.Sleep(logBatchDelay)
	}
	_ = w.Flush()
}

// writeEventLine writes "15:04:05.000 GET /path?q 200 success GET /route 41µs req_...",
// then any warnings ("warning: unknown parameter foo"). What came from the
// request is shown escaped (one request, one line, no terminal control
// sequences) with Stripe secrets masked.
func writeEventLine(w *bufio.Writer, e server.Event) {
	var buf [32]byte
	w.Write(e.Time.AppendFormat(buf[:0], "15:04:05.000"))
	w.WriteByte(' ')
	w.WriteString(termsafe.Line(e.Method))
	w.WriteByte(' ')
	w.WriteString(termsafe.Line(termsafe.MaskSecrets(e.Path)))
	if e.Query != "" {
		w.WriteByte('?')
		w.WriteString(termsafe.Line(termsafe.MaskSecrets(e.Query)))
	}
	w.WriteByte(' ')
	w.Write(strconv.AppendInt(buf[:0], int64(e.Status), 10))
	w.WriteByte(' ')
	if e.Variant == "" {
		w.WriteByte('-')
	} else {
		w.WriteString(termsafe.Line(string(e.Variant)))
	}
	w.WriteByte(' ')
	if e.Route == "" {
		w.WriteString("(no route)")
	} else {
		w.WriteString(termsafe.Line(e.Route))
	}
	w.WriteByte(' ')
	w.WriteString(e.Duration.Round(time.Microsecond).String())
	w.WriteByte(' ')
	w.WriteString(e.RequestID)
	if e.Reason != "" {
		// Why a test value decided the answer ("declined by pm_card_…").
		w.WriteByte(' ')
		w.WriteString(termsafe.Line(termsafe.MaskSecrets(e.Reason)))
	}
	for i, warn := range e.Warnings {
		if i == 0 {
			w.WriteString(" warning: ")
		} else {
			w.WriteString("; ")
		}
		// Warnings name request parameters: escape them for the terminal
		// and mask any secret a client put in a name.
		w.WriteString(termsafe.Line(termsafe.MaskSecrets(warn)))
	}
	w.WriteByte('\n')
}

// serverURL is a URL clients can use: a listener on every interface
// (0.0.0.0, ::) is reached locally through 127.0.0.1.
func serverURL(ln net.Listener) string {
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(a.Port))
	}
	return "http://" + ln.Addr().String()
}

// exposureWarning is a one-line warning when ln listens beyond loopback,
// or "" when only this machine can reach it.
func exposureWarning(host string, ln net.Listener) string {
	a, ok := ln.Addr().(*net.TCPAddr)
	if !ok || a.IP.IsLoopback() {
		return ""
	}
	where := "on " + a.IP.String()
	if a.IP.IsUnspecified() {
		where = "on every network interface"
	}
	return fmt.Sprintf("routedeck: warning: --host %s listens %s: the mock is reachable from the network; --host 127.0.0.1 keeps it on this machine", host, where)
}

// routeJSON is one element of `list --json`.
type routeJSON struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	Group   string `json:"group"`
	Summary string `json:"summary"`
	// Active is the name of the variant the route answers with.
	Active  string `json:"active"`
	Success int    `json:"success_status"`
	// Error is the first error variant's status, 0 when there is none.
	Error    int           `json:"error_status"`
	Variants []variantJSON `json:"variants"`
	// Source is "seed" or "spec" for the embedded catalog; omitted for others.
	Source string `json:"source,omitempty"`
	// ShadowedBy names the earlier route that answers every request this
	// one matches (it answers what that route passes on; reached says
	// any request gets to it); Disabled marks a route listed, not served.
	ShadowedBy string `json:"shadowed_by,omitempty"`
	Reached    *bool  `json:"reached,omitempty"`
	Disabled   bool   `json:"disabled,omitempty"`
}

// listNote marks a route `list` shows that does not answer as the others:
// one behind an earlier route, or one the file disables.
func listNote(r *catalog.Route) string {
	switch {
	case r.Disabled:
		return "(disabled, not served) "
	case r.Shadowed && r.Reached:
		return "(after " + r.ShadowedBy + " passes a request on) "
	case r.Shadowed:
		return "(never answers: " + r.ShadowedBy + " answers first) "
	}
	return ""
}

// variantJSON is one variant in `list --json`.
type variantJSON struct {
	Name   string `json:"name"`
	Status int    `json:"status"`
}

func runList(args []string, stdout, stderr io.Writer) error {
	o, rest, err := parseFlags("list", args, commandFlags["list"])
	if err != nil {
		return err
	}
	o.stderr = stderr
	if len(rest) > 0 {
		return usageErrorf("list: unexpected argument %q", rest[0])
	}
	srv, err := o.newServer()
	if err != nil {
		return err
	}
	cat, state := srv.Catalog(), srv.State()
	w := bufio.NewWriter(stdout)
	if o.json {
		out := make([]routeJSON, len(cat.Routes))
		for i, r := range cat.Routes {
			out[i] = routeJSON{
				Method: r.Method, Path: r.Path, Group: r.Group, Summary: r.Summary,
				Active:  state.Active(r).Name,
				Success: r.Variant(catalog.Success).Status,
				Source:  r.Source,

				ShadowedBy: r.ShadowedBy,
				Disabled:   r.Disabled,
			}
			if r.Shadowed {
				out[i].Reached = &r.Reached
			}
			if e := r.Variant(catalog.Error); e != nil {
				out[i].Error = e.Status
			}
			for _, v := range r.Variants {
				out[i].Variants = append(out[i].Variants, variantJSON{Name: v.Name, Status: v.Status})
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return w.Flush()
	}
	for _, r := range cat.Routes {
		fmt.Fprintf(w, "%-6s %-60s %-7s %s\n", r.Method, r.Path, state.Active(r).Name, listNote(r)+r.Summary)
	}
	return w.Flush()
}

func runShow(args []string, stdout, stderr io.Writer) error {
	o, rest, err := parseFlags("show", args, commandFlags["show"])
	if err != nil {
		return err
	}
	o.stderr = stderr
	// An unquoted route arrives as two arguments: show GET /v1/customers/:customer.
	if len(rest) == 2 && isMethod(rest[0]) {
		rest = []string{rest[0] + " " + rest[1]}
	}
	if len(rest) != 1 {
		return usageErrorf("show: want one route, e.g. routedeck show \"GET /v1/customers/:customer\"")
	}
	srv, err := o.newServer()
	if err != nil {
		return err
	}
	cat := srv.Catalog()
	r, sample, ok := cat.SampleFor(rest[0])
	if !ok {
		return usageErrorf("show: no route %q in %s (see 'routedeck list')", rest[0], cat.Name)
	}
	v := srv.State().Active(r)
	if len(o.sets) == 0 {
		i, err := r.FindVariant(o.variant)
		if err != nil {
			return usageErrorf("show --variant: %s", termsafe.Line(err.Error()))
		}
		v = r.Variants[i]
	}
	req := sample.Request()
	for _, p := range o.params {
		k, v, _ := strings.Cut(p, "=")
		if _, known := req.Params[k]; !known {
			return usageErrorf("show: --param %s: %s has no parameter :%s (it has %s)", k, r.Key(), k, paramList(r))
		}
		req.Params[k] = v
		req.Path = r.SamplePath(req.Params)
	}
	body, err := v.Render(req)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, body); err != nil {
		return err
	}
	if !strings.HasSuffix(body, "\n") && v.ContentType == "application/json" {
		_, err = io.WriteString(stdout, "\n")
	}
	return err
}

func paramList(r *catalog.Route) string {
	if len(r.Params) == 0 {
		return "none"
	}
	return ":" + strings.Join(r.Params, ", :")
}

// isMethod reports whether s is an HTTP method name, in any case.
func isMethod(s string) bool {
	switch strings.ToUpper(s) {
	case "GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS":
		return true
	}
	return false
}

func runExport(args []string, stdout, stderr io.Writer) error {
	o, rest, err := parseFlags("export", args, commandFlags["export"])
	if err != nil {
		return err
	}
	o.stderr = stderr
	if len(rest) != 1 {
		return usageErrorf("export: want one folder, e.g. routedeck export ./my-catalog")
	}
	if len(o.sets) > 0 || o.variant != string(catalog.Success) {
		return usageErrorf("export: --variant and --set choose what a server answers; a catalog folder holds every variant")
	}
	dir := rest[0]
	files, what := fs.FS(embed.Catalog), "the embedded catalog"
	if o.catalogDir != "" {
		// --catalog FILE converts it (a Mockoon environment) into a folder.
		cat, err := o.loadCatalog()
		if err != nil {
			return err
		}
		files, what = cat.Files(), "the catalog of "+o.catalogDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := catalog.Export(files, dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "routedeck: wrote %s to %s; edit it and run routedeck --catalog %s\n", what, dir, dir)
	return nil
}

// runTUI opens the terminal UI and serves the catalog while it runs.
func runTUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, rest, err := parseFlags("routedeck", args, commandFlags["routedeck"])
	if err != nil {
		return err
	}
	o.stderr = stderr
	// routedeck FILE|DIR opens that catalog, as --catalog does.
	if len(rest) == 1 && o.catalogDir == "" {
		o.catalogDir, rest = rest[0], nil
	}
	if len(rest) > 0 {
		return usageErrorf("unexpected argument %q", rest[0])
	}
	if f, ok := stdout.(*os.File); !ok || !isatty.IsTerminal(f.Fd()) {
		return usageErrorf("the terminal UI needs a terminal on stdout; use 'routedeck serve' to serve headless or 'routedeck show \"METHOD /path\"' to print a body")
	}
	srv, err := o.tuiServer()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := o.closeStore(); cerr != nil {
			fmt.Fprintln(stderr, "routedeck:", cerr)
		}
	}()
	cfg := ui.Config{Catalog: srv.Catalog(), State: srv.State(), NoServe: o.noServe, Dropped: srv.Dropped, MockoonEnv: o.mockoonEnv}
	if o.store != nil {
		cfg.Store = storeView{st: o.objects, hist: o.history, state: o.state}
	}
	if o.sender != nil {
		// The events pane (w): the webhook deliveries, redelivered with r.
		cfg.Webhooks = o.sender
	}
	if o.state != nil {
		// The events pane's n: an event of a chosen type, as `stripe trigger`.
		cfg.TriggerEvent = func(eventType string) (webhook.Event, error) {
			return o.state.Trigger(ctx, eventType)
		}
	}
	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	if o.noServe {
		served <- nil
	} else if ln, err := server.Listen(o.host, o.port); err != nil {
		cfg.ServeError = err
		served <- nil
	} else {
		cfg.ServerURL = serverURL(ln)
		events, unsubscribe := srv.Subscribe(4096)
		defer unsubscribe()
		cfg.Events = events
		go func() { served <- srv.Serve(serveCtx, ln) }()
		// HTTPS beside it, as stripe-mock has; best effort, since the UI
		// already shows whether the HTTP port is served.
		if tlsLn, err := listenHTTPS(o.host, o.httpsPort); err == nil {
			go func() { _ = srv.ServeTLS(serveCtx, tlsLn) }()
		}
	}
	// Signals are ours (ctx), not bubbletea's: its handler sends QuitMsg
	// without watching for the program's end, so a signal that lands as the
	// program quits for another reason blocks its shutdown forever.
	// p.Quit never blocks once the program is done, and a signal that
	// arrives before Run starts is delivered when it does.
	// SIGHUP (the terminal closed, a tmux pane killed) quits the same way,
	// so the terminal is restored rather than left in the alternate screen.
	ctx, stopHup := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stopHup()
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler()}
	if !o.noMouse {
		// The wheel scrolls the pane under the pointer; clicks select.
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	p := tea.NewProgram(ui.New(cfg), progOpts...)
	// Parse the templates a lazily opened file left (tuiServer) once the
	// first frame is drawn, so that they do not compete with it.
	// Its template errors show in the footer and, when the UI ends, on
	// stderr, as a file opened at once lists them when it opens.
	var warmed []string
	warmDone := make(chan struct{})
	go func() {
		defer close(warmDone)
		select {
		case <-time.After(warmDelay):
			warmed = srv.Catalog().Warm(serveCtx)
			if len(warmed) > 0 {
				p.Send(ui.CatalogWarnings(warmed))
			}
		case <-serveCtx.Done():
		}
	}()
	uiDone := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			p.Quit()
		case <-uiDone:
		}
	}()
	_, runErr := p.Run()
	close(uiDone)
	cancel()
	<-warmDone
	for _, w := range warmed {
		fmt.Fprintf(stderr, "routedeck: %s: %s\n", o.catalogDir, termsafe.Line(w))
	}
	serveErr := <-served
	if runErr != nil {
		return runErr
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// warmDelay is how long after start the terminal UI begins parsing the
// templates of a lazily opened file: after the first frame, which is
// drawn within 200 ms (BenchmarkFirstFrame4MB).
const warmDelay = 300 * time.Millisecond

// tuiServer is newServer for the terminal UI: the store keeps each
// object's history (the store pane shows it), and an imported file's
// templates are parsed after the first frame (runTUI warms them).
func (o *options) tuiServer() (*server.Server, error) {
	o.keepHistory = true
	o.lazy = true
	return o.newServer()
}
