package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// When the shutdown grace runs out, Serve closes what is left and says how
// many requests it cut off, rather than "context deadline exceeded".
func TestShutdownGraceSaysHowManyRequestsWereCutOff(t *testing.T) {
	s, err := New(testCatalog(t), Options{ShutdownGrace: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	// Two requests that announce a body and never send it.
	for i := 0; i < 2; i++ {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /v1/charges HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
	}
	for deadline := time.Now().Add(5 * time.Second); s.InFlight() < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("InFlight = %d; want 2", s.InFlight())
		}
	}
	start := time.Now()
	cancel()
	var cut *CutOffError
	select {
	case err := <-served:
		if !errors.As(err, &cut) || cut.Requests != 2 || !strings.Contains(err.Error(), "2 requests were cut off") ||
			strings.Contains(err.Error(), "deadline") {
			t.Errorf("Serve: %v; want 2 requests cut off", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its grace")
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("gave up after %v; want the 300ms grace", d)
	}
	if n := s.InFlight(); n != 0 {
		// The handlers end once their connections are closed.
		time.Sleep(200 * time.Millisecond)
		if n = s.InFlight(); n != 0 {
			t.Errorf("InFlight = %d after shutdown", n)
		}
	}
}
