package server

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// HTTPS answers like HTTP, over HTTP/2, with a certificate for localhost,
// and names the stripe-mock release the catalog comes from, which
// stripe-go's test suite checks before it runs.
func TestServeTLS(t *testing.T) {
	s := newEmbeddedServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.ServeTLS(ctx, ln) }()

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		ForceAttemptHTTP2: true,
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true, ServerName: "localhost"},
	}}
	port := ln.Addr().(*net.TCPAddr).Port
	url := "https://127.0.0.1:" + strconv.Itoa(port)
	res, err := client.Get(url + "/v1/customers/cus_TLS")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"id":"cus_TLS"`) {
		t.Errorf("GET over HTTPS: %d %.200s", res.StatusCode, body)
	}
	if res.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", res.Proto)
	}
	if got := res.Header.Get("Stripe-Mock-Version"); got != "0.203.0" {
		t.Errorf("Stripe-Mock-Version %q, want 0.203.0", got)
	}
	certs := res.TLS.PeerCertificates
	if len(certs) == 0 || certs[0].VerifyHostname("localhost") != nil || certs[0].VerifyHostname("127.0.0.1") != nil {
		t.Errorf("certificate does not cover localhost and 127.0.0.1")
	}
	// The same certificate for every connection.
	client.CloseIdleConnections()
	res2, err := client.Get(url + "/v1/nope")
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != 404 || !res2.TLS.PeerCertificates[0].Equal(certs[0]) {
		t.Errorf("second connection: %d, same certificate %v", res2.StatusCode, res2.TLS.PeerCertificates[0].Equal(certs[0]))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeTLS: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeTLS did not stop")
	}
}
