package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
)

// keyMap is every binding the UI answers. updateKeybindings enables the
// ones that apply to the current screen, so help only lists what works.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	Filter key.Binding
	Back   key.Binding
	Focus  key.Binding

	Toggle    key.Binding
	ToggleAll key.Binding
	// PrevTab, NextTab and Tab pick the variant tab to preview; Pin makes
	// the previewed variant the one the server answers.
	PrevTab, NextTab, Tab, Pin key.Binding
	// ErrorsOnly lists only the routes on error.
	ErrorsOnly key.Binding
	Fire       key.Binding
	Edit       key.Binding
	Copy       key.Binding
	CopyCurl   key.Binding
	Log        key.Binding
	Open       key.Binding
	// Refire, Pause and Clear act in the log.
	Refire, Pause, Clear key.Binding
	// Store opens the store pane.
	Store key.Binding
	// Events opens the webhook events pane.
	Events key.Binding
	// The store pane's keys (store_keys.go), enabled only there.
	StoreKeys storeKeys
	// Redeliver and NewEvent act in the events pane: send the selected
	// event again; pick a type and raise an event of it.
	Redeliver, NewEvent key.Binding

	EditNext   key.Binding
	EditSubmit key.Binding
	// Apply is the list's enter while a filter is typed, listed for help.
	Apply key.Binding

	Help key.Binding
	Quit key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn/space", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),

		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Focus:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "list/detail")),

		Toggle:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "toggle error")),
		ToggleAll:  key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "all error/back")),
		PrevTab:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous variant")),
		NextTab:    key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next variant")),
		Tab:        key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "preview variant")),
		Pin:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pin previewed variant")),
		ErrorsOnly: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "only on error")),
		Fire:       key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter/f", "fire")),
		Edit:       key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit request")),
		Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy body")),
		CopyCurl:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy curl")),
		Log:        key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "request log")),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open entry")),
		Refire:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fire again")),
		Redeliver:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "redeliver event")),
		NewEvent:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new event (trigger)")),
		Pause:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause")),
		Clear:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "clear log")),
		Store:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "store")),
		Events:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "webhook events")),
		StoreKeys:  defaultStoreKeys(),

		EditNext:   key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next field")),
		EditSubmit: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),

		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp implements help.KeyMap.
// Help and quit come before the rest so narrow terminals still show them.
func (k keyMap) ShortHelp() []key.Binding {
	return append([]key.Binding{k.Apply, k.Fire, k.Open, k.NewEvent, k.Redeliver, k.EditSubmit, k.EditNext, k.Toggle, k.Filter, k.Help, k.Quit, k.Log, k.Refire, k.Pause, k.Focus, k.Back},
		k.StoreKeys.list()...)
}

// FullHelp implements help.KeyMap.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Toggle, k.ToggleAll, k.ErrorsOnly, k.NextTab, k.PrevTab, k.Tab, k.Pin, k.Fire, k.Edit, k.EditSubmit, k.EditNext},
		{k.Copy, k.CopyCurl, k.Filter, k.Focus, k.Open, k.Refire, k.Pause, k.Clear},
		{k.Log, k.Store, k.Events, k.Redeliver, k.NewEvent, k.Back, k.Help, k.Quit},
		k.StoreKeys.list(),
	}
}

// listKeyMap narrows the list's own bindings to navigation and filtering:
// the root owns every other key (h/l/f/b/u/d/q/? mean something else here).
func listKeyMap(k keyMap) list.KeyMap {
	km := list.DefaultKeyMap()
	km.CursorUp = k.Up
	km.CursorDown = k.Down
	km.PrevPage = k.PageUp
	km.NextPage = k.PageDown
	km.GoToStart = k.Home
	km.GoToEnd = k.End
	km.Filter = k.Filter
	km.ClearFilter = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))
	km.CancelWhileFiltering = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	km.AcceptWhileFiltering = key.NewBinding(key.WithKeys("enter", "tab", "up", "down"), key.WithHelp("enter", "apply filter"))
	km.ShowFullHelp = key.NewBinding(key.WithDisabled())
	km.CloseFullHelp = key.NewBinding(key.WithDisabled())
	km.Quit = key.NewBinding(key.WithDisabled())
	km.ForceQuit = key.NewBinding(key.WithDisabled())
	return km
}

// updateKeybindings enables the keys that do something on this screen.
func (m *Model) updateKeybindings() {
	k := &m.ctx.keys
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
	k.Pin.SetEnabled(commands && multi)
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
	k.Store.SetEnabled(commands && m.cfg.Store != nil)
	k.Events.SetEnabled(commands && m.cfg.Webhooks != nil)
	inEvents := m.focus == focusEvents && !m.events.picking
	k.Redeliver.SetEnabled(inEvents && len(m.events.records) > 0)
	k.NewEvent.SetEnabled(inEvents && !m.events.open)
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
	case inLog && m.log.narrowed():
		k.Back.SetHelp("esc", "clear filter")
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
	switch {
	case inLog && m.log.errorsOnly:
		k.ErrorsOnly.SetHelp("E", "all statuses")
	case inLog:
		k.ErrorsOnly.SetHelp("E", "errors only")
	case m.errorsOnly:
		k.ErrorsOnly.SetHelp("E", "all routes")
	default:
		k.ErrorsOnly.SetHelp("E", "only on error")
	}
	m.storeKeybindings()
	if m.help.ShowAll {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "help")
	}
}
