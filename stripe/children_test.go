package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/stripe"
)

func itemIDs(items []*stripego.SubscriptionItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func listedItems(t *testing.T, sc *stripego.Client, sub string, limit int64) []string {
	t.Helper()
	p := &stripego.SubscriptionItemListParams{Subscription: stripego.String(sub)}
	p.Limit = stripego.Int64(limit)
	var ids []string
	for it, err := range sc.V1SubscriptionItems.List(context.Background(), p) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	return ids
}

// rawGet is a GET over real HTTP, decoded as JSON.
func rawGet(t *testing.T, ts *httptest.Server, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer sk_test_123")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return res.StatusCode, m
}

// A subscription's items are stored children: listed, retrieved, paged,
// changed by an update (quantity, removal, a new item), created and
// deleted on their own routes, and the subscription's embedded items
// always agree with them.
func TestSubscriptionItemsAreStoredChildren(t *testing.T) {
	sc, ts := statefulServer(t, true, stripe.StateOptions{})
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	p1, p2, p3 := monthlyPrice(t, sc, 1500), monthlyPrice(t, sc, 400), monthlyPrice(t, sc, 99)
	params := &stripego.SubscriptionCreateParams{Customer: stripego.String(c.ID), Items: []*stripego.SubscriptionCreateItemParams{
		{Price: stripego.String(p1.ID), Quantity: stripego.Int64(2)}, {Price: stripego.String(p2.ID)}}}
	s, err := sc.V1Subscriptions.Create(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	embedded := itemIDs(s.Items.Data)
	if len(embedded) != 2 || s.Items.Data[0].Price.ID != p1.ID || s.Items.Data[0].Quantity != 2 || s.Items.Data[1].Price.ID != p2.ID {
		t.Fatalf("embedded items %+v, want p1 ×2 then p2", s.Items.Data)
	}
	if s.Items.URL != "/v1/subscription_items?subscription="+s.ID || s.Items.HasMore || s.Items.TotalCount != 2 {
		t.Fatalf("embedded items list: url %q has_more %v total_count %d", s.Items.URL, s.Items.HasMore, s.Items.TotalCount)
	}
	if got := listedItems(t, sc, s.ID, 10); !slices.Equal(got, embedded) {
		t.Fatalf("GET /v1/subscription_items?subscription= lists %v, the subscription embeds %v", got, embedded)
	}
	if got := listedItems(t, sc, s.ID, 1); !slices.Equal(got, embedded) {
		t.Fatalf("paged one by one: %v, want %v exactly once each", got, embedded)
	}
	code, page := rawGet(t, ts, "/v1/subscription_items?limit=1&subscription="+s.ID)
	if code != 200 || page["has_more"] != true || page["url"] != "/v1/subscription_items" || len(page["data"].([]any)) != 1 {
		t.Fatalf("first page of one: %d %v", code, page)
	}
	item, err := sc.V1SubscriptionItems.Retrieve(ctx, embedded[0], nil)
	if err != nil || item.Subscription != s.ID || item.Price.ID != p1.ID || item.Price.UnitAmount != 1500 || item.Quantity != 2 {
		t.Fatalf("retrieved item %+v %v", item, err)
	}

	// An update: the first item's quantity, the second removed, one added.
	s, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{Items: []*stripego.SubscriptionUpdateItemParams{
		{ID: stripego.String(embedded[0]), Quantity: stripego.Int64(5)},
		{ID: stripego.String(embedded[1]), Deleted: stripego.Bool(true)},
		{Price: stripego.String(p3.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	now := itemIDs(s.Items.Data)
	if len(now) != 2 || now[0] != embedded[0] || s.Items.Data[0].Quantity != 5 || s.Items.Data[1].Price.ID != p3.ID || s.Items.TotalCount != 2 {
		t.Fatalf("items after the update: %+v, want %s ×5 then a new p3 item", s.Items.Data, embedded[0])
	}
	if got := listedItems(t, sc, s.ID, 10); !slices.Equal(got, now) {
		t.Fatalf("listed after the update %v, embedded %v", got, now)
	}
	if _, err := sc.V1SubscriptionItems.Retrieve(ctx, embedded[1], nil); stripeErrorOf(t, err).HTTPStatusCode != 404 {
		t.Fatalf("the removed item is still retrievable: %v", err)
	}
	if item, err := sc.V1SubscriptionItems.Retrieve(ctx, embedded[0], nil); err != nil || item.Quantity != 5 {
		t.Fatalf("the changed item: %+v %v", item, err)
	}
	// An unknown item id changes nothing.
	_, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{Items: []*stripego.SubscriptionUpdateItemParams{
		{Price: stripego.String(p2.ID)}, {ID: stripego.String("si_missing"), Quantity: stripego.Int64(1)}}})
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != 400 || se.Param != "items[1][id]" {
		t.Fatalf("unknown item: %+v", se)
	}
	if got := listedItems(t, sc, s.ID, 10); !slices.Equal(got, now) {
		t.Fatalf("a refused update changed the items: %v, want %v", got, now)
	}

	// Items created and deleted on their own routes.
	added, err := sc.V1SubscriptionItems.Create(ctx, &stripego.SubscriptionItemCreateParams{Subscription: stripego.String(s.ID),
		Price: stripego.String(p2.ID), Quantity: stripego.Int64(4)})
	if err != nil || added.Price == nil || added.Price.UnitAmount != 400 || added.Subscription != s.ID {
		t.Fatalf("created item %+v %v", added, err)
	}
	s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if err != nil || !slices.Equal(itemIDs(s.Items.Data), append(slices.Clone(now), added.ID)) || s.Items.TotalCount != 3 {
		t.Fatalf("after POST /v1/subscription_items: %v %v", itemIDs(s.Items.Data), err)
	}
	if _, err := sc.V1SubscriptionItems.Update(ctx, added.ID, &stripego.SubscriptionItemUpdateParams{Quantity: stripego.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	s, _ = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if q := s.Items.Data[2].Quantity; q != 7 {
		t.Fatalf("the embedded item has quantity %d after its update, want 7", q)
	}
	if _, err := sc.V1SubscriptionItems.Delete(ctx, added.ID, nil); err != nil {
		t.Fatal(err)
	}
	s, _ = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if !slices.Equal(itemIDs(s.Items.Data), now) || !slices.Equal(listedItems(t, sc, s.ID, 10), now) {
		t.Fatalf("after DELETE: embedded %v, want %v", itemIDs(s.Items.Data), now)
	}

	// A canceled subscription keeps its items, as Stripe keeps them.
	if _, err := sc.V1Subscriptions.Cancel(ctx, s.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := listedItems(t, sc, s.ID, 10); !slices.Equal(got, now) {
		t.Fatalf("a canceled subscription's items: %v, want %v", got, now)
	}
}

func lineIDs(t *testing.T, sc *stripego.Client, invoice string, limit int64) ([]string, []*stripego.InvoiceLineItem) {
	t.Helper()
	p := &stripego.InvoiceListLinesParams{Invoice: stripego.String(invoice)}
	p.Limit = stripego.Int64(limit)
	var ids []string
	var lines []*stripego.InvoiceLineItem
	for l, err := range sc.V1Invoices.ListLines(context.Background(), p) {
		if err != nil {
			t.Fatal(err)
		}
		ids, lines = append(ids, l.ID), append(lines, l)
	}
	return ids, lines
}

// An invoice's lines are stored children: a subscription's first invoice
// has a line per item, an invoice item adds one to a draft, the embedded
// lines agree with GET /v1/invoices/:invoice/lines, and they go with a
// deleted draft.
func TestInvoiceLinesAreStoredChildren(t *testing.T) {
	sc, ts := statefulServer(t, true, stripe.StateOptions{})
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	p1, p2 := monthlyPrice(t, sc, 1500), monthlyPrice(t, sc, 400)
	params := &stripego.SubscriptionCreateParams{Customer: stripego.String(c.ID), Items: []*stripego.SubscriptionCreateItemParams{
		{Price: stripego.String(p1.ID), Quantity: stripego.Int64(2)}, {Price: stripego.String(p2.ID)}}}
	s, err := sc.V1Subscriptions.Create(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids, lines := lineIDs(t, sc, inv.ID, 1)
	if len(lines) != 2 || lines[0].Amount != 3000 || lines[1].Amount != 400 || inv.AmountPaid != 3400 {
		t.Fatalf("lines %v of an invoice paid %d, want 3000 and 400", ids, inv.AmountPaid)
	}
	for i, l := range lines {
		d := l.Parent.SubscriptionItemDetails
		if d == nil || d.SubscriptionItem != s.Items.Data[i].ID || d.Subscription != s.ID || l.Invoice != inv.ID || l.Pricing.PriceDetails.Price != s.Items.Data[i].Price.ID {
			t.Fatalf("line %d %+v does not name item %s", i, l, s.Items.Data[i].ID)
		}
	}
	var embedded []string
	for _, l := range inv.Lines.Data {
		embedded = append(embedded, l.ID)
	}
	if !slices.Equal(embedded, ids) || inv.Lines.URL != "/v1/invoices/"+inv.ID+"/lines" || inv.Lines.TotalCount != 2 || inv.Lines.HasMore {
		t.Fatalf("embedded lines %v (url %q, total %d), listed %v", embedded, inv.Lines.URL, inv.Lines.TotalCount, ids)
	}
	code, page := rawGet(t, ts, "/v1/invoices/"+inv.ID+"/lines?limit=1&starting_after="+url.QueryEscape(ids[0]))
	if data, _ := page["data"].([]any); code != 200 || page["has_more"] != false || len(data) != 1 || data[0].(map[string]any)["id"] != ids[1] || page["url"] != "/v1/invoices/"+inv.ID+"/lines" {
		t.Fatalf("second page: %d %v", code, page)
	}

	// A new invoice has no lines, embedded or listed.
	empty, err := sc.V1Invoices.Create(ctx, &stripego.InvoiceCreateParams{Customer: stripego.String(c.ID)})
	if err != nil || len(empty.Lines.Data) != 0 || empty.Lines.TotalCount != 0 || empty.Lines.URL != "/v1/invoices/"+empty.ID+"/lines" {
		t.Fatalf("a new invoice embeds %+v (%v)", empty.Lines, err)
	}
	if ids, _ := lineIDs(t, sc, empty.ID, 10); len(ids) != 0 {
		t.Fatalf("a new invoice lists lines %v", ids)
	}

	// A draft's invoice items are its lines; deleting the draft takes them.
	draft := draftInvoice(t, sc, c.ID)
	ids, lines = lineIDs(t, sc, draft.ID, 10)
	if len(lines) != 2 || lines[0].Amount != 700 || lines[1].Amount != 300 || lines[0].Parent.InvoiceItemDetails == nil || lines[0].Parent.InvoiceItemDetails.InvoiceItem == "" {
		t.Fatalf("draft lines %v", ids)
	}
	if len(draft.Lines.Data) != 2 || draft.Lines.Data[0].ID != ids[0] {
		t.Fatalf("the draft embeds %d lines, want %v", len(draft.Lines.Data), ids)
	}
	// Deleting an invoice item takes its line off the draft.
	if _, err := sc.V1InvoiceItems.Delete(ctx, lines[0].Parent.InvoiceItemDetails.InvoiceItem, nil); err != nil {
		t.Fatal(err)
	}
	left, _ := lineIDs(t, sc, draft.ID, 10)
	draft, err = sc.V1Invoices.Retrieve(ctx, draft.ID, nil)
	if err != nil || !slices.Equal(left, ids[1:]) || draft.AmountDue != 300 || draft.Total != 300 || len(draft.Lines.Data) != 1 || draft.Lines.Data[0].ID != ids[1] {
		t.Fatalf("after deleting the 700 item: lines %v, invoice owes %d with %d embedded lines (%v)", left, draft.AmountDue, len(draft.Lines.Data), err)
	}
	if _, err := sc.V1Invoices.Delete(ctx, draft.ID, nil); err != nil {
		t.Fatal(err)
	}
	if code, body := rawGet(t, ts, "/v1/invoices/"+draft.ID+"/lines"); code != 404 || !strings.Contains(body["error"].(map[string]any)["message"].(string), draft.ID) {
		t.Fatalf("lines of a deleted draft: %d %v", code, body)
	}
	// A finalized invoice keeps its items.
	open := draftInvoice(t, sc, c.ID)
	_, openLines := lineIDs(t, sc, open.ID, 10)
	if _, err := sc.V1Invoices.FinalizeInvoice(ctx, open.ID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = sc.V1InvoiceItems.Delete(ctx, openLines[0].Parent.InvoiceItemDetails.InvoiceItem, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != 400 || se.Code != "invoice_not_editable" {
		t.Fatalf("deleting an item of an open invoice: %+v", se)
	}
	if ids, _ := lineIDs(t, sc, open.ID, 10); len(ids) != 2 {
		t.Fatalf("the open invoice has %d lines after a refused delete, want 2", len(ids))
	}
	code, all := rawGet(t, ts, "/v1/subscription_items?subscription="+s.ID+"&limit=100")
	if code != 200 || len(all["data"].([]any)) != 2 {
		t.Fatalf("the subscription's items after another invoice went: %d %v", code, all)
	}
}

// An item added, changed or deleted on its own route raises the
// subscription's customer.subscription.updated, as Stripe does, and no
// event of its own (Stripe has no subscription_item events).
func TestSubscriptionItemRoutesRaiseTheSubscriptionsEvent(t *testing.T) {
	s := newThreeDSServer(t)
	ctx := context.Background()
	c := customerPaying(t, s.sc, "pm_card_visa")
	price := monthlyPrice(t, s.sc, 1500)
	sub := subscribe(t, s.sc, c.ID, price.ID, 1, 0)
	s.take()
	item, err := s.sc.V1SubscriptionItems.Create(ctx, &stripego.SubscriptionItemCreateParams{Subscription: stripego.String(sub.ID), Price: stripego.String(price.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.take(); !slices.Equal(got, []string{"customer.subscription.updated"}) {
		t.Fatalf("POST /v1/subscription_items raised %v", got)
	}
	if _, err := s.sc.V1SubscriptionItems.Update(ctx, item.ID, &stripego.SubscriptionItemUpdateParams{Quantity: stripego.Int64(3)}); err != nil {
		t.Fatal(err)
	}
	if got := s.take(); !slices.Equal(got, []string{"customer.subscription.updated"}) {
		t.Fatalf("POST /v1/subscription_items/:item raised %v", got)
	}
	if _, err := s.sc.V1SubscriptionItems.Delete(ctx, item.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.take(); !slices.Equal(got, []string{"customer.subscription.updated"}) {
		t.Fatalf("DELETE /v1/subscription_items/:item raised %v", got)
	}
}
