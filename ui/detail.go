package ui

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/render"
)

// firedResult is the answer to a request fired from the UI.
type firedResult struct {
	method, target, body string
	reqHeader            http.Header // the headers the user added
	status               int
	duration             time.Duration
	header               http.Header
	respBody             string
	err                  error
}

// detailModel shows one route: docs, variant tabs, the active variant's
// headers and body (or a fired response), and the curl command.
type detailModel struct {
	vp     viewport.Model
	ctx    *common
	width  int
	height int

	route *catalog.Route
	// active is the variant the server answers with (pinned, else the default).
	active *catalog.Variant
	// preview is the index of the variant tab shown, or -1 to follow active.
	preview int
	docs    string // rendered for width
	fired   *firedResult
	// firedTop scrolls a fresh fired response into view: the docs above
	// it scroll away (k or home brings them back).
	firedTop bool
	tabsLine int

	seq     int // of the body render we are waiting for
	pending bool
	plain   string // the shown body, uncoloured (what "c" copies)
	styled  string
	bodyErr error
}

func newDetailModel(ctx *common) detailModel {
	return detailModel{vp: viewport.New(0, 0), ctx: ctx}
}

// setSize resizes the viewport; a new width re-renders docs and body.
func (d detailModel) setSize(w, h int) (detailModel, tea.Cmd) {
	w, h = max(w, 1), max(h, 1)
	d.vp.Width, d.vp.Height = w, h
	if w == d.width {
		d.height = h
		d.vp.SetYOffset(d.vp.YOffset)
		return d, nil
	}
	d.width, d.height = w, h
	if d.route == nil {
		return d, nil
	}
	d.docs = renderDocs(d.route.Docs, w, d.ctx.styles)
	return d.renderBody()
}

// show switches to route r (or refreshes it when its variant changed).
// keepFired keeps a fired response on screen for the same route.
func (d detailModel) show(r *catalog.Route, active *catalog.Variant, keepFired bool) (detailModel, tea.Cmd) {
	same := d.route == r
	if same && d.active == active && (keepFired || d.fired == nil) {
		return d, nil
	}
	if !same {
		d.route = r
		d.preview = -1
		d.docs = ""
		if r != nil && d.width > 0 {
			d.docs = renderDocs(r.Docs, d.width, d.ctx.styles)
		}
		d.vp.GotoTop()
	}
	if !same || !keepFired {
		d.fired, d.firedTop = nil, false
	}
	d.active = active
	if r == nil {
		d.plain, d.styled, d.pending = "", "", false
		d.refresh()
		return d, nil
	}
	return d.renderBody()
}

// showFired replaces the preview with a fired response.
func (d detailModel) showFired(res *firedResult) (detailModel, tea.Cmd) {
	d.fired = res
	d.firedTop = true
	return d.renderBody()
}

// renderBody starts rendering the shown body for the current width.
func (d detailModel) renderBody() (detailModel, tea.Cmd) {
	d.seq++
	d.pending = true
	d.bodyErr = nil
	d.refresh()
	if d.width <= 0 || d.route == nil {
		return d, nil
	}
	j := bodyJob{target: targetDetail, seq: d.seq, width: d.width, color: d.ctx.color, dark: d.ctx.dark}
	switch {
	case d.fired != nil && d.fired.err == nil:
		j.raw, j.contentType = d.fired.respBody, d.fired.header.Get("Content-Type")
	case d.fired != nil:
		d.pending = false
		d.plain, d.styled = "", ""
		d.refresh()
		return d, nil
	default:
		// The request fire sends, so the preview is what firing answers.
		j.variant, j.req, j.env = d.shownVariant(), d.route.Sample().Request(), d.ctx.env
		if j.variant == nil {
			d.pending = false
			d.refresh()
			return d, nil
		}
	}
	return d, renderBodyCmd(j)
}

// envChanged re-renders a preview that reads the Mockoon environment's
// shared state (data buckets, global variables) after requests may have
// changed it, keeping the old body on screen until the new one arrives.
// Other previews are left alone: a faker value would change under the
// reader with every request.
func (d detailModel) envChanged() (detailModel, tea.Cmd) {
	if d.ctx.env == nil || d.route == nil || d.fired != nil || d.width <= 0 {
		return d, nil
	}
	v := d.shownVariant()
	if v == nil || v.Templating != render.Mockoon {
		return d, nil
	}
	if src, err := v.Source(); err != nil || !readsEnv.MatchString(src) {
		return d, nil
	}
	d.seq++
	j := bodyJob{target: targetDetail, seq: d.seq, width: d.width, color: d.ctx.color, dark: d.ctx.dark,
		variant: v, req: d.route.Sample().Request(), env: d.ctx.env}
	return d, renderBodyCmd(j)
}

