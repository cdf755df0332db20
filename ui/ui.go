// Package ui is routedeck's terminal interface: a route list, a detail
// pane with docs and a response preview, a request log, and the keys to
// switch routes between their success and error variants while serving.
package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/internal/termsafe"
	"github.com/routedeck/routedeck/server"
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
}

// Layout limits.
const (
	wideWidth     = 100 // from here on, list and detail sit side by side
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
	mix []*catalog.Route
	// filterSeq counts changes of the filter text; see listMsg.
	filterSeq int
	detail    detailModel
	log       logModel
	editor    editorModel
	help      help.Model
	keys      keyMap
	styles    *styles
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
	st := defaultStyles()
	s := &st
	state := cfg.State
	if state == nil {
		state = server.NewState(cfg.Catalog, catalog.Success)
	}
	keys := defaultKeyMap()
	m := Model{
		cfg:       cfg,
		cat:       cfg.Catalog,
		state:     state,
		client:    cfg.Client,
		now:       cfg.Now,
		copyFn:    cfg.Clipboard,
		keys:      keys,
		styles:    s,
		list:      newRouteList(cfg.Catalog, state, s, keys),
		detail:    newDetailModel(s, baseURL(cfg.ServerURL)),
		log:       newLogModel(s),
		editor:    newEditorModel(s),
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
	m.help.Styles = s.help
	color := lipgloss.ColorProfile() != termenv.Ascii
	dark := lipgloss.HasDarkBackground()
	m.detail.color, m.detail.dark = color, dark
	m.log.color, m.log.dark = color, dark
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
func (m Model) Init() tea.Cmd { return m.nextEvent() }

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

// wide reports whether list and detail fit side by side.
func (m Model) wide() bool { return m.width >= wideWidth }

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
		cmd = m.nextEvent()
	case requestsMsg:
		m.log = m.log.add(msg...)
		cmd = m.nextEvent()
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
	var kind catalog.Kind
	if r != nil {
		kind = m.state.Active(r)
	}
	if r == m.detail.route && kind == m.detail.kind {
		return m, nil
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.show(r, kind, false)
	return m, cmd
}

// layout sizes the children for the window, header and footer.
func (m Model) layout() (Model, tea.Cmd) {
	if !m.ready {
		return m, nil
	}
	m.help.Width = m.width
	bodyH := m.height - lipgloss.Height(m.headerView()) - lipgloss.Height(m.footerView())
	fw, fh := m.styles.pane.normal.GetFrameSize()
	listW, detailW := m.width, m.width
	if m.wide() {
		listW = m.width * listPercent / 100
		detailW = m.width - listW
	}
	innerH := max(bodyH-fh, 1)
	if m.list.Width() != listW-fw || m.list.Height() != innerH {
		m.list.SetSize(max(listW-fw, 1), innerH)
		// The filter is drawn by routesView, which fits it; a width here
		// would pad it with spaces.
		m.list.FilterInput.Width = 0
	}
	m.helpOffset = max(0, min(m.helpOffset, len(m.fullHelpLines(m.width-fw))-(innerH-1)))
	var cmds [2]tea.Cmd
	m.detail, cmds[0] = m.detail.setSize(detailW-fw, innerH)
	m.log, cmds[1] = m.log.setSize(m.width-fw, innerH)
	m.editor = m.editor.setSize(detailW-fw, innerH)
	return m, tea.Batch(cmds[:]...)
}

// updateKeybindings enables the keys that do something on this screen.
func (m *Model) updateKeybindings() {
	k := &m.keys
	browsing := m.focus == focusList || m.focus == focusDetail
	filtering := m.list.FilterState() == list.Filtering
	hasRoute := selectedRoute(m.list) != nil
	inLog := m.focus == focusLog
	editing := m.focus == focusEditor

	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Home, &k.End} {
		b.SetEnabled(!editing)
	}
	// While a filter is typed, letters are text: only the list's keys work.
	commands := browsing && !filtering
	k.Apply.SetEnabled(browsing && filtering)
	k.Filter.SetEnabled(commands)
	k.Focus.SetEnabled(commands)
	serving := m.serving()
	k.Toggle.SetEnabled(commands && hasRoute)
	k.ToggleAll.SetEnabled(commands)
	k.ErrorsOnly.SetEnabled(commands)
	multi := hasRoute && m.detail.route != nil && len(m.detail.route.Variants) > 1
	k.NextTab.SetEnabled(commands && multi)
	k.PrevTab.SetEnabled(commands && multi)
	k.Tab.SetEnabled(commands && multi)
	k.Fire.SetEnabled(commands && hasRoute && serving)
	k.Edit.SetEnabled(commands && hasRoute && serving)
	logRows := inLog && !m.log.filtering && m.log.n() > 0
	k.Copy.SetEnabled((commands && hasRoute) || logRows)
	k.CopyCurl.SetEnabled((commands && hasRoute) || logRows)
	k.Refire.SetEnabled(logRows && serving)
	k.Pause.SetEnabled(inLog && !m.log.open && !m.log.filtering)
	k.Clear.SetEnabled(logRows && !m.log.open)
	if m.log.paused {
		k.Pause.SetHelp("p", "follow")
	} else {
		k.Pause.SetHelp("p", "pause")
	}
	// Without a server there is no log, unless it stopped after requests.
	k.Log.SetEnabled((commands && (serving || m.log.total > 0)) || inLog)
	k.Help.SetEnabled(!filtering && !editing)
	k.Open.SetEnabled(logRows && !m.log.open)
	if inLog && !m.log.open {
		k.Filter.SetEnabled(!m.log.filtering)
		k.ErrorsOnly.SetEnabled(!m.log.filtering)
		k.Toggle.SetEnabled(logRows)
	}
	k.EditNext.SetEnabled(editing)
	k.EditSubmit.SetEnabled(editing)
	k.Back.SetEnabled(inLog || editing || m.focus == focusDetail || m.list.FilterState() != list.Unfiltered ||
		m.detail.fired != nil || m.help.ShowAll)
	k.Quit.SetEnabled(!editing && !filtering)

	switch {
	case filtering:
		k.Back.SetHelp("esc", "cancel filter")
	case editing:
		k.Back.SetHelp("esc", "close")
	case inLog && m.log.open:
		k.Back.SetHelp("esc", "back to log")
	case inLog:
		k.Back.SetHelp("esc", "close log")
	case m.list.FilterState() == list.FilterApplied && m.focus == focusList:
		k.Back.SetHelp("esc", "clear filter")
	default:
		k.Back.SetHelp("esc", "back")
	}
	if inLog {
		k.Log.SetHelp("l", "close log")
	} else {
		k.Log.SetHelp("l", "request log")
	}
	if m.errorsOnly {
		k.ErrorsOnly.SetHelp("E", "all routes")
	} else {
		k.ErrorsOnly.SetHelp("E", "only on error")
	}
	if m.help.ShowAll {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "help")
	}
}

