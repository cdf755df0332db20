package stripe

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/routedeck/routedeck/store"
)

// A paying confirm stores a charge and its balance transaction. They are
// written here as json.Marshal writes their structs (chargeObject,
// balanceObject; a test pins the bytes), without its reflection, and the
// writer notes where each top-level member lies so that the store takes
// the object without reading it again (store.MembersLayout).

// topWriter appends one JSON object's members and notes where each lies
// (up to maxTop members; an object with more is given no layout). Its
// notes are a fixed array, so that a writer on the stack keeps them there.
type topWriter struct {
	b  []byte
	at [maxTop]store.Member
	n  int
}

// maxTop is how many members a topWriter notes: a charge has 23.
const maxTop = 24

// start begins an object at the end of b.
func (w *topWriter) start(b []byte) {
	w.b, w.n = append(b, '{'), 0
}

// key starts the member k (a name that needs no escaping).
func (w *topWriter) key(k string) {
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	start := len(w.b)
	w.b = append(w.b, k...)
	end := len(w.b)
	w.b = append(w.b, '"', ':')
	if w.n < maxTop {
		w.at[w.n] = store.Member{Key: store.Span{Start: start, End: end}, Value: store.Span{Start: len(w.b)}}
	}
	w.n++
}

// end ends the member key started.
func (w *topWriter) end() {
	if w.n <= maxTop {
		w.at[w.n-1].Value.End = len(w.b)
	}
}

func (w *topWriter) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
	w.end()
}

func (w *topWriter) strOrNull(k string, v *string) {
	w.key(k)
	w.b = appendStrOrNull(w.b, v)
	w.end()
}

func (w *topWriter) integer(k string, n int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, n, 10)
	w.end()
}

func (w *topWriter) boolean(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
	w.end()
}

func (w *topWriter) raw(k, v string) {
	w.key(k)
	w.b = append(w.b, v...)
	w.end()
}

// close ends the object.
func (w *topWriter) close() { w.b = append(w.b, '}') }

// members are where the object's members lie, nil when it has more than
// the writer notes.
func (w *topWriter) members() []store.Member {
	if w.n > maxTop {
		return nil
	}
	return w.at[:w.n]
}

// innerWriter appends the members of an object inside a member, whose
// places are not noted.
type innerWriter struct {
	b []byte
	n int
}

// open begins an object at the end of b.
func (o *innerWriter) open(b []byte) { o.b, o.n = append(b, '{'), 0 }

// key starts the member k (a name that needs no escaping).
func (o *innerWriter) key(k string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *innerWriter) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *innerWriter) strOrNull(k string, v *string) {
	o.key(k)
	o.b = appendStrOrNull(o.b, v)
}

func (o *innerWriter) integer(k string, n int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, n, 10)
}

// close ends the object and gives the bytes.
func (o *innerWriter) close() []byte { return append(o.b, '}') }

// appendJSONString appends s as json.Marshal writes a string (escaping
// <, > and & as it does).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !asIs[s[i]] {
			q, err := json.Marshal(s) // never fails for a string
			if err != nil {
				return append(b, `""`...)
			}
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// asIs are the bytes json.Marshal writes in a string as they are: ASCII
// but control bytes, the quote, the backslash and <, > and &.
var asIs = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return t
}()

// appendStrOrNull is appendJSONString of *v, null for nil.
func appendStrOrNull(b []byte, v *string) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *v)
}

