//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file the terminal UI opens lazily still tells its user which
// templates do not parse: the footer names the first once they are
// parsed, and quitting lists them on stderr, as opening it with serve or
// list does at once.
func TestTUIListsBrokenTemplates(t *testing.T) {
	env := `{"uuid": "x", "lastMigration": 33, "name": "Broken", "routes": [
	  {"method": "get", "endpoint": "ok", "responses": [{"statusCode": 200, "body": "{\"ok\": true}"}]},
	  {"method": "get", "endpoint": "broken", "responses": [{"statusCode": 200, "body": "{\"i\": {{@index}}}"}]}]}`
	file := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(file, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	s, url := startTUI(t, 140, 30, file)
	s.waitFor(`template error, answers 500: GET /broken (variant "200")`)
	if code, body := get(t, url+"/ok"); code != 200 || !strings.Contains(body, `"ok": true`) {
		t.Fatalf("GET /ok: %d %s", code, body)
	}
	s.keys("q")
	s.waitFor("EXIT=0", "routedeck: "+file+`: template error, answers 500: GET /broken (variant "200")`)
}
