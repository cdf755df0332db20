package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/store"
)

// filled returns a store at path with objects, children, events and
// idempotency records, closed (so saved).
func filled(t *testing.T, path string) []store.Object {
	t.Helper()
	m, err := store.New(store.Options{Path: path, SaveEvery: -1, Seed: []store.Object{customer("cus_fixture", 0, 50)}})
	if err != nil {
		t.Fatal(err)
	}
	var all []store.Object
	for i := range 5 {
		all = append(all, mustPut(t, m, customer(fmt.Sprintf("cus_%d", i), i, 100)))
	}
	all = append(all, mustPut(t, m, card("card_1", "cus_1", 100)))
	all = append(all, mustPut(t, m, store.Object{ID: "odd", Type: "thing", JSON: "{\n\t\"html\": \"<b>&</b>\", \"uni\": \"\u00e9\\u00e9\", \"created\": 100\n}"}))
	if _, err := m.Delete(ctx, "cus_3", false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AppendEvent(ctx, store.Object{ID: "evt_1", Type: "event", Parent: "cus_1", JSON: `{"id":"evt_1","type":"customer.created","created":101}`}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: "k1", Fingerprint: "fp", Status: 200,
		Header: http.Header{"Request-Id": {"req_1"}}, Body: "{\n  \"id\": \"cus_1\"\n}"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return all
}

func TestStateFileSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	filled(t, path)

	m := newMemory(t, store.Options{Path: path, SaveEvery: -1, Seed: []store.Object{customer("cus_other_seed", 0, 1)}})
	p := mustList(t, m, store.Query{Limit: 100})
	if got := ids(p.Data); got != "odd,card_1,cus_4,cus_2,cus_1,cus_0,cus_fixture" {
		t.Fatalf("after restart the store lists %s", got)
	}
	for _, id := range []string{"cus_1", "odd"} {
		got, err := m.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if id == "odd" && got.JSON != "{\n\t\"html\": \"<b>&</b>\", \"uni\": \"\u00e9\\u00e9\", \"created\": 100\n}" {
			t.Fatalf("JSON changed across a restart: %q", got.JSON)
		}
		if id == "cus_1" && got.JSON != customer("cus_1", 1, 100).JSON {
			t.Fatalf("JSON changed across a restart: %q", got.JSON)
		}
	}
	if p := mustList(t, m, store.Query{Parent: "cus_1"}); ids(p.Data) != "card_1" {
		t.Fatalf("children after restart: %s", ids(p.Data))
	}
	if p, _ := m.ListEvents(ctx, store.Query{Parent: "cus_1"}); ids(p.Data) != "evt_1" {
		t.Fatalf("events after restart: %s", ids(p.Data))
	}
	rec, ok, _ := m.LookupIdempotency(ctx, "k1")
	if !ok || rec.Body != "{\n  \"id\": \"cus_1\"\n}" || rec.Header.Get("Request-Id") != "req_1" || rec.Fingerprint != "fp" {
		t.Fatalf("idempotency record after restart: %+v, %v", rec, ok)
	}
	// A new object with the same created is newer than every loaded one.
	mustPut(t, m, customer("cus_9", 9, 100))
	if p := mustList(t, m, store.Query{Limit: 1}); ids(p.Data) != "cus_9" {
		t.Fatalf("newest after restart = %s", ids(p.Data))
	}
	// Reset goes to this run's seed, not to the file.
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if p := mustList(t, m, store.Query{}); ids(p.Data) != "cus_other_seed" {
		t.Fatalf("after Reset: %s", ids(p.Data))
	}
}

func TestSaveIsAtomicAndVersioned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	filled(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(`{"format":"routedeck-store","version":1,`)) {
		t.Fatalf("the file does not start with its format and version: %.60s", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the folder holds %d files; want only the state file (no temporary files left)", len(entries))
	}
	// A save that cannot write leaves the old file as it was.
	m := newMemory(t, store.Options{Path: path, SaveEvery: -1})
	mustPut(t, m, customer("cus_new", 1, 1))
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if os.Getuid() != 0 { // root writes anyway
		if err := m.Save(); err == nil || !strings.Contains(err.Error(), path) {
			t.Fatalf("Save into a read-only folder: %v; want an error naming %s", err, path)
		}
		if now, _ := os.ReadFile(path); !bytes.Equal(now, data) {
			t.Fatal("a failed save changed the file")
		}
	}
	os.Chmod(dir, 0o700)
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	m2 := newMemory(t, store.Options{Path: path, SaveEvery: -1})
	if _, err := m2.Get(ctx, "cus_new"); err != nil {
		t.Fatalf("saved object not loaded: %v", err)
	}
	if err := (&store.Memory{}).Save(); err == nil {
		t.Fatal("Save without a path gave no error")
	}
}

func TestCorruptStateFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	filled(t, good)
	data, _ := os.ReadFile(good)
	s := string(data)
	cus1 := strings.Index(s, `{"id":"cus_1"`)
	if cus1 < 0 {
		t.Fatalf("no cus_1 record in %s", s)
	}
	jsonAt := cus1 + strings.Index(s[cus1:], `"json":`) + len(`"json":`)
	for _, tc := range []struct {
		name   string
		data   string
		offset int
		want   string
	}{
		{"empty", "", 0, "not valid JSON"},
		{"truncated", s[:len(s)/2], len(s) / 2, "not valid JSON"},
		{"bad byte", s[:cus1+5] + "#" + s[cus1+6:], cus1 + 5, "invalid character '#'"},
		{"newer version", strings.Replace(s, `"version":1`, `"version":2`, 1), len(`{"format":"routedeck-store","version":`), "format version 2"},
		{"other format", strings.Replace(s, `"routedeck-store"`, `"something"`, 1), len(`{"format":`), "not a routedeck state file"},
		{"not ours", `{"objects":[]}`, 1, "not a routedeck state file"},
		{"no header", `{}`, 0, "not a routedeck state file"},
		{"duplicate id", strings.Replace(s, `"id":"cus_2"`, `"id":"cus_1"`, 1), strings.Index(s, `{"id":"cus_2"`), `"cus_1" appears twice`},
		{"object not a JSON object", s[:jsonAt] + `"x","z":` + s[jsonAt:], cus1, "not an object"},
		{"wrong type", strings.Replace(s, `{"id":"cus_1","type":"customer"`, `{"id":"cus_1","type":7`, 1), cus1 + len(`{"id":"cus_1","type":`), `"type": expected a string`},
		{"bad number", strings.Replace(s, `"id":"cus_1","type":"customer","created":100`, `"id":"cus_1","type":"customer","created":1.5`, 1), cus1 + len(`{"id":"cus_1","type":"customer","created":`), `"created": created is not an integer`},
		{"bad key record", strings.Replace(s, `"key":"k1"`, `"key":5`, 1), strings.Index(s, `{"key":"k1"`), "cannot unmarshal number"},
		{"trailing bytes", s + "x", len(s), "invalid character 'x' after top-level value"},
		{"objects not a list", strings.Replace(s, `"objects":[`, `"objects":{"a":1},"x":[`, 1), strings.Index(s, `"objects":[`) + len(`"objects":`), "expected a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			os.Chtimes(path, old, old)
			_, err := store.New(store.Options{Path: path, SaveEvery: time.Millisecond})
			var fe *store.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("New: %v; want a *store.FileError", err)
			}
			if fe.Path != path || fe.Offset != int64(tc.offset) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q (offset %d); want %s at byte %d saying %q", err, fe.Offset, path, tc.offset, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "state file "+path+": at byte ") {
				t.Fatalf("error %q does not start with the file and offset", err)
			}
			time.Sleep(5 * time.Millisecond) // a wrongly started saver would have written by now
			now, _ := os.ReadFile(path)
			st, _ := os.Stat(path)
			if string(now) != tc.data || !st.ModTime().Equal(old) {
				t.Fatal("loading a corrupt file changed it")
			}
		})
	}
	missing := filepath.Join(dir, "no-such-folder", "state.json")
	if _, err := store.New(store.Options{Path: missing}); err == nil || !strings.HasPrefix(err.Error(), "state file "+missing+": cannot save there") {
		t.Fatalf("a state file in a missing folder: %v; want an error naming it", err)
	}
	if _, err := store.New(store.Options{Path: dir}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("a folder as the state file: %v; want an error naming it", err)
	}
	tiny := filepath.Join(dir, "tiny.json")
	if err := os.WriteFile(tiny, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.New(store.Options{Path: tiny, MaxObjects: 2}); err == nil || !strings.Contains(err.Error(), "maximum of 2") {
		t.Fatalf("a file past the cap: %v", err)
	}
}

func TestPeriodicSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	var saveErrs []error
	m := newMemory(t, store.Options{Path: path, SaveEvery: 10 * time.Millisecond, OnSaveError: func(err error) { saveErrs = append(saveErrs, err) }})
	mustPut(t, m, customer("cus_1", 1, 1))
	// Poll for the save (bounded); the test asserts that it happens, not when.
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(`"cus_1"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no periodic save within 10 s (last read: %v)", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	st1, _ := os.Stat(path)
	// Nothing changed: later ticks do not rewrite the file.
	time.Sleep(50 * time.Millisecond)
	if st2, _ := os.Stat(path); !st2.ModTime().Equal(st1.ModTime()) {
		t.Error("an unchanged store was saved again")
	}
	mustPut(t, m, customer("cus_2", 2, 2))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte(`"cus_2"`)) {
		t.Fatal("Close did not save the last change")
	}
	if len(saveErrs) != 0 {
		t.Fatalf("save errors: %v", saveErrs)
	}
}

func TestRepeatedSeqInStateFile(t *testing.T) {
	// A hand-edited file may give two objects one seq; both load, and
	// deleting one leaves the other.
	path := filepath.Join(t.TempDir(), "state.json")
	doc := `{"format":"routedeck-store","version":1,"objects":[
{"id":"a","type":"t","created":5,"seq":1,"json":{}},
{"id":"b","type":"t","created":5,"seq":1,"json":{}}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newMemory(t, store.Options{Path: path, SaveEvery: -1})
	for _, id := range []string{"a", "b"} {
		if _, err := m.Delete(ctx, id, false); err != nil {
			t.Fatal(err)
		}
		for _, q := range []store.Query{{}, {Type: "t"}} {
			for _, o := range mustList(t, m, q).Data {
				if o.ID == id {
					t.Fatalf("deleted %s is still listed", id)
				}
			}
		}
	}
	if n := m.Stats().Objects; n != 0 {
		t.Fatalf("%d objects left", n)
	}
}

// The state file says it was saved at the time of the store's clock
// (Options.Now), as the objects it creates are.
func TestSavedTimeFromClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.FixedZone("x", 3600))
	m := newMemory(t, store.Options{Path: path, SaveEvery: -1, Now: func() time.Time { return at }})
	mustPut(t, m, customer("cus_1", 1, 1))
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"saved":"2031-05-06T06:08:09Z"`; !bytes.Contains(data, []byte(want)) {
		t.Fatalf("state file head %.100s; want %s", data, want)
	}
}
