// Package ui is routedeck's terminal interface.
package ui

import (
	"net/http"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
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
}

// Model is the root model (placeholder until the UI lands).
type Model struct{ cfg Config }

var _ tea.Model = Model{}

// New builds the root model.
func New(cfg Config) Model { return Model{cfg: cfg} }

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && (k.String() == "q" || k.String() == "ctrl+c") {
		return m, tea.Quit
	}
	return m, nil
}

// View implements tea.Model.
func (m Model) View() string { return "routedeck\n" }
