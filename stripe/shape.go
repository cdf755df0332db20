package stripe

import (
	"mime"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/routedeck/routedeck/render"
)

// A formShape is what a create is prepared by (preparedCreate): the
// request body's parameter names in order with the values that may decide
// more than their own echo, and holes for those that are only echoed (an
// amount, a description, a metadata value). Creates alike but for their
// holes' values share a prepared create, and each fills in its values.
// A body that is not a plain form is its own shape: it has no holes.
type formShape struct {
	key   string
	pairs []formPair
	// holes are the indexes among pairs of the value holes.
	holes []int
}

// A formPair is one parameter of a form body; integer says it is a hole
// holding an integer (digits, no leading zero), written as such.
type formPair struct {
	name, value string
	integer     bool
}

// keptParams are the parameters (by the name before any '[') whose value
// always belongs to the shape: the test values that decide a create's
// outcome (testValue) and the choices that change a create beyond their
// echo.
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

// textParams are the parameters (by the name before any '[') whose string
// values are plain text a create echoes: they may be holes.
var textParams = map[string]bool{
	"description": true, "email": true, "receipt_email": true, "name": true, "phone": true, "metadata": true,
	"statement_descriptor": true, "statement_descriptor_suffix": true,
}

// shapeOf is the shape of req's body.
func shapeOf(req *render.Request) formShape {
	if len(req.Body) == 0 || !formContent(req.ContentType) || req.Body[0] == '{' {
		return wholeShape(req)
	}
	body := string(req.Body)
	if strings.ContainsAny(body, "; \t\r\n{") {
		return wholeShape(req)
	}
	pairs := make([]formPair, strings.Count(body, "&")+1)
	count := make(map[string]int, len(pairs))
	for i, rest := 0, body; i < len(pairs); i++ {
		piece, after, _ := strings.Cut(rest, "&")
		rest = after
		k, v, _ := strings.Cut(piece, "=")
		name, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if piece == "" || err1 != nil || err2 != nil {
			return wholeShape(req)
		}
		pairs[i] = formPair{name: name, value: value}
		count[name]++
	}
	// The key is at most the body, a tag and each pair's lengths and marks:
	// one allocation.
	var b strings.Builder
	b.Grow(len(body) + 1 + 12*len(pairs))
	b.WriteByte('f')
	var holes []int
	for i := range pairs {
		pr := &pairs[i]
		root, _, _ := strings.Cut(pr.name, "[")
		b.WriteString(strconv.Itoa(len(pr.name)))
		b.WriteByte(':')
		b.WriteString(pr.name)
		hole := count[pr.name] == 1 && !keptParams[root]
		switch {
		case hole && integerValue(pr.value):
			pr.integer = true
			b.WriteByte('#')
		case hole && textParams[root] && textValue(pr.value):
			b.WriteByte('$')
		default:
			hole = false
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(len(pr.value)))
			b.WriteByte(':')
			b.WriteString(pr.value)
		}
		if hole {
			holes = append(holes, i)
		}
	}
	if len(holes) == 0 {
		return wholeShape(req)
	}
	return formShape{key: b.String(), pairs: pairs, holes: holes}
}

// wholeShape is req's body as its own shape, without holes.
func wholeShape(req *render.Request) formShape {
	return formShape{key: "b" + string(req.Body)}
}

// formContent reports whether a body of content type ct may be a form:
// no type, or application/x-www-form-urlencoded with any parameters. The
// common exact type is taken without parsing.
func formContent(ct string) bool {
	if ct == "" || ct == "application/x-www-form-urlencoded" {
		return true
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "" || mt == "application/x-www-form-urlencoded"
}

// integerValue reports whether v is an integer a hole may hold: digits
// without a leading zero, short of overflowing.
func integerValue(v string) bool {
	if len(v) == 0 || len(v) > 15 || v[0] == '0' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// textValue reports whether v is text a hole may hold: not empty, valid
// UTF-8, no space at either end, and not a boolean.
func textValue(v string) bool {
	if v == "" || v == "true" || v == "false" || !utf8.ValidString(v) {
		return false
	}
	return strings.TrimSpace(v) == v
}

// values are the JSON texts of the shape's hole values as the merge
// writes them: an integer's digits, a string's text between its quotes.
// ok is false when a value cannot be written.
func (f formShape) values() ([]string, bool) {
	out := make([]string, len(f.holes))
	for j, i := range f.holes {
		pr := f.pairs[i]
		if pr.integer {
			out[j] = pr.value
			continue
		}
		if plainString(pr.value) {
			out[j] = pr.value
			continue
		}
		js, err := marshal(pr.value)
		if err != nil || len(js) < 2 {
			return nil, false
		}
		out[j] = string(js[1 : len(js)-1])
	}
	return out, true
}

// perturbAlphabet alternates case, each letter unlike the next, so that
// two perturbations one letter apart differ at every position.
const perturbAlphabet = "AbCdEfGhIjKlMnOpQrStUvWxYz"

// perturbed is the shape with its hole values replaced by others one
// character or digit longer, as set (0 or 1) says: the two sets differ at
// every position of every value, and are plain text.
func (f formShape) perturbed(set int) (body []byte, values []string) {
	values = make([]string, len(f.holes))
	var b strings.Builder
	j := 0
	for i, pr := range f.pairs {
		v := pr.value
		if j < len(f.holes) && f.holes[j] == i {
			n := utf8.RuneCountInString(pr.value) + 1
			if pr.integer {
				n = len(pr.value) + 1
			}
			p := make([]byte, n)
			for k := range p {
				if pr.integer {
					p[k] = byte('1' + (2*j+k+4*set)%9)
				} else {
					p[k] = perturbAlphabet[(2*j+k+set)%len(perturbAlphabet)]
				}
			}
			v = string(p)
			values[j] = v
			j++
		}
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(pr.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return []byte(b.String()), values
}
