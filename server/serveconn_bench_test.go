package server_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// BenchmarkServeConnPostCharge serves the peer run's stored create (wrk's
// POST /v1/charges) through Serve, net/http's connection loop and the
// joined writes included, over one connection that replays the request:
// no client and no kernel share the measure, so ns/op, cpu-ns/op,
// allocs/op and B/op are the server's own per request. The server is
// built as `serve` builds it (a webhook sender taking the events, GOGC
// 400).
func BenchmarkServeConnPostCharge(b *testing.B) {
	s := servedState(b)
	req := "POST /v1/charges HTTP/1.1\r\nHost: 127.0.0.1:12111\r\nAuthorization: Bearer sk_test_123\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n" +
		"amount=2000&currency=usd&source=tok_visa"
	serveReplayed(b, s, req, `"object":"charge"`)
}

// servedState is statefulServer with the event hand-off `serve` makes.
func servedState(b *testing.B) *server.Server {
	b.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.New(store.Options{Seed: stripe.Seed(cat), MaxObjects: 50_000_000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	reg := webhook.NewRegistry()
	sender := webhook.NewSender(reg, webhook.Options{})
	b.Cleanup(func() { sender.Close() })
	state := stripe.NewState(cat, rules, st, stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})
	s, err := server.New(cat, server.Options{Rules: rules, Keeper: state, Own: state.Own(), TestValues: state.Payments()})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// serveReplayed serves req b.N times over one replaying connection and
// checks that the first answer is a 200 holding want.
func serveReplayed(b *testing.B, s *server.Server, req, want string) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	// A few requests first: the prepared create, the first answers.
	warm := newReplayConn(req, 50)
	serveConn(b, s, warm)
	first := warm.out.String()
	if !bytes.HasPrefix(warm.out.Bytes(), []byte("HTTP/1.1 200 OK\r\n")) || !bytes.Contains(warm.out.Bytes(), []byte(want)) {
		b.Fatalf("answer: %.600s", first)
	}
	c := newReplayConn(req, b.N)
	c.keep = false
	c.deadlines = loopbackConn(b)
	b.ReportAllocs()
	b.ResetTimer()
	m := cputime.Start()
	serveConn(b, s, c)
	m.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
	b.StopTimer()
	if c.answers() != b.N {
		b.Fatalf("%d answers to %d requests", c.answers(), b.N)
	}
}

// serveConn serves c until its last request is answered.
func serveConn(b *testing.B, s *server.Server, c *replayConn) {
	ln := &oneConnListener{c: c, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx, ln) }()
	<-c.closed
	cancel()
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

// replayConn is a connection whose client sends one request n times (the
// last asking to close) and reads nothing back: what the server writes is
// counted (and kept, when keep is set).
type replayConn struct {
	reqs   [2]string // the request, then the last one
	n      int       // requests to send
	sent   int       // requests begun
	pos    int       // bytes of the current request sent
	mu     sync.Mutex
	wrote  int
	keep   bool
	out    bytes.Buffer
	closed chan struct{}
	once   sync.Once
	// deadlines, when set, takes the deadlines set on the connection,
	// as a TCP connection's (the poller's timers) cost them.
	deadlines net.Conn
}

func newReplayConn(req string, n int) *replayConn {
	last := bytes.Replace([]byte(req), []byte("\r\n\r\n"), []byte("\r\nConnection: close\r\n\r\n"), 1)
	return &replayConn{reqs: [2]string{req, string(last)}, n: n, keep: true, closed: make(chan struct{})}
}

func (c *replayConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for n < len(p) && c.sent < c.n {
		r := c.reqs[0]
		if c.sent == c.n-1 {
			r = c.reqs[1]
		}
		k := copy(p[n:], r[c.pos:])
		n += k
		if c.pos += k; c.pos == len(r) {
			c.pos = 0
			c.sent++
			break // one request a read, as a client waiting for answers sends them
		}
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (c *replayConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wrote += bytes.Count(p, []byte("HTTP/1.1 "))
	if c.keep {
		c.out.Write(p)
	}
	return len(p), nil
}

// answers is how many status lines the server wrote.
func (c *replayConn) answers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wrote
}

func (c *replayConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

func (c *replayConn) LocalAddr() net.Addr  { return replayAddr{} }
func (c *replayConn) RemoteAddr() net.Addr { return replayAddr{} }
func (c *replayConn) SetDeadline(t time.Time) error {
	if c.deadlines == nil {
		return nil
	}
	return c.deadlines.SetDeadline(t)
}

func (c *replayConn) SetReadDeadline(t time.Time) error {
	if c.deadlines == nil {
		return nil
	}
	return c.deadlines.SetReadDeadline(t)
}

func (c *replayConn) SetWriteDeadline(t time.Time) error {
	if c.deadlines == nil {
		return nil
	}
	return c.deadlines.SetWriteDeadline(t)
}

// loopbackConn is one end of a loopback TCP connection, closed when the
// benchmark ends.
func loopbackConn(b *testing.B) net.Conn {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); peer.Close() })
	return c
}

type replayAddr struct{}

func (replayAddr) Network() string { return "tcp" }
func (replayAddr) String() string  { return "127.0.0.1:" + strconv.Itoa(12111) }

// oneConnListener accepts c, then waits for Close.
type oneConnListener struct {
	c    net.Conn
	once sync.Once
	mu   sync.Mutex
	done chan struct{}
	shut sync.Once
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = l.c })
	if c != nil {
		return c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error {
	l.shut.Do(func() { close(l.done) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return replayAddr{} }
