package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/store"
)

// fillKeeper answers each success request with the next of its fills,
// as package stripe answers a prepared create: the stored object's
// template and values, never joined by the keeper.
type fillKeeper struct {
	mu    sync.Mutex
	fills []*store.Filled
	keys  Idempotency
}

func (k *fillKeeper) Answer(*catalog.Route, *render.Request, func() (string, error)) (Answer, *APIError) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := k.fills[0]
	k.fills = k.fills[1:]
	return Answer{Body: Fill(f), Change: Change{Op: "created", Type: "charge", ID: "ch_1"}}, nil
}

func (k *fillKeeper) Idempotency() Idempotency { return k.keys }

// cutFill is js cut at cuts (sorted) into a fresh template's pieces of
// text and values, by turns; values of equal text share one value.
func cutFill(t *testing.T, js string, cuts []int) *store.Filled {
	t.Helper()
	at := append([]int{0}, cuts...)
	if len(at)%2 == 0 {
		at = append(at, len(js))
	}
	at = append(at, len(js))
	var text, values []string
	var holes []int
	for i := 0; i+1 < len(at); i++ {
		seg := js[at[i]:at[i+1]]
		if i%2 == 0 {
			text = append(text, seg)
			continue
		}
		h := slices.Index(values, seg)
		if h < 0 {
			h = len(values)
			values = append(values, seg)
		}
		holes = append(holes, h)
	}
	tm, err := store.NewTemplate(text, holes)
	if err != nil {
		t.Fatal(err)
	}
	f, err := tm.Fill(values...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A stored object answered as its fill (its template's pieces and its
// values, written one after the other) reaches every reader byte for
// byte as its joined text: the client, with its Content-Length; a person
// (indented); an idempotent request and its replay; the request log.
// Many fills of several objects, cut at random places (empty pieces,
// shared values, cuts inside strings and escapes), each fresh, so that
// nothing was joined before the answer was written.
func TestFillAnswersAsItsText(t *testing.T) {
	big := `{"id":"ch_3Qx","object":"charge","amount":2000,"billing_details":{"address":{"city":null}},` +
		`"description":"caf\u00e9 \"quoted\" \\ back","metadata":{"k":"v"},"outcome":{"type":"authorized"},` +
		`"refunds":{"object":"list","data":[],"url":"/v1/charges/ch_3Qx/refunds"},"status":"succeeded","text":"` +
		strings.Repeat("x", 5000) + `"}`
	objects := []string{
		`{}`,
		`{"id":"ch_1","object":"charge","amount":2000,"created":1700000000,"paid":true}`,
		`{"a":"ünïcødé","b":[1,2,{"c":null}],"d":-1.5e3}`,
		big, // larger than net/http's buffers
	}
	rng := rand.New(rand.NewPCG(8, 2026))
	type answerCase struct {
		js   string
		cuts []int
	}
	var cases []answerCase
	for _, js := range objects {
		for range 12 {
			cuts := make([]int, rng.IntN(9))
			for i := range cuts {
				cuts[i] = rng.IntN(len(js) + 1)
			}
			slices.Sort(cuts)
			cases = append(cases, answerCase{js, cuts})
		}
	}
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keeper := &fillKeeper{keys: st}
	s, err := New(testCatalog(t), Options{Keeper: keeper})
	if err != nil {
		t.Fatal(err)
	}
	events, stop := s.Subscribe(64)
	defer stop()
	ts := httptest.NewServer(s)
	defer ts.Close()

	post := func(header http.Header) (string, *http.Response) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/v1/charges", strings.NewReader("amount=2000"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), resp
	}
	for i, c := range cases {
		keeper.mu.Lock()
		// A client, a person, an idempotent client: three fills, fresh.
		keeper.fills = []*store.Filled{cutFill(t, c.js, c.cuts), cutFill(t, c.js, c.cuts), cutFill(t, c.js, c.cuts)}
		keeper.mu.Unlock()

		got, resp := post(http.Header{"User-Agent": {"Stripe/v1 GoBindings/82.5.1"}})
		if got != c.js || resp.Header.Get("Content-Length") != strconv.Itoa(len(c.js)) {
			t.Fatalf("case %d (cuts %v): the client read %d bytes (Content-Length %s); want the %d of %.80q",
				i, c.cuts, len(got), resp.Header.Get("Content-Length"), len(c.js), c.js)
		}
		if e := <-events; e.ResponseBody != clipString(c.js) || e.ResponseBodySize != len(c.js) {
			t.Fatalf("case %d: the log shows %d bytes %.80q; want %d", i, e.ResponseBodySize, e.ResponseBody, len(c.js))
		}

		var want bytes.Buffer
		if err := json.Indent(&want, []byte(c.js), "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if got, _ := post(http.Header{"User-Agent": {"curl/8.5.0"}}); got != want.String() {
			t.Fatalf("case %d: curl read %.120q; want %.120q", i, got, want.String())
		}
		<-events

		key := http.Header{"Idempotency-Key": {"key-" + strconv.Itoa(i)}}
		first, _ := post(key)
		replay, resp := post(key)
		if first != c.js || replay != c.js || resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("case %d: idempotent answer %.80q, replay %.80q (replayed %q); want %.80q",
				i, first, replay, resp.Header.Get("Idempotent-Replayed"), c.js)
		}
		<-events
		<-events
	}
	if _, ok, _ := st.LookupIdempotency(context.Background(), "key-0"); !ok {
		t.Fatal("no idempotency record was kept")
	}
}

// A Body's text, length and writing agree, a fill's and a string's.
func TestBodyReadsAlike(t *testing.T) {
	js := `{"id":"ch_1","amount":2000}`
	for _, b := range []Body{Text(js), Fill(cutFill(t, js, []int{7, 11, 22, 26})), ObjectBody(store.Object{JSON: js})} {
		var w strings.Builder
		n, err := b.WriteTo(&w)
		if err != nil || n != int64(len(js)) || w.String() != js || b.String() != js || b.Len() != len(js) {
			t.Fatalf("WriteTo wrote %q (%d, %v), String %q, Len %d; want %q", w.String(), n, err, b.String(), b.Len(), js)
		}
	}
	if b := (Body{}); b.String() != "" || b.Len() != 0 || b.Filled() != nil {
		t.Fatalf("the zero Body reads %q, %d", b.String(), b.Len())
	}
}