// setNotice shows text in the footer until it expires.
func (m *Model) setNotice(text string, isErr bool) tea.Cmd {
	m.notice = notice{id: m.notice.id + 1, text: termsafe.Line(text), isErr: isErr}
	id := m.notice.id
	return tea.Tick(m.noticeTTL, func(time.Time) tea.Msg { return clearNoticeMsg{id: id} })
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
	return m.focus == focusEditor || m.list.FilterState() == list.Filtering || (m.focus == focusLog && m.log.filtering)
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
	}
	if m.list.FilterState() == list.Filtering {
		// Typed filter text is never a command.
		return m.filterKey(k)
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case key.Matches(k, m.keys.Back):
		return m.goBack(k)
	case key.Matches(k, m.keys.Focus):
		if m.focus == focusList {
			m.focus = focusDetail
		} else {
			m.focus = focusList
		}
		return m, nil
	case key.Matches(k, m.keys.Filter):
		m.focus = focusList
		if m.list.FilterState() == list.Unfiltered {
			m.preFilter = selectedRoute(m.list)
		}
		return m.updateList(k)
	case key.Matches(k, m.keys.ErrorsOnly):
		return m.showErrorsOnly(!m.errorsOnly)
	case key.Matches(k, m.keys.Toggle):
		return m.toggle()
	case key.Matches(k, m.keys.ToggleAll):
		return m.toggleAll()
	case key.Matches(k, m.keys.NextTab), key.Matches(k, m.keys.PrevTab), key.Matches(k, m.keys.Tab):
		return m.previewTab(k)
	case key.Matches(k, m.keys.Fire):
		return m.fireSelected()
	case key.Matches(k, m.keys.Edit):
		return m.edit()
	case key.Matches(k, m.keys.Copy):
		return m.copyBody()
	case key.Matches(k, m.keys.CopyCurl):
		return m.copyCurl()
	case key.Matches(k, m.keys.Log):
		m.back, m.focus = m.focus, focusLog
		return m, nil
	}
	if m.focus == focusDetail {
		return m.scrollDetail(k)
	}
	return m.moveList(k)
}

