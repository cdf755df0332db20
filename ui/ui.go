// Package ui is routedeck's terminal interface: a route list, a detail
// pane with docs and a response preview, and the keys to switch routes
// between their success and error variants while serving; requests fired
// and edited from it (enter/f, e), the request log (l), the store with
// each object's history (s) and the webhook events with their deliveries
// (w).
package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/webhook"
)

// Config is what the UI is given by main.
type Config struct {
	Catalog *catalog.Catalog
	// State holds the active variants (shared with the server when serving).
	State *server.State
	// Events delivers the server's requests; nil when not serving.
	Events <-chan server.Event
	// ServerURL is "http://127.0.0.1:12111" when serving, "" otherwise.
	ServerURL string
	// ServeError says why the server is not running (port taken...), nil if it is or --no-serve.
	ServeError error
	// NoServe is true when the user asked not to serve.
	NoServe bool
	// Dropped reports events the UI lost because it fell behind (may be nil).
	Dropped func() int64
	// Client fires requests; nil means http.DefaultClient-like client with a timeout.
	Client *http.Client
	// Now is the clock fired requests are timed with; nil means time.Now.
	Now func() time.Time
	// Clipboard writes copied text and says where it went; nil means the
	// system clipboard, tmux's buffer and the terminal (OSC 52).
	Clipboard func(text string) (where string, err error)
	// Store is the server's object store, shown by the store pane (s);
	// nil when there is none.
	Store ObjectStore
	// Webhooks is the webhook sender's delivery log, shown by the events
	// pane (w); nil when there is none.
	Webhooks WebhookLog
	// TriggerEvent raises an event of a type by hand (the events pane's
	// n), as `stripe trigger` does: from the catalog's sample object, kept
	// in /v1/events and delivered to the webhook endpoints. nil when
	// there is no store to raise it in.
	TriggerEvent func(eventType string) (webhook.Event, error)
	// MockoonEnv is the served Mockoon environment's shared state (global
	// variables, data buckets): previews read a snapshot of it, so they
	// show what a request would get and change nothing. nil when the
	// catalog has none; a catalog with data buckets and no server gets
	// its own, as serving would start it.
	MockoonEnv *render.MockoonEnv
}

// Layout limits.
const (
	wideWidth     = 100 // from here on, list and detail sit side by side
	stackHeight   = 40  // narrower, from here on the detail sits beneath the list
	listPercent   = 40  // of a wide terminal's width
	minWidth      = 40
	minHeight     = 10
	noticeTTL     = 4 * time.Second
	eventBatchMax = 512 // events folded into one message when the server is busy
)

// focus is the pane or screen that gets keys.
type focus int

const (
	focusList focus = iota
	focusDetail
	focusLog
	focusEditor
	focusStore
	focusEvents
)

func (f focus) String() string {
	switch f {
	case focusList:
		return "list"
	case focusDetail:
		return "detail"
	case focusLog:
		return "log"
	case focusEditor:
		return "editor"
	case focusStore:
		return "store"
	case focusEvents:
		return "events"
	}
	return "focus(" + strconv.Itoa(int(f)) + ")"
}

// Messages.
type (
	// requestMsg is one request the server answered.
	requestMsg server.Event
	// requestsMsg is several requests, folded together when they arrive
	// faster than the UI draws.
	requestsMsg []server.Event
	// serverStoppedMsg says the event channel closed.
	serverStoppedMsg struct{}
	// clearNoticeMsg expires the notice with the same id.
	clearNoticeMsg struct{ id int }
	// errMsg is a failure to show in the footer.
	errMsg struct{ err error }
)

func (e errMsg) Error() string { return e.err.Error() }

// notice is the footer's transient message.
type notice struct {
	id    int
	text  string
	isErr bool
}

