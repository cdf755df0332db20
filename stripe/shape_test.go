package stripe

import (
	"testing"

	"github.com/routedeck/routedeck/render"
)

// TestShapeOfContentTypes pins a create's shape key, with its holes, for
// the content types a form may come with, and a body that is its own
// shape for other types and for bodies that are not plain forms.
func TestShapeOfContentTypes(t *testing.T) {
	const body = "amount=2000&currency=usd&source=tok_visa&description=a%20b"
	const formKey = "f6:amount#8:currency=3:usd6:source=8:tok_visa11:description$"
	cases := []struct {
		ct, body, key string
		holes         int
	}{
		{"", body, formKey, 2},
		{"application/x-www-form-urlencoded", body, formKey, 2},
		{"application/x-www-form-urlencoded; charset=utf-8", body, formKey, 2},
		{"Application/X-WWW-Form-Urlencoded", body, formKey, 2},
		{"application/json", body, "b" + body, 0},
		{"text/plain;;", body, "b" + body, 0},
		{"", "{\"amount\":1}", "b{\"amount\":1}", 0},
		{"", "amount=2000&&currency=usd", "bamount=2000&&currency=usd", 0},
		{"", "amount=2000&amount=3000", "bamount=2000&amount=3000", 0},
		{"", "amount=%zz", "bamount=%zz", 0},
		{"", "currency=usd", "bcurrency=usd", 0},
		{"", "a%5Bb%5D=x&amount=7", "f4:a[b]=1:x6:amount#", 1},
	}
	for _, c := range cases {
		got := shapeOf(&render.Request{Body: []byte(c.body), ContentType: c.ct}, &shapeScratch{})
		if string(got.key) != c.key || len(got.holes) != c.holes {
			t.Errorf("shapeOf(%q, %q) = key %q, %d holes; want %q, %d", c.ct, c.body, got.key, len(got.holes), c.key, c.holes)
		}
	}
}
