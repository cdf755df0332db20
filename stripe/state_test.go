package stripe_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// stateServer serves the embedded catalog with the Stripe rules and a
// store, as `routedeck serve` does, over real HTTP.
type stateServer struct {
	ts    *httptest.Server
	store *store.Memory
}

type stateConfig struct {
	strict bool
	seed   bool
	store  store.Options
}

func newStateServer(t *testing.T, cfg stateConfig) *stateServer {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	opts := cfg.store
	if cfg.seed {
		opts.Seed = stripe.Seed(cat)
	}
	sopts := stripe.StateOptions{Strict: cfg.strict}
	st, err := store.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Strict: cfg.strict, Objects: stripe.StoreObjects(st)})
	srv, err := server.New(cat, server.Options{Rules: rules, Keeper: stripe.NewState(cat, rules, st, sopts)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	s := &stateServer{ts: ts, store: st}
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		_ = st.Close()
	})
	return s
}

func (s *stateServer) client() *stripego.Client {
	return clientFor(s.ts)
}

func stripeErrorOf(t *testing.T, err error) *stripego.Error {
	t.Helper()
	var se *stripego.Error
	if !errors.As(err, &se) {
		t.Fatalf("err %v (%T); want a *stripe.Error", err, err)
	}
	return se
}

var ctx = context.Background()

func TestStateCreateRetrieveUpdate(t *testing.T) {
	sc := newStateServer(t, stateConfig{seed: true}).client()
	created, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{
		Email:            stripego.String("jenny@example.com"),
		Name:             stripego.String("Jenny Rosen"),
		Balance:          stripego.Int64(-250),
		Metadata:         map[string]string{"order": "6735", "plan": "pro"},
		Address:          &stripego.AddressParams{City: stripego.String("Paris"), Country: stripego.String("FR")},
		PreferredLocales: stripego.StringSlice([]string{"fr", "en"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.Email != "jenny@example.com" || created.Balance != -250 || created.Address.City != "Paris" ||
		created.Metadata["plan"] != "pro" || !reflect.DeepEqual(created.PreferredLocales, []string{"fr", "en"}) {
		t.Fatalf("create answered %+v", created)
	}
	got, err := sc.V1Customers.Retrieve(ctx, created.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	created.LastResponse, got.LastResponse = nil, nil
	if !reflect.DeepEqual(created, got) {
		t.Fatalf("retrieve differs from create:\n%+v\n%+v", got, created)
	}

	up := &stripego.CustomerUpdateParams{Name: stripego.String("Jenny R."), Address: &stripego.AddressParams{Line1: stripego.String("1 rue de Rivoli")}}
	up.AddMetadata("order", "")
	up.AddMetadata("seat", "3")
	updated, err := sc.V1Customers.Update(ctx, created.ID, up)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != "Jenny R." || updated.Email != "jenny@example.com" {
		t.Errorf("update: name %q email %q", updated.Name, updated.Email)
	}
	if want := map[string]string{"plan": "pro", "seat": "3"}; !reflect.DeepEqual(updated.Metadata, want) {
		t.Errorf("metadata %v, want %v (order unset by \"\")", updated.Metadata, want)
	}
	if updated.Address.City != "Paris" || updated.Address.Line1 != "1 rue de Rivoli" {
		t.Errorf("address merged as %+v", updated.Address)
	}
	again, err := sc.V1Customers.Retrieve(ctx, created.ID, nil)
	if err != nil || again.Name != "Jenny R." || again.Metadata["seat"] != "3" {
		t.Fatalf("retrieve after update: %v %+v", err, again)
	}
}

func TestStateListPagesNewestFirst(t *testing.T) {
	sc := newStateServer(t, stateConfig{}).client()
	var ids []string
	for i := range 7 {
		c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String(fmt.Sprintf("u%d@example.com", i%3))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append([]string{c.ID}, ids...)
	}
	var listed []string
	params := &stripego.CustomerListParams{}
	params.Limit = stripego.Int64(2)
	for c, err := range sc.V1Customers.List(ctx, params) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, c.ID)
	}
	if !reflect.DeepEqual(listed, ids) {
		t.Fatalf("listed %v\nwant    %v (every customer once, newest first)", listed, ids)
	}

	var byEmail []string
	for c, err := range sc.V1Customers.List(ctx, &stripego.CustomerListParams{Email: stripego.String("u1@example.com")}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Email != "u1@example.com" {
			t.Errorf("email filter let %s through", c.Email)
		}
		byEmail = append(byEmail, c.ID)
	}
	if want := []string{ids[2], ids[5]}; !reflect.DeepEqual(byEmail, want) {
		t.Errorf("email=u1@example.com listed %v, want %v", byEmail, want)
	}
}

func TestStateListLimitAndTotalCount(t *testing.T) {
	s := newStateServer(t, stateConfig{})
	for range 3 {
		if code, _, raw := call(t, s.ts, "POST", "/v1/products", "name=Widget"); code != 200 {
			t.Fatalf("create product: %d %s", code, raw)
		}
	}
	code, body, raw := call(t, s.ts, "GET", "/v1/products?limit=2&include[]=total_count", "")
	if code != 200 || body["has_more"] != true || body["total_count"] != float64(3) || body["url"] != "/v1/products" {
		t.Fatalf("page: %d %s", code, raw)
	}
	for _, bad := range []string{"0", "101"} {
		code, body, raw := call(t, s.ts, "GET", "/v1/products?limit="+bad, "")
		if e := errorOf(body); code != 400 || e.Param != "limit" || !strings.Contains(e.Message, "between 1 and 100") {
			t.Errorf("limit=%s: %d %s", bad, code, raw)
		}
	}
}

func TestStateDelete(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			sc := newStateServer(t, stateConfig{strict: strict, seed: true}).client()
			c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("gone@example.com")})
			if err != nil {
				t.Fatal(err)
			}
			del, err := sc.V1Customers.Delete(ctx, c.ID, nil)
			if err != nil || !del.Deleted || del.ID != c.ID {
				t.Fatalf("delete: %v %+v", err, del)
			}
			got, err := sc.V1Customers.Retrieve(ctx, c.ID, nil)
			if strict {
				se := stripeErrorOf(t, err)
				if se.HTTPStatusCode != 404 || se.Code != stripego.ErrorCodeResourceMissing || se.Msg != "No such customer: '"+c.ID+"'" {
					t.Fatalf("retrieve after delete: %d %s %q", se.HTTPStatusCode, se.Code, se.Msg)
				}
				return
			}
			// Without --strict an id never (or no longer) stored gets the
			// fixture with the id echoed, as stripe-mock answers.
			if err != nil || got.ID != c.ID || got.Email == "gone@example.com" {
				t.Fatalf("retrieve after delete: %v %+v", err, got)
			}
		})
	}
}