// moveList moves the list cursor. Page keys move by a page of rows and
// stop at the ends, where the list's own paging would not move at all.
func (m Model) moveList(k tea.KeyMsg) (Model, tea.Cmd) {
	n := len(m.list.VisibleItems())
	per := m.listRows()
	switch {
	case n == 0:
	case key.Matches(k, m.keys.PageDown):
		m.list.Select(min(m.list.Index()+per, n-1))
		return m, nil
	case key.Matches(k, m.keys.PageUp):
		m.list.Select(max(m.list.Index()-per, 0))
		return m, nil
	}
	return m.updateList(k)
}

// updateList passes a key to the list. The list filters in a command per
// keystroke, and those commands run concurrently: a slow result for "GET
// /v1/c" could land after the one for the whole term and replace it. So
// every command the list returns is tagged with the filter text's version,
// and results for an older text are dropped (listResult).
func (m Model) updateList(k tea.KeyMsg) (Model, tea.Cmd) {
	before := m.list.FilterValue()
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(k)
	if m.list.FilterValue() != before {
		m.filterSeq++
	}
	return m, tagListCmd(m.filterSeq, cmd)
}

// listMsg is a message from a list command, with the filter version it
// was started under.
type listMsg struct {
	seq int
	msg tea.Msg
}

func tagListCmd(seq int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return listMsg{seq: seq, msg: cmd()} }
}

// listResult unwraps a tagged list message: batches are tagged again,
// stale filter results dropped, anything else handled as usual.
func (m Model) listResult(msg listMsg) (Model, tea.Cmd) {
	switch inner := msg.msg.(type) {
	case tea.BatchMsg:
		cmds := make([]tea.Cmd, len(inner))
		for i, c := range inner {
			cmds[i] = tagListCmd(msg.seq, c)
		}
		return m, tea.Batch(cmds...)
	case list.FilterMatchesMsg:
		if msg.seq != m.filterSeq {
			return m, nil
		}
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(inner)
		return m, cmd
	case nil:
		return m, nil
	}
	next, cmd := m.Update(msg.msg)
	return next.(Model), cmd
}

func (m Model) scrollDetail(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.detail.vp, cmd = scrollViewport(m.detail.vp, m.keys, k)
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
		m.detail, cmd = m.detail.show(m.detail.route, m.detail.kind, false)
		return m, cmd
	}
	return m, nil
}

func (m Model) toggle() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	kind := m.state.Toggle(r)
	m.mix = nil
	text := fmt.Sprintf("%s now answers %s", r.Key(), kind)
	if !m.serving() {
		text = fmt.Sprintf("%s: the preview shows %s (nothing is served)", r.Key(), kind)
	}
	if v := r.Variant(kind); v != nil {
		text += fmt.Sprintf(" (%d)", v.Status)
	}
	return m, m.setNotice(text, false)
}

// toggleAll sends every route to error while any is on success. Once all
// are on error it restores the mix from before (the routes that were on
// error stay there), or sends all back to success if there was none.
func (m Model) toggleAll() (Model, tea.Cmd) {
	n := len(m.cat.Routes)
	if m.state.ErrorCount() < n {
		m.mix = m.mix[:0]
		for _, r := range m.cat.Routes {
			if m.state.Active(r) == catalog.Error {
				m.mix = append(m.mix, r)
			}
		}
		m.state.SetAll(catalog.Error)
		again := "all success"
		if len(m.mix) > 0 {
			again = fmt.Sprintf("back to the %s on error before", commas(len(m.mix)))
		}
		return m, m.setNotice(fmt.Sprintf("all %s routes now answer error (T again: %s)", commas(n), again), false)
	}
	m.state.SetAll(catalog.Success)
	restored := len(m.mix)
	for _, r := range m.mix {
		m.state.Set(r, catalog.Error)
	}
	m.mix = nil
	if restored > 0 {
		return m, m.setNotice(fmt.Sprintf("back to the earlier mix: %s on error, the rest success", commas(restored)), false)
	}
	return m, m.setNotice(fmt.Sprintf("all %s routes back to success", commas(n)), false)
}

