package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brianvoe/gofakeit/v7/data"
)

// The faker and oneOf calls the plan writes straight into the output print
// values of the shape and distribution raymond's path (the helpers called
// one by one) prints: same pattern, and over many draws the same set of
// values, each about as often.
func TestMockoonPlanWritersDrawAsTheHelpers(t *testing.T) {
	cases := []struct {
		template string
		shape    string // a regexp every value matches
		small    bool   // few enough values to compare how often each comes
	}{
		{template: `{{faker 'string.alpha' count=3}}`, shape: `^[A-Za-z]{3}$`},
		{template: `{{faker 'string.alphanumeric' 25}}`, shape: `^[A-Za-z0-9]{25}$`},
		{template: `{{faker 'string.numeric' length=4}}`, shape: `^[0-9]{4}$`},
		{template: `{{faker 'string.hexadecimal' length=2}}`, shape: `^0x[0-9a-f]{2}$`},
		{template: `{{faker 'string.nanoid'}}`, shape: `^[A-Za-z0-9_-]{21}$`},
		{template: `{{faker 'git.commitSha'}}`, shape: `^[0-9a-f]{40}$`},
		{template: `{{faker 'database.mongodbObjectId'}}`, shape: `^[0-9a-f]{24}$`},
		{template: `{{faker 'finance.accountNumber'}}`, shape: `^[0-9]{8}$`},
		{template: `{{faker 'number.int' max=3}}`, shape: `^[0-3]$`, small: true},
		{template: `{{faker 'number.int' min=-2 max=2}}`, shape: `^-?[0-2]$`, small: true},
		{template: `{{faker 'number.int' 4}}`, shape: `^[0-4]$`, small: true},
		{template: `{{faker 'number.int' min=2.5 max=4.5}}`, shape: `^[34]$`, small: true},
		{template: `{{faker 'number.int'}}`, shape: `^[0-9]{1,16}$`},
		{template: `{{faker 'datatype.boolean'}}`, shape: `^(true|false)$`, small: true},
		{template: `{{faker 'datatype.boolean' probability=0.2}}`, shape: `^(true|false)$`, small: true},
		{template: `{{faker 'location.county'}}`, shape: `^.+ County$`},
		{template: `{{faker 'person.firstName'}}`, shape: `^[^<>"]+$`},
		{template: `{{{faker 'internet.email'}}}`, shape: `^[^@]+@[^@]+$`},
		{template: `{{oneOf (array 'nzd' 'czk' 'aud' 'usd')}}`, shape: `^(nzd|czk|aud|usd)$`, small: true},
		{template: `{{oneOf (array true false)}}`, shape: `^(true|false)$`, small: true},
		{template: `{{oneOf (array 'a<b' 1.5)}}`, shape: `^(a&lt;b|1\.5)$`, small: true},
		{template: `{{{oneOf (array 'a<b' 1.5)}}}`, shape: `^(a<b|1\.5)$`, small: true},
		{template: `[{{oneOf (array)}}]`, shape: `^\[\]$`, small: true},
	}
	const draws = 2000
	for _, c := range cases {
		tpl, err := CompileDialect("t.hbs", c.template, Mockoon)
		if err != nil {
			t.Fatalf("%s: %v", c.template, err)
		}
		if tpl.mplan == nil || len(tpl.mplan.steps) == 0 {
			t.Fatalf("%s: no plan", c.template)
		}
		rt, err := tpl.raymond()
		if err != nil {
			t.Fatal(err)
		}
		shape := regexp.MustCompile(c.shape)
		planned, helpers := map[string]int{}, map[string]int{}
		for range draws {
			p, ok := tpl.mplan.exec(&Request{})
			h, err := tpl.execRaymond(rt, &Request{})
			if !ok || err != nil {
				t.Fatalf("%s: plan ok %v, raymond error %v", c.template, ok, err)
			}
			for _, v := range []string{p, h} {
				if !shape.MatchString(v) {
					t.Fatalf("%s printed %q, not of the shape %s", c.template, v, c.shape)
				}
			}
			planned[p]++
			helpers[h]++
		}
		if !c.small {
			// As many distinct values, within a tenth.
			if a, b := len(planned), len(helpers); a < 2 || 10*a < 9*b || 10*b < 9*a {
				t.Errorf("%s: %d distinct values from the plan, %d from the helpers, in %d draws", c.template, a, b, draws)
			}
			continue
		}
		if len(planned) != len(helpers) {
			t.Errorf("%s: plan printed %v, the helpers %v", c.template, planned, helpers)
		}
		for v, n := range helpers {
			// Binomial: 5 standard deviations of the two counts' difference.
			p := float64(n) / draws
			tolerance := 5*math.Sqrt(2*draws*p*(1-p)) + 1
			if math.Abs(float64(planned[v]-n)) > tolerance {
				t.Errorf("%s: %q printed %d times by the plan, %d by the helpers (of %d)", c.template, v, planned[v], n, draws)
			}
		}
	}
}

