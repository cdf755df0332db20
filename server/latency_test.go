package server

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"testing/fstest"
	"time"

	"github.com/routedeck/routedeck/catalog"
)

// slowCatalog answers GET /slow after the catalog's latency plus the
// variant's.
func slowCatalog(t *testing.T, catalogMS, variantMS int) *catalog.Catalog {
	t.Helper()
	fsys := fstest.MapFS{
		"catalog.json": {Data: fmt.Appendf(nil, `{"name": "Slow", "latency": %d, "routes": [
  {"method": "GET", "path": "/slow", "variants": [
    {"kind": "success", "status": 200, "file": "ok.hbs", "latency": %d},
    {"kind": "error", "status": 500, "file": "ok.hbs"}]}]}`, catalogMS, variantMS)},
		"ok.hbs": {Data: []byte(`{"ok": true}`)},
	}
	cat, err := catalog.Load(fsys, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// A client that hangs up while its answer waits frees the handler at once.
func TestLatencyEndsWhenTheClientHangsUp(t *testing.T) {
	s, err := New(slowCatalog(t, 0, 60_000), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = s.Serve(ctx, ln) }()
	reqCtx, hangUp := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(reqCtx, "GET", "http://"+ln.Addr().String()+"/slow", nil)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); s.InFlight() < 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request never arrived")
		}
	}
	hangUp()
	if err := <-done; err == nil {
		t.Fatal("the client got an answer though the latency is a minute")
	}
	for deadline := time.Now().Add(10 * time.Second); s.InFlight() > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("InFlight = %d ten seconds after the client hung up: the handler still waits", s.InFlight())
		}
	}
}

// Shutting down answers waiting requests at once: latency never holds a
// shutdown, and the answer still goes out.
func TestLatencyDoesNotHoldShutdown(t *testing.T) {
	s, err := New(slowCatalog(t, 30_000, 30_000), Options{ShutdownGrace: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	status := make(chan int, 1)
	go func() {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			status <- 0
			return
		}
		defer conn.Close()
		resp, err := http.ReadResponse(bufioReader(conn, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"), nil)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	for deadline := time.Now().Add(5 * time.Second); s.InFlight() < 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request never arrived")
		}
	}
	start := time.Now()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if got := <-status; got != 200 {
		t.Errorf("the waiting request got %d; want its 200", got)
	}
	// The answer waited a minute in all; the shutdown grace is 20 s.
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("shutdown took %v: latency held it", d)
	}
}

// bufioReader writes req on conn and reads from it.
func bufioReader(conn net.Conn, req string) *bufio.Reader {
	_, _ = conn.Write([]byte(req))
	return bufio.NewReader(conn)
}
