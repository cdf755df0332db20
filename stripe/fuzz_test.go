package stripe

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// Any body and query on any route is answered by Check without a panic:
// either no error, or a 400 with a message and a parameter.
func FuzzCheck(f *testing.F) {
	cat, err := catalog.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	rules := New(cat, embed.Stripe, Options{Strict: true})
	f.Add(uint16(0), "amount=2000&currency=usd", "")
	f.Add(uint16(7), "line_items[0][price]=p&line_items[0][quantity]=x", "expand[]=a")
	f.Add(uint16(99), `{"amount":"1","metadata":{"a":[1,{"b":null}]}}`, "limit=ten")
	f.Add(uint16(3), "a[b][c][]=1&a[=&[]=&card[token]=t&card[0]=1", "created[gte]=&expand=x")
	f.Fuzz(func(t *testing.T, i uint16, body, query string) {
		r := cat.Routes[int(i)%len(cat.Routes)]
		hr := httptest.NewRequest(r.Method, r.SamplePath(r.SampleParams()), strings.NewReader(body))
		hr.URL.RawQuery = query
		if strings.HasPrefix(body, "{") {
			hr.Header.Set("Content-Type", "application/json")
		}
		_, e := rules.Check(r, render.NewRequest(hr, r.SampleParams(), []byte(body)))
		if e != nil && (e.Status != 400 || e.Message == "" || e.Type != "invalid_request_error") {
			t.Fatalf("%s %q %q: %+v", r.Key(), body, query, e)
		}
	})
}

// Any expand[] on any body, JSON or not, is expanded without a panic; a
// valid JSON body stays valid JSON.
func FuzzExpand(f *testing.F) {
	d, err := ParseData(embed.Stripe)
	if err != nil {
		f.Fatal(err)
	}
	x := &expander{d: d, objects: fixtureObjects{d}, names: map[string]string{}}
	f.Add(`{"object":"payment_intent","customer":null,"latest_charge":"ch_1"}`, "customer,latest_charge.customer")
	f.Add(`{"object":"list","data":[{"object":"charge","customer":"cus_1"},{"object":"charge"}]}`, "data.customer,data.nope")
	f.Add("{\n  \"object\": \"checkout.session\",\n  \"id\": \"cs_1\"\n}", "line_items.data.price")
	f.Add(`{"object":"invoice","discounts":["di_1",{"id":"x"}],"lines":{"data":[1,"a",null]}}`, "discounts,lines.data.x")
	f.Add(`{"object":"subscription","latest_invoice":"in_\"1","items":[}`, "latest_invoice.customer")
	f.Fuzz(func(t *testing.T, body, paths string) {
		for _, strict := range []bool{false, true} {
			run := &expansion{expander: &expander{d: x.d, objects: x.objects, names: x.names, strict: strict}}
			out, e := run.expand([]byte(body), strings.Split(paths, ","))
			if e != nil {
				if e.Status != 400 || !strict {
					t.Fatalf("%q %q (strict %v): %+v", body, paths, strict, e)
				}
				continue
			}
			if json.Valid([]byte(body)) && !json.Valid(out) {
				t.Fatalf("%q %q: invalid JSON out:\n%s", body, paths, out)
			}
		}
	})
}