// Model is the root model.
type Model struct {
	cfg    Config
	cat    *catalog.Catalog
	state  *server.State
	client *http.Client
	now    func() time.Time
	copyFn func(string) (string, error)

	list list.Model
	rows routeRows
	// errorsOnly lists only the routes on error.
	errorsOnly bool
	// preFilter is the route selected before a filter was typed: leaving
	// the filter without a choice selects it again.
	preFilter *catalog.Route
	// mix is the set of routes on error before T sent them all there, so
	// T again restores it.
	mix []pin
	// filterSeq counts changes of the filter text; see listMsg.
	filterSeq int
	detail    detailModel
	log       logModel
	editor    editorModel
	store     storeModel
	events    eventsModel
	help      help.Model
	ctx       *common
	focus     focus
	// back is where the log or the editor returns to.
	back focus

	width, height int
	ready         bool
	stopped       bool

	notice     notice
	noticeTTL  time.Duration
	helpOffset int
	fireSeq    int
}

var _ tea.Model = Model{}

// New builds the root model.
func New(cfg Config) Model {
	ctx := newCommon(cfg.ServerURL)
	ctx.env = cfg.MockoonEnv
	if ctx.env == nil && cfg.Catalog != nil && len(cfg.Catalog.DataBuckets) > 0 {
		ctx.env = render.NewMockoonEnv(cfg.Catalog.DataBuckets)
	}
	state := cfg.State
	if state == nil {
		state = server.NewState(cfg.Catalog, catalog.Success)
	}
	keys := ctx.keys
	m := Model{
		cfg:       cfg,
		cat:       cfg.Catalog,
		state:     state,
		client:    cfg.Client,
		now:       cfg.Now,
		copyFn:    cfg.Clipboard,
		ctx:       ctx,
		list:      newRouteList(cfg.Catalog, ctx.styles, keys),
		detail:    newDetailModel(ctx),
		log:       newLogModel(ctx),
		editor:    newEditorModel(ctx),
		store:     newStoreModel(cfg.Store, ctx).refresh(true),
		events:    newEventsModel(cfg.Webhooks),
		help:      help.New(),
		noticeTTL: noticeTTL,
	}
	if m.client == nil {
		m.client = &http.Client{Timeout: fireTimeout}
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.copyFn == nil {
		m.copyFn = systemClipboard
	}
	m.help.Styles = ctx.styles.help
	m.detail.vp.KeyMap.Up, m.detail.vp.KeyMap.Down = keys.Up, keys.Down
	m.detail.vp.KeyMap.PageUp, m.detail.vp.KeyMap.PageDown = keys.PageUp, keys.PageDown
	m.detail.vp.KeyMap.HalfPageUp = key.NewBinding(key.WithKeys("ctrl+u"))
	m.detail.vp.KeyMap.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+d"))
	m.detail.vp.KeyMap.Left = key.NewBinding(key.WithDisabled())
	m.detail.vp.KeyMap.Right = key.NewBinding(key.WithDisabled())
	m.log.vp.KeyMap = m.detail.vp.KeyMap
	m.updateKeybindings()
	return m
}

// baseURL is where curl commands point: the server, or its default address.
func baseURL(serverURL string) string {
	if serverURL == "" {
		return "http://127.0.0.1:12111"
	}
	return serverURL
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return tea.Batch(m.nextEvent(), m.events.nextDelivery()) }

// nextEvent waits for the server's next request, if there is a server.
func (m Model) nextEvent() tea.Cmd {
	if m.cfg.Events == nil || m.stopped {
		return nil
	}
	return waitForEvent(m.cfg.Events)
}

// waitForEvent receives one server event, plus whatever else is already
// queued, so a client hammering the server costs one update per batch.
func waitForEvent(ch <-chan server.Event) tea.Cmd {
	return func() tea.Msg {
		e, ok := <-ch
		if !ok {
			return serverStoppedMsg{}
		}
		batch := requestsMsg{e}
	drain:
		for len(batch) < eventBatchMax {
			select {
			case next, ok := <-ch:
				if !ok {
					// The next wait sees the closed channel and stops.
					break drain
				}
				batch = append(batch, next)
			default:
				break drain
			}
		}
		if len(batch) == 1 {
			return requestMsg(e)
		}
		return batch
	}
}

// serving reports whether fired requests have somewhere to go.
func (m Model) serving() bool { return m.cfg.ServerURL != "" && !m.stopped }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height, m.ready = msg.Width, msg.Height, true
	case tea.KeyMsg:
		m, cmd = m.keys1(msg)
	case tea.MouseMsg:
		m, cmd = m.mouse(msg)
	case requestMsg:
		m.log = m.log.add(server.Event(msg))
		m.store = m.store.refresh(false)
		if m.focus == focusEvents {
			m.events = m.events.refresh()
		}
		var preview tea.Cmd
		m.detail, preview = m.detail.envChanged()
		cmd = tea.Batch(m.nextEvent(), preview)
	case deliveryMsg:
		if !msg.ok {
			break
		}
		if m.focus == focusEvents {
			m.events = m.events.refresh()
		}
		cmd = m.events.nextDelivery()
	case requestsMsg:
		m.log = m.log.add(msg...)
		m.store = m.store.refresh(false)
		var preview tea.Cmd
		m.detail, preview = m.detail.envChanged()
		cmd = tea.Batch(m.nextEvent(), preview)
	case serverStoppedMsg:
		m.stopped = true
	case bodyRenderedMsg:
		if msg.target == targetLog {
			m.log = m.log.bodyRendered(msg)
		} else {
			m.detail = m.detail.bodyRendered(msg)
		}
	case firedMsg:
		m, cmd = m.fired(msg)
	case copyMsg:
		cmd = m.copied(msg)
	case CatalogWarnings:
		cmd = m.catalogWarned(msg)
	case clearNoticeMsg:
		if msg.id == m.notice.id {
			m.notice = notice{id: m.notice.id}
		}
	case errMsg:
		cmd = m.setNotice(msg.Error(), true)
	case listMsg:
		m, cmd = m.listResult(msg)
	default:
		m, cmd = m.updateChildren(msg)
	}
	var layoutCmd, syncCmd tea.Cmd
	m, layoutCmd = m.layout()
	m = m.scrollList()
	m, syncCmd = m.sync()
	m.updateKeybindings()
	return m, tea.Batch(cmd, layoutCmd, syncCmd)
}

