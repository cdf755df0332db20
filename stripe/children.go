package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// A subscription's items and an invoice's lines are stored objects of
// their own, each under its parent (store.Object.Parent), as Stripe keeps
// them: GET /v1/subscription_items?subscription=, GET
// /v1/subscription_items/:item and GET /v1/invoices/:invoice/lines answer
// them from the store, and the parent's embedded list (items, lines) is
// written again from the stored children whenever one of them changes,
// so the two always agree (ids, url, has_more, total_count). They go
// with the parent when Stripe deletes them together (a draft invoice's
// lines), and stay when it does not (a canceled subscription keeps its
// items).
//
// Children list in the order they were added (oldest first), as a
// subscription shows its items and an invoice its lines, both embedded
// and on their own list routes, with the same cursors and has_more.

// childList is how a parent embeds its children of one type.
type childList struct {
	parentType string // "subscription"
	member     string // the parent's member that embeds them: "items"
	limit      int    // how many the parent embeds
	url        func(parent string) string
}

// childLists are the embedded lists the store keeps, by child type.
var childLists = map[string]childList{
	"subscription_item": {parentType: "subscription", member: "items", limit: 20,
		url: func(p string) string { return "/v1/subscription_items?subscription=" + p }},
	"line_item": {parentType: "invoice", member: "lines", limit: 10,
		url: func(p string) string { return "/v1/invoices/" + p + "/lines" }},
}

// childParentParam names the body parameter that gives a child created
// on its own route its parent (POST /v1/subscription_items).
var childParentParam = map[string]string{"subscription_item": "subscription"}

// errNotParent stops a sync whose parent has another type.
var errNotParent = errors.New("not the parent type")

// syncChildren writes the parent's embedded list of its children of typ
// as they are stored now. A parent not stored (or of another type) is
// left alone.
func syncChildren(ctx context.Context, st store.Store, parent, typ string) error {
	cl, ok := childLists[typ]
	if !ok || parent == "" {
		return nil
	}
	page, err := childPage(ctx, st, parent, typ, store.Query{Limit: cl.limit, TotalCount: true})
	if err != nil {
		return fmt.Errorf("list the %s of %s: %w", cl.member, parent, err)
	}
	list := strings.TrimSuffix(listBody("list", page, cl.url(parent), ""), "\n")
	_, err = st.Update(ctx, parent, func(o store.Object) (store.Object, error) {
		if o.Type != cl.parentType {
			return o, errNotParent
		}
		o.JSON = string(setMembers([]byte(o.JSON), []setting{{cl.member, []byte(list)}}))
		return o, nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, errNotParent) {
		return fmt.Errorf("update the %s of %s: %w", cl.member, parent, err)
	}
	return nil
}

// childWritten finishes a create or update of a child on its own route
// (POST /v1/subscription_items, POST /v1/subscription_items/:item): the
// price the request names by id shows as the stored price, and the
// parent's embedded list is written again.
func (s *State) childWritten(ctx context.Context, req *render.Request, ans server.Answer) server.Answer {
	if _, ok := childLists[ans.Change.Type]; !ok {
		return ans
	}
	obj, err := s.store.Get(ctx, ans.Change.ID)
	if err != nil {
		return ans
	}
	if price, ok := req.BodyValue("price"); ok && obj.Type == "subscription_item" {
		if p, err := s.store.Get(ctx, price); err == nil && p.Type == "price" {
			if up, err := s.store.Update(ctx, obj.ID, func(o store.Object) (store.Object, error) {
				o.JSON = string(setMembers([]byte(o.JSON), []setting{{"price", []byte(p.JSON)}}))
				return o, nil
			}); err == nil {
				obj = up
			}
		}
	}
	ans.Body = server.Text(obj.JSON)
	_ = s.childrenChanged(ctx, obj) // a store failure here leaves the parent's list as it was
	return ans
}

// childrenChanged writes the parent's embedded list again after a
// request to a child's own route changed the child, and notes the
// parent's change, so that it raises the parent's event
// (customer.subscription.updated, as Stripe sends for an item added,
// changed or deleted); the child itself raises none (silent).
func (s *State) childrenChanged(ctx context.Context, child store.Object) error {
	cl, ok := childLists[child.Type]
	if !ok || child.Parent == "" {
		return nil
	}
	before, err := s.store.Get(ctx, child.Parent)
	if err != nil || before.Type != cl.parentType {
		return nil
	}
	if err := syncChildren(ctx, s.store, child.Parent, child.Type); err != nil {
		return err
	}
	note(ctx, change{id: before.ID, typ: before.Type, old: view(before.JSON)})
	return nil
}

// itemSpec is one subscription item a request asks for.
type itemSpec struct {
	id       string
	price    string
	qty      int64
	priceObj store.Object // the stored price; zero when not stored
}

func (it itemSpec) unitAmount() int64 {
	if it.priceObj.ID == "" {
		return 0
	}
	return topInt([]byte(it.priceObj.JSON), "unit_amount")
}

// requestItems reads items[n][price] and items[n][quantity].
func (l *lifecycle) requestItems(ctx context.Context, req *render.Request) []itemSpec {
	var out []itemSpec
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		price, ok := req.BodyValue("items." + n + ".price")
		if !ok {
			return out
		}
		it := itemSpec{id: render.NewID("si"), price: price, qty: 1}
		if q, ok := req.BodyValue("items." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				it.qty = v
			}
		}
		if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
			it.priceObj = obj
		}
		out = append(out, it)
	}
}