// previewTab shows another variant tab in the detail; the server keeps
// answering as before (t changes that).
func (m Model) previewTab(k tea.KeyMsg) (Model, tea.Cmd) {
	if m.detail.route == nil {
		return m, nil
	}
	i := m.detail.tabIndex()
	switch {
	case key.Matches(k, m.keys.NextTab):
		i++
	case key.Matches(k, m.keys.PrevTab):
		i--
	default:
		i = int(k.Runes[0] - '1')
		if i >= len(m.detail.route.Variants) {
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.selectTab(i)
	return m, cmd
}

// showErrorsOnly lists only the routes on error, or all routes again,
// keeping the selected route selected when it is still listed.
func (m Model) showErrorsOnly(on bool) (Model, tea.Cmd) {
	selected := selectedRoute(m.list)
	m.errorsOnly = on
	items := make([]list.Item, 0, len(m.cat.Routes))
	for _, r := range m.cat.Routes {
		if !on || m.state.Active(r) == catalog.Error {
			items = append(items, newRouteItem(r))
		}
	}
	// With a filter applied the list filters the new items in a command;
	// run it now, so no key meets a list with nothing selected meanwhile.
	if cmd := m.list.SetItems(items); cmd != nil {
		if msg, ok := cmd().(list.FilterMatchesMsg); ok {
			m.list, _ = m.list.Update(msg)
		}
	}
	m.list.Select(0)
	m.selectInList(selected)
	return m, nil
}

// selectInList moves the cursor to r if it is listed.
func (m *Model) selectInList(r *catalog.Route) {
	if r == nil {
		return
	}
	for i, it := range m.list.VisibleItems() {
		if ri, ok := it.(routeItem); ok && ri.route == r {
			m.list.Select(i)
			return
		}
	}
}

// filterKey passes a key to the filter being typed. Leaving it without a
// choice (esc, or enter on no match) selects the route from before.
func (m Model) filterKey(k tea.KeyMsg) (Model, tea.Cmd) {
	cancel := k.Type == tea.KeyEsc || (k.Type == tea.KeyEnter && len(m.list.VisibleItems()) == 0)
	m, cmd := m.updateList(k)
	if cancel && m.list.FilterState() != list.Filtering {
		if m.list.FilterState() == list.FilterApplied {
			// enter with nothing matched: back to all routes.
			m.list.ResetFilter()
			m.filterSeq++
		}
		m.list.Select(0)
		m.selectInList(m.preFilter)
	}
	return m, cmd
}

// helpKey scrolls and closes the help screen; quitting still works.
func (m Model) helpKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case k.String() == "q":
		return m, tea.Quit
	case key.Matches(k, m.keys.Help), k.Type == tea.KeyEsc:
		m.help.ShowAll = false
	case key.Matches(k, m.keys.Down):
		m.helpOffset++
	case key.Matches(k, m.keys.Up):
		m.helpOffset = max(m.helpOffset-1, 0)
	}
	return m, nil
}

// tooSmall reports whether the terminal is below the smallest layout.
func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m Model) fireSelected() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	return m.fire(fireRequest{route: r, target: sampleTarget(r), body: sampleBody(r)})
}

func (m Model) fire(req fireRequest) (Model, tea.Cmd) {
	if !m.serving() {
		return m, m.setNotice("cannot fire: "+m.notServingReason(), true)
	}
	m.fireSeq++
	notice := m.setNotice(fmt.Sprintf("firing %s %s…", req.route.Method, req.target), false)
	return m, tea.Batch(notice, fireCmd(m.fireSeq, m.client, m.now, m.cfg.ServerURL, req))
}