// A faker call whose arguments the method refuses is not written by the
// plan: the request reports the method's error, as without a plan.
func TestMockoonPlanWriterLeavesErrorsToTheHelper(t *testing.T) {
	tpl, err := CompileDialect("t.hbs", "[\n{{faker 'number.int' min=5 max=1}}]", Mockoon)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.Exec(&Request{})
	if err == nil || !strings.Contains(err.Error(), "max 1 is less than min 5") {
		t.Fatalf("error %v; want faker's range error", err)
	}
}

// appendHTMLEscaped escapes what htmlEscape (Handlebars' escapeExpression)
// escapes, and appendJSNumber prints what jsNumber prints.
func TestMockoonAppendersPrintAsTheHelpers(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">&'b'=` + "`c`</a>", "é&ü", "=="} {
		if got := string(appendHTMLEscaped([]byte(">"), s)); got != ">"+htmlEscape(s) {
			t.Errorf("appendHTMLEscaped(%q) = %q; want %q", s, got[1:], htmlEscape(s))
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 1e21, 1e20, 1e-6, 1e-7, 123456789.125, math.NaN(), math.Inf(1), math.Inf(-1), maxSafeInteger} {
		if got := string(appendJSNumber(nil, f)); got != jsNumber(f) {
			t.Errorf("appendJSNumber(%v) = %q; want %q", f, got, jsNumber(f))
		}
	}
}

// appendRandom draws every byte of an alphabet about equally often, in the
// count asked, whatever the alphabet's size (a power of two or not).
func TestAppendRandomIsUniform(t *testing.T) {
	for _, alphabet := range []string{"x", "ab", "abc", digits, "0123456789abcdef", letters, letters + digits, letters + digits + "_-", printable} {
		const n = 200_000
		out := appendRandom([]byte("<"), n, alphabet)
		if len(out) != n+1 || out[0] != '<' {
			t.Fatalf("%q: appended %d bytes; want %d", alphabet, len(out)-1, n)
		}
		counts := map[byte]int{}
		for _, c := range out[1:] {
			counts[c]++
		}
		if len(counts) != len(alphabet) {
			t.Errorf("%q: drew %d distinct bytes; want %d", alphabet, len(counts), len(alphabet))
		}
		p := 1 / float64(len(alphabet))
		// Six standard deviations: over the ~350 symbols checked, a fair
		// draw fails about once in a million runs (five failed a clean CI
		// run once), while a modulo bias moves a symbol's count by a third
		// or more, hundreds of deviations.
		tolerance := 6*math.Sqrt(n*p*(1-p)) + 1
		for i := range len(alphabet) {
			if got := float64(counts[alphabet[i]]); math.Abs(got-n*p) > tolerance {
				t.Errorf("%q: %q drawn %v times; want %v ± %.0f", alphabet, alphabet[i], got, n*p, tolerance)
			}
		}
	}
}