// writeTo writes ch to w, after w.b, as json.Marshal writes it.
func (ch *chargeObject) writeTo(w *topWriter) {
	w.start(w.b)
	w.integer("amount", ch.Amount)
	w.integer("amount_captured", ch.AmountCaptured)
	w.integer("amount_refunded", ch.AmountRefunded)
	w.strOrNull("balance_transaction", ch.BalanceTransaction)
	w.boolean("captured", ch.Captured)
	w.integer("created", ch.Created)
	w.str("currency", ch.Currency)
	if ch.Customer != "" {
		w.str("customer", ch.Customer)
	}
	if ch.Description != "" {
		w.str("description", ch.Description)
	}
	w.strOrNull("failure_code", ch.FailureCode)
	w.strOrNull("failure_message", ch.FailureMessage)
	w.str("id", ch.ID)
	w.boolean("livemode", ch.Livemode)
	w.raw("metadata", "{}")

	w.str("object", ch.Object)
	w.key("outcome")
	var o innerWriter
	o.open(w.b)
	o.str("network_status", ch.Outcome.NetworkStatus)
	o.strOrNull("reason", ch.Outcome.Reason)
	o.str("risk_level", ch.Outcome.RiskLevel)
	o.str("seller_message", ch.Outcome.SellerMessage)
	o.str("type", ch.Outcome.Type)
	w.b = o.close()
	w.end()

	w.boolean("paid", ch.Paid)
	w.strOrNull("payment_intent", ch.PaymentIntent)
	w.str("payment_method", ch.PaymentMethod)
	w.key("payment_method_details")
	c := &ch.PaymentMethodDetails.Card
	o.open(w.b)
	o.key("card")
	var card innerWriter
	card.open(o.b)
	card.str("brand", c.Brand)
	card.str("country", c.Country)
	card.integer("exp_month", int64(c.ExpMonth))
	card.integer("exp_year", int64(c.ExpYear))
	card.str("funding", c.Funding)
	card.str("last4", c.Last4)
	o.b = card.close()
	o.str("type", ch.PaymentMethodDetails.Type)
	w.b = o.close()
	w.end()

	w.boolean("refunded", ch.Refunded)
	w.key("refunds")
	r := &ch.Refunds
	w.b = append(w.b, `{"data":`...)
	if r.Data == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i := range r.Data {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = append(w.b, "{}"...)
		}
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, `,"has_more":`...)
	w.b = strconv.AppendBool(w.b, r.HasMore)
	w.b = append(w.b, `,"object":`...)
	w.b = appendJSONString(w.b, r.Object)
	w.b = append(w.b, `,"url":`...)
	w.b = appendJSONString(w.b, r.URL)
	w.b = append(w.b, '}')
	w.end()

	w.str("status", ch.Status)
	w.close()
}

// writeTo writes t to w, after w.b, as json.Marshal writes it.
func (t *balanceObject) writeTo(w *topWriter) {
	w.start(w.b)
	w.integer("amount", t.Amount)
	w.integer("available_on", t.AvailableOn)
	w.integer("created", t.Created)
	w.str("currency", t.Currency)
	w.strOrNull("description", t.Description)
	w.key("exchange_rate")
	if t.ExchangeRate == nil {
		w.b = append(w.b, "null"...)
	} else {
		// Not written by routedeck today; as json.Marshal writes it.
		f, _ := json.Marshal(*t.ExchangeRate)
		w.b = append(w.b, f...)
	}
	w.end()
	w.integer("fee", t.Fee)
	w.key("fee_details")
	if t.FeeDetails == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.b = append(w.b, '[')
		for i, f := range t.FeeDetails {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			var o innerWriter
			o.open(w.b)
			o.integer("amount", f.Amount)
			o.strOrNull("application", f.Application)
			o.str("currency", f.Currency)
			o.str("description", f.Description)
			o.str("type", f.Type)
			w.b = o.close()
		}
		w.b = append(w.b, ']')
	}
	w.end()
	w.str("id", t.ID)
	w.integer("net", t.Net)
	w.str("object", t.Object)
	w.str("reporting_category", t.ReportingCategory)
	w.str("source", t.Source)
	w.str("status", t.Status)
	w.str("type", t.Type)
	w.close()
}

// layoutCache hands the store the layout of the objects one writer
// writes (a charge, a balance transaction): a writer's objects differ in
// their values, which mostly keep their lengths (ids, amounts, times), so
// an object whose members lie where the last one's lay, each value of the
// same kind, has the last one's layout (store.MembersLayout reads only
// where the members lie and which kind each value is); any other is laid
// out anew.
type layoutCache struct{ last atomic.Pointer[cachedLayout] }

// cachedLayout is the layout of an object whose members lay at ms, their
// values of kinds (valueKind), with no escape in its text.
type cachedLayout struct {
	js     string // the object's text, for its names
	ms     []store.Member
	kinds  []byte
	layout *store.Layout
}

// valueKind is what tells a value's kind apart for the store: strings,
// numbers, true and false, null, objects and arrays.
func valueKind(c byte) byte {
	switch c {
	case '"', '{', '[', 'n':
		return c
	case 't', 'f':
		return 't'
	}
	return '0'
}

// object is the store object of JSON b that a writer made (a buffer then
// dropped; valid JSON, strings as json.Marshal writes them), whose
// members lie at ms (nil: not noted), with its layout: the store takes
// the members rather than read the object, or reads it when they do not
// fit.
func (c *layoutCache) object(id, typ string, b []byte, ms []store.Member) store.Object {
	js := text(b)
	if ms == nil {
		return store.Object{ID: id, Type: typ, JSON: js} // members not noted: Put reads it
	}
	plain := bytes.IndexByte(b, '\\') < 0
	if last := c.last.Load(); plain && last != nil && last.fits(js, ms) {
		return store.Object{ID: id, Type: typ, JSON: js, Layout: last.layout}
	}
	l, err := store.MembersLayout(js, ms)
	if err != nil {
		return store.Object{ID: id, Type: typ, JSON: js} // Put reads it, and fails as it would
	}
	if plain {
		kinds := make([]byte, len(ms))
		for i, m := range ms {
			kinds[i] = valueKind(js[m.Value.Start])
		}
		c.last.Store(&cachedLayout{js: js, ms: slices.Clone(ms), kinds: kinds, layout: l})
	}
	return store.Object{ID: id, Type: typ, JSON: js, Layout: l}
}