// fired shows a response if its route is still selected.
func (m Model) fired(msg firedMsg) (Model, tea.Cmd) {
	res := msg.res
	var note tea.Cmd
	if res.err != nil {
		note = m.setNotice(res.err.Error(), true)
	} else {
		note = m.setNotice(fmt.Sprintf("%s %s → %d %s in %s", res.method, res.target, res.status,
			http.StatusText(res.status), formatDuration(res.duration)), false)
	}
	if msg.route != m.detail.route || msg.seq != m.fireSeq {
		return m, note
	}
	if !m.wide() && m.focus == focusList {
		m.focus = focusDetail
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.showFired(res)
	return m, tea.Batch(note, cmd)
}

func (m Model) edit() (Model, tea.Cmd) {
	r := selectedRoute(m.list)
	if r == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.start(r)
	m.back, m.focus = m.focus, focusEditor
	return m, cmd
}

func (m Model) editorKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back):
		m.editor = m.editor.save()
		m.focus = m.back
		return m, nil
	case key.Matches(k, m.keys.EditSubmit), k.Type == tea.KeyEnter && m.editor.focus == fieldTarget:
		m.editor = m.editor.save()
		m.focus = m.back
		return m.fire(m.editor.request())
	case key.Matches(k, m.keys.EditNext):
		var cmd tea.Cmd
		delta := 1
		if k.Type == tea.KeyShiftTab {
			delta = -1
		}
		m.editor, cmd = m.editor.next(delta)
		return m, cmd
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.update(k)
	return m, cmd
}

func (m Model) logKey(k tea.KeyMsg) (Model, tea.Cmd) {
	l := m.log
	if l.filtering {
		// Typed filter text is never a command.
		var cmd tea.Cmd
		m.log, cmd = l.update(k, m.keys)
		return m, cmd
	}
	switch {
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(k, m.keys.Back):
		if l.open {
			m.log.open = false
		} else {
			m.focus = m.back
		}
	case key.Matches(k, m.keys.Log):
		m.log.open = false
		m.focus = m.back
	case key.Matches(k, m.keys.Open):
		var cmd tea.Cmd
		m.log, cmd = l.openEntry()
		return m, cmd
	case key.Matches(k, m.keys.Copy):
		body := l.shownBody()
		if body == "" {
			return m, m.setNotice("nothing to copy: the response body is empty", true)
		}
		what := "response body"
		if e := l.shownEntry(); e.ResponseBodySize > len(e.ResponseBody) {
			what = fmt.Sprintf("the first %s of a %s-byte response body", kib(len(e.ResponseBody)), commas(e.ResponseBodySize))
		}
		return m, copyCmd(m.copyFn, body, what)
	case key.Matches(k, m.keys.CopyCurl):
		c := l.curl(baseURL(m.cfg.ServerURL))
		if c == "" {
			return m, m.setNotice("nothing to copy: no request is selected", true)
		}
		if e := l.shownEntry(); e.RequestBodySize > len(e.RequestBody) {
			return m, m.setNotice("cannot copy as curl: the log kept only the start of this request's body", true)
		}
		return m, copyCmd(m.copyFn, c, "curl command")
	case l.open:
		return m.scrollLogEntry(k)
	case key.Matches(k, m.keys.Toggle):
		return m.toggleLogged()
	case key.Matches(k, m.keys.Refire):
		return m.refire()
	default:
		var cmd tea.Cmd
		m.log, cmd = l.update(k, m.keys)
		return m, cmd
	}
	return m, nil
}

// loggedRoute is the catalog route of the selected log entry.
func (m Model) loggedRoute() (*catalog.Route, server.Event) {
	if m.log.n() == 0 && !m.log.open {
		return nil, server.Event{}
	}
	e := m.log.shownEntry()
	for _, r := range m.cat.Routes {
		if r.Key() == e.Route {
			return r, e
		}
	}
	return nil, e
}

// toggleLogged flips the route of the selected log entry.
func (m Model) toggleLogged() (Model, tea.Cmd) {
	r, e := m.loggedRoute()
	if r == nil {
		return m, m.setNotice(fmt.Sprintf("%s %s matched no route: nothing to flip", e.Method, e.Path), true)
	}
	kind := m.state.Toggle(r)
	m.mix = nil
	return m, m.setNotice(fmt.Sprintf("%s now answers %s", r.Key(), kind), false)
}

