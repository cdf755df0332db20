package stripe

import (
	"mime"
	"net/url"
	"slices"
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
	// key names the shape; it may lie in the caller's shapeScratch.
	key []byte
	// pairs are the request's form pairs (render.Request.BodyPairs), read only.
	pairs []render.FormPair
	holes []shapeHole
}

// A shapeHole is a value hole: the index of its pair, and whether it
// holds an integer (digits, no leading zero), written as such.
type shapeHole struct {
	pair    int
	integer bool
}

// shapeScratch is room for a shape's key and holes that its caller
// keeps (on its stack): a usual form's shape allocates nothing. A shape
// kept beyond its caller is copied off it (owned).
type shapeScratch struct {
	key   [160]byte
	holes [8]shapeHole
}

// keptParam reports whether the parameter root (the name before any
// '[') always belongs to the shape: the test values that decide a
// create's outcome (testValue) and the choices that change a create beyond
// their echo. (A switch: cheaper than a map's hash for each pair.)
func keptParam(root string) bool {
	switch root {
	case "source", "card", "payment_method", "payment_method_data", "payment_method_types",
		"payment_method_options", "customer", "confirm", "capture", "capture_method",
		"confirmation_method", "currency", "type", "status", "expand", "return_url",
		"setup_future_usage", "off_session", "mandate", "mandate_data", "usage",
		"default_source", "invoice_settings", "tax", "tax_id_data", "test_clock",
		"automatic_payment_methods", "application_fee_amount", "transfer_data", "on_behalf_of",
		"price", "prices", "items", "product", "recurring", "interval",
		"interval_count", "trial_period_days", "quantity", "unit_amount", "tiers":
		return true
	}
	return false
}

// textParam reports whether the parameter root's string values are
// plain text a create echoes: they may be holes.
func textParam(root string) bool {
	switch root {
	case "description", "email", "receipt_email", "name", "phone", "metadata",
		"statement_descriptor", "statement_descriptor_suffix":
		return true
	}
	return false
}

// shapeOf is the shape of req's body. It reads the pairs the request
// decoded once for every reader; a body with pieces they skip (empty
// ones) or a piece url.ParseQuery refuses is its own shape.
func shapeOf(req *render.Request, sc *shapeScratch) formShape {
	if len(req.Body) == 0 || !formContent(req.ContentType) || req.Body[0] == '{' {
		return wholeShape(req, sc)
	}
	// One pass: no byte that makes the body its own shape, and the
	// pieces counted.
	pieces := 1
	for _, c := range req.Body {
		switch c {
		case ';', ' ', '\t', '\r', '\n', '{':
			return wholeShape(req, sc)
		case '&':
			pieces++
		}
	}
	pairs, ok := req.BodyPairs()
	if !ok || len(pairs) != pieces {
		return wholeShape(req, sc)
	}
	var repeated map[string]bool
	if len(pairs) > repeatScan {
		seen := make(map[string]bool, len(pairs))
		for _, pr := range pairs {
			if seen[pr.Key] {
				if repeated == nil {
					repeated = map[string]bool{}
				}
				repeated[pr.Key] = true
			}
			seen[pr.Key] = true
		}
	}
	// The key is at most the body, a tag and each pair's lengths and
	// marks: in the scratch when it fits.
	b := sc.key[:0]
	if n := len(req.Body) + 1 + 12*len(pairs); n > len(sc.key) {
		b = make([]byte, 0, n)
	}
	b = append(b, 'f')
	holes := sc.holes[:0]
	for i, pr := range pairs {
		root, _, _ := strings.Cut(pr.Key, "[")
		b = strconv.AppendInt(b, int64(len(pr.Key)), 10)
		b = append(b, ':')
		b = append(b, pr.Key...)
		hole := !keptParam(root)
		if hole {
			if len(pairs) > repeatScan {
				hole = !repeated[pr.Key]
			} else {
				hole = !keyElsewhere(pairs, i)
			}
		}
		switch {
		case hole && integerValue(pr.Value):
			b = append(b, '#')
			holes = append(holes, shapeHole{pair: i, integer: true})
		case hole && textParam(root) && textValue(pr.Value):
			b = append(b, '$')
			holes = append(holes, shapeHole{pair: i})
		default:
			b = append(b, '=')
			b = strconv.AppendInt(b, int64(len(pr.Value)), 10)
			b = append(b, ':')
			b = append(b, pr.Value...)
		}
	}
	if len(holes) == 0 {
		return wholeShape(req, sc)
	}
	return formShape{key: b, pairs: pairs, holes: holes}
}

// owned is the shape with its key and holes copied off the scratch they
// were made in, to be kept.
func (f formShape) owned() formShape {
	f.key, f.holes = slices.Clone(f.key), slices.Clone(f.holes)
	return f
}

// repeatScan is the most pairs shapeOf looks for a repeated key among by
// walking them; longer forms are counted in a map.
const repeatScan = 32

// keyElsewhere reports whether a pair other than pairs[i] has its key.
func keyElsewhere(pairs []render.FormPair, i int) bool {
	for j := range pairs {
		if j != i && pairs[j].Key == pairs[i].Key {
			return true
		}
	}
	return false
}

// wholeShape is req's body as its own shape, without holes.
func wholeShape(req *render.Request, sc *shapeScratch) formShape {
	return formShape{key: append(append(sc.key[:0], 'b'), req.Body...)}
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
	for j, h := range f.holes {
		v := f.pairs[h.pair].Value
		if h.integer || plainString(v) {
			out[j] = v
			continue
		}
		js, err := marshal(v)
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
		v := pr.Value
		if j < len(f.holes) && f.holes[j].pair == i {
			integer := f.holes[j].integer
			n := utf8.RuneCountInString(v) + 1
			if integer {
				n = len(v) + 1
			}
			p := make([]byte, n)
			for k := range p {
				if integer {
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
		b.WriteString(url.QueryEscape(pr.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return []byte(b.String()), values
}