// periodEnd is the end of the price's first billing period from now
// (a month when the price says nothing).
func periodEnd(price store.Object, now int64) int64 {
	t := time.Unix(now, 0).UTC()
	var r struct {
		Recurring struct {
			Interval      string `json:"interval"`
			IntervalCount int    `json:"interval_count"`
		} `json:"recurring"`
	}
	if price.JSON != "" {
		_ = json.Unmarshal([]byte(price.JSON), &r)
	}
	n := max(r.Recurring.IntervalCount, 1)
	switch r.Recurring.Interval {
	case "day":
		return t.AddDate(0, 0, n).Unix()
	case "week":
		return t.AddDate(0, 0, 7*n).Unix()
	case "year":
		return t.AddDate(n, 0, 0).Unix()
	}
	return t.AddDate(0, n, 0).Unix()
}

// priceValue is the price as an item embeds it: the stored price, or its
// id alone.
func (it itemSpec) priceValue() any {
	if it.priceObj.ID != "" {
		return json.RawMessage(it.priceObj.JSON)
	}
	return map[string]any{"id": it.price, "object": "price"}
}

// storeItem keeps one subscription item under its subscription.
func (l *lifecycle) storeItem(ctx context.Context, sub string, it itemSpec, now int64) error {
	b, err := json.Marshal(map[string]any{"id": it.id, "object": "subscription_item", "created": now,
		"billing_thresholds": nil, "current_period_start": now, "current_period_end": periodEnd(it.priceObj, now),
		"discounts": []any{}, "metadata": map[string]any{}, "price": it.priceValue(), "quantity": it.qty,
		"subscription": sub, "tax_rates": []any{}})
	if err != nil {
		return fmt.Errorf("subscription item %s: %w", it.id, err)
	}
	_, err = l.store.Put(ctx, store.Object{ID: it.id, Type: "subscription_item", Parent: sub, Created: now, JSON: string(b)})
	return err
}

// storeItems keeps a new subscription's items, in the request's order.
func (l *lifecycle) storeItems(ctx context.Context, sub string, items []itemSpec, now int64) error {
	for _, it := range items {
		if err := l.storeItem(ctx, sub, it, now); err != nil {
			return err
		}
	}
	return syncChildren(ctx, l.store, sub, "subscription_item")
}

// lineSpec is one invoice line to store.
type lineSpec struct {
	amount, qty  int64
	currency     string
	description  string
	start, end   int64
	subscription string // "" for none
	item         string // the subscription item, for a subscription line
	invoiceItem  string // the invoice item, for an invoice item's line
	price        store.Object
	priceID      string
}

