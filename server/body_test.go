package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// serveTCP serves s on a free loopback port until the test ends and
// returns its address.
func serveTCP(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-served
	})
	return ln.Addr().String()
}

// readResponse reads one response from a raw connection and decodes its
// Stripe error envelope, if it has one.
func readResponse(t *testing.T, conn net.Conn) (*http.Response, stripeErrorFields) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	var e stripeErrorBody
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("%d: body is not Stripe's error envelope: %v\n%s", resp.StatusCode, err, data)
	}
	return resp, e.Error
}

// The body buffer grows as bytes arrive, not to the announced length: a
// client announcing 1 MiB and sending ten bytes costs about ten bytes.
func TestBodyBufferGrowsAsBytesArrive(t *testing.T) {
	s := newTestServer(t)
	events, cancel := s.Subscribe(1)
	defer cancel()
	req := httptest.NewRequest("POST", "/v1/charges", strings.NewReader("amount=500"))
	req.ContentLength = MaxBodyBytes
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	e := <-events
	if string(e.RequestBody) != "amount=500" {
		t.Fatalf("body %q", e.RequestBody)
	}
	if c := cap(e.RequestBody); c > 16<<10 {
		t.Errorf("a 10-byte body announced as 1 MiB took a %d-byte buffer", c)
	}
}

// A body that stalls gets a Stripe-shaped 408 once the body deadline
// passes, and the connection is closed; a client trickling a byte at a time
// cannot hold it open.
func TestStalledBodyGets408(t *testing.T) {
	s, err := New(testCatalog(t), Options{BodyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTCP(t, s)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /v1/charges HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\na", MaxBodyBytes)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, e := readResponse(t, conn)
	if resp.StatusCode != http.StatusRequestTimeout || e.Type != "invalid_request_error" || !strings.Contains(e.Message, "0.3s") {
		t.Errorf("got %d %+v", resp.StatusCode, e)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 4*time.Second {
		t.Errorf("answered after %v; want about the 300ms deadline", d)
	}
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Error("connection still open after the 408")
	}
	// The deadline is the body's only: a request on a fresh connection
	// that sends its body at once is served as usual.
	resp2, err := http.Post("http://"+addr+"/v1/charges", "application/x-www-form-urlencoded", strings.NewReader("amount=7"))
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != 200 {
		t.Errorf("next client: %d", resp2.StatusCode)
	}
}

// A keep-alive connection whose first request had a body is not cut by the
// body deadline on a later, slower exchange.
func TestBodyDeadlineEndsWithTheBody(t *testing.T) {
	s, err := New(testCatalog(t), Options{BodyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTCP(t, s)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	for i := 0; i < 2; i++ {
		resp, err := client.Post("http://"+addr+"/v1/charges", "application/x-www-form-urlencoded", strings.NewReader("amount=7"))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
		time.Sleep(400 * time.Millisecond) // longer than the body deadline
	}
}

// A body that arrives after its headers is read under the body deadline
// (set on the connection as the read waits for it), and the deadline
// ends with the body: an answer that takes longer than it (the catalog's
// latency) is still sent, and the next request on the connection served.
func TestLateBodyDeadlineEndsWithTheBody(t *testing.T) {
	cat := testCatalog(t)
	cat.Latency = 400 * time.Millisecond
	s, err := New(cat, Options{BodyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", serveTCP(t, s))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for i := 0; i < 2; i++ {
		fmt.Fprintf(conn, "POST /v1/charges HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\n")
		time.Sleep(50 * time.Millisecond) // the server waits for the body
		fmt.Fprint(conn, "amount=7")
		start := time.Now()
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: no answer: %v", i, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), `"object"`) {
			t.Fatalf("request %d: %d %v %s", i, resp.StatusCode, err, body)
		}
		if d := time.Since(start); d < 300*time.Millisecond {
			t.Fatalf("request %d answered after %v, before the catalog's 400ms latency", i, d)
		}
	}
}

// A client that writes its whole oversized body before reading (as
// Python's urllib does) gets the Stripe-shaped 413, not a reset.
func TestWholeBodyFirstGets413(t *testing.T) {
	addr := serveTCP(t, newTestServer(t))
	for _, size := range []int{MaxBodyBytes + 1, 10 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
			head := fmt.Sprintf("POST /v1/charges HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", size)
			body := "amount=" + strings.Repeat("9", size-len("amount="))
			if _, err := io.WriteString(conn, head+body); err != nil {
				t.Fatalf("writing the body: %v", err)
			}
			resp, e := readResponse(t, conn)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || e.Type != "invalid_request_error" || e.Code != "request_too_large" {
				t.Errorf("got %d %+v", resp.StatusCode, e)
			}
		})
	}
}

// With Expect: 100-continue, an oversized body is refused before the
// client sends it.
func TestExpectContinueTooLargeIsRefusedAtOnce(t *testing.T) {
	addr := serveTCP(t, newTestServer(t))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "POST /v1/charges HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", 10<<20)
	resp, e := readResponse(t, conn)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || e.Code != "request_too_large" {
		t.Errorf("got %d %+v", resp.StatusCode, e)
	}
}
