package ui

import "github.com/charmbracelet/bubbles/key"

// storeKeys are the store pane's keys, listed in help only while the
// pane has focus.
type storeKeys struct {
	Open, Filter, Copy, Reset, History, Complete3DS, Fail3DS, Close key.Binding
}

func defaultStoreKeys() storeKeys {
	return storeKeys{
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open object")),
		History:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "history")),
		Complete3DS: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "complete 3-D Secure")),
		Fail3DS:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "fail 3-D Secure")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Copy:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy object")),
		Reset:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reset store")),
		Close:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s/esc", "close store")),
	}
}

// list is the keys in the order help shows them.
func (k storeKeys) list() []key.Binding {
	return []key.Binding{k.Open, k.History, k.Complete3DS, k.Fail3DS, k.Filter, k.Copy, k.Reset, k.Close}
}

// storeKeybindings enables the store pane's keys that do something now.
func (m *Model) storeKeybindings() {
	k := &m.ctx.keys.StoreKeys
	p := m.store
	on := m.focus == focusStore && !p.filtering && !p.confirmReset
	o, has := p.current()
	k.Open.SetEnabled(on && has && !p.open)
	k.History.SetEnabled(on && has && p.open && p.historian() != nil)
	if p.showHistory {
		k.History.SetHelp("h", "object")
	} else {
		k.History.SetHelp("h", "history")
	}
	auth := on && has && p.authenticator() != nil && requiresAction(o)
	k.Complete3DS.SetEnabled(auth)
	k.Fail3DS.SetEnabled(auth)
	k.Filter.SetEnabled(on && !p.open)
	k.Copy.SetEnabled(on && has)
	k.Reset.SetEnabled(on)
	k.Close.SetEnabled(on)
}