// updateChildren passes other messages (filter results, cursor blinks) on.
func (m Model) updateChildren(msg tea.Msg) (Model, tea.Cmd) {
	var cmds [2]tea.Cmd
	m.list, cmds[0] = m.list.Update(msg)
	if m.focus == focusEditor {
		m.editor, cmds[1] = m.editor.update(msg)
	}
	return m, tea.Batch(cmds[:]...)
}

// sync points the detail pane at the selected route and its active variant.
func (m Model) sync() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	var active *catalog.Variant
	if r != nil {
		active = m.state.Active(r)
	}
	if r == m.detail.route && active == m.detail.active {
		return m, nil
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.show(r, active, false)
	return m, cmd
}

// keys1 splits runes that were read together ("tj") into one key each,
// except where they are text: bubbletea v1 delivers them as one KeyMsg,
// which would match no binding and be lost.
func (m Model) keys1(k tea.KeyMsg) (Model, tea.Cmd) {
	if k.Type != tea.KeyRunes || len(k.Runes) < 2 || k.Paste || m.typing() {
		return m.handleKey(k)
	}
	cmds := make([]tea.Cmd, 0, len(k.Runes))
	for i, r := range k.Runes {
		var cmd tea.Cmd
		m, cmd = m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
		cmds = append(cmds, cmd)
		// A key may open a text input ("/"): the rest is its text.
		if rest := k.Runes[i+1:]; m.typing() && len(rest) > 0 {
			m, cmd = m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: rest})
			return m, tea.Batch(append(cmds, cmd)...)
		}
	}
	return m, tea.Batch(cmds...)
}