// fits reports whether the object js, without escapes, whose members lie
// at ms, has the layout kept: its length, its members' places and names,
// and the kinds of their values are the same.
func (c *cachedLayout) fits(js string, ms []store.Member) bool {
	if len(js) != len(c.js) || !slices.Equal(ms, c.ms) {
		return false
	}
	for i, m := range ms {
		if valueKind(js[m.Value.Start]) != c.kinds[i] || js[m.Key.Start:m.Key.End] != c.js[m.Key.Start:m.Key.End] {
			return false
		}
	}
	return true
}

// balanceFills keeps the balance transactions of charges as store fills
// of one template (store.Template): the writer's text of a charge's
// balance transaction (balanceObject.writeTo, with Stripe's fee) cut at
// the values one differs from another in, so that the store keeps each
// one's values rather than its whole text. Fills whose values have the
// lengths of the last one's share its layout.
type balanceFills struct {
	once sync.Once
	t    *store.Template
	last atomic.Pointer[filledLayout]
}

// balanceText is a charge's balance transaction (balanceOf with a fee)
// as balanceObject.writeTo writes it, cut at its values: amount (0),
// available_on (1), created (2), currency (3), fee (4), id (5), net (6)
// and source (7).
var balanceText = []string{
	`{"amount":`, `,"available_on":`, `,"created":`, `,"currency":"`,
	`","description":null,"exchange_rate":null,"fee":`, `,"fee_details":[{"amount":`,
	`,"application":null,"currency":"`, `","description":"Stripe processing fees","type":"stripe_fee"}],"id":"`,
	`","net":`, `,"object":"balance_transaction","reporting_category":"charge","source":"`,
	`","status":"pending","type":"charge"}`,
}

// balanceHoles are the values balanceText's holes hold, in order.
var balanceHoles = []int{0, 1, 2, 3, 4, 4, 3, 5, 6, 7}

// object is t as the store keeps it: a fill of the template for a
// charge's balance transaction whose strings need no escape, with its
// layout; ok is false for any other (write it whole).
func (bf *balanceFills) object(t *balanceObject) (store.Object, bool) {
	if t.Type != "charge" || t.Fee <= 0 || len(t.FeeDetails) != 1 || t.Description != nil || t.ExchangeRate != nil ||
		t.FeeDetails[0].Currency != t.Currency || !plainJSON(t.Currency) || !plainJSON(t.ID) || !plainJSON(t.Source) {
		return store.Object{}, false
	}
	bf.once.Do(func() { bf.t, _ = store.NewTemplate(balanceText, balanceHoles) })
	if bf.t == nil {
		return store.Object{}, false
	}
	var nums [5][20]byte
	values := [8]string{
		string(strconv.AppendInt(nums[0][:0], t.Amount, 10)), string(strconv.AppendInt(nums[1][:0], t.AvailableOn, 10)),
		string(strconv.AppendInt(nums[2][:0], t.Created, 10)), t.Currency, string(strconv.AppendInt(nums[3][:0], t.Fee, 10)),
		t.ID, string(strconv.AppendInt(nums[4][:0], t.Net, 10)), t.Source,
	}
	f, err := bf.t.Fill(values[:]...)
	if err != nil {
		return store.Object{}, false
	}
	var lens [8]int
	for i, v := range values {
		lens[i] = len(v)
	}
	obj := store.Object{ID: f.Value(5), Type: "balance_transaction", Filled: f}
	if last := bf.last.Load(); last != nil && slices.Equal(last.lens, lens[:]) {
		obj.Layout = last.layout
		return obj, true
	}
	l, err := store.ScanLayout(f.String())
	if err != nil {
		return store.Object{}, false
	}
	bf.last.Store(&filledLayout{lens: slices.Clone(lens[:]), layout: l})
	obj.Layout = l
	return obj, true
}

// plainJSON says whether s is written in JSON as it is, between quotes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if !asIs[s[i]] {
			return false
		}
	}
	return true
}

// chargeFills keeps the charges paying confirms make as store fills of
// one template, as balanceFills keeps their balance transactions: a
// succeeded, captured charge of a PaymentIntent with its balance
// transaction, no customer and no description (a confirm's, most often),
// cut at its values, so that the store keeps each one's values rather
// than its whole text, and its event keeps the fill.
type chargeFills struct {
	once sync.Once
	t    *store.Template
	last atomic.Pointer[filledLayout]
}

