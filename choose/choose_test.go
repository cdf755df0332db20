package choose_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/mockoontest"
	"github.com/routedeck/routedeck/server"
)

const tutorials = "../../shared/testdata/mockoon/environments"

// open imports a Mockoon file and serves it on the real server with a
// chooser, as `routedeck serve FILE` does.
func open(t *testing.T, file string) (*catalog.Catalog, *httptest.Server) {
	t.Helper()
	cat, err := mockoon.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	return cat, serve(t, cat)
}

func serve(t *testing.T, cat *catalog.Catalog) *httptest.Server {
	t.Helper()
	ts, _, _ := mockoontest.Serve(t, cat)
	return ts
}

func tutorial(t *testing.T, name string) string {
	t.Helper()
	file := filepath.Join(tutorials, name)
	if _, err := os.Stat(file); err != nil {
		t.Skipf("test environment %s not found", file)
	}
	return file
}

// call sends one request; headers are "Name: value" pairs.
func call(t *testing.T, method, url, contentType, body string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Add(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// The webhooks tutorial's data bucket: setData push and set, read back
// with data by every later request.
func TestTutorialDataBucketOrders(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-simulate-webhooks-and-callbacks.json"))
	if status, body := call(t, "GET", ts.URL+"/orders", "", ""); status != 200 || strings.TrimSpace(body) != "[]" {
		t.Fatalf("orders at start: %d %q; want []", status, body)
	}
	if status, _ := call(t, "POST", ts.URL+"/orders", "", ""); status != 200 {
		t.Fatalf("POST /orders: %d", status)
	}
	if _, body := call(t, "GET", ts.URL+"/orders", "", ""); body != `[{"orderId":"123456","status":"pending"}]` {
		t.Errorf("after an order: %s", body)
	}
	call(t, "POST", ts.URL+"/webhook", "", "")
	if _, body := call(t, "GET", ts.URL+"/orders", "", ""); body != `[{"orderId":"123456","status":"paid"}]` {
		t.Errorf("after the webhook: %s", body)
	}
}

// The JSON-schema tutorial: a body rule with valid_json_schema against a
// schema kept in a data bucket (formats asserted, as Mockoon's ajv-formats).
func TestTutorialValidJSONSchema(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-validate-requests-payload-json-schema.json"))
	cases := []struct {
		body   string
		status int
	}{
		{`{"username": "ann", "email": "ann@example.com", "password": "secret1"}`, 201},
		{`{"username": "ann", "email": "ann@example.com"}`, 400},                     // required password
		{`{"username": "ann", "email": "not an email", "password": "secret1"}`, 400}, // format
		{`{"username": "ann", "email": "ann@example.com", "password": "123"}`, 400},  // minLength
		{`not json`, 400},
	}
	for _, c := range cases {
		status, body := call(t, "POST", ts.URL+"/signup", "application/json", c.body)
		if status != c.status {
			t.Errorf("POST /signup %s: %d %s; want %d", c.body, status, body, c.status)
		}
	}
}

// The data bucket tutorial: header and body rules whose values are
// templates reading buckets, and setData changing them.
func TestTutorialDataBucketManipulation(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-advanced-data-bucket-manipulation.json"))
	if status, _ := call(t, "GET", ts.URL+"/private/products", "", ""); status != 401 {
		t.Errorf("no key: %d; want 401", status)
	}
	if status, body := call(t, "GET", ts.URL+"/private/products", "", "", "X-Api-Key: sk_test_initial"); status != 200 || !strings.Contains(body, "Keyboard") {
		t.Errorf("initial key: %d %s; want 200 and the products", status, body)
	}
	if status, body := call(t, "POST", ts.URL+"/admin/api-key/rotate", "", ""); status != 200 || !strings.Contains(body, "API key rotated") {
		t.Fatalf("rotate: %d %s", status, body)
	}
	if status, _ := call(t, "GET", ts.URL+"/private/products", "", "", "X-Api-Key: sk_test_initial"); status != 401 {
		t.Errorf("the rotated-out key: %d; want 401", status)
	}

	// Login: a body rule against the password in the bucket; setData keeps the token.
	if status, _ := call(t, "POST", ts.URL+"/auth/login", "application/json", `{"password": "wrong"}`); status != 401 {
		t.Errorf("wrong password: %d; want 401", status)
	}
	status, body := call(t, "POST", ts.URL+"/auth/login", "application/json", `{"email": "demo@acme.com", "password": "pa55word"}`)
	var login struct{ Token string }
	if status != 200 || json.Unmarshal([]byte(body), &login) != nil || len(login.Token) != 36 {
		t.Fatalf("login: %d %s; want 200 and a uuid token", status, body)
	}
	if status, _ := call(t, "GET", ts.URL+"/auth/me", "", "", "Authorization: Bearer nope"); status != 401 {
		t.Errorf("/auth/me with a wrong token: %d; want 401", status)
	}
	status, body = call(t, "GET", ts.URL+"/auth/me", "", "", "Authorization: Bearer "+login.Token)
	if status != 200 || !strings.Contains(body, `"email": "demo@acme.com"`) || strings.Contains(body, `"lastLoginAt": ""`) {
		t.Errorf("/auth/me with the token: %d %s; want 200, the email and the last login", status, body)
	}
}

// The rate-limiting tutorial: a templating rule reading and setting a
// global variable.
func TestTutorialTemplatingRuleAndGlobalVar(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-rate-limiting-examples.json"))
	url := ts.URL + "/rate-limited-rules"
	// The first call has no lastCall yet: Mockoon's subtract skips what is
	// not a number, so now - nothing >= 500 holds: 200.
	start := time.Now()
	if status, body := call(t, "GET", url, "", ""); status != 200 || !strings.Contains(body, "Request processed successfully") {
		t.Errorf("first call: %d %s; want 200", status, body)
	}
	// The rule's template stored lastCall: a call at once is limited.
	status, _ := call(t, "GET", url, "", "")
	if time.Since(start) < 400*time.Millisecond && status != 429 {
		t.Errorf("at once after: %d; want 429", status)
	}
	time.Sleep(600 * time.Millisecond)
	if status, _ := call(t, "GET", url, "", ""); status != 200 {
		t.Errorf("after 600 ms: %d; want 200", status)
	}
}

// spec is a route of a test environment: a default 200 "default" answer
// and a 400 "picked" answer carrying the rules.
type spec struct {
	method, endpoint string
	mode             string // responseMode
	operator         string // rulesOperator
	rules            []map[string]any
	latency          int // the picked response's latency, ms
	defaultLatency   int
	body             string // the default response's body ("default")
	// third adds a 500 "third" response, first in the file (the default
	// stays the default): modes follow the file's order.
	third bool
}

// environment writes a Mockoon environment (lastMigration 33) of specs.
func environment(t testing.TB, latency int, buckets []map[string]any, specs ...spec) string {
	t.Helper()
	var routes []map[string]any
	for i, s := range specs {
		method := s.method
		if method == "" {
			method = "get"
		}
		var mode any
		if s.mode != "" {
			mode = s.mode
		}
		rules := s.rules
		if rules == nil {
			rules = []map[string]any{}
		}
		body := s.body
		if body == "" {
			body = "default"
		}
		operator := s.operator
		if operator == "" {
			operator = "OR"
		}
		responses := []map[string]any{
			{"uuid": "d", "statusCode": 200, "body": body, "default": true, "rules": []any{}, "rulesOperator": "OR", "latency": s.defaultLatency, "headers": []any{}},
			{"uuid": "p", "statusCode": 400, "body": "picked", "default": false, "rules": rules, "rulesOperator": operator, "latency": s.latency, "headers": []any{}},
		}
		if s.third {
			responses = append([]map[string]any{{"uuid": "t", "statusCode": 500, "body": "third", "default": false, "rules": []any{}, "headers": []any{}}}, responses...)
		}
		routes = append(routes, map[string]any{
			"uuid": "r" + string(rune('a'+i)), "type": "http", "method": method, "endpoint": s.endpoint,
			"responseMode": mode,
			"responses":    responses,
		})
	}
	if buckets == nil {
		buckets = []map[string]any{}
	}
	env := map[string]any{"uuid": "e", "lastMigration": 33, "name": "Rules", "endpointPrefix": "", "latency": latency,
		"port": 3000, "routes": routes, "data": buckets, "headers": []any{}}
	data, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func r(target, modifier, operator, value string) map[string]any {
	return map[string]any{"target": target, "modifier": modifier, "operator": operator, "value": value, "invert": false}
}

func inverted(rule map[string]any) map[string]any { rule["invert"] = true; return rule }

// Every rule target and operator, invert, AND and OR, through the real
// server: each case is a request the rule holds for (400 "picked") and
// one it does not (200 "default").
func TestRules(t *testing.T) {
	buckets := []map[string]any{
		{"uuid": "b1", "id": "bk01", "name": "settings", "value": `{"mode": "maintenance", "schemas": {"user": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}`},
	}
	specs := []spec{
		{method: "post", endpoint: "body", rules: []map[string]any{r("body", "user.name", "equals", "ann")}},
		{method: "post", endpoint: "jsonpath", rules: []map[string]any{r("body", "$.items[?(@.id == 2)].name", "equals", "two")}},
		{method: "post", endpoint: "raw", rules: []map[string]any{r("body", "", "regex", "^hello")}},
		{method: "post", endpoint: "form", rules: []map[string]any{r("body", "a.b", "equals", "1")}},
		{endpoint: "query", rules: []map[string]any{r("query", "name", "equals", "ann")}},
		{endpoint: "queryarray", rules: []map[string]any{r("query", "tags", "equals", "b")}},
		{endpoint: "header", rules: []map[string]any{r("header", "X-Mode", "regex_i", "^TEST")}},
		{endpoint: "cookie", rules: []map[string]any{r("cookie", "session", "equals", "abc")}},
		{endpoint: "params/:id", rules: []map[string]any{r("params", "id", "equals", "42")}},
		{endpoint: "path/:x", rules: []map[string]any{r("path", "", "regex", "/path/special$")}},
		{method: "all", endpoint: "method", rules: []map[string]any{r("method", "", "equals", "post")}},
		{endpoint: "bucket", rules: []map[string]any{r("data_bucket", "settings.mode", "equals", "maintenance")}},
		{endpoint: "bucketmiss", rules: []map[string]any{r("data_bucket", "settings.mode", "equals", "{{queryParam 'mode'}}")}},
		{endpoint: "templating", rules: []map[string]any{r("templating", "{{queryParam 'x'}}{{queryParam 'y'}}", "equals", "ab")}},
		{endpoint: "broken", rules: []map[string]any{r("query", "t", "equals", "{{#if}}")}},
		{endpoint: "null", rules: []map[string]any{r("header", "X-Token", "null", "")}},
		{method: "post", endpoint: "empty", rules: []map[string]any{r("body", "list", "empty_array", "")}},
		{method: "post", endpoint: "includes", rules: []map[string]any{r("body", "list", "array_includes", "2")}},
		{method: "post", endpoint: "schema", rules: []map[string]any{r("body", "user", "valid_json_schema", "settings.schemas.user")}},
		{endpoint: "invert", rules: []map[string]any{inverted(r("query", "name", "equals", "ann"))}},
		{endpoint: "and", operator: "AND", rules: []map[string]any{r("query", "a", "equals", "1"), r("query", "b", "equals", "2")}},
		{endpoint: "or", rules: []map[string]any{r("query", "a", "equals", "1"), r("query", "b", "equals", "2")}},
	}
	_, ts := open(t, environment(t, 0, buckets, specs...))
	type req struct {
		method, path, ctype, body string
		headers                   []string
	}
	cases := []struct {
		name      string
		hit, miss req
	}{
		{"body object-path", req{"POST", "/body", "application/json", `{"user": {"name": "ann"}}`, nil}, req{"POST", "/body", "application/json", `{"user": {"name": "bob"}}`, nil}},
		{"body JSONPath filter", req{"POST", "/jsonpath", "application/json", `{"items": [{"id": 1, "name": "one"}, {"id": 2, "name": "two"}]}`, nil}, req{"POST", "/jsonpath", "application/json", `{"items": [{"id": 2, "name": "deux"}]}`, nil}},
		{"raw body regex", req{"POST", "/raw", "text/plain", "hello world", nil}, req{"POST", "/raw", "text/plain", "say hello", nil}},
		{"form body", req{"POST", "/form", "application/x-www-form-urlencoded", "a[b]=1", nil}, req{"POST", "/form", "application/x-www-form-urlencoded", "a[b]=2", nil}},
		{"query", req{"GET", "/query?name=ann", "", "", nil}, req{"GET", "/query?name=bob", "", "", nil}},
		{"query array", req{"GET", "/queryarray?tags=a&tags=b", "", "", nil}, req{"GET", "/queryarray?tags=a&tags=c", "", "", nil}},
		{"header regex_i", req{"GET", "/header", "", "", []string{"X-Mode: testing"}}, req{"GET", "/header", "", "", []string{"X-Mode: prod"}}},
		{"cookie", req{"GET", "/cookie", "", "", []string{"Cookie: a=1; session=abc"}}, req{"GET", "/cookie", "", "", []string{"Cookie: session=xyz"}}},
		{"params", req{"GET", "/params/42", "", "", nil}, req{"GET", "/params/7", "", "", nil}},
		{"path", req{"GET", "/path/special", "", "", nil}, req{"GET", "/path/other", "", "", nil}},
		{"method", req{"POST", "/method", "", "", nil}, req{"GET", "/method", "", "", nil}},
		{"data_bucket", req{"GET", "/bucket", "", "", nil}, req{"GET", "/bucketmiss?mode=open", "", "", nil}},
		{"templating", req{"GET", "/templating?x=a&y=b", "", "", nil}, req{"GET", "/templating?x=a", "", "", nil}},
		{"a value that does not parse is its text", req{"GET", "/broken?t=%7B%7B%23if%7D%7D", "", "", nil}, req{"GET", "/broken?t=x", "", "", nil}},
		{"null", req{"GET", "/null", "", "", nil}, req{"GET", "/null", "", "", []string{"X-Token: t"}}},
		{"empty_array", req{"POST", "/empty", "application/json", `{"list": []}`, nil}, req{"POST", "/empty", "application/json", `{"list": [1]}`, nil}},
		{"array_includes", req{"POST", "/includes", "application/json", `{"list": [1, 2]}`, nil}, req{"POST", "/includes", "application/json", `{"list": [1, 3]}`, nil}},
		{"valid_json_schema", req{"POST", "/schema", "application/json", `{"user": {"name": "ann"}}`, nil}, req{"POST", "/schema", "application/json", `{"user": {"name": 5}}`, nil}},
		{"invert", req{"GET", "/invert?name=bob", "", "", nil}, req{"GET", "/invert?name=ann", "", "", nil}},
		{"AND", req{"GET", "/and?a=1&b=2", "", "", nil}, req{"GET", "/and?a=1&b=3", "", "", nil}},
		{"OR", req{"GET", "/or?a=0&b=2", "", "", nil}, req{"GET", "/or?a=0&b=0", "", "", nil}},
	}
	for _, c := range cases {
		if status, body := call(t, c.hit.method, ts.URL+c.hit.path, c.hit.ctype, c.hit.body, c.hit.headers...); status != 400 || body != "picked" {
			t.Errorf("%s: %s %s: %d %q; want the rule's 400 picked", c.name, c.hit.method, c.hit.path, status, body)
		}
		if status, body := call(t, c.miss.method, ts.URL+c.miss.path, c.miss.ctype, c.miss.body, c.miss.headers...); status != 200 || body != "default" {
			t.Errorf("%s: %s %s: %d %q; want the default 200", c.name, c.miss.method, c.miss.path, status, body)
		}
	}
}

// request_number counts each route's requests from 1; global_var reads
// what setGlobalVar stored.
func TestRuleRequestNumberAndGlobalVar(t *testing.T) {
	file := environment(t, 0, nil,
		spec{endpoint: "numbered", rules: []map[string]any{r("request_number", "", "regex", "^[24]$")}},
		spec{endpoint: "flagged", rules: []map[string]any{r("global_var", "flag.on", "equals", "true")}},
		spec{endpoint: "setflag", body: "{{setGlobalVar 'flag' (object on=true)}}default"},
	)
	_, ts := open(t, file)
	var got []int
	for range 5 {
		status, _ := call(t, "GET", ts.URL+"/numbered", "", "")
		got = append(got, status)
	}
	if want := []int{200, 400, 200, 400, 200}; !slicesEqual(got, want) {
		t.Errorf("request_number ^[24]$: %v; want %v", got, want)
	}
	if status, _ := call(t, "GET", ts.URL+"/flagged", "", ""); status != 200 {
		t.Errorf("global_var unset: %d; want 200", status)
	}
	// A template of the environment sets the variable for every route.
	if status, _ := call(t, "GET", ts.URL+"/setflag", "", ""); status != 200 {
		t.Fatalf("setflag: %d", status)
	}
	if status, body := call(t, "GET", ts.URL+"/flagged", "", ""); status != 400 {
		t.Errorf("global_var set: %d %q; want the rule's 400", status, body)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Response modes: SEQUENTIAL goes through the responses in the file's
// order and starts again; RANDOM serves each of them; DISABLE_RULES serves
// the default though a rule holds; FALLBACK answers as if no route
// matched when no rule holds.
func TestResponseModes(t *testing.T) {
	always := []map[string]any{r("query", "x", "equals", "1")}
	_, ts := open(t, environment(t, 0, nil,
		spec{endpoint: "sequential", mode: "SEQUENTIAL", third: true},
		spec{endpoint: "random", mode: "RANDOM", third: true},
		spec{endpoint: "disabled", mode: "DISABLE_RULES", rules: always},
		spec{endpoint: "fallback", mode: "FALLBACK", rules: always},
	))
	var got []int
	for range 7 {
		status, _ := call(t, "GET", ts.URL+"/sequential?x=1", "", "")
		got = append(got, status)
	}
	if want := []int{500, 200, 400, 500, 200, 400, 500}; !slicesEqual(got, want) {
		t.Errorf("SEQUENTIAL: %v; want the file's order again and again, %v", got, want)
	}
	seen := map[int]int{}
	for range 90 {
		status, _ := call(t, "GET", ts.URL+"/random", "", "")
		seen[status]++
	}
	if len(seen) != 3 || seen[200] == 0 || seen[400] == 0 || seen[500] == 0 {
		t.Errorf("RANDOM over 90 requests: %v; want each of the three responses", seen)
	}
	if status, body := call(t, "GET", ts.URL+"/disabled?x=1", "", ""); status != 200 || body != "default" {
		t.Errorf("DISABLE_RULES with a rule that holds: %d %q; want the default", status, body)
	}
	if status, body := call(t, "GET", ts.URL+"/fallback?x=1", "", ""); status != 400 || body != "picked" {
		t.Errorf("FALLBACK, a rule holds: %d %q; want its response", status, body)
	}
	if status, _ := call(t, "GET", ts.URL+"/fallback?x=2", "", ""); status != 404 {
		t.Errorf("FALLBACK, no rule holds: %d; want 404, as no route matched", status)
	}
}

// A pinned variant or a Prefer header decides before rules and modes.
func TestPinAndPreferComeFirst(t *testing.T) {
	_, ts := open(t, environment(t, 0, nil, spec{endpoint: "seq", mode: "SEQUENTIAL"}, spec{endpoint: "rule", rules: []map[string]any{r("query", "x", "equals", "1")}}))
	for range 3 {
		if status, _ := call(t, "GET", ts.URL+"/seq", "", "", "Prefer: code=400"); status != 400 {
			t.Fatalf("Prefer code=400 on a SEQUENTIAL route: %d", status)
		}
	}
	if status, _ := call(t, "GET", ts.URL+"/rule?x=1", "", "", "Prefer: code=200"); status != 200 {
		t.Errorf("Prefer code=200 where a rule picks 400: %d", status)
	}
}

// Latency: the environment's and the response's add up before the answer.
func TestLatency(t *testing.T) {
	_, ts := open(t, environment(t, 120, nil, spec{endpoint: "slow", latency: 200, rules: []map[string]any{r("query", "slow", "equals", "1")}}))
	start := time.Now()
	if status, _ := call(t, "GET", ts.URL+"/slow", "", ""); status != 200 {
		t.Fatalf("status %d", status)
	}
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("the environment's 120 ms latency: answered in %v", d)
	}
	start = time.Now()
	if status, _ := call(t, "GET", ts.URL+"/slow?slow=1", "", ""); status != 400 {
		t.Fatalf("status %d", status)
	}
	if d := time.Since(start); d < 320*time.Millisecond {
		t.Errorf("120 ms + the response's 200 ms: answered in %v", d)
	}
	// The environment's latency delays every answer, a 404 too.
	start = time.Now()
	if status, _ := call(t, "GET", ts.URL+"/nowhere", "", ""); status != 404 {
		t.Fatalf("an unknown path: %d", status)
	}
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("an unknown path, the environment's 120 ms latency: answered in %v", d)
	}
}

// A variant the user pinned is served whatever the rules say; back on
// auto, the rules decide again.
func TestPinComesBeforeRules(t *testing.T) {
	cat, err := mockoon.Open(environment(t, 0, nil, spec{endpoint: "rule", rules: []map[string]any{r("query", "x", "equals", "1")}}))
	if err != nil {
		t.Fatal(err)
	}
	ts, srv, _ := mockoontest.Serve(t, cat)
	route := cat.Routes[0]
	srv.State().Pin(route, 0)
	if status, _ := call(t, "GET", ts.URL+"/rule?x=1", "", ""); status != 200 {
		t.Errorf("pinned to the default, a rule holds: %d; want 200", status)
	}
	srv.State().Pin(route, server.Auto)
	if status, _ := call(t, "GET", ts.URL+"/rule?x=1", "", ""); status != 400 {
		t.Errorf("auto, a rule holds: %d; want 400", status)
	}
}

// The rate-limiting tutorial's other route: the template itself sets the
// status ({{status 429}}) from a global variable.
func TestTutorialStatusHelper(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-rate-limiting-examples.json"))
	url := ts.URL + "/rate-limited"
	start := time.Now()
	if status, body := call(t, "GET", url, "", ""); status != 200 || !strings.Contains(body, `"success": true`) {
		t.Errorf("first call: %d %s; want 200", status, body)
	}
	status, body := call(t, "GET", url, "", "")
	if time.Since(start) < 400*time.Millisecond && (status != 429 || !strings.Contains(body, "Rate limit exceeded")) {
		t.Errorf("at once after: %d %s; want 429 and its body", status, body)
	}
	time.Sleep(600 * time.Millisecond)
	if status, _ := call(t, "GET", url, "", ""); status != 200 {
		t.Errorf("after 600 ms: %d; want 200", status)
	}
}

// The rules, modes, latency and data buckets survive export: the folder
// it writes loads back and serves the same choices.
func TestRulesRoundTripThroughExport(t *testing.T) {
	cat, err := mockoon.Open(tutorial(t, "tutorial-validate-requests-payload-json-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := catalog.Export(cat.Files(), dir); err != nil {
		t.Fatal(err)
	}
	back, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !back.HasChoice() || len(back.DataBuckets) != 1 {
		t.Fatalf("the exported catalog lost its rules or buckets: choice %v, %d buckets", back.HasChoice(), len(back.DataBuckets))
	}
	ts := serve(t, back)
	if status, _ := call(t, "POST", ts.URL+"/signup", "application/json", `{"username": "a", "email": "a@b.co", "password": "123456"}`); status != 201 {
		t.Errorf("valid payload through the exported catalog: %d; want 201", status)
	}
	if status, _ := call(t, "POST", ts.URL+"/signup", "application/json", `{"username": "a"}`); status != 400 {
		t.Errorf("invalid payload through the exported catalog: %d; want 400", status)
	}

	file := environment(t, 150, nil, spec{endpoint: "seq", mode: "SEQUENTIAL", latency: 100})
	cat, err = mockoon.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := catalog.Export(cat.Files(), dir); err != nil {
		t.Fatal(err)
	}
	if back, err = catalog.LoadDir(dir); err != nil {
		t.Fatal(err)
	}
	r := back.Routes[0]
	if back.Latency != 150*time.Millisecond || r.ResponseMode != "SEQUENTIAL" || r.Variants[1].Latency != 100*time.Millisecond || r.Variants[1].Order != 2 {
		t.Errorf("exported: latency %v, mode %q, variant latency %v, order %d", back.Latency, r.ResponseMode, r.Variants[1].Latency, r.Variants[1].Order)
	}
}

// The rate-limiting tutorial's quota route: jmesPath keeps the timestamps
// of the last second from the data bucket setData pushes to, so the fifth
// call within a second is 429 and a call a second later is served again.
func TestTutorialQuotaWithJMESPath(t *testing.T) {
	_, ts := open(t, tutorial(t, "tutorial-rate-limiting-examples.json"))
	url := ts.URL + "/quota-limited"
	start := time.Now()
	for i := 1; i <= 4; i++ {
		if status, body := call(t, "GET", url, "", ""); status != 200 || !strings.Contains(body, `"success": true`) {
			t.Fatalf("call %d: %d %s; want 200", i, status, body)
		}
	}
	status, body := call(t, "GET", url, "", "")
	if time.Since(start) < 900*time.Millisecond && (status != 429 || !strings.Contains(body, "rate limit of 4 per second")) {
		t.Errorf("fifth call within a second: %d %s; want 429 and the quota message", status, body)
	}
	time.Sleep(1100 * time.Millisecond)
	if status, body := call(t, "GET", url, "", ""); status != 200 {
		t.Errorf("a second later: %d %s; want 200", status, body)
	}
}