// typing reports whether keys are text for an input: the filter or the editor.
func (m Model) typing() bool {
	return m.focus == focusEditor || m.list.FilterState() == list.Filtering || (m.focus == focusLog && m.log.filtering) ||
		(m.focus == focusStore && m.store.filtering) || (m.focus == focusEvents && m.events.picking)
}

// handleKey routes a key: quitting first, then the screen that owns keys.
func (m Model) handleKey(k tea.KeyMsg) (Model, tea.Cmd) {
	if k.Type == tea.KeyCtrlC {
		return m, tea.Quit
	}
	if m.tooSmall() {
		// Nothing may happen that the user cannot see: only quitting works.
		if k.String() == "q" {
			return m, tea.Quit
		}
		return m, nil
	}
	if m.help.ShowAll {
		return m.helpKey(k)
	}
	switch m.focus {
	case focusEditor:
		return m.editorKey(k)
	case focusLog:
		return m.logKey(k)
	case focusStore:
		return m.storeKey(k)
	case focusEvents:
		return m.eventsKey(k)
	}
	if m.list.FilterState() == list.Filtering {
		// Typed filter text is never a command.
		return m.filterKey(k)
	}
	switch {
	case key.Matches(k, m.ctx.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.ctx.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case key.Matches(k, m.ctx.keys.Back):
		return m.goBack(k)
	case key.Matches(k, m.ctx.keys.Focus):
		if m.focus == focusList {
			m.focus = focusDetail
		} else {
			m.focus = focusList
		}
		return m, nil
	case key.Matches(k, m.ctx.keys.Filter):
		m.focus = focusList
		if m.list.FilterState() == list.Unfiltered {
			m.preFilter = selectedRoute(m.list)
		}
		return m.updateList(k)
	case key.Matches(k, m.ctx.keys.ErrorsOnly):
		return m.showErrorsOnly(!m.errorsOnly)
	case key.Matches(k, m.ctx.keys.Toggle):
		return m.toggle()
	case key.Matches(k, m.ctx.keys.ToggleAll):
		return m.toggleAll()
	case key.Matches(k, m.ctx.keys.NextTab), key.Matches(k, m.ctx.keys.PrevTab), key.Matches(k, m.ctx.keys.Tab):
		return m.previewTab(k)
	case key.Matches(k, m.ctx.keys.Pin):
		return m.pinPreviewed()
	case key.Matches(k, m.ctx.keys.Fire):
		return m.fireSelected()
	case key.Matches(k, m.ctx.keys.Edit):
		return m.edit()
	case key.Matches(k, m.ctx.keys.Copy):
		return m.copyBody()
	case key.Matches(k, m.ctx.keys.CopyCurl):
		return m.copyCurl()
	case key.Matches(k, m.ctx.keys.Log):
		m.back, m.focus = m.focus, focusLog
		return m, nil
	case key.Matches(k, m.ctx.keys.Store):
		m.back, m.focus = m.focus, focusStore
		m.store = m.store.refresh(true)
		return m, nil
	case key.Matches(k, m.ctx.keys.Events):
		m.back, m.focus = m.focus, focusEvents
		m.events = m.events.refresh()
		return m, nil
	}
	if m.focus == focusDetail {
		return m.scrollDetail(k)
	}
	return m.moveList(k)
}

// goBack undoes the most recent thing: help, detail focus, a fired
// response, then the filter.
func (m Model) goBack(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case m.help.ShowAll:
		m.help.ShowAll = false
	case m.focus == focusDetail:
		m.focus = focusList
	case m.list.FilterState() == list.FilterApplied:
		// Clearing the filter keeps the selected route selected.
		selected := selectedRoute(m.list)
		m, cmd := m.updateList(k)
		m.selectInList(selected)
		return m, cmd
	case m.detail.fired != nil:
		var cmd tea.Cmd
		m.detail, cmd = m.detail.show(m.detail.route, m.detail.active, false)
		return m, cmd
	}
	return m, nil
}
