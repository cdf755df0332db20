package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// Lists page the store as Stripe pages its lists: newest first, limit
// (default 10, 1 to 100), starting_after, ending_before, has_more, url,
// include[]=total_count, and the filters the route's operation takes
// that are top-level fields of its objects (customer, email, status,
// price, type, created[gt]...).

// listParams are a list's paging parameters, never filters.
var listParams = map[string]bool{"limit": true, "starting_after": true, "ending_before": true,
	"expand": true, "include": true, "created": true, "page": true, "query": true}

// idFilters are filters whose value is an object's id: a list filtered by
// an id never stored is answered as the catalog answers it (as
// stripe-mock does), unless strict; so is a list filtered on a field its
// objects do not have.
var idFilters = map[string]bool{"customer": true, "subscription": true, "price": true, "product": true,
	"invoice": true, "payment_intent": true, "charge": true, "setup_intent": true, "plan": true,
	"payment_method": true, "transfer": true, "payout": true, "source": true, "test_clock": true,
	"transaction": true, "value_list": true, "cardholder": true, "card": true, "account": true, "destination": true,
	"payment_link": true, "session": true, "coupon": true, "promotion_code": true, "dispute": true, "refund": true,
	"balance_transaction": true, "setup_attempt": true, "subscription_item": true, "quote": true, "payment_record": true,
	"reader": true, "location": true, "financial_account": true, "received_credit": true, "received_debit": true,
	"inbound_transfer": true, "outbound_payment": true, "outbound_transfer": true, "feature": true, "meter": true}

func invalidParam(param, msg string) *server.APIError {
	return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: param, Message: msg}
}

// pageQuery reads limit, starting_after, ending_before and include[].
func pageQuery(q url.Values) (store.Query, *server.APIError) {
	var sq store.Query
	sq.Limit = 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return sq, invalidParam("limit", "Invalid limit: must be between 1 and 100")
		}
		sq.Limit = n
	}
	sq.StartingAfter = q.Get("starting_after")
	sq.EndingBefore = q.Get("ending_before")
	if sq.StartingAfter != "" && sq.EndingBefore != "" {
		return sq, invalidParam("ending_before", "You may only specify one of these parameters: ending_before, starting_after.")
	}
	for k, vs := range q {
		if k == "include[]" || strings.HasPrefix(k, "include[") {
			for _, v := range vs {
				if v == "total_count" {
					sq.TotalCount = true
				}
			}
		}
	}
	return sq, nil
}

// createdRange reads created=N and created[gt|gte|lt|lte]=N.
func createdRange(q url.Values) (store.Range, *server.APIError) {
	var r store.Range
	for k, vs := range q {
		if len(vs) == 0 || (k != "created" && !strings.HasPrefix(k, "created[")) {
			continue
		}
		n, err := strconv.ParseInt(vs[0], 10, 64)
		if err != nil {
			return r, invalidParam(k, "Invalid integer: "+vs[0])
		}
		switch k {
		case "created":
			r.Gte, r.Lte = &n, &n
		case "created[gt]":
			r.Gt = &n
		case "created[gte]":
			r.Gte = &n
		case "created[lt]":
			r.Lt = &n
		case "created[lte]":
			r.Lte = &n
		}
	}
	return r, nil
}

func (s *State) list(ctx context.Context, route *catalog.Route, info *routeInfo, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	q := req.QueryValues()
	parent := req.Params[info.parent]
	if parent != "" {
		if _, err := s.store.Get(ctx, parent); err != nil {
			if s.strict {
				return server.Answer{}, missing(info.parent, parent, "")
			}
			return rendered(renderVariant)
		}
	}
	sq, apiErr := pageQuery(q)
	if apiErr != nil {
		return server.Answer{}, apiErr
	}
	if sq.Created, apiErr = createdRange(q); apiErr != nil {
		return server.Answer{}, apiErr
	}
	sq.Parent = parent
	if parent == "" {
		sq.Type = info.typ
	}
	if sq.Type == "" && parent == "" {
		return rendered(renderVariant)
	}
	for k, vs := range q {
		if listParams[k] || strings.ContainsRune(k, '[') || len(vs) == 0 || vs[0] == "" {
			continue
		}
		if k == "status" && vs[0] == "all" {
			continue
		}
		if !s.strict {
			if info.fields != nil && !info.fields[k] {
				// A filter on something the objects do not hold (a value
				// list's "contains"): answered as stripe-mock would.
				return rendered(renderVariant)
			}
			if idFilters[k] {
				if _, err := s.store.Get(ctx, vs[0]); err != nil {
					// A made-up id: answered as stripe-mock would.
					return rendered(renderVariant)
				}
			}
		}
		if sq.Equal == nil {
			sq.Equal = map[string]string{}
		}
		sq.Equal[k] = vs[0]
	}
	var page store.Page
	var err error
	if of := childOf(info.typ, parent, sq.Equal); of != "" {
		// A parent's children, in the order they were added (children.go).
		page, err = childPage(ctx, s.store, of, info.typ, sq)
	} else {
		page, err = s.store.List(ctx, sq)
	}
	if err != nil {
		return server.Answer{}, listError(err, info.typ)
	}
	return server.Answer{Body: server.Text(listBody("list", page, req.Path, ""))}, nil
}

func listError(err error, typ string) *server.APIError {
	var nf *store.NotFoundError
	if errors.As(err, &nf) {
		e := missing(typ, nf.ID, nf.Param)
		e.Status = http.StatusBadRequest
		return e
	}
	return storeError(err)
}

// listBody writes a list object around a page's stored objects.
func listBody(object string, page store.Page, url, nextPage string) string {
	var b strings.Builder
	n := 64 + len(url)
	for _, o := range page.Data {
		n += len(o.JSON) + 2
	}
	b.Grow(n)
	b.WriteString(`{"object":"`)
	b.WriteString(object)
	b.WriteString(`","data":[`)
	for i, o := range page.Data {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(o.JSON)
	}
	b.WriteString(`],"has_more":`)
	b.WriteString(strconv.FormatBool(page.HasMore))
	if page.TotalCount >= 0 {
		b.WriteString(`,"total_count":`)
		b.WriteString(strconv.Itoa(page.TotalCount))
	}
	if object == "search_result" {
		b.WriteString(`,"next_page":`)
		if nextPage == "" {
			b.WriteString("null")
		} else {
			b.WriteString(jsonString(nextPage))
		}
	}
	b.WriteString(`,"url":`)
	b.WriteString(jsonString(url))
	b.WriteString("}\n")
	return b.String()
}

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		return `""`
	}
	return string(b)
}
