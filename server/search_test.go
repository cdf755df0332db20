package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// Search routes answer search_result objects that stripe-go's search
// iterators walk to the end; /search is a literal, never an id.
func TestSearchRoutes(t *testing.T) {
	cat := stripeGoCatalog(t)
	_, ts, backend := stripeGoServer(t, cat)
	sc := stripeGoClient(backend)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	q := stripe.SearchParams{Query: "metadata['order_id']:'6735'"}

	searches := map[string]func() (int, string, error){
		"charges": func() (int, string, error) {
			return walk(sc.V1Charges.Search(ctx, &stripe.ChargeSearchParams{SearchParams: q}), func(c *stripe.Charge) string { return c.Object })
		},
		"customers": func() (int, string, error) {
			return walk(sc.V1Customers.Search(ctx, &stripe.CustomerSearchParams{SearchParams: q}), func(c *stripe.Customer) string { return c.Object })
		},
		"invoices": func() (int, string, error) {
			return walk(sc.V1Invoices.Search(ctx, &stripe.InvoiceSearchParams{SearchParams: q}), func(c *stripe.Invoice) string { return c.Object })
		},
		"payment_intents": func() (int, string, error) {
			return walk(sc.V1PaymentIntents.Search(ctx, &stripe.PaymentIntentSearchParams{SearchParams: q}), func(c *stripe.PaymentIntent) string { return c.Object })
		},
		"prices": func() (int, string, error) {
			return walk(sc.V1Prices.Search(ctx, &stripe.PriceSearchParams{SearchParams: q}), func(c *stripe.Price) string { return c.Object })
		},
		"products": func() (int, string, error) {
			return walk(sc.V1Products.Search(ctx, &stripe.ProductSearchParams{SearchParams: q}), func(c *stripe.Product) string { return c.Object })
		},
		"subscriptions": func() (int, string, error) {
			return walk(sc.V1Subscriptions.Search(ctx, &stripe.SubscriptionSearchParams{SearchParams: q}), func(c *stripe.Subscription) string { return c.Object })
		},
	}
	for resource, search := range searches {
		t.Run(resource, func(t *testing.T) {
			if _, ok := cat.Lookup("GET /v1/" + resource + "/search"); !ok {
				t.Fatalf("catalog has no GET /v1/%s/search", resource)
			}
			n, object, err := search()
			if err != nil {
				t.Fatalf("after %d results: %v", n, err)
			}
			if n == 0 || object != singularOf(resource) {
				t.Errorf("%d results of %q; want at least one %s", n, object, singularOf(resource))
			}
			var page searchOf[map[string]any]
			if err := backend.Call(http.MethodGet, "/v1/"+resource+"/search", stripeGoKey, nil, &page); err != nil {
				t.Fatal(err)
			}
			if page.Object != "search_result" || page.URL != "/v1/"+resource+"/search" || page.HasMore ||
				page.NextPage != nil || page.TotalCount == nil || int(*page.TotalCount) != len(page.Data) {
				t.Errorf("search page: object %q url %q has_more %v next_page %v total_count %v for %d items",
					page.Object, page.URL, page.HasMore, page.NextPage, page.TotalCount, len(page.Data))
			}
		})
	}

	// Every search route of the catalog answers a search_result.
	for _, r := range cat.Routes {
		if !strings.HasSuffix(r.Path, "/search") {
			continue
		}
		var page searchOf[map[string]any]
		if err := backend.Call(r.Method, r.Path, stripeGoKey, nil, &page); err != nil || page.Object != "search_result" {
			t.Errorf("%s: %q, %v; want a search_result", r.Key(), page.Object, err)
		}
	}

	// A literal segment is never taken for an id, and an unknown sub-path
	// of one is a 404 (stripe-python raised "Expected search result").
	for _, target := range []string{"POST /v1/charges/search", "DELETE /v1/customers/search",
		"GET /v1/customers/search/foo", "GET /v1/charges/search/refunds", "POST /v1/invoices/upcoming/pay"} {
		method, path, _ := strings.Cut(target, " ")
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d; want 404", target, res.StatusCode)
		}
	}
}

// walk follows a stripe-go iterator and reports how many items it gave and
// the object of the first.
func walk[T any](seq stripe.Seq2[T, error], object func(T) string) (int, string, error) {
	n, first := 0, ""
	for v, err := range seq {
		if err != nil {
			return n, first, err
		}
		if n == 0 {
			first = object(v)
		}
		if n++; n > 1000 {
			return n, first, errTooMany
		}
	}
	return n, first, nil
}

var errTooMany = errorString("the iteration does not end")

type errorString string

func (e errorString) Error() string { return string(e) }

func singularOf(collection string) string { return strings.TrimSuffix(collection, "s") }
