package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// recordingConn is a connection that records what is written to it.
type recordingConn struct {
	net.Conn
	writes      [][]byte
	closed      bool
	closedWrite bool
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

func (c *recordingConn) Close() error      { c.closed = true; return nil }
func (c *recordingConn) CloseWrite() error { c.closedWrite = true; return nil }

func (c *recordingConn) sent() []byte { return bytes.Join(c.writes, nil) }

func TestJoinedConnHoldsAFullBufferUntilTheNextWrite(t *testing.T) {
	rec := &recordingConn{}
	c := &joinedConn{Conn: rec}
	full := bytes.Repeat([]byte("a"), joinSize)
	if n, err := c.Write(full); n != joinSize || err != nil {
		t.Fatalf("Write(full) = %d, %v", n, err)
	}
	if len(rec.writes) != 0 {
		t.Fatalf("a full buffer was sent at once (%d writes); it must wait for the rest", len(rec.writes))
	}
	if n, err := c.Write([]byte("tail")); n != 4 || err != nil {
		t.Fatalf("Write(tail) = %d, %v: the count must be the tail's", n, err)
	}
	if want := append(bytes.Clone(full), "tail"...); !bytes.Equal(rec.sent(), want) {
		t.Fatalf("sent %d bytes, want the full buffer then the tail (%d)", len(rec.sent()), len(want))
	}
	// Other sizes pass straight through.
	rec.writes = nil
	for _, n := range []int{1, joinSize - 1, joinSize + 1, 3 * joinSize} {
		if _, err := c.Write(bytes.Repeat([]byte("b"), n)); err != nil {
			t.Fatal(err)
		}
		if got := len(rec.writes[len(rec.writes)-1]); got != n {
			t.Fatalf("a %d-byte write reached the connection as %d bytes", n, got)
		}
	}
}

func TestJoinedConnSendsWhatItHoldsWhenTheConnectionEnds(t *testing.T) {
	full := bytes.Repeat([]byte("a"), joinSize)
	for _, tc := range []struct {
		name string
		end  func(c *joinedConn) error
		ok   func(rec *recordingConn) bool
	}{
		{"idle", func(c *joinedConn) error { joinConnState(c, http.StateIdle); return nil }, func(*recordingConn) bool { return true }},
		{"hijacked", func(c *joinedConn) error { joinConnState(c, http.StateHijacked); return nil }, func(*recordingConn) bool { return true }},
		{"close", (*joinedConn).Close, func(rec *recordingConn) bool { return rec.closed }},
		{"close write", (*joinedConn).CloseWrite, func(rec *recordingConn) bool { return rec.closedWrite }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingConn{}
			c := &joinedConn{Conn: rec}
			if _, err := c.Write(full); err != nil {
				t.Fatal(err)
			}
			joinConnState(c, http.StateActive) // a request in progress sends nothing
			if len(rec.writes) != 0 {
				t.Fatal("an active connection sent its held buffer")
			}
			if err := tc.end(c); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rec.sent(), full) || !tc.ok(rec) {
				t.Fatalf("sent %d bytes (want %d), closed %v, closed for writing %v", len(rec.sent()), len(full), rec.closed, rec.closedWrite)
			}
		})
	}
}

// TestJoinedWritesServeEveryAnswerWhole serves answers whose header and
// body end just before, at and after the edges of net/http's buffer, over
// a kept-alive connection and over connections net/http closes, and
// checks each arrives whole and at once (a held buffer never sent would
// leave the client waiting).
func TestJoinedWritesServeEveryAnswerWhole(t *testing.T) {
	body := func(n int) []byte { return bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n] }
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header()["Date"] = nil // a fixed header size
		w.Header()["Content-Type"] = []string{"text/plain"}
		w.Header()["Content-Length"] = []string{strconv.Itoa(n)}
		_, _ = w.Write(body(n))
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(joinWrites(hs, ln)) }()
	defer hs.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	get := func(conn net.Conn, r *bufio.Reader, n int, closing bool) {
		t.Helper()
		header := ""
		if closing {
			header = "Connection: close\r\n"
		}
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := fmt.Fprintf(conn, "GET /%d HTTP/1.1\r\nHost: x\r\n%s\r\n", n, header); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("%d-byte answer: %v", n, err)
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || !bytes.Equal(got, body(n)) {
			t.Fatalf("%d-byte answer: read %d bytes (%v), want %d", n, len(got), err, n)
		}
	}
	// The header's size (the same for every body of 1,000 to 9,999
	// bytes), to put answers at the buffer's edges.
	if _, err := fmt.Fprintf(conn, "GET /1000 HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, 0, 2048)
	for !bytes.Contains(raw, []byte("\r\n\r\n")) || len(raw) < bytes.Index(raw, []byte("\r\n\r\n"))+4+1000 {
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 2048)
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, buf[:n]...)
	}
	head := bytes.Index(raw, []byte("\r\n\r\n")) + 4
	for _, total := range []int{joinSize - 1, joinSize, joinSize + 1, 2 * joinSize, 2*joinSize + 1} {
		get(conn, r, total-head, false)
	}
	get(conn, r, 100_000, false)
	for _, total := range []int{joinSize, 2 * joinSize, joinSize + 1} {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		get(c, bufio.NewReader(c), total-head, true)
		c.Close()
	}
}
