package render

import (
	"net/http"
	"testing"
)

// FuzzMockoonTemplate compiles and runs any text as a Mockoon template:
// a bad template is an error, never a panic or a hang.
func FuzzMockoonTemplate(f *testing.F) {
	for _, s := range []string{
		`{{faker 'number.int' min = -5 max = 5}}`, `{{#repeat 2 comma=false}}{{@index}}{{/repeat}}`,
		`{{oneOf (array 'a' "b" 1)}}`, `{{{body}}}`, `{{&queryParam 'x'}}`, `\{{x}}`, `{{!-- c --}}`,
		`{{#switch (urlParam 'id')}}{{#case 'a'}}x{{/case}}{{#default}}y{{/default}}{{/switch}}`,
		`{{~#if (eq 1 1)~}}a{{else}}b{{~/if~}}`, `{{x}}}`, `{{`, `{{'}}`, `{{(}}`, `{{a (b (c))}}`,
		`{{setVar 'x' (object a=1)}}{{stringify (getVar 'x')}}`, `{{{{raw}}}}{{x}}{{{{/raw}}}}`,
		`{{dateFormat '2020-01-01' "yyyy 'q'' Q"}}`, `{{k = }}`, `{{a b= c}}`,
	} {
		f.Add(s)
	}
	req := &Request{Method: "POST", Params: map[string]string{"id": "a"}, RawQuery: "x=1&y[]=2",
		Header: http.Header{"Cookie": {"a=b"}}, Body: []byte(`{"a": [1, {"b": "c"}]}`), ContentType: "application/json"}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2000 {
			return
		}
		tpl, err := CompileDialect("fuzz.hbs", src, Mockoon)
		if err != nil {
			return
		}
		_, _ = tpl.Exec(req)
		_ = MockoonUnsupported(src)
	})
}
