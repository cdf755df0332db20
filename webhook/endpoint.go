package webhook

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Endpoint is a URL that receives events, as Stripe's webhook endpoint.
type Endpoint struct {
	// ID is "we_" and 24 random letters and digits.
	ID string `json:"id"`
	// URL receives the POSTs; http or https.
	URL string `json:"url"`
	// EnabledEvents are the event types sent to it; "*" means all.
	EnabledEvents []string `json:"enabled_events"`
	// Secret signs its deliveries: "whsec_" and 32 letters and digits
	// unless given.
	Secret string `json:"secret"`
	// Disabled endpoints receive nothing (Stripe's status "disabled").
	Disabled bool `json:"disabled"`
	// Created is when the endpoint was added.
	Created time.Time `json:"created"`
}

// Wants reports whether the endpoint is enabled and listens for eventType.
func (e Endpoint) Wants(eventType string) bool {
	if e.Disabled {
		return false
	}
	return slices.Contains(e.EnabledEvents, "*") || slices.Contains(e.EnabledEvents, eventType)
}

// EndpointParams describe an endpoint to add. Only URL is required:
// EnabledEvents defaults to ["*"] and Secret to a new whsec_ secret.
type EndpointParams struct {
	// URL receives the events: an absolute http or https URL.
	URL string
	// EnabledEvents are the types to send; empty means ["*"], all.
	EnabledEvents []string
	// Secret is the signing secret (whsec_...); empty means a new one.
	Secret string
	// Disabled adds the endpoint switched off.
	Disabled bool
}

// NewSecret makes a signing secret: "whsec_" and 32 random letters and
// digits.
func NewSecret() string { return "whsec_" + randomString(32) }

// checkEndpoint checks an endpoint's URL, event types and secret.
func checkEndpoint(rawURL string, events []string, secret string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook endpoint url %q: want an absolute http or https URL, such as http://127.0.0.1:4242/webhook", rawURL)
	}
	if len(events) == 0 {
		return fmt.Errorf("webhook endpoint %s: enabled_events is empty (use \"*\" for all)", rawURL)
	}
	for _, t := range events {
		if t == "*" {
			continue
		}
		if t == "" || strings.Trim(t, "abcdefghijklmnopqrstuvwxyz0123456789_.") != "" || strings.HasPrefix(t, ".") || strings.HasSuffix(t, ".") {
			return fmt.Errorf("webhook endpoint %s: enabled event %q is not an event type (such as payment_intent.succeeded, or * for all)", rawURL, t)
		}
	}
	if !strings.HasPrefix(secret, "whsec_") || len(secret) == len("whsec_") {
		return fmt.Errorf("webhook endpoint %s: secret %q does not start with whsec_", rawURL, maskSecret(secret))
	}
	return nil
}

// maskSecret shows only a secret's first characters, for error messages.
func maskSecret(s string) string {
	if len(s) <= 8 {
		return s
	}
	return s[:8] + "…"
}

// Registry holds the endpoints. It is safe for concurrent use; the zero
// value is not: use NewRegistry.
type Registry struct {
	mu        sync.RWMutex
	endpoints map[string]Endpoint
	// enabled are the enabled endpoints, oldest first, made again (under
	// mu) on every change and never changed after: Wanting and Count read
	// them without a lock, for every event raised on the request path.
	enabled atomic.Pointer[[]Endpoint]
}

// NewRegistry makes an empty registry.
func NewRegistry() *Registry {
	return &Registry{endpoints: map[string]Endpoint{}}
}

// Add registers an endpoint and returns it with its id and secret.
func (r *Registry) Add(p EndpointParams) (Endpoint, error) {
	events := p.EnabledEvents
	if len(events) == 0 {
		events = []string{"*"}
	}
	secret := p.Secret
	if secret == "" {
		secret = NewSecret()
	}
	if err := checkEndpoint(p.URL, events, secret); err != nil {
		return Endpoint{}, err
	}
	e := Endpoint{
		ID:            "we_" + randomString(24),
		URL:           p.URL,
		EnabledEvents: slices.Clone(events),
		Secret:        secret,
		Disabled:      p.Disabled,
		Created:       time.Now(),
	}
	r.mu.Lock()
	r.endpoints[e.ID] = e
	r.snapshot()
	r.mu.Unlock()
	return e, nil
}