// Every method the plan picks from a gofakeit list itself prints, through
// its gofakeit function, only values of that list: the table names the
// list the function picks from.
func TestFakerPicksAreTheFunctionsLists(t *testing.T) {
	for name, p := range fakerPicks {
		write := pickWriter(p, false)
		if write == nil {
			t.Errorf("%s: gofakeit has no list %s.%s", name, p.group, p.key)
			continue
		}
		list := map[string]bool{}
		for _, v := range data.Data[p.group][p.key] {
			list[v+p.suffix] = true
		}
		fn, ok := fakerStrings[name]
		if !ok {
			t.Errorf("%s is a pick but not a string method", name)
			continue
		}
		for range 200 {
			if v := fn(); !list[v] {
				t.Errorf("%s printed %q, not in gofakeit's %s.%s list", name, v, p.group, p.key)
				break
			}
			if v := string(write(nil)); !list[v] {
				t.Errorf("%s written as %q, not in gofakeit's %s.%s list", name, v, p.group, p.key)
				break
			}
		}
	}
}

// One plan serves concurrent requests: each gets a whole body of its own
// (the output buffers are pooled, the fakers share no locked state).
func TestMockoonPlanConcurrent(t *testing.T) {
	tpl, err := CompileDialect("t.hbs", `{"id": "ch_{{faker 'string.alphanumeric' 24}}", "city": "{{faker 'location.city'}}", "n": {{faker 'number.int' max=9}}, "c": "{{oneOf (array 'usd' 'eur')}}"}`, Mockoon)
	if err != nil || tpl.mplan == nil {
		t.Fatalf("compile: %v, plan %v", err, tpl != nil && tpl.mplan != nil)
	}
	shape := regexp.MustCompile(`^\{"id": "ch_[A-Za-z0-9]{24}", "city": "[^"]+", "n": [0-9], "c": "(usd|eur)"\}$`)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				out, err := tpl.Exec(&Request{})
				if err != nil || !shape.MatchString(out) {
					errs <- fmt.Sprintf("printed %q, error %v", out, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// A faker length past a million characters is a clear error, not a body
// that holds the request (or the process's memory) without end.
func TestMockoonFakerLengthIsBounded(t *testing.T) {
	for _, src := range []string{
		`{{faker 'string.alpha' 2000000}}`,
		`{{faker 'string.alphanumeric' length=100000000000}}`,
		`{{{faker 'git.commitSha' length=1e15}}}`,
		`{{faker 'string.sample' 3000000}}`,
		`{{faker 'lorem.words' 100000000000}}`,
	} {
		tpl, err := CompileDialect("t.hbs", src, Mockoon)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		start := time.Now()
		_, err = tpl.Exec(&Request{})
		if err == nil || !strings.Contains(err.Error(), "more than 1048576") {
			t.Errorf("%s: error %v; want the length limit", src, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", src, d)
		}
	}
	out, err := renderMockoon(`{{faker 'string.numeric' 1048576}}`, &Request{})
	if err != nil || len(out) != 1<<20 {
		t.Fatalf("a million digits: %d bytes, %v", len(out), err)
	}
}

// jsonShape is a JSON text's structure: objects' member names in order
// and the kind of each value.
func jsonShape(t *testing.T, text string) string {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var b strings.Builder
	type open struct{ object, wantName bool }
	var stack []open
	ended := func() { // a value ended: an object's next token is a name
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantName = true
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatalf("%v in %.200q", err, text)
		}
		n := len(stack)
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:n-1]
			b.WriteString(d.String() + ",")
			ended()
			continue
		}
		if n > 0 && stack[n-1].wantName {
			b.WriteString(strconv.Quote(tok.(string)) + ":")
			stack[n-1].wantName = false
			continue
		}
		switch v := tok.(type) {
		case json.Delim:
			stack = append(stack, open{object: v == '{', wantName: v == '{'})
			b.WriteString(v.String())
			continue
		case string:
			b.WriteString("s")
		case json.Number:
			b.WriteString("n")
		case bool:
			b.WriteString("b")
		case nil:
			b.WriteString("z")
		}
		b.WriteString(",")
		ended()
	}
}