func TestStateCardUnderCustomer(t *testing.T) {
	s := newStateServer(t, stateConfig{strict: true})
	sc := s.client()
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("card@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	src, err := sc.V1PaymentSources.Create(ctx, &stripego.PaymentSourceCreateParams{
		Customer: stripego.String(c.ID), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for ps, err := range sc.V1PaymentSources.List(ctx, &stripego.PaymentSourceListParams{Customer: stripego.String(c.ID)}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, ps.ID)
	}
	if !reflect.DeepEqual(listed, []string{src.ID}) {
		t.Fatalf("sources of %s: %v, want [%s]", c.ID, listed, src.ID)
	}
	// The card goes with its customer.
	if _, err := sc.V1Customers.Delete(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Get(ctx, src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("card %s outlived its customer: %v", src.ID, err)
	}
}

func TestStateExpandStoredCustomer(t *testing.T) {
	sc := newStateServer(t, stateConfig{seed: true}).client()
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("payer@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{
		Amount: stripego.Int64(2000), Currency: stripego.String("usd"), Customer: stripego.String(c.ID),
	})
	if err != nil {
		t.Fatal(err)
	}
	if pi.Amount != 2000 || pi.Customer == nil || pi.Customer.ID != c.ID {
		t.Fatalf("payment intent stored as %+v", pi)
	}
	params := &stripego.PaymentIntentRetrieveParams{}
	params.AddExpand("customer")
	got, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, params)
	if err != nil {
		t.Fatal(err)
	}
	if got.Customer == nil || got.Customer.ID != c.ID || got.Customer.Email != "payer@example.com" {
		t.Fatalf("expanded customer %+v, want the stored %s", got.Customer, c.ID)
	}
}