// readsEnv finds a helper that reads a Mockoon environment's shared state.
var readsEnv = regexp.MustCompile(`\{\{[^}]*\b(data|dataRaw|getGlobalVar)\b`)

// bodyRendered takes a finished render unless a newer one was asked for.
func (d detailModel) bodyRendered(msg bodyRenderedMsg) detailModel {
	if msg.seq != d.seq {
		return d
	}
	d.pending = false
	d.plain, d.styled, d.bodyErr = msg.plain, msg.styled, msg.err
	d.refresh()
	d.firedTop = false
	return d
}

func (d detailModel) view() string { return d.vp.View() }

// curl is the curl command for the selected route.
func (d detailModel) curl() string {
	if d.route == nil {
		return ""
	}
	s := d.route.Sample()
	return curlCommand(d.ctx.baseURL, s.Method, s.Target(), s.Body, nil)
}

// refresh rebuilds the viewport's content from the parts.
func (d *detailModel) refresh() {
	if d.route == nil {
		d.vp.SetContent(d.ctx.styles.detail.muted.Render("No route selected."))
		return
	}
	s := d.ctx.styles
	r := d.route
	w := max(d.width, 1)
	var b strings.Builder
	line := func(str string) { b.WriteString(str + "\n") }

	line(s.methodStyle(r.Method).UnsetWidth().Render(r.Method) + " " + s.detail.path.Render(r.Path))
	switch {
	case r.Disabled:
		line(wrapWords(s.detail.banner.Render(disabledMark+" Disabled in the file: not served. Requests go on to the routes after it, as in Mockoon's app."), w))
	case r.Shadowed:
		line(wrapWords(d.shadowLine(), w))
	}
	// The summary is often the docs' first sentence: show it once.
	if r.Summary != "" && !strings.HasPrefix(plainDocs(r.Docs), strings.TrimSuffix(r.Summary, ".")) {
		line(wrapWords(s.detail.summary.Render(r.Summary), w))
	}
	if d.docs != "" {
		line("")
		line(d.docs)
	}
	line("")
	d.tabsLine = strings.Count(b.String(), "\n")
	line(d.tabRow().view(s, w))
	if d.fired != nil {
		d.writeFired(&b, w)
	} else {
		d.writePreview(&b, w)
	}
	line("")
	line(s.detail.heading.Render("curl"))
	line(s.detail.curl.Render(wrapCommand(d.curl(), w)))
	d.vp.SetContent(strings.TrimRight(b.String(), "\n"))
	if d.fired != nil && d.firedTop {
		d.vp.SetYOffset(d.tabsLine)
	}
}

// shadowLine explains a shadowed route: which route answers its requests
// first, and when (if ever) they reach it.
func (d detailModel) shadowLine() string {
	s, r := d.ctx.styles, d.route
	if r.Reached {
		return s.detail.muted.Render(fmt.Sprintf("%s Behind %s: answers only the requests that route passes on (FALLBACK mode, none of its rules holding).", shadowMark, r.ShadowedBy))
	}
	return s.detail.banner.Render(fmt.Sprintf("%s Behind %s: earlier routes answer every request this route matches, so it never answers (the file has it, so it is listed).", shadowMark, r.ShadowedBy))
}

// shownVariant is the variant tab on screen: the one picked with [ ] or
// a digit, else the one the server answers with.
func (d detailModel) shownVariant() *catalog.Variant {
	if d.route == nil {
		return nil
	}
	if d.preview >= 0 && d.preview < len(d.route.Variants) {
		return d.route.Variants[d.preview]
	}
	return d.active
}

// selectTab previews variant i (wrapping), without touching the server.
func (d detailModel) selectTab(i int) (detailModel, tea.Cmd) {
	if d.route == nil || len(d.route.Variants) == 0 {
		return d, nil
	}
	n := len(d.route.Variants)
	d.preview = (i%n + n) % n
	if d.route.Variants[d.preview] == d.active {
		d.preview = -1 // the served one: follow it again
	}
	d.fired, d.firedTop = nil, false
	return d.renderBody()
}

// tabIndex is the index of the shown tab.
func (d detailModel) tabIndex() int {
	v := d.shownVariant()
	for i, x := range d.route.Variants {
		if x == v {
			return i
		}
	}
	return 0
}