// refire sends the selected log entry's request again.
func (m Model) refire() (Model, tea.Cmd) {
	r, e := m.loggedRoute()
	if r == nil {
		return m, m.setNotice(fmt.Sprintf("%s %s matched no route: cannot fire it", e.Method, e.Path), true)
	}
	if e.RequestBodySize > len(e.RequestBody) {
		return m, m.setNotice("cannot fire again: the log kept only the start of this request's body", true)
	}
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	h := http.Header{}
	for _, k := range curlHeaders {
		for _, v := range e.RequestHeader.Values(k) {
			h.Add(k, v)
		}
	}
	return m.fire(fireRequest{route: r, target: target, header: h, body: string(e.RequestBody)})
}

func (m Model) scrollLogEntry(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.log.vp, cmd = scrollViewport(m.log.vp, m.keys, k)
	return m, cmd
}

func (m Model) copyBody() (Model, tea.Cmd) {
	what := "preview body"
	if m.detail.fired != nil {
		what = "response body"
	}
	if m.detail.plain == "" {
		return m, m.setNotice("nothing to copy: the "+what+" is empty", true)
	}
	return m, copyCmd(m.copyFn, m.detail.plain, what)
}

func (m Model) copyCurl() (Model, tea.Cmd) {
	c := m.detail.curl()
	if c == "" {
		return m, nil
	}
	return m, copyCmd(m.copyFn, c, "curl command")
}

func (m *Model) copied(msg copyMsg) tea.Cmd {
	if msg.err != nil {
		return m.setNotice("could not copy the "+msg.what+": "+msg.err.Error(), true)
	}
	return m.setNotice(fmt.Sprintf("copied %s bytes (%s) to %s", commas(msg.bytes), msg.what, msg.where), false)
}

// notServingReason says why nothing is listening, for the header and notices.
func (m Model) notServingReason() string {
	switch {
	case m.cfg.NoServe:
		return "browsing only (--no-serve)"
	case m.stopped:
		return "the server stopped"
	case m.cfg.ServeError != nil:
		var inUse *server.PortInUseError
		if errors.As(m.cfg.ServeError, &inUse) {
			return "not serving: " + inUse.Short()
		}
		return "not serving: " + m.cfg.ServeError.Error()
	}
	return "not serving"
}

// commas formats n with thousands separators: 1,234.
func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// headerView is one line: the app, the catalog, the server and the
// counts. When they do not fit, what matters least is shortened first.
func (m Model) headerView() string {
	s := m.styles
	w := max(m.width, 1)
	routes := commas(len(m.cat.Routes)) + " routes"
	server := []string{s.app.serving.Render("● serving " + m.cfg.ServerURL), s.app.serving.Render("● " + shortURL(m.cfg.ServerURL))}
	if !m.serving() {
		reason := m.notServingReason()
		server = []string{s.app.notServing.Render("○ " + reason), s.app.notServing.Render("○ not serving")}
	}
	reqs := commas(m.log.total) + " requests"
	if m.log.total == 1 {
		reqs = "1 request"
	}
	errs, errStyle := m.state.ErrorCount(), s.app.dim
	if errs > 0 {
		errStyle = s.app.errCount
	}
	title := s.app.title.Render("routedeck")
	catalogName := s.app.name.Render(termsafe.Line(m.cat.Name)) + s.app.dim.Render(" · "+routes)
	rs, es := s.app.dim.Render(commas(m.log.total)+" req"), errStyle.Render(commas(errs)+" err")
	levels := [][]string{
		{title, catalogName, server[0], s.app.dim.Render(reqs), errStyle.Render(commas(errs) + " on error")},
		{title, s.app.dim.Render(routes), server[0], s.app.dim.Render(reqs), errStyle.Render(commas(errs) + " on error")},
		{title, server[0], rs, es},
		{server[0], rs, es},
		{title, s.app.dim.Render(routes), server[1], rs, es},
		{title, server[1], rs, es},
		{server[1], rs, es},
	}
	for i, segs := range levels {
		gap := "   "
		if i >= 1 {
			gap = "  "
		}
		if line := strings.Join(segs, gap); ansi.StringWidth(line) <= w {
			return line
		}
	}
	return ansi.Truncate(strings.Join(levels[len(levels)-1], " "), w, "…")
}