func TestStateIdempotency(t *testing.T) {
	s := newStateServer(t, stateConfig{})
	send := func(form string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", s.ts.URL+"/v1/customers", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Idempotency-Key", "key-1")
		resp, err := s.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		if _, err := fmt.Fprint(&b, readAll(t, resp)); err != nil {
			t.Fatal(err)
		}
		return resp, b.String()
	}
	first, body1 := send("email=once@example.com")
	second, body2 := send("email=once@example.com")
	if first.StatusCode != 200 || second.StatusCode != 200 || body1 != body2 {
		t.Fatalf("replay differs: %d %d\n%s\n%s", first.StatusCode, second.StatusCode, body1, body2)
	}
	if first.Header.Get("Idempotent-Replayed") != "" || second.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("Idempotent-Replayed: first %q, second %q", first.Header.Get("Idempotent-Replayed"), second.Header.Get("Idempotent-Replayed"))
	}
	if n := s.store.Stats().Types["customer"]; n != 1 {
		t.Errorf("%d customers stored, want 1 (the replay stores nothing)", n)
	}
	third, body3 := send("email=other@example.com")
	if third.StatusCode != 400 || !strings.Contains(body3, `"idempotency_error"`) || !strings.Contains(body3, "key-1") {
		t.Fatalf("different parameters: %d %s", third.StatusCode, body3)
	}

	// Through stripe-go: the conflict is its typed error.
	sc := s.client()
	p := &stripego.CustomerCreateParams{Email: stripego.String("third@example.com")}
	p.SetIdempotencyKey("key-1")
	_, err := sc.V1Customers.Create(ctx, p)
	if se := stripeErrorOf(t, err); se.Type != stripego.ErrorTypeIdempotency || se.HTTPStatusCode != 400 {
		t.Fatalf("stripe-go: %s %d", se.Type, se.HTTPStatusCode)
	}
}

