//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
)

// The soak and the slow-body attack are load tests: they run only when
// asked, against 127.0.0.1, bounded in requests and time. See the README's
// Development section.
//
//	ROUTEDECK_SOAK=1000000 go test -run '^TestSoak$' -v -timeout 60m .
//	ROUTEDECK_SLOWBODY=1000 go test -run '^TestSlowBodyAttack$' -v -timeout 10m .

// envInt reads a positive integer from the environment, or skips the test.
func envInt(t *testing.T, name string) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("set %s to run this load test", name)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

func envDuration(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return d
}

// rssMB is the resident set size of process pid ("self" for this one).
func rssMB(pid string) float64 {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// soakRequest is one request of the mix and the statuses it may get.
type soakRequest struct {
	method, path, body, prefer string
	route                      *catalog.Route // nil for an unknown route
	want                       []int
}

// soakMix builds the request mix from the embedded catalog: every route
// with its sample path, POST bodies, Prefer headers picking a variant,
// HEAD for GET routes, hostile paths and unknown routes.
func soakMix(t *testing.T, cat *catalog.Catalog) []soakRequest {
	t.Helper()
	var mix []soakRequest
	for _, r := range cat.Routes {
		var both []int
		for _, v := range r.Variants {
			both = append(both, v.Status)
		}
		path := r.SamplePath(r.SampleParams())
		body := ""
		if r.Method == http.MethodPost {
			body = "amount=2000&currency=usd&description=soak&metadata[order]=42"
		}
		mix = append(mix,
			soakRequest{method: r.Method, path: path, body: body, route: r, want: both},
			soakRequest{method: r.Method, path: path, body: body, route: r, prefer: "example=error", want: []int{r.Variant(catalog.Error).Status}},
			soakRequest{method: r.Method, path: path, body: body, route: r, prefer: "code=" + strconv.Itoa(r.Variant(catalog.Success).Status), want: []int{r.Variant(catalog.Success).Status}},
		)
		if r.Method == http.MethodGet {
			mix = append(mix, soakRequest{method: http.MethodHead, path: path, route: r, want: both})
			if len(r.Params) > 0 {
				// A hostile id: escape sequences and a forged log line.
				params := r.SampleParams()
				params[r.Params[0]] = "%1b%5d2;PWNED%07x%0a12:00:00.000%20GET%20forged"
				mix = append(mix, soakRequest{method: r.Method, path: r.SamplePath(params), route: r, want: both})
			}
		}
	}
	mix = append(mix,
		soakRequest{method: "GET", path: "/v1/no_such_thing/%1b%5d52;c;aGk=%07", want: []int{404}},
		soakRequest{method: "DELETE", path: "/v1/nope?key=sk_test_51SoakSecret4242", want: []int{404}},
	)
	return mix
}

// soakMaxObjects is the soak's store cap: small enough that the store is
// full within the warm-up, so RSS after it measures the server, not the
// store's growth.
const soakMaxObjects = 2000

func TestSoak(t *testing.T) {
	total := envInt(t, "ROUTEDECK_SOAK")
	limit := envDuration(t, "ROUTEDECK_SOAK_TIME", 30*time.Minute)
	workers := 8
	if v, err := strconv.Atoi(os.Getenv("ROUTEDECK_SOAK_WORKERS")); err == nil && v > 0 {
		workers = v
	}

	// routedeck serve, in this process so that its variants can be flipped
	// and its goroutines counted, its log lines read from a pipe.
	// The store starts empty (--seed none), so a request to a sample id
	// is answered from the catalog whatever came before it, and its answer
	// depends only on the route's variant, which is what this soak checks.
	// Creates still store what they make: the store fills to its cap
	// early, and from then on a create is the store's documented refusal
	// (400 store_full), which keeps memory flat however long the soak runs.
	o, _, err := parseFlags("serve", []string{"--port", "0", "--https-port", "0",
		"--seed", "none", "--max-objects", strconv.Itoa(soakMaxObjects)}, servingFlags)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := o.newServer()
	if err != nil {
		t.Fatal(err)
	}
	goroutinesBefore := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	served := make(chan error, 1)
	cat := srv.Catalog()
	mix := soakMix(t, cat)
	go func() {
		served <- serveHeadless(ctx, nil, o, srv, pw, &stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	if !lines.Scan() {
		t.Fatalf("serve printed nothing: %s", stderr.String())
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(lines.Text())
	if base == "" {
		t.Fatalf("no URL in %q", lines.Text())
	}
	var logLines, unsafeLines atomic.Int64
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		for lines.Scan() {
			logLines.Add(1)
			for _, c := range lines.Text() {
				if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) {
					if unsafeLines.Add(1) == 1 {
						t.Errorf("log line with a control character: %q", lines.Text())
					}
					break
				}
			}
			if strings.Contains(lines.Text(), "SoakSecret") {
				t.Errorf("log line shows a secret: %q", lines.Text())
			}
		}
	}()

	// Stripe's request rules answer a success-variant request whose sample
	// body lacks a required parameter with a 400, as Stripe does: learn
	// those answers first, with every route on success and then on error.
	// A 5xx or an answer that is neither a variant nor a 400 fails here.
	probe := &http.Client{Timeout: 10 * time.Second}
	validated := 0
	for i := range mix {
		q := &mix[i]
		if q.route == nil {
			continue
		}
		var seen []int
		for _, kind := range []catalog.Kind{catalog.Success, catalog.Error} {
			srv.State().Set(q.route, kind)
			code := soakDo(t, probe, base, q)
			if code >= 500 || (!containsInt(q.want, code) && code != http.StatusBadRequest) {
				t.Fatalf("%s %s (Prefer %q, %s active): status %d", q.method, q.path, q.prefer, kind, code)
			}
			if !containsInt(seen, code) {
				seen = append(seen, code)
			}
		}
		srv.State().Set(q.route, catalog.Success)
		if containsInt(seen, http.StatusBadRequest) && !containsInt(q.want, http.StatusBadRequest) {
			validated++
		}
		if q.prefer == "" {
			q.want = seen
		} else if len(seen) == 1 {
			q.want = seen
		} else {
			t.Fatalf("%s %s (Prefer %q): the active variant changed the answer: %v", q.method, q.path, q.prefer, seen)
		}
	}
	t.Logf("soak: %d kinds of request; %d answer 400 from Stripe's request rules on their success variant", len(mix), validated)

	// Variants flip all the time, as a user pressing t would.
	var flips atomic.Int64
	flipCtx, stopFlips := context.WithCancel(ctx)
	go func() {
		rng := rand.New(rand.NewPCG(1, 2))
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-flipCtx.Done():
				return
			case <-tick.C:
				srv.State().Toggle(cat.Routes[rng.IntN(len(cat.Routes))])
				flips.Add(1)
			}
		}
	}()

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, DisableCompression: true},
	}
	var (
		sent, ok, unexpected, serverErrors, transportErrors, invalidJSON, storeFull atomic.Int64
		firstBad                                                                    sync.Once
	)
	deadline := time.Now().Add(limit)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			buf := make([]byte, 32<<10)
			for {
				n := sent.Add(1)
				if n > int64(total) || time.Now().After(deadline) {
					return
				}
				q := mix[rng.IntN(len(mix))]
				var body io.Reader
				if q.body != "" {
					body = strings.NewReader(q.body)
				}
				req, err := http.NewRequest(q.method, base+q.path, body)
				if err != nil {
					t.Errorf("%s %s: %v", q.method, q.path, err)
					return
				}
				req.Header.Set("Authorization", "Bearer sk_test_51SoakSecret4242")
				if q.body != "" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if q.prefer != "" {
					req.Header.Set("Prefer", q.prefer)
				}
				resp, err := client.Do(req)
				if err != nil {
					transportErrors.Add(1)
					firstBad.Do(func() { t.Logf("first transport error: %s %s: %v", q.method, q.path, err) })
					continue
				}
				size := 0
				for {
					m, err := resp.Body.Read(buf[size:])
					size += m
					if err != nil || size == len(buf) {
						_, _ = io.Copy(io.Discard, resp.Body)
						break
					}
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					serverErrors.Add(1)
				}
				if resp.StatusCode == http.StatusBadRequest && q.method == http.MethodPost &&
					!containsInt(q.want, resp.StatusCode) && bytes.Contains(buf[:size], []byte(`"store_full"`)) {
					storeFull.Add(1) // the cap's refusal, as documented
					ok.Add(1)
					continue
				}
				if !containsInt(q.want, resp.StatusCode) {
					if unexpected.Add(1) <= 5 {
						t.Errorf("%s %s (Prefer %q): status %d; want one of %v", q.method, q.path, q.prefer, resp.StatusCode, q.want)
					}
					continue
				}
				if n%100 == 0 && q.method != http.MethodHead && size < len(buf) &&
					resp.Header.Get("Content-Type") == "application/json" && !json.Valid(buf[:size]) {
					invalidJSON.Add(1)
				}
				ok.Add(1)
			}
		}(w)
	}

	// Sample RSS, goroutines and progress every two seconds.
	type sample struct {
		at         time.Duration
		done       int64
		rss        float64
		goroutines int
	}
	var samples []sample
	start := time.Now()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	tick := time.NewTicker(2 * time.Second)
	for loop := true; loop; {
		select {
		case <-finished:
			loop = false
		case <-tick.C:
			runtime.GC() // RSS of live memory, not of garbage waiting for the GC
			s := sample{time.Since(start).Round(time.Second), ok.Load() + unexpected.Load(), rssMB("self"), runtime.NumGoroutine()}
			samples = append(samples, s)
			t.Logf("%6v %9d requests %7.0f req/s  RSS %6.1f MB  goroutines %4d  flips %d",
				s.at, s.done, float64(s.done)/time.Since(start).Seconds(), s.rss, s.goroutines, flips.Load())
		}
	}
	tick.Stop()
	stopFlips()
	elapsed := time.Since(start)
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
	<-logDone

	done := ok.Load() + unexpected.Load() + transportErrors.Load()
	t.Logf("soak: %d requests in %v (%.0f req/s), %d workers, %d variant flips", done, elapsed.Round(time.Second), float64(done)/elapsed.Seconds(), workers, flips.Load())
	t.Logf("soak: %d as expected, %d unexpected statuses, %d 5xx, %d transport errors, %d invalid JSON of %d checked",
		ok.Load(), unexpected.Load(), serverErrors.Load(), transportErrors.Load(), invalidJSON.Load(), ok.Load()/100)
	t.Logf("soak: %d creates refused by the full store (--max-objects %d), as documented", storeFull.Load(), soakMaxObjects)
	t.Logf("soak: %d log lines, %d with a control character", logLines.Load(), unsafeLines.Load())
	if unexpected.Load() != 0 || serverErrors.Load() != 0 || transportErrors.Load() != 0 || invalidJSON.Load() != 0 || unsafeLines.Load() != 0 {
		t.Error("soak: failures above")
	}
	if done < int64(total) && time.Now().After(deadline) {
		t.Logf("soak: stopped by ROUTEDECK_SOAK_TIME=%v before %d requests", limit, total)
	}
	// Flat after warm-up: the first fifth of the run warms up; the last
	// fifth's mean RSS is within 20% of the second fifth's, and the
	// goroutines are back to where they started once serve has stopped.
	if len(samples) < 10 {
		t.Logf("soak: too short to judge RSS (%d samples)", len(samples))
	} else {
		fifth := len(samples) / 5
		mean := func(ss []sample) float64 {
			sum := 0.0
			for _, s := range ss {
				sum += s.rss
			}
			return sum / float64(len(ss))
		}
		early, late := mean(samples[fifth:2*fifth]), mean(samples[len(samples)-fifth:])
		lo, hi, glo, ghi := samples[fifth].rss, samples[fifth].rss, samples[fifth].goroutines, samples[fifth].goroutines
		for _, s := range samples[fifth:] {
			lo, hi = min(lo, s.rss), max(hi, s.rss)
			glo, ghi = min(glo, s.goroutines), max(ghi, s.goroutines)
		}
		t.Logf("soak: after warm-up RSS mean %.1f MB early, %.1f MB late (%+.0f%%), samples %.1f to %.1f MB; goroutines %d to %d",
			early, late, 100*(late-early)/early, lo, hi, glo, ghi)
		if (late-early)/early > 0.20 {
			t.Errorf("RSS grew after warm-up: mean %.1f MB to %.1f MB", early, late)
		}
	}
	client.CloseIdleConnections()
	var after int
	for wait := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if after = runtime.NumGoroutine(); after <= goroutinesBefore || time.Now().After(wait) {
			break
		}
	}
	t.Logf("soak: goroutines %d before serve started, %d after it stopped", goroutinesBefore, after)
	if after > goroutinesBefore {
		t.Errorf("goroutines grew: %d before, %d after", goroutinesBefore, after)
	}
}