// shortURL is a server URL without its scheme and loopback host: ":12111".
func shortURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	if h, port, ok := strings.Cut(u, ":"); ok && (h == "127.0.0.1" || h == "localhost") {
		return ":" + port
	}
	return u
}

// footerView is the status line (kept even when empty, so the layout
// never jumps) over one line of keys.
func (m Model) footerView() string {
	w := max(m.width, 1)
	h := m.shortHelpView(w)
	st := m.styles.app.notice
	if m.notice.isErr {
		st = m.styles.app.noticeErr
	}
	return st.Render(ansi.Truncate(m.notice.text, w, "…")) + "\n" + h
}

// View implements tea.Model.
func (m Model) View() string {
	if !m.ready {
		return "routedeck: starting…"
	}
	if m.tooSmall() {
		msg := fmt.Sprintf("terminal too small\n%dx%d, need %dx%d\nq quits", m.width, m.height, minWidth, minHeight)
		return fitBlock(m.styles.app.tooSmall.Render(msg), m.width, m.height, false)
	}
	header, footer := m.headerView(), m.footerView()
	bodyH := max(m.height-lipgloss.Height(header)-lipgloss.Height(footer), 1)
	body := m.bodyView(bodyH)
	return fitBlock(header+"\n"+body+"\n"+footer, m.width, m.height, false)
}

// bodyView draws the panes for the current screen. The focused pane has
// a thick border and a marker, so focus shows without colour too.
func (m Model) bodyView(h int) string {
	s := m.styles
	if m.help.ShowAll {
		return m.pane(s.pane.focused, func(w, h int) string { return m.helpView(w, h) }, m.width, h)
	}
	listView := func(w, h int) string { return m.routesView(w, h) }
	switch m.focus {
	case focusLog:
		return m.pane(s.pane.focused, func(int, int) string { return m.log.view(m.dropped()) }, m.width, h)
	case focusEditor:
		if !m.wide() {
			return m.pane(s.pane.focused, func(int, int) string { return m.editor.view() }, m.width, h)
		}
		lw := m.width * listPercent / 100
		return lipgloss.JoinHorizontal(lipgloss.Top,
			m.pane(s.pane.normal, listView, lw, h),
			m.pane(s.pane.focused, func(int, int) string { return m.editor.view() }, m.width-lw, h))
	}
	listStyle, detailStyle := s.pane.normal, s.pane.normal
	if m.focus == focusList {
		listStyle = s.pane.focused
	} else {
		detailStyle = s.pane.focused
	}
	detailView := func(int, int) string { return m.detail.view() }
	if !m.wide() {
		if m.focus == focusDetail {
			return m.pane(detailStyle, detailView, m.width, h)
		}
		return m.pane(listStyle, listView, m.width, h)
	}
	lw := m.width * listPercent / 100
	return lipgloss.JoinHorizontal(lipgloss.Top,
		m.pane(listStyle, listView, lw, h),
		m.pane(detailStyle, detailView, m.width-lw, h))
}

func (m Model) dropped() int64 {
	if m.cfg.Dropped == nil {
		return 0
	}
	return m.cfg.Dropped()
}

// pane draws content, made for the inner size, in a bordered box of
// exactly w×h cells.
func (m Model) pane(st lipgloss.Style, content func(w, h int) string, w, h int) string {
	fw, fh := st.GetFrameSize()
	iw, ih := max(w-fw, 1), max(h-fh, 1)
	return st.Render(fitBlock(content(iw, ih), iw, ih, true))
}

// fitBlock cuts s to w×h cells; with padTo it also pads to exactly that.
func fitBlock(s string, w, h int, padTo bool) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		l = ansi.Truncate(l, w, "")
		if padTo {
			l = pad(l, w)
		}
		lines[i] = l
	}
	if padTo {
		for len(lines) < h {
			lines = append(lines, strings.Repeat(" ", w))
		}
	}
	return strings.Join(lines, "\n")
}