func TestStateSearch(t *testing.T) {
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cat.Lookup("GET /v1/customers/search"); !ok {
		t.Skip("the catalog has no GET /v1/customers/search")
	}
	sc := newStateServer(t, stateConfig{seed: true}).client()
	a, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("a@example.com"), Metadata: map[string]string{"tier": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("b@example.com"), Metadata: map[string]string{"tier": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	search := func(q string) []string {
		var out []string
		p := &stripego.CustomerSearchParams{}
		p.Query = q
		p.Limit = stripego.Int64(1)
		for c, err := range sc.V1Customers.Search(ctx, p) {
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, c.ID)
		}
		return out
	}
	if got := search(`email:"a@example.com"`); !reflect.DeepEqual(got, []string{a.ID}) {
		t.Errorf("by email: %v", got)
	}
	if got := search(`metadata["tier"]:"gold"`); !reflect.DeepEqual(got, []string{b.ID, a.ID}) {
		t.Errorf("by metadata (paged by 1): %v", got)
	}
	if got := search(`email:"b@example.com" OR email:"a@example.com"`); len(got) != 2 {
		t.Errorf("OR: %v", got)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first := newStateServer(t, stateConfig{seed: true, store: store.Options{Path: path}})
	c, err := first.client().V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("kept@example.com"), Metadata: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.store.Close(); err != nil {
		t.Fatal(err)
	}
	second := newStateServer(t, stateConfig{seed: true, strict: true, store: store.Options{Path: path}})
	got, err := second.client().V1Customers.Retrieve(ctx, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.LastResponse, got.LastResponse = nil, nil
	if !reflect.DeepEqual(c, got) {
		t.Fatalf("after restart:\n%+v\nwant\n%+v", got, c)
	}
	if a, b := first.store.Stats().Objects, second.store.Stats().Objects; a != b {
		t.Errorf("%d objects before the restart, %d after", a, b)
	}
}

func TestStateCap(t *testing.T) {
	s := newStateServer(t, stateConfig{store: store.Options{MaxObjects: 2}})
	sc := s.client()
	for range 2 {
		if _, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{})
	se := stripeErrorOf(t, err)
	if se.HTTPStatusCode != 400 || se.Type != stripego.ErrorTypeInvalidRequest || !strings.Contains(se.Msg, "maximum of 2 objects") || !strings.Contains(se.Msg, "--max-objects") {
		t.Fatalf("past the cap: %d %s %q", se.HTTPStatusCode, se.Type, se.Msg)
	}
	if n := s.store.Stats().Objects; n != 2 {
		t.Errorf("%d objects stored, want 2 (nothing evicted)", n)
	}
}

func TestStateErrorVariantChangesNothing(t *testing.T) {
	s := newStateServer(t, stateConfig{})
	code, _, raw := call(t, s.ts, "POST", "/v1/customers", "email=x@example.com", "Prefer", "example=error")
	if code < 400 {
		t.Fatalf("error variant answered %d %s", code, raw)
	}
	if n := s.store.Stats().Objects; n != 0 {
		t.Fatalf("the error variant stored %d objects", n)
	}
}

func TestStateSeed(t *testing.T) {
	s := newStateServer(t, stateConfig{seed: true})
	for _, path := range []string{"/v1/customers", "/v1/charges", "/v1/products", "/v1/invoices"} {
		code, body, raw := call(t, s.ts, "GET", path, "")
		data, _ := body["data"].([]any)
		if code != 200 || len(data) == 0 {
			t.Errorf("GET %s on a seeded store: %d %s", path, code, raw)
		}
	}
	empty := newStateServer(t, stateConfig{})
	code, body, raw := call(t, empty.ts, "GET", "/v1/customers", "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 0 || body["has_more"] != false {
		t.Errorf("GET /v1/customers with no seed: %d %s", code, raw)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// Parameters whose shape differs from the field they name (a token's
// card[number], an account's capabilities[x][requested]) leave the
// field's shape as it is, so that the object still decodes.
func TestStateCreateKeepsShapes(t *testing.T) {
	sc := newStateServer(t, stateConfig{seed: true}).client()
	tok, err := sc.V1Tokens.Create(ctx, &stripego.TokenCreateParams{Card: &stripego.CardParams{
		Number: stripego.String("4242424242424242"), ExpMonth: stripego.String("10"), ExpYear: stripego.String("2030"), CVC: stripego.String("314"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Card == nil || tok.Card.ExpMonth != 10 || tok.Card.ExpYear != 2030 {
		t.Errorf("token card %+v; want exp 10/2030 as numbers", tok.Card)
	}
	acct, err := sc.V1Accounts.Create(ctx, &stripego.AccountCreateParams{
		Type: stripego.String("custom"), Email: stripego.String("jenny.rosen@example.com"),
		Capabilities: &stripego.AccountCreateCapabilitiesParams{CardPayments: &stripego.AccountCreateCapabilitiesCardPaymentsParams{Requested: stripego.Bool(true)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if acct.Email != "jenny.rosen@example.com" || acct.Type != "custom" {
		t.Errorf("account %s %s", acct.Email, acct.Type)
	}
}

// What stripe-go's own suite (written for stripe-mock) relies on: a list
// filtered by an id never stored, or on something its objects do not
// hold, answers the sample; search results carry total_count and exact
// matches ignore case.
func TestStateStripeMockCompatibility(t *testing.T) {
	s := newStateServer(t, stateConfig{seed: true})
	if code, _, raw := call(t, s.ts, "POST", "/v1/issuing/disputes", "transaction=ipi_123"); code != 200 {
		t.Fatalf("create dispute: %d %s", code, raw)
	}
	for _, target := range []string{"/v1/issuing/disputes?status=won&transaction=ipi_made_up", "/v1/radar/value_lists?alias=alias&contains=value"} {
		code, body, raw := call(t, s.ts, "GET", target, "")
		if data, _ := body["data"].([]any); code != 200 || len(data) == 0 {
			t.Errorf("GET %s: %d %s", target, code, raw)
		}
	}
	code, body, raw := call(t, s.ts, "GET", `/v1/charges/search?query=currency:"USD"`, "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 1 || body["total_count"] != float64(1) {
		t.Errorf("charge search: %d %s", code, raw)
	}
	// --strict filters for real: no dispute has that transaction.
	strict := newStateServer(t, stateConfig{seed: true, strict: true})
	code, body, raw = call(t, strict.ts, "GET", "/v1/issuing/disputes?transaction=ipi_made_up", "")
	if data, _ := body["data"].([]any); code != 200 || len(data) != 0 {
		t.Errorf("--strict: %d %s", code, raw)
	}
}
