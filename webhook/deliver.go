package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// UserAgent is the User-Agent of every delivery, in the form of Stripe's
// ("Stripe/1.0 (+https://stripe.com/docs/webhooks)").
const UserAgent = "Stripe/1.0 (+https://stripe.com/docs/webhooks; routedeck)"

// Timeout is how long an endpoint has to answer a delivery, as at Stripe.
const Timeout = 10 * time.Second

// ResponseLimit is how much of an endpoint's answer is kept.
const ResponseLimit = 2048

// Sign returns the Stripe-Signature header for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the whole
// secret, whsec_ included>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	// Time is when the attempt started.
	Time time.Time `json:"time"`
	// Duration is how long the endpoint took to answer (or to fail).
	Duration time.Duration `json:"duration"`
	// Status is the endpoint's HTTP status; 0 if it did not answer.
	Status int `json:"status"`
	// Error says why the attempt failed when the endpoint did not answer
	// (refused, timed out); empty otherwise.
	Error string `json:"error,omitempty"`
	// Response is the start of the endpoint's answer, at most
	// ResponseLimit bytes.
	Response string `json:"response"`
	// Skipped says the attempt was not sent, because the endpoint could
	// not be reached just before (see Options.Unreachable); Error says
	// when and why.
	Skipped bool `json:"skipped,omitempty"`
}

// OK reports whether the attempt delivered the event: a 2xx answer.
func (a Attempt) OK() bool { return a.Status >= 200 && a.Status < 300 }

// Deliver makes one signed delivery of body to url and waits at most
// timeout for the answer (Timeout, 10 s, is Stripe's). Redirects are not
// followed: as at Stripe, a 3xx is a failed delivery. client nil means
// NewClient().
func Deliver(ctx context.Context, client *http.Client, url, secret string, body []byte, timeout time.Duration) Attempt {
	if client == nil {
		client = NewClient()
	}
	start := time.Now()
	a := Attempt{Time: start}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		a.Error = fmt.Sprintf("bad endpoint URL: %v", err)
		return a
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "*/*; q=0.5, application/xml")
	req.Header.Set("Cache-Control", "no-cache")
	req.Header.Set("Stripe-Signature", Sign(secret, start, body))
	resp, err := client.Do(req)
	if err != nil {
		a.Duration = time.Since(start)
		a.Error = describe(err, timeout)
		return a
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, ResponseLimit))
	a.Duration = time.Since(start)
	a.Status = resp.StatusCode
	a.Response = string(b)
	return a
}

// NewClient is the HTTP client deliveries use: no redirects, no cookies.
func NewClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// describe words a transport error briefly.
func describe(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within %v", timeout)
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner.Error()
		}
	}
	return err.Error()
}