// Get returns the endpoint with this id.
func (r *Registry) Get(id string) (Endpoint, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.endpoints[id]
	return clone(e), ok
}

// target returns the endpoint with this id without copying its event
// list: what a delivery needs, for the sender's hot path.
func (r *Registry) target(id string) (e Endpoint, ok bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok = r.endpoints[id]
	e.EnabledEvents = nil
	return e, ok
}

// List returns every endpoint, oldest first.
func (r *Registry) List() []Endpoint {
	r.mu.RLock()
	out := make([]Endpoint, 0, len(r.endpoints))
	for _, e := range r.endpoints {
		out = append(out, clone(e))
	}
	r.mu.RUnlock()
	sortOldestFirst(out)
	return out
}

// EndpointUpdate changes some of an endpoint's fields; nil leaves a field
// as it is.
type EndpointUpdate struct {
	// URL replaces the URL.
	URL *string
	// EnabledEvents replaces the enabled event types.
	EnabledEvents []string
	// Disabled switches the endpoint off (true) or on (false).
	Disabled *bool
}

// Update changes an endpoint and returns it as it is now.
func (r *Registry) Update(id string, u EndpointUpdate) (Endpoint, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.endpoints[id]
	if !ok {
		return Endpoint{}, fmt.Errorf("no webhook endpoint %q", id)
	}
	if u.URL != nil {
		e.URL = *u.URL
	}
	if u.EnabledEvents != nil {
		e.EnabledEvents = slices.Clone(u.EnabledEvents)
	}
	if u.Disabled != nil {
		e.Disabled = *u.Disabled
	}
	if err := checkEndpoint(e.URL, e.EnabledEvents, e.Secret); err != nil {
		return Endpoint{}, err
	}
	r.endpoints[id] = e
	r.snapshot()
	return clone(e), nil
}

// Remove deletes an endpoint; it reports whether there was one.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.endpoints[id]
	delete(r.endpoints, id)
	r.snapshot()
	return ok
}

// snapshot makes r.enabled again from r.endpoints; r.mu is held.
func (r *Registry) snapshot() {
	var on []Endpoint
	for _, e := range r.endpoints {
		if !e.Disabled {
			on = append(on, e)
		}
	}
	sortOldestFirst(on)
	r.enabled.Store(&on)
}

// sortOldestFirst sorts endpoints by creation, then id.
func sortOldestFirst(eps []Endpoint) {
	sort.Slice(eps, func(i, j int) bool {
		if !eps[i].Created.Equal(eps[j].Created) {
			return eps[i].Created.Before(eps[j].Created)
		}
		return eps[i].ID < eps[j].ID
	})
}

// Wanting returns the endpoints that want eventType, oldest first.
func (r *Registry) Wanting(eventType string) []Endpoint {
	var out []Endpoint
	for _, e := range r.enabledNow() {
		if e.Wants(eventType) {
			out = append(out, e)
		}
	}
	return out
}

// Count is how many endpoints want eventType: len(Wanting(eventType)),
// without making the list.
func (r *Registry) Count(eventType string) int {
	n := 0
	for _, e := range r.enabledNow() {
		if e.Wants(eventType) {
			n++
		}
	}
	return n
}

// enabledNow are the enabled endpoints, oldest first; not to be changed.
func (r *Registry) enabledNow() []Endpoint {
	if p := r.enabled.Load(); p != nil {
		return *p
	}
	return nil
}

// clone copies e so that callers cannot change the registry's slice.
func clone(e Endpoint) Endpoint {
	e.EnabledEvents = slices.Clone(e.EnabledEvents)
	return e
}
