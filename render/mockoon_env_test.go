package render

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func execMockoon(t *testing.T, env *MockoonEnv, src string, req *Request) string {
	t.Helper()
	tpl, err := CompileDialect("t.hbs", src, Mockoon)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if req == nil {
		req = &Request{}
	}
	req.Mockoon = env
	out, err := tpl.Exec(req)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return out
}

// Data buckets: rendered once at start (a bucket may use the ones before
// it), read by id or by name, at object-path or JSONPath paths.
func TestMockoonDataBuckets(t *testing.T) {
	env := NewMockoonEnv([]DataBucket{
		{ID: "ab12", Name: "Users list", Value: `{"users": [{"id": 1, "name": "Ann", "tags": ["a"]}, {"id": 2, "name": "Bob"}], "n": {{add 1 2}} }`},
		{ID: "cd34", Name: "copy", Value: `{"first": "{{dataRaw 'users' 'users.0.name'}}"}`},
		{ID: "ef56", Name: "text", Value: `plain text`},
		{ID: "gh78", Name: "echo", Value: `{"q": "{{queryParam 'q'}}"}`},
	})
	cases := []struct{ src, want string }{
		{`{{data 'ab12' 'n'}}`, `3`},
		{`{{data 'users' 'users.1.name'}}`, `Bob`},
		{`{{data 'USERS' 'users.0'}}`, `{"id":1,"name":"Ann","tags":["a"]}`},
		{`{{data 'users' '$.users[?(@.id > 1)].name'}}`, `Bob`},
		{`{{data 'users' '$.users[*].id'}}`, `[1,2]`},
		{`{{data 'users' 'missing'}}`, ``},
		{`{{data 'nobucket'}}`, ``},
		{`{{data 'copy' 'first'}}`, `Ann`},
		{`{{data 'text'}}`, `plain text`},
		{`{{#each (dataRaw 'users' 'users')}}{{name}};{{/each}}`, `Ann;Bob;`},
	}
	for _, c := range cases {
		if got := execMockoon(t, env, c.src, nil); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
	// A bucket that reads the request is rendered on first use, with it.
	req := &Request{RawQuery: "q=first"}
	if got := execMockoon(t, env, `{{data 'echo' 'q'}}`, req); got != "first" {
		t.Errorf("request bucket: got %q", got)
	}
	if got := execMockoon(t, env, `{{data 'echo' 'q'}}`, &Request{RawQuery: "q=second"}); got != "first" {
		t.Errorf("request bucket, second request: got %q, want the first rendering kept", got)
	}
}

// setData changes a bucket for every later request.
func TestMockoonSetData(t *testing.T) {
	env := NewMockoonEnv([]DataBucket{{ID: "s1", Name: "state", Value: `{"count": 0, "list": [], "flag": true, "obj": {"a": 1}}`}})
	execMockoon(t, env, `{{setData 'inc' 'state' 'count' 2}}{{setData 'inc' 'state' 'count'}}{{setData 'dec' 'state' 'count' 1}}`, nil)
	execMockoon(t, env, `{{setData 'push' 'state' 'list' (object a='x')}}{{setData 'push' 'state' 'list' 5}}`, nil)
	execMockoon(t, env, `{{setData 'invert' 'state' 'flag'}}{{setData 'merge' 'state' 'obj' (object b=2)}}`, nil)
	execMockoon(t, env, `{{setData 'set' 'state' 'deep.new.key' 'v'}}{{setData 'del' 'state' 'list.0'}}`, nil)
	got := execMockoon(t, env, `{{data 'state'}}`, nil)
	want := `{"count":2,"list":[5],"flag":false,"obj":{"a":1,"b":2},"deep":{"new":{"key":"v"}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	execMockoon(t, env, `{{setData 'set' 'state' '' (array 1 2)}}`, nil)
	if got := execMockoon(t, env, `{{data 'state'}}`, nil); got != `[1,2]` {
		t.Errorf("whole bucket set: got %s", got)
	}
}

// Global variables are shared by every template of the environment;
// getGlobalVar takes a path and a default.
func TestMockoonGlobalVars(t *testing.T) {
	env := NewMockoonEnv(nil)
	execMockoon(t, env, `{{setGlobalVar 'user' (object name='Ann' roles=(array 'a' 'b'))}}{{setGlobalVar 'n' 3}}`, nil)
	cases := []struct{ src, want string }{
		{`{{getGlobalVar 'n'}}`, `3`},
		{`{{getGlobalVar 'user' 'name'}}`, `Ann`},
		{`{{getGlobalVar 'user' '$.roles[1]'}}`, `b`},
		{`{{getGlobalVar 'user' 'nope' 'dflt'}}`, `dflt`},
		{`{{getGlobalVar 'unset' null 'dflt'}}`, `dflt`},
		{`{{{stringify (getGlobalVar 'user')}}}`, "{\n  \"name\": \"Ann\",\n  \"roles\": [\n    \"a\",\n    \"b\"\n  ]\n}"},
	}
	for _, c := range cases {
		if got := execMockoon(t, env, c.src, nil); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
	if g := env.Globals(); g["n"] != 3.0 {
		t.Errorf("Globals: %v", g)
	}
	// Without an environment the helpers print nothing.
	if got := execMockoon(t, nil, `[{{setGlobalVar 'a' 1}}{{getGlobalVar 'a'}}{{data 'x'}}]`, nil); got != "[]" {
		t.Errorf("no environment: %q", got)
	}
}

// Many requests changing one bucket at once keep every change (run with -race).
func TestMockoonEnvConcurrent(t *testing.T) {
	env := NewMockoonEnv([]DataBucket{{ID: "c", Name: "c", Value: `{"n": 0, "log": []}`}})
	tpl, err := CompileDialect("t", `{{setData 'inc' 'c' 'n'}}{{setData 'push' 'c' 'log' (getGlobalVar 'x')}}{{setGlobalVar 'x' (dataRaw 'c' 'n')}}{{#each (dataRaw 'c' 'log')}}.{{/each}}`, Mockoon)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if _, err := tpl.Exec(&Request{Mockoon: env}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if got := execMockoon(t, env, `{{data 'c' 'n'}} {{len (dataRaw 'c' 'log')}}`, nil); got != "200 200" {
		t.Errorf("got %q, want 200 200", got)
	}
}

// jsonPath takes filters and recursive descent.
func TestMockoonJSONPathFilters(t *testing.T) {
	req := &Request{ContentType: "application/json", Body: []byte(`{"items": [{"id": 1, "price": 5, "tag": {"k": "a"}}, {"id": 2, "price": 15, "tag": {"k": "b"}}]}`)}
	cases := []struct{ src, want string }{
		{`{{jsonPath (bodyRaw) '$.items[?(@.price < 10)].id'}}`, `1`},
		{`{{jsonPath (bodyRaw) '$.items[?(@.price > 1)].id'}}`, `1,2`},
		{`{{jsonPath (bodyRaw) '$..k'}}`, `a,b`},
		{`{{{stringify (jsonPath (bodyRaw) '$.items[1].tag')}}}`, "{\n  \"k\": \"b\"\n}"},
		{`{{body '$.items[?(@.id == 2)].price'}}`, `15`},
		{`[{{jsonPath (bodyRaw) '$.nothing'}}]`, `[]`},
	}
	for _, c := range cases {
		if got := execMockoon(t, nil, c.src, req); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}

// Any argument count works: the rewrite registers the arity a call uses.
func TestMockoonFortyArguments(t *testing.T) {
	args := make([]string, 40)
	for i := range args {
		args[i] = fmt.Sprintf("'v%d'", i)
	}
	all := strings.Join(args, " ")
	if got := execMockoon(t, nil, `{{concat `+all+`}}`, nil); got != strings.ReplaceAll(strings.ReplaceAll(all, "'", ""), " ", "") {
		t.Errorf("concat of 40: %q", got)
	}
	if got := execMockoon(t, nil, `{{len (array `+all+`)}}`, nil); got != "40" {
		t.Errorf("array of 40: %q", got)
	}
	for _, src := range []string{`{{oneOf (array ` + all + `)}}`, `{{oneOf ` + all + `}}`} {
		if got := execMockoon(t, nil, src, nil); !strings.HasPrefix(got, "v") {
			t.Errorf("%s: %q", src[:12], got)
		}
	}
	if got := execMockoon(t, nil, `{{add 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1}}`, nil); got != "40" {
		t.Errorf("add of 40: %q", got)
	}
}