// soakDo sends q once and returns the status.
func soakDo(t *testing.T, client *http.Client, base string, q *soakRequest) int {
	t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	req, err := http.NewRequest(q.method, base+q.path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	if q.body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if q.prefer != "" {
		req.Header.Set("Prefer", q.prefer)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", q.method, q.path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestSlowBodyAttack opens ROUTEDECK_SLOWBODY connections to a real
// `routedeck serve`, each announcing a 1 MiB body and sending a byte every
// 2 s (reconnecting when the server closes it), while a probe client asks
// for a customer every 200 ms. The server's RSS stays under 100 MB and
// every probe is answered.
func TestSlowBodyAttack(t *testing.T) {
	conns := envInt(t, "ROUTEDECK_SLOWBODY")
	length := envDuration(t, "ROUTEDECK_SLOWBODY_TIME", 40*time.Second)
	cmd := exec.Command(binary(t), "serve", "--port", "0", "--https-port", "0", "--quiet")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	first := bufio.NewScanner(stdout)
	if !first.Scan() {
		t.Fatal("serve printed nothing")
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(first.Text())
	addr := strings.TrimPrefix(base, "http://")
	pid := strconv.Itoa(cmd.Process.Pid)
	time.Sleep(200 * time.Millisecond)
	idle := rssMB(pid)

	ctx, cancel := context.WithTimeout(context.Background(), length)
	defer cancel()
	var open, dials, closedByServer, answered408 atomic.Int64
	var wg sync.WaitGroup
	head := fmt.Sprintf("POST /v1/charges HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", addr, 1<<20)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					time.Sleep(100 * time.Millisecond)
					continue
				}
				dials.Add(1)
				open.Add(1)
				stop := context.AfterFunc(ctx, func() { conn.Close() })
				go func() {
					// Whatever the server answers (a 408) and when it closes.
					if resp, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
						if resp.StatusCode == http.StatusRequestTimeout {
							answered408.Add(1)
						}
					}
					conn.Close()
				}()
				_, err = io.WriteString(conn, head)
				for err == nil && ctx.Err() == nil {
					time.Sleep(2 * time.Second)
					_, err = conn.Write([]byte("a"))
				}
				if ctx.Err() == nil {
					closedByServer.Add(1)
				}
				stop()
				conn.Close()
				open.Add(-1)
			}
		}()
		if i%100 == 99 {
			time.Sleep(20 * time.Millisecond) // let the listener keep up
		}
	}

	probe := &http.Client{Timeout: time.Second}
	var probes, probeFailures atomic.Int64
	var peak float64
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for n := 0; ctx.Err() == nil; n++ {
		select {
		case <-ctx.Done():
		case <-tick.C:
			probes.Add(1)
			resp, err := probe.Get(base + "/v1/customers/cus_probe")
			if err != nil || resp.StatusCode != 200 {
				if probeFailures.Add(1) <= 5 {
					t.Errorf("probe at %v: %v %v", time.Since(start).Round(time.Millisecond), err, resp)
				}
			}
			if resp != nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			rss := rssMB(pid)
			peak = max(peak, rss)
			if n%10 == 0 {
				t.Logf("%5v  server RSS %6.1f MB  attacking connections %4d  dials %5d  408s %5d", time.Since(start).Round(time.Second), rss, open.Load(), dials.Load(), answered408.Load())
			}
		}
	}
	wg.Wait()
	t.Logf("slow-body attack: %d connections for %v: server RSS idle %.1f MB, peak %.1f MB; %d probes, %d failed; %d dials, %d closed by the server, %d answered 408",
		conns, length, idle, peak, probes.Load(), probeFailures.Load(), dials.Load(), closedByServer.Load(), answered408.Load())
	if peak >= 100 {
		t.Errorf("server RSS peaked at %.1f MB; want under 100 MB", peak)
	}
	if probeFailures.Load() > 0 {
		t.Errorf("%d of %d probes failed", probeFailures.Load(), probes.Load())
	}
}