// tabRow is the route's variant tabs: ● marks what the server answers,
// brackets the tab shown.
func (d detailModel) tabRow() variantTabs {
	return newVariantTabs(d.route, d.active, d.tabIndex())
}

func (d *detailModel) writePreview(b *strings.Builder, w int) {
	s := d.ctx.styles
	v := d.shownVariant()
	if v == nil {
		return
	}
	if v != d.active && d.active != nil {
		b.WriteString(wrapWords(s.detail.banner.Render(fmt.Sprintf("Preview only: the server answers %s (p pins this one)", tabTitle(d.active))), w) + "\n")
	}
	if v.Label != "" {
		b.WriteString(wrapWords(s.detail.muted.Render(v.Label), w) + "\n")
	}
	b.WriteString("\n")
	hdr := map[string][]string{"Content-Type": {v.ContentType}, "Request-Id": {"req_…"}}
	for k, val := range v.Headers {
		hdr[http.CanonicalHeaderKey(k)] = []string{val}
	}
	d.writeHeaders(b, hdr, w)
	b.WriteString("\n")
	d.writeBody(b)
}

func (d *detailModel) writeFired(b *strings.Builder, w int) {
	s := d.ctx.styles
	f := d.fired
	b.WriteString("\n")
	req := termsafe.Line(f.method + " " + termsafe.MaskSecrets(f.target))
	if f.err != nil {
		b.WriteString(s.detail.heading.Render("Response") + "  " + s.detail.errText.Render("failed") + "\n")
		b.WriteString(wrapWords(s.detail.muted.Render(req), w) + "\n")
		b.WriteString(wrapWords(s.detail.errText.Render(termsafe.Line(f.err.Error())), w) + "\n")
		return
	}
	status := fmt.Sprintf("%d %s", f.status, http.StatusText(f.status))
	b.WriteString(s.detail.heading.Render("Response") + "  " + s.statusStyle(f.status).Render(status) +
		s.detail.muted.Render(" · "+formatDuration(f.duration)) + "\n")
	b.WriteString(wrapWords(s.detail.muted.Render(req), w) + "\n")
	for _, line := range sortedHeaders(f.reqHeader) {
		b.WriteString(ansi.Hardwrap(s.detail.muted.Render("sent "+line), w, true) + "\n")
	}
	if f.body != "" {
		b.WriteString(ansi.Hardwrap(s.detail.muted.Render("body: "+termsafe.Line(termsafe.MaskSecrets(f.body))), w, true) + "\n")
	}
	b.WriteString("\n")
	d.writeHeaders(b, f.header, w)
	b.WriteString("\n")
	d.writeBody(b)
}

func (d *detailModel) writeHeaders(b *strings.Builder, h map[string][]string, w int) {
	s := d.ctx.styles
	for _, line := range sortedHeaders(h) {
		k, v, _ := strings.Cut(line, ": ")
		b.WriteString(ansi.Hardwrap(s.detail.headerKey.Render(k+":")+" "+s.detail.headerVal.Render(v), w, true) + "\n")
	}
}

func (d *detailModel) writeBody(b *strings.Builder) {
	if d.bodyErr != nil {
		b.WriteString(wrapWords(d.ctx.styles.detail.errText.Render(d.bodyErr.Error()), max(d.width, 1)) + "\n")
		return
	}
	writeRenderedBody(b, d.ctx.styles, d.pending, d.plain, d.styled)
}

// writeRenderedBody writes a body rendered in the background: a placeholder
// while it renders, a note when it is empty, else its highlighted text.
func writeRenderedBody(b *strings.Builder, s *styles, pending bool, plain, styled string) {
	switch {
	case pending:
		b.WriteString(s.detail.muted.Render("rendering…") + "\n")
	case plain == "":
		b.WriteString(s.detail.muted.Render("(empty body)") + "\n")
	default:
		b.WriteString(styled + "\n")
	}
}

// formatDuration rounds a duration for people: 850µs, 12.3ms, 1.2s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func (m Model) scrollDetail(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.detail.vp, cmd = scrollViewport(m.detail.vp, m.ctx.keys, k)
	return m, cmd
}

// scrollViewport gives a viewport home and end, and the rest of its keys.
func scrollViewport(vp viewport.Model, keys keyMap, k tea.KeyMsg) (viewport.Model, tea.Cmd) {
	switch {
	case key.Matches(k, keys.Home):
		vp.GotoTop()
		return vp, nil
	case key.Matches(k, keys.End):
		vp.GotoBottom()
		return vp, nil
	}
	return vp.Update(k)
}