// storeLine keeps one line under its invoice (not yet embedded: see
// syncChildren).
func (l *lifecycle) storeLine(ctx context.Context, invoice string, ln lineSpec, now int64) error {
	id := render.NewID("il")
	var sub any
	if ln.subscription != "" {
		sub = ln.subscription
	}
	parent := map[string]any{"type": "invoice_item_details", "subscription_item_details": nil,
		"invoice_item_details": map[string]any{"invoice_item": ln.invoiceItem, "proration": false,
			"proration_details": map[string]any{"credited_items": nil}, "subscription": sub}}
	if ln.item != "" {
		parent = map[string]any{"type": "subscription_item_details", "invoice_item_details": nil,
			"subscription_item_details": map[string]any{"invoice_item": nil, "proration": false,
				"proration_details": map[string]any{"credited_items": nil}, "subscription": sub, "subscription_item": ln.item}}
	}
	var pricing any
	if ln.priceID != "" {
		var product any
		if ln.price.ID != "" {
			product = payString([]byte(ln.price.JSON), "product")
		}
		unit := any(nil)
		if ln.qty > 0 {
			unit = strconv.FormatInt(ln.amount/ln.qty, 10)
		}
		pricing = map[string]any{"type": "price_details", "price_details": map[string]any{"price": ln.priceID, "product": product},
			"unit_amount_decimal": unit}
	}
	b, err := json.Marshal(map[string]any{"id": id, "object": "line_item", "amount": ln.amount, "currency": ln.currency,
		"description": ln.description, "discount_amounts": []any{}, "discountable": true, "discounts": []any{},
		"invoice": invoice, "livemode": false, "metadata": map[string]any{}, "parent": parent,
		"period": map[string]any{"start": ln.start, "end": ln.end}, "pretax_credit_amounts": []any{},
		"pricing": pricing, "quantity": ln.qty, "subscription": sub, "subtotal": ln.amount, "taxes": []any{}})
	if err != nil {
		return fmt.Errorf("invoice line %s: %w", id, err)
	}
	_, err = l.store.Put(ctx, store.Object{ID: id, Type: "line_item", Parent: invoice, Created: now, JSON: string(b)})
	return err
}

// storeSubscriptionLines keeps a subscription invoice's lines, one per
// item (nothing owed in a trial), in the items' order.
func (l *lifecycle) storeSubscriptionLines(ctx context.Context, invoice, sub, currency string, items []itemSpec, trial bool, now int64) error {
	for _, it := range items {
		amount := it.unitAmount() * it.qty
		desc := fmt.Sprintf("%d × %s", it.qty, it.price)
		if trial {
			amount, desc = 0, "Trial period for "+it.price
		}
		cur := currency
		if it.priceObj.ID != "" {
			cur = orDefault(payString([]byte(it.priceObj.JSON), "currency"), currency)
		}
		if err := l.storeLine(ctx, invoice, lineSpec{amount: amount, qty: it.qty, currency: cur, description: desc,
			start: now, end: periodEnd(it.priceObj, now), subscription: sub, item: it.id, price: it.priceObj, priceID: it.price}, now); err != nil {
			return err
		}
	}
	return syncChildren(ctx, l.store, invoice, "line_item")
}

