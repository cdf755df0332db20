package stripe

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/render"
)

// keptParams and textParams are keptParam and textParam as first
// written, maps: the definitions the switches keep.
var keptParams = map[string]bool{
	"source": true, "card": true, "payment_method": true, "payment_method_data": true, "payment_method_types": true,
	"payment_method_options": true, "customer": true, "confirm": true, "capture": true, "capture_method": true,
	"confirmation_method": true, "currency": true, "type": true, "status": true, "expand": true, "return_url": true,
	"setup_future_usage": true, "off_session": true, "mandate": true, "mandate_data": true, "usage": true,
	"default_source": true, "invoice_settings": true, "tax": true, "tax_id_data": true, "test_clock": true,
	"automatic_payment_methods": true, "application_fee_amount": true, "transfer_data": true, "on_behalf_of": true,
	"price": true, "prices": true, "items": true, "product": true, "recurring": true, "interval": true,
	"interval_count": true, "trial_period_days": true, "quantity": true, "unit_amount": true, "tiers": true,
}

var textParams = map[string]bool{
	"description": true, "email": true, "receipt_email": true, "name": true, "phone": true, "metadata": true,
	"statement_descriptor": true, "statement_descriptor_suffix": true,
}

// TestParamSwitchesLikeMaps holds the switches to the maps, on their
// names and on others.
func TestParamSwitchesLikeMaps(t *testing.T) {
	names := []string{"", "amount", "Source", "sources", "metadata[a]", "descriptio", "card "}
	for k := range keptParams {
		names = append(names, k)
	}
	for k := range textParams {
		names = append(names, k)
	}
	for _, n := range names {
		if keptParam(n) != keptParams[n] || textParam(n) != textParams[n] {
			t.Errorf("%q: keptParam %v textParam %v; the maps say %v %v", n, keptParam(n), textParam(n), keptParams[n], textParams[n])
		}
	}
}

// shapeOfSplit is shapeOf as it was first written, decoding the body
// itself: the definition the shape read from the request's pairs keeps.
// It returns the key and the holes as "i" (text) or "i#" (integer).
func shapeOfSplit(body, ct string) (string, []string) {
	whole := "b" + body
	if len(body) == 0 || !formContent(ct) || body[0] == '{' || strings.ContainsAny(body, "; \t\r\n{") {
		return whole, nil
	}
	type pair struct {
		name, value string
		integer     bool
	}
	pairs := make([]pair, strings.Count(body, "&")+1)
	count := map[string]int{}
	for i, rest := 0, body; i < len(pairs); i++ {
		piece, after, _ := strings.Cut(rest, "&")
		rest = after
		k, v, _ := strings.Cut(piece, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if piece == "" || err1 != nil || err2 != nil {
			return whole, nil
		}
		pairs[i] = pair{name: name, value: value}
		count[name]++
	}
	b := "f"
	var holes []string
	for i := range pairs {
		pr := &pairs[i]
		root, _, _ := strings.Cut(pr.name, "[")
		b += strconv.Itoa(len(pr.name)) + ":" + pr.name
		hole := count[pr.name] == 1 && !keptParams[root]
		switch {
		case hole && integerValue(pr.value):
			b += "#"
			holes = append(holes, strconv.Itoa(i)+"#")
		case hole && textParams[root] && textValue(pr.value):
			b += "$"
			holes = append(holes, strconv.Itoa(i))
		default:
			b += "=" + strconv.Itoa(len(pr.value)) + ":" + pr.value
		}
	}
	if len(holes) == 0 {
		return whole, nil
	}
	return b, holes
}

// checkShapeOf compares shapeOf with its definition for one body.
func checkShapeOf(t *testing.T, body, ct string) {
	t.Helper()
	got := shapeOf(&render.Request{Body: []byte(body), ContentType: ct}, &shapeScratch{})
	var holes []string
	for _, h := range got.holes {
		s := strconv.Itoa(h.pair)
		if h.integer {
			s += "#"
		}
		holes = append(holes, s)
	}
	key, want := shapeOfSplit(body, ct)
	if string(got.key) != key || strings.Join(holes, ",") != strings.Join(want, ",") {
		t.Fatalf("shapeOf(%q, %q) = %q holes %v; the definition gives %q holes %v", body, ct, got.key, holes, key, want)
	}
	if len(got.holes) > 0 {
		if _, ok := got.values(); !ok {
			t.Fatalf("shapeOf(%q): values not written", body)
		}
	}
}

// TestShapeOfLikeItsDefinition covers the edges of reading the shape from
// the request's pairs: repeated keys (never holes), empty pieces and bad
// escapes (the body is its own shape), long forms, percent-encoded names.
func TestShapeOfLikeItsDefinition(t *testing.T) {
	var long strings.Builder
	for i := range 40 {
		long.WriteString("metadata[k" + strconv.Itoa(i%35) + "]=v" + strconv.Itoa(i) + "&")
	}
	long.WriteString("amount=5")
	for _, body := range []string{
		"amount=2000&currency=usd&source=tok_visa",
		"amount=2000&currency=usd&source=tok_visa&description=a%20b",
		"email=bench@example.com",
		"amount=1&amount=2&description=x",
		"description=x&name=a&description=y",
		"amount=2000&&currency=usd",
		"&amount=1",
		"amount=1&",
		"amount=%zz",
		"amount=1&b=%zz",
		"=1&amount=2",
		"amount",
		"metadata%5Border%5D=7&amount=0012",
		"description=+padded+&amount=99",
		"description=true&metadata[a]=%E2%82%AC",
		long.String(),
	} {
		checkShapeOf(t, body, "application/x-www-form-urlencoded")
		checkShapeOf(t, body, "")
	}
}

// FuzzShapeOf holds shapeOf to its definition on any body.
func FuzzShapeOf(f *testing.F) {
	f.Add("amount=2000&currency=usd&source=tok_visa&description=a%20b", "")
	f.Add("a=1&a=2&&b=%zz", "application/x-www-form-urlencoded")
	f.Fuzz(func(t *testing.T, body, ct string) {
		checkShapeOf(t, body, ct)
	})
}
