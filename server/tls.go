package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// SelfSignedTLS returns a TLS configuration for a local HTTPS listener, as
// stripe-mock has: a self-signed certificate for localhost, 127.0.0.1 and
// ::1, made on the first handshake (so start-up does not pay for it) and
// kept for the life of the configuration. Clients must skip verification
// (stripe-go's test suite does). HTTP/2 is offered first.
func SelfSignedTLS() *tls.Config {
	cert := sync.OnceValues(selfSignedCert)
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return cert()
		},
	}
}

// selfSignedCert makes an ECDSA P-256 certificate valid from an hour ago
// for a year.
func selfSignedCert() (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("https certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("https certificate: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"routedeck"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("https certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("https certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// ServeTLS serves HTTPS (HTTP/2 and HTTP/1.1) on ln with a self-signed
// certificate (SelfSignedTLS) until ctx is done, then shuts down
// gracefully. It runs beside Serve, which owns the subscriptions: ServeTLS
// leaves them open.
func (s *Server) ServeTLS(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer()
	hs.TLSConfig = SelfSignedTLS()
	errc := make(chan error, 1)
	// The certificate comes from TLSConfig; ServeTLS also enables HTTP/2.
	go func() { errc <- hs.ServeTLS(ln, "", "") }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	return s.shutdown(hs, errc)
}
