//go:build unix

package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// `routedeck serve FILE` applies the file's rules and keeps its data
// buckets: the data bucket tutorial's login, then its token.
func TestServeMockoonRulesAndBuckets(t *testing.T) {
	file := "../shared/testdata/mockoon/environments/tutorial-advanced-data-bucket-manipulation.json"
	if _, err := os.Stat(file); err != nil {
		t.Skipf("Mockoon test data not found: %v", err)
	}
	_, url, _ := startServe(t, "--catalog", file)
	send := func(method, path, body string, header ...string) (int, string) {
		return request(t, method, url+path, body, append([]string{"Content-Type", "application/json"}, header...)...)
	}
	if code, _ := send("POST", "/auth/login", `{"password": "nope"}`); code != 401 {
		t.Errorf("a wrong password: %d; want 401", code)
	}
	code, body := send("POST", "/auth/login", `{"password": "pa55word"}`)
	var login struct{ Token string }
	if code != 200 || json.Unmarshal([]byte(body), &login) != nil || login.Token == "" {
		t.Fatalf("login: %d %s", code, body)
	}
	if code, body := send("GET", "/auth/me", "", "Authorization", "Bearer "+login.Token); code != 200 || !strings.Contains(body, "demo@acme.com") {
		t.Errorf("/auth/me with the token the bucket kept: %d %s", code, body)
	}
}
