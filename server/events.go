package server

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/routedeck/routedeck/catalog"
)

// Event describes one request the server answered.
type Event struct {
	Time   time.Time
	Method string
	Path   string // as requested, without the query
	Query  string
	Route  string // the matched route's key, "" when no route matched
	// Answered is the route that answered, nil when none did: when routes
	// share a key (one behind another, FALLBACK), the one that answered.
	Answered *catalog.Route
	// Variant is the name of the variant that answered, "" when none did
	// (a refusal by the rules, a test card's decline, no route).
	Variant   string
	Status    int
	Duration  time.Duration
	RequestID string
	// Warnings are what the rules noticed without refusing the request,
	// such as unknown parameters ("unknown parameter foo").
	Warnings []string
	// Reason says why a test value in the request decided its answer
	// ("declined by pm_card_chargeDeclined"); "" when none did.
	Reason string
	// Change is the object the request created, changed or deleted.
	Change Change

	// Request and response details, for the UI's request log. Bodies hold
	// at most MaxEventBody bytes; the sizes say how long they really were.
	RequestHeader    http.Header
	RequestBody      []byte
	RequestBodySize  int
	ResponseHeader   http.Header
	ResponseBody     string
	ResponseBodySize int
}

// MaxEventBody is how much of each body an event keeps, so that a full
// subscriber queue or request log stays small whatever clients send.
const MaxEventBody = 16 << 10

// clipBytes returns b, or a copy of its first MaxEventBody bytes (a copy,
// so the rest of a large body can be freed).
func clipBytes(b []byte) []byte {
	if len(b) <= MaxEventBody {
		return b
	}
	return bytes.Clone(b[:MaxEventBody])
}

func clipString(s string) string {
	if len(s) <= MaxEventBody {
		return s
	}
	return strings.Clone(s[:MaxEventBody])
}

// hub fans events out to subscribers without ever blocking a handler: a
// subscriber whose buffer is full loses the event, and the loss is counted.
type hub struct {
	mu sync.RWMutex
	// subs are the subscribers, in a list rather than a map: publish,
	// which every request calls, only walks it.
	subs     []subscriber
	closed   bool
	active   atomic.Int32
	detailed atomic.Int32
	dropped  atomic.Int64
}

// subscriber is one subscription's channel, and whether it wants
// headers and bodies.
type subscriber struct {
	ch      chan Event
	details bool
}

func newHub() *hub { return &hub{} }

func (h *hub) subscribe(buffer int, details bool) (<-chan Event, func()) {
	if buffer < 1 {
		buffer = 1
	}
	ch := make(chan Event, buffer)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.subs = append(h.subs, subscriber{ch, details})
	h.active.Add(1)
	if details {
		h.detailed.Add(1)
	}
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if i := slices.IndexFunc(h.subs, func(s subscriber) bool { return s.ch == ch }); i >= 0 {
				h.subs = slices.Delete(h.subs, i, i+1)
				h.active.Add(-1)
				if details {
					h.detailed.Add(-1)
				}
				close(ch)
			}
		})
	}
}

// wanted reports whether anyone listens, so handlers can skip building
// events, and whether anyone wants headers and bodies.
func (h *hub) wanted() (listening, details bool) {
	return h.active.Load() > 0, h.detailed.Load() > 0
}

func (h *hub) publish(e Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, sub := range h.subs {
		select {
		case sub.ch <- e:
		default:
			h.dropped.Add(1)
		}
	}
}

// close ends every subscription; receivers see a closed channel.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for _, sub := range h.subs {
		close(sub.ch)
	}
	h.subs = nil
	h.active.Store(0)
	h.detailed.Store(0)
}
