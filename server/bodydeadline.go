package server

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// A request body's deadline (Options.BodyTimeout) matters only to a read
// that waits for the network. Most bodies arrive with their headers, in
// the buffer net/http read them into, and are read without touching the
// connection; setting the deadline on the connection and clearing it
// again (two changes of the runtime's timers) would be spent for nothing.
// A joinedConn takes the deadline lazily instead: the handler arms it,
// and only a read of the connection while it is armed sets it.

// bodyDeadline is a joinedConn's lazily set body deadline. Its methods
// are safe for concurrent use: net/http's background read may read the
// connection while the handler ends the deadline.
type bodyDeadline struct {
	armed   atomic.Bool // a body is being read: reads set the deadline
	mu      sync.Mutex
	at      time.Time // the deadline, while armed
	applied bool      // the deadline is set on the connection
}

// joinedConnKey is the context key of a request's joinedConn.
type joinedConnKey struct{}

// joinConnContext puts a joinedConn in its requests' contexts
// (http.Server.ConnContext), where readBody finds it.
func joinConnContext(ctx context.Context, c net.Conn) context.Context {
	if jc, ok := c.(*joinedConn); ok {
		return context.WithValue(ctx, joinedConnKey{}, jc)
	}
	return ctx
}

// Read reads the connection, setting the armed body deadline first.
func (c *joinedConn) Read(p []byte) (int, error) {
	if c.body.armed.Load() {
		c.applyBodyDeadline()
	}
	return c.Conn.Read(p)
}

// applyBodyDeadline sets the armed body deadline on the connection.
func (c *joinedConn) applyBodyDeadline() {
	d := &c.body
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed.Load() && !d.applied {
		d.applied = true
		_ = c.Conn.SetReadDeadline(d.at)
	}
}

// armBodyDeadline arms the body deadline t: the connection's reads from
// now until endBodyDeadline set it.
func (c *joinedConn) armBodyDeadline(t time.Time) {
	d := &c.body
	d.mu.Lock()
	d.at = t
	d.armed.Store(true)
	d.mu.Unlock()
}

// endBodyDeadline disarms the body deadline and clears it from the
// connection if a read set it.
func (c *joinedConn) endBodyDeadline() {
	d := &c.body
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed.Store(false)
	if d.applied {
		d.applied = false
		_ = c.Conn.SetReadDeadline(time.Time{})
	}
}

// startBodyDeadline starts the body deadline t of r, answered through w:
// on its joinedConn lazily (returned, for endBodyDeadline), else on the
// connection at once (nil returned).
func startBodyDeadline(w http.ResponseWriter, r *http.Request, t time.Time) *joinedConn {
	if jc, ok := r.Context().Value(joinedConnKey{}).(*joinedConn); ok {
		jc.armBodyDeadline(t)
		return jc
	}
	setReadDeadline(w, t)
	return nil
}

// endBodyDeadline ends the body deadline startBodyDeadline started.
func endBodyDeadline(w http.ResponseWriter, jc *joinedConn) {
	if jc != nil {
		jc.endBodyDeadline()
		return
	}
	setReadDeadline(w, time.Time{})
}
