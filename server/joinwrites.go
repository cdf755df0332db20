package server

import (
	"net"
	"net/http"
	"sync"
)

// net/http writes a response through a 4 KB buffer on the connection, and
// a response that outgrows it leaves in two writes: the full buffer,
// flushed while the handler writes the body, then the rest when the
// response ends. Many Stripe objects outgrow it: a charge is 4.4 KB. On
// loopback every write is a trip through the TCP stack and a wake-up of
// the client, and a server sending 4 KB answers in two writes instead of
// one serves about a quarter fewer of them.
//
// joinListener's connections hold a write that exactly fills that buffer
// and send it together with the write that follows, in one writev. The
// write that follows always comes: the buffer is flushed full only while
// more of the response waits to be buffered. A response that happens to
// end exactly at the buffer's edge is sent when the connection goes idle
// (joinConnState) or closes.

// joinSize is the size of net/http's connection write buffer.
const joinSize = 4 << 10

// joinWrites sets hs up to join the writes of the connections of the
// listener it returns, which wraps ln.
func joinWrites(hs *http.Server, ln net.Listener) net.Listener {
	hs.ConnState = joinConnState
	hs.ConnContext = joinConnContext
	return joinListener{ln}
}

// joinListener wraps the connections it accepts in joinedConns.
type joinListener struct{ net.Listener }

func (l joinListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &joinedConn{Conn: c}, nil
}

// joinedConn is a connection whose full-buffer writes wait to be joined
// with the next. Its methods are safe for concurrent use, as a server
// closing a connection may call Close beside a write.
type joinedConn struct {
	net.Conn
	mu   sync.Mutex
	held []byte // a full buffer not yet sent
	arr  [2][]byte
	body bodyDeadline
}

// Write sends p, or holds it when it is exactly a full buffer.
func (c *joinedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.held) > 0 {
		return c.writeJoined(p)
	}
	if len(p) == joinSize {
		c.held = append(c.held[:0], p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// writeJoined sends the held buffer and p in one write; the caller holds
// mu. The count returned is p's.
func (c *joinedConn) writeJoined(p []byte) (int, error) {
	held := len(c.held)
	bufs := net.Buffers(append(c.arr[:0], c.held, p))
	n, err := bufs.WriteTo(c.Conn)
	c.held = c.held[:0]
	c.arr = [2][]byte{}
	return int(max(0, min(n-int64(held), int64(len(p))))), err
}

// flush sends a held buffer, if any.
func (c *joinedConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked()
}

func (c *joinedConn) flushLocked() error {
	if len(c.held) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.held)
	c.held = c.held[:0]
	return err
}

// Close sends a held buffer, then closes the connection.
func (c *joinedConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.flushLocked() // a failed send must not keep the connection open
	return c.Conn.Close()
}

// CloseWrite sends a held buffer, then shuts down the writing side (net/http
// does so before closing a connection it will not reuse).
func (c *joinedConn) CloseWrite() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.flushLocked(); err != nil {
		return err
	}
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// joinConnState sends what a connection holds once its response is
// complete: net/http reports the connection idle, hijacked or closed only
// after its last write.
func joinConnState(c net.Conn, state http.ConnState) {
	if state == http.StateNew || state == http.StateActive {
		return
	}
	if jc, ok := c.(*joinedConn); ok {
		_ = jc.flush() // a failed send shows on the connection's next use
	}
}