// chargeText is such a charge as chargeObject.writeTo writes it, cut at
// its values: amount (0, also amount_captured), balance_transaction (1),
// created (2), currency (3), id (4, also in the refunds' url),
// payment_intent (5), payment_method (6) and the card's brand (7),
// country (8), exp_month (9), exp_year (10), funding (11) and last4 (12).
var chargeText = []string{
	`{"amount":`, `,"amount_captured":`, `,"amount_refunded":0,"balance_transaction":"`, `","captured":true,"created":`,
	`,"currency":"`, `","failure_code":null,"failure_message":null,"id":"`,
	`","livemode":false,"metadata":{},"object":"charge","outcome":{"network_status":"approved_by_network","reason":null,` +
		`"risk_level":"normal","seller_message":"Payment complete.","type":"authorized"},"paid":true,"payment_intent":"`,
	`","payment_method":"`, `","payment_method_details":{"card":{"brand":"`, `","country":"`, `","exp_month":`, `,"exp_year":`,
	`,"funding":"`, `","last4":"`, `"},"type":"card"},"refunded":false,"refunds":{"data":[],"has_more":false,"object":"list","url":"/v1/charges/`,
	`/refunds"},"status":"succeeded"}`,
}

// chargeHoles are the values chargeText's holes hold, in order.
var chargeHoles = []int{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 4}

// object is ch as the store keeps it: a fill of the template for a
// confirm's succeeded charge whose strings need no escape, with its
// layout; ok is false for any other (write it whole).
func (cf *chargeFills) object(ch *chargeObject) (store.Object, bool) {
	c := &ch.PaymentMethodDetails.Card
	if ch.Status != "succeeded" || !ch.Paid || !ch.Captured || ch.AmountCaptured != ch.Amount || ch.AmountRefunded != 0 || ch.Refunded ||
		ch.BalanceTransaction == nil || ch.PaymentIntent == nil || ch.Customer != "" || ch.Description != "" || ch.Livemode ||
		ch.FailureCode != nil || ch.FailureMessage != nil || ch.Object != "charge" ||
		ch.Outcome != (chargeOutcome{NetworkStatus: "approved_by_network", RiskLevel: "normal", SellerMessage: "Payment complete.", Type: "authorized"}) ||
		ch.PaymentMethodDetails.Type != "card" || ch.Refunds.Data == nil || len(ch.Refunds.Data) != 0 || ch.Refunds.HasMore ||
		ch.Refunds.Object != "list" || !isRefundsURL(ch.Refunds.URL, ch.ID) {
		return store.Object{}, false
	}
	for _, s := range []string{*ch.BalanceTransaction, ch.Currency, ch.ID, *ch.PaymentIntent, ch.PaymentMethod, c.Brand, c.Country, c.Funding, c.Last4} {
		if !plainJSON(s) {
			return store.Object{}, false
		}
	}
	cf.once.Do(func() { cf.t, _ = store.NewTemplate(chargeText, chargeHoles) })
	if cf.t == nil {
		return store.Object{}, false
	}
	var nums [4][20]byte
	values := [13]string{
		string(strconv.AppendInt(nums[0][:0], ch.Amount, 10)), *ch.BalanceTransaction, string(strconv.AppendInt(nums[1][:0], ch.Created, 10)),
		ch.Currency, ch.ID, *ch.PaymentIntent, ch.PaymentMethod, c.Brand, c.Country,
		string(strconv.AppendInt(nums[2][:0], int64(c.ExpMonth), 10)), string(strconv.AppendInt(nums[3][:0], int64(c.ExpYear), 10)),
		c.Funding, c.Last4,
	}
	f, err := cf.t.Fill(values[:]...)
	if err != nil {
		return store.Object{}, false
	}
	var lens [13]int
	for i, v := range values {
		lens[i] = len(v)
	}
	obj := store.Object{ID: ch.ID, Type: "charge", Filled: f}
	if last := cf.last.Load(); last != nil && slices.Equal(last.lens, lens[:]) {
		obj.Layout = last.layout
		return obj, true
	}
	l, err := store.ScanLayout(f.String())
	if err != nil {
		return store.Object{}, false
	}
	cf.last.Store(&filledLayout{lens: slices.Clone(lens[:]), layout: l})
	obj.Layout = l
	return obj, true
}

// isRefundsURL reports whether url is the refunds list URL of charge id.
func isRefundsURL(url, id string) bool {
	const prefix, suffix = "/v1/charges/", "/refunds"
	return len(url) == len(prefix)+len(id)+len(suffix) && strings.HasPrefix(url, prefix) && strings.HasSuffix(url, suffix) &&
		url[len(prefix):len(prefix)+len(id)] == id
}
