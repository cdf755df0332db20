package render

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/embed"
)

// Every shipped template renders the same through the fast path and
// through raymond (fresh ids aside).
func TestEmbeddedPlansMatchRaymond(t *testing.T) {
	fresh := regexp.MustCompile(`_[A-Za-z0-9]{14}"`)
	req := &Request{
		Params:      map[string]string{},
		Body:        []byte("amount=2000&currency=usd&email=a%22b&description=x&metadata[k]=v"),
		ContentType: "application/x-www-form-urlencoded",
		Now:         time.Unix(1700000000, 0),
	}
	planned, total := 0, 0
	err := fs.WalkDir(embed.Catalog, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".hbs") {
			return err
		}
		src, err := fs.ReadFile(embed.Catalog, p)
		if err != nil {
			return err
		}
		tpl, err := Compile(p, string(src))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		total++
		// With a request whose values need escaping, the body stays JSON.
		if out, err := tpl.Exec(req); err != nil {
			t.Errorf("%s: %v", p, err)
		} else if !strings.HasPrefix(out, "%PDF-") && !json.Valid([]byte(out)) {
			t.Errorf("%s: renders invalid JSON for a form request", p)
		}
		if tpl.plan == nil {
			return nil
		}
		planned++
		fast, _ := tpl.Exec(req)
		rt, err := tpl.raymond()
		if err != nil {
			t.Errorf("%s: raymond: %v", p, err)
			return nil
		}
		slow, err := tpl.execRaymond(rt, req)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if fresh.ReplaceAllString(fast, `_X"`) != fresh.ReplaceAllString(slow, `_X"`) {
			t.Errorf("%s: the fast path and raymond differ", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d templates run on the fast path", planned, total)
	if total < 768 {
		t.Errorf("found %d templates; want 768", total)
	}
}
