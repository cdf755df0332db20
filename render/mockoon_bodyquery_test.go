package render

import "testing"

// {{body}} and {{queryParam}} print the value at a path (JSON for arrays
// and objects, or with stringify), the default where there is none;
// bodyRaw and queryParamRaw give the value itself to other helpers.
func TestMockoonBodyAndQueryParam(t *testing.T) {
	req := &Request{ContentType: "application/json", Body: []byte(`{"a": {"b": [1, 2]}, "s": "x", "n": 3}`),
		RawQuery: "limit=3&tags=a&tags=b&o[k]=v"}
	cases := []struct{ src, want string }{
		{`{{{body}}}`, `{"a": {"b": [1, 2]}, "s": "x", "n": 3}`},
		{`{{body 's'}} {{body 'n'}} {{{body 'a.b'}}} {{{body 'a'}}}`, `x 3 [1,2] {"b":[1,2]}`},
		{`{{body 'none' 'dflt'}} {{{body 's' '' true}}} {{{body 'none' 'd' true}}}`, `dflt "x" "d"`},
		{`{{len (bodyRaw 'a.b')}} {{bodyRaw 'none' 'd'}} {{bodyRaw 'none'}}. {{len (array (bodyRaw))}}`, `2 d . 1`},
		{`{{queryParam 'limit'}} {{{queryParam 'tags'}}} {{{queryParam 'o'}}} {{queryParam 'none' 'd'}} {{{queryParam 'limit' '' true}}}`, `3 ["a","b"] {"k":"v"} d "3"`},
		{`{{{queryParam}}}`, `{"limit":"3","tags":["a","b"],"o":{"k":"v"}}`},
		{`{{len (queryParamRaw 'tags')}} {{queryParamRaw 'none' 'd'}} {{queryParamRaw 'o.k'}}`, `2 d v`},
	}
	for _, c := range cases {
		if got := execMockoon(t, nil, c.src, req); got != c.want {
			t.Errorf("%s: got %q; want %q", c.src, got, c.want)
		}
	}
	// No body to read: the default, stringified when asked.
	empty := &Request{}
	if got := execMockoon(t, nil, `{{body 'a' 'd'}} {{{body 'a' 'd' true}}} {{bodyRaw 'a' 'e'}}`, empty); got != `d "d" e` {
		t.Errorf("without a body: got %q", got)
	}
}