// updateItems applies an update's items[n] to a stored subscription's
// items: items[n][id] changes that item's price, quantity or metadata
// (or removes it with deleted=true), an item without an id is added. An
// id that is not one of the subscription's items is Stripe's 400.
func (l *lifecycle) updateItems(ctx context.Context, req *render.Request, sub string) *server.APIError {
	if refused := l.checkItems(ctx, req, sub); refused != nil {
		return refused
	}
	now := time.Now().Unix()
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		itemID, hasID := req.BodyValue("items." + n + ".id")
		price, hasPrice := req.BodyValue("items." + n + ".price")
		if !hasID && !hasPrice {
			break
		}
		var it itemSpec
		if hasPrice {
			it.price = price
			if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
				it.priceObj = obj
			}
		}
		qty, hasQty := int64(1), false
		if q, ok := req.BodyValue("items." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				qty, hasQty = v, true
			}
		}
		if !hasID {
			it.id, it.qty = render.NewID("si"), qty
			if err := l.storeItem(ctx, sub, it, now); err != nil {
				return storeFailure(err)
			}
			continue
		}
		obj, err := l.store.Get(ctx, itemID)
		if err != nil || obj.Type != "subscription_item" || obj.Parent != sub {
			return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "resource_missing",
				Param: "items[" + n + "][id]", Message: fmt.Sprintf("No such subscription item: '%s'", itemID)}
		}
		if d, _ := req.BodyValue("items." + n + ".deleted"); d == "true" {
			if _, err := l.store.Delete(ctx, itemID, true); err != nil && !errors.Is(err, store.ErrNotFound) {
				return storeFailure(err)
			}
			continue
		}
		var sets []setting
		if hasPrice {
			sets = append(sets, val("price", it.priceValue()))
		}
		if hasQty {
			sets = append(sets, num("quantity", qty))
		}
		if len(sets) == 0 {
			continue
		}
		if _, err := l.store.Update(ctx, itemID, func(o store.Object) (store.Object, error) {
			o.JSON = string(setMembers([]byte(o.JSON), sets))
			return o, nil
		}); err != nil {
			return storeFailure(err)
		}
	}
	if err := syncChildren(ctx, l.store, sub, "subscription_item"); err != nil {
		return storeFailure(err)
	}
	return nil
}

// checkItems refuses an update whose items[n][id] is not one of the
// subscription's stored items (before anything changes).
func (l *lifecycle) checkItems(ctx context.Context, req *render.Request, sub string) *server.APIError {
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		itemID, hasID := req.BodyValue("items." + n + ".id")
		if _, hasPrice := req.BodyValue("items." + n + ".price"); !hasID && !hasPrice {
			break
		}
		if !hasID {
			continue
		}
		if obj, err := l.store.Get(ctx, itemID); err != nil || obj.Type != "subscription_item" || obj.Parent != sub {
			return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "resource_missing",
				Param: "items[" + n + "][id]", Message: fmt.Sprintf("No such subscription item: '%s'", itemID)}
		}
	}
	return nil
}

// invoiceItemLine keeps the line an invoice item added to a draft
// invoice shows as, and embeds it in the invoice.
func (l *lifecycle) invoiceItemLine(ctx context.Context, req *render.Request, invoice, item string, amount int64) *server.APIError {
	now := time.Now().Unix()
	qty := int64(1)
	if q, ok := req.BodyValue("quantity"); ok {
		if v, err := strconv.ParseInt(q, 10, 64); err == nil && v > 0 {
			qty = v
		}
	}
	ln := lineSpec{amount: amount, qty: qty, start: now, end: now, invoiceItem: item}
	ln.description, _ = req.BodyValue("description")
	ln.currency, _ = req.BodyValue("currency")
	if price, ok := req.BodyValue("price"); ok {
		ln.priceID = price
		if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
			ln.price = obj
			ln.currency = orDefault(ln.currency, payString([]byte(obj.JSON), "currency"))
		}
	}
	if inv, err := l.store.Get(ctx, invoice); err == nil {
		ln.currency = orDefault(ln.currency, payString([]byte(inv.JSON), "currency"))
		ln.subscription = payString([]byte(inv.JSON), "subscription")
	}
	if err := l.storeLine(ctx, invoice, ln, now); err != nil {
		return storeFailure(err)
	}
	if err := syncChildren(ctx, l.store, invoice, "line_item"); err != nil {
		return storeFailure(err)
	}
	return nil
}

