package render

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/embed"
)

// Every shipped template renders the same through the fast path and
// through raymond, byte for byte (each rendering making the same ids).
func TestEmbeddedPlansMatchRaymond(t *testing.T) {
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
		n := 0
		req.SetIDs(func(prefix string) string { n++; return fmt.Sprintf("%s_%014d", prefix, n) })
		fast, _ := tpl.Exec(req)
		n = 0
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
		req.SetIDs(nil)
		if fast != slow {
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