// childPage is one page of a parent's children of typ in the order they
// were added (oldest first): q's Limit, StartingAfter, EndingBefore,
// Equal, Created and TotalCount apply; its Type, Parent and Match are
// set here. A parent's children are few (Stripe caps a subscription at 20
// items), so they are read whole and paged here.
func childPage(ctx context.Context, st store.Store, parent, typ string, q store.Query) (store.Page, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	all := store.Query{Parent: parent, Type: typ, Limit: 100, Equal: q.Equal, Created: q.Created}
	var objs []store.Object
	for {
		page, err := st.List(ctx, all)
		if err != nil {
			return store.Page{}, err
		}
		objs = append(objs, page.Data...)
		if !page.HasMore || len(page.Data) == 0 {
			break
		}
		all.StartingAfter = page.Data[len(page.Data)-1].ID
	}
	slices.Reverse(objs)
	out := store.Page{TotalCount: -1}
	if q.TotalCount {
		out.TotalCount = len(objs)
	}
	from, to := 0, len(objs)
	find := func(id, param string) (int, error) {
		for i, o := range objs {
			if o.ID == id {
				return i, nil
			}
		}
		if _, err := st.Get(ctx, id); err != nil {
			return 0, &store.NotFoundError{ID: id, Param: param}
		}
		return -1, nil
	}
	switch {
	case q.StartingAfter != "":
		i, err := find(q.StartingAfter, "starting_after")
		if err != nil {
			return store.Page{}, err
		}
		from = i + 1
		if i < 0 {
			from = len(objs)
		}
		to = min(from+limit, len(objs))
		out.HasMore = to < len(objs)
	case q.EndingBefore != "":
		i, err := find(q.EndingBefore, "ending_before")
		if err != nil {
			return store.Page{}, err
		}
		to = max(i, 0)
		from = max(to-limit, 0)
		out.HasMore = from > 0
	default:
		to = min(limit, len(objs))
		out.HasMore = to < len(objs)
	}
	out.Data = objs[from:to]
	return out, nil
}

// childOf is the parent a list of typ lists the children of: the path's
// parent (an invoice's lines) or the filter naming it
// (subscription_items?subscription=); "" when typ is not a child type.
func childOf(typ, pathParent string, equal map[string]string) string {
	if _, ok := childLists[typ]; !ok {
		return ""
	}
	if pathParent != "" {
		return pathParent
	}
	if param, ok := childParentParam[typ]; ok {
		return equal[param]
	}
	return ""
}

// invoiceItemRemoving refuses deleting an invoice item on an invoice
// that is no longer a draft, as Stripe does; ok for any other object.
func (l *lifecycle) invoiceItemRemoving(ctx context.Context, item store.Object) *server.APIError {
	inv := payString([]byte(item.JSON), "invoice")
	if item.Type != "invoiceitem" || inv == "" {
		return nil
	}
	obj, err := l.store.Get(ctx, inv)
	if err != nil || obj.Type != "invoice" {
		return nil
	}
	if status := payString([]byte(obj.JSON), "status"); status != "draft" {
		return invoiceRefusal("invoice_not_editable", fmt.Sprintf("You can only delete invoice items of a draft invoice; invoice %s is %s.", inv, status))
	}
	return nil
}

// invoiceItemRemoved takes a deleted invoice item off its draft invoice:
// its line goes and the invoice owes its amount less.
func (l *lifecycle) invoiceItemRemoved(ctx context.Context, item store.Object) {
	inv := payString([]byte(item.JSON), "invoice")
	if item.Type != "invoiceitem" || inv == "" {
		return
	}
	lines, err := childPage(ctx, l.store, inv, "line_item", store.Query{Limit: 1 << 20})
	if err != nil {
		return
	}
	for _, ln := range lines.Data {
		var v struct {
			Parent struct {
				Details struct {
					InvoiceItem string `json:"invoice_item"`
				} `json:"invoice_item_details"`
			} `json:"parent"`
		}
		if json.Unmarshal([]byte(ln.JSON), &v) == nil && v.Parent.Details.InvoiceItem == item.ID {
			_, _ = l.store.Delete(ctx, ln.ID, true)
		}
	}
	amount := topInt([]byte(item.JSON), "amount")
	_, _ = l.update(ctx, inv, func(b []byte) ([]byte, *server.APIError) {
		due := topInt(b, "amount_due") - amount
		return setMembers(b, []setting{num("amount_due", due), num("amount_remaining", due-topInt(b, "amount_paid")),
			num("subtotal", topInt(b, "subtotal")-amount), num("total", topInt(b, "total")-amount)}), nil
	})
	_ = syncChildren(ctx, l.store, inv, "line_item")
}
