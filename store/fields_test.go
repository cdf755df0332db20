package store

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// FuzzScanTop checks the top-level index against encoding/json: every
// scalar field is found with its decoded value, nothing else is, and
// "created" is read as encoding/json reads it.
func FuzzScanTop(f *testing.F) {
	for _, seed := range []string{
		sampleCustomer,
		`{"a":1,"a":{"x":1}}`,
		`{"a":{},"a":"s"}`,
		`{"a\u0062":"x","ab":"y"}`,
		`{"ab":"y","a\u0062":"x"}`,
		`{"s":"a\"b\\c\u00e9","n":-1.5e3,"t":true,"f":false,"z":null,"arr":["}",{"]":1}],"created":12}`,
		`{"created":1,"created":"x"}`,
		` { } `,
		`{"a":tru}`, `{"a":1.}`, `{"a":-}`, `{"a":01}`, `{"a":1e}`, `{"a":"\x"}`, `{"a":"\u12g4"}`,
		"{\"a\":\"\x01\"}", `{"a":[1,]}`, `{"a":{"b"}}`, `{"a":1}x`, `{"a" 1}`, `{,}`, `[]`, `"x"`, ``, `{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, js string) {
		fs, created, hasCreated, err := scanTop(js)
		isObject := json.Valid([]byte(js)) && strings.TrimLeft(js, " \t\r\n")[0] == '{'
		if (err == nil) != isObject {
			t.Fatalf("scanTop error %v; encoding/json says valid object = %v", err, isObject)
		}
		if err != nil {
			return
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(js), &top); err != nil {
			t.Fatalf("valid object did not decode: %v", err)
		}
		var c int64
		cErr := json.Unmarshal(top["created"], &c)
		if wantHas := top["created"] != nil && cErr == nil; hasCreated != wantHas || (wantHas && c != created) {
			t.Fatalf("created = %d, %v; encoding/json reads %s", created, hasCreated, top["created"])
		}
		for _, f := range fs {
			if _, ok := top[f.name(source{js: js})]; !ok {
				t.Fatalf("indexed %q, which is not a top-level field", f.name(source{js: js}))
			}
		}
		for name, raw := range top {
			f, ok := fs.lookup(source{js: js}, name)
			scalar := len(raw) > 0 && raw[0] != '{' && raw[0] != '['
			if !scalar || raw[0] == 'n' {
				if ok && f.kind != kindNull {
					t.Fatalf("field %q (%s) indexed as %v", name, raw, f.kind)
				}
				continue
			}
			if !ok {
				// Only names that need escapes in the JSON may be left out.
				if strings.Contains(js, `"`+name+`"`) && !bytes.Contains([]byte(js), []byte(`\`)) {
					t.Fatalf("scalar field %q not indexed", name)
				}
				continue
			}
			want := string(raw)
			if raw[0] == '"' {
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatal(err)
				}
			}
			if !f.equals(source{js: js}, want) {
				t.Fatalf("field %q does not equal %q", name, want)
			}
			if f.equals(source{js: js}, want+"x") {
				t.Fatalf("field %q equals %q too", name, want+"x")
			}
		}
	})
}

func TestLookupMissesUnknownNames(t *testing.T) {
	js := `{"b":"2","a":1,"c":true}`
	fs, _, _, err := scanTop(js)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"a", "b", "c"} {
		f, ok := fs.lookup(source{js: js}, name)
		if !ok || !f.equals(source{js: js}, []string{"1", "2", "true"}[i]) {
			t.Errorf("lookup %q = %+v, %v", name, f, ok)
		}
	}
	for _, name := range []string{"", "aa", "d", strconv.Itoa(1)} {
		if _, ok := fs.lookup(source{js: js}, name); ok {
			t.Errorf("lookup %q found a field", name)
		}
	}
}

// BenchmarkScanTop measures checking and indexing one customer (1.2 KB),
// the work a Put does before it takes the lock.
func BenchmarkScanTop(b *testing.B) {
	js := sampleCustomer
	b.SetBytes(int64(len(js)))
	for b.Loop() {
		if _, _, _, err := scanTop(js); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONValid is the standard library's check alone, for comparison.
func BenchmarkJSONValid(b *testing.B) {
	js := []byte(sampleCustomer)
	b.SetBytes(int64(len(js)))
	for b.Loop() {
		if !json.Valid(js) {
			b.Fatal("invalid")
		}
	}
}

// sampleCustomer is a customer as the embedded catalog renders it.
const sampleCustomer = `{
  "id": "cus_1",
  "object": "customer",
  "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
  "balance": 0,
  "created": 1700000000,
  "currency": "usd",
  "default_source": null,
  "delinquent": false,
  "description": "Customer number 1",
  "discount": {
    "id": "obj_123", "object": "discount", "checkout_session": null, "customer": null, "end": null,
    "invoice": null, "invoice_item": null, "promotion_code": null, "start": 109757538,
    "subscription": null, "subscription_item": null,
    "source": {"coupon": null, "type": "coupon"}, "customer_account": null
  },
  "email": "jenny.rosen@example.com",
  "invoice_prefix": "7FE1103",
  "invoice_settings": {
    "custom_fields": null, "default_payment_method": null, "footer": null,
    "rendering_options": {"amount_tax_display": null, "template": null}
  },
  "livemode": false,
  "metadata": {"order_id": "6735"},
  "name": "Jenny Rosen",
  "next_invoice_sequence": 1,
  "phone": null,
  "preferred_locales": [],
  "shipping": {},
  "tax_exempt": "none",
  "test_clock": null
}`

// plain8 must agree with plainByte for every byte at every position,
// with any plain or non-plain neighbours.
func TestPlain8(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '~', 0x21, 0x5b, 0x5d} {
		for pos := range 8 {
			for c := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				if got, want := plain8(string(b)), plainByte[c]; got != want {
					t.Fatalf("plain8(%q) = %v, want %v", b, got, want)
				}
				for other := range 256 {
					b[(pos+3)%8] = byte(other)
					want := plainByte[c] && plainByte[other]
					if got := plain8(string(b)); got != want {
						t.Fatalf("plain8(%q) = %v, want %v", b, got, want)
					}
				}
			}
		}
	}
}

// An event whose data.object is a stored object's text skips checking
// that text again; everything else in it is checked, and indexed, as
// scanTop does.
func TestScanTopKnownObject(t *testing.T) {
	stored := `{"id":"ch_1","object":"charge","amount":2000,"metadata":{"a":"}"},"list":[1,{"x":null}]}`
	known := func(js string, i int) int {
		if strings.HasPrefix(js[i:], stored) {
			return i + len(stored)
		}
		return -1
	}
	for _, js := range []string{
		`{"id":"evt_1","object":"event","data":{"object":` + stored + `},"type":"charge.succeeded","created":5}`,
		`{"id":"evt_1","data":{"object":` + stored + ` , "previous_attributes":{"amount":1}} ,"type":"t"}`,
		`{"id":"evt_1","data":{"object":{"id":"ch_2"}},"type":"t"}`,
		`{"data":{"object":` + stored + `}}`,
		// Broken around the known text: still errors.
		`{"id":"evt_1","data":{"object":` + stored + `,}}`,
		`{"id":"evt_1","data":{"object":` + stored + `},"type":tru}`,
		`{"id":"evt_1","data":{"object":` + stored + `}`,
		`{"id":"evt_1","data":{"object":` + stored + `"x":1}}`,
		`{"id":"evt_1","data":{"object":` + stored + `,"k":}}`,
		`{"id":"evt_1","data":{"object":` + stored[:len(stored)-1] + `}}`,
		// "data" as a string or elsewhere is not an event's object.
		`{"x":"data\":{\"object\":` + strings.ReplaceAll(stored, `"`, `\"`) + `"}`,
		`{"x":{"data":{"object":` + stored + `}}}`,
	} {
		wantFs, wantCreated, wantHas, wantErr := scanTop(js)
		fs, created, has, err := scanTopKnown(js, known)
		if (err == nil) != (wantErr == nil) || created != wantCreated || has != wantHas || len(fs) != len(wantFs) {
			t.Errorf("scanTopKnown(%s) = %v, %d, %v, %v; scanTop gives %v, %d, %v, %v", js, fs, created, has, err, wantFs, wantCreated, wantHas, wantErr)
			continue
		}
		for i := range fs {
			if fs[i] != wantFs[i] {
				t.Errorf("scanTopKnown(%s): field %d = %+v, want %+v", js, i, fs[i], wantFs[i])
			}
		}
	}
}

// An event carrying a stored object's JSON is logged and indexed as any
// other; one whose object differs from the stored one is checked in full.
func TestAppendEventWithStoredObject(t *testing.T) {
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	obj := `{"id":"cus_1","object":"customer","email":"a@b.c","metadata":{}}`
	if _, err := m.Put(context.Background(), Object{ID: "cus_1", Type: "customer", JSON: obj}); err != nil {
		t.Fatal(err)
	}
	ev := `{"id":"evt_1","object":"event","created":7,"data":{"object":` + obj + `},"type":"customer.created"}`
	if _, err := m.AppendEvent(context.Background(), Object{ID: "evt_1", Type: "event", JSON: ev}); err != nil {
		t.Fatal(err)
	}
	p, err := m.ListEvents(context.Background(), Query{Equal: map[string]string{"type": "customer.created"}})
	if err != nil || len(p.Data) != 1 || p.Data[0].JSON != ev || p.Data[0].Created != 7 {
		t.Fatalf("ListEvents = %+v, %v", p, err)
	}
	bad := `{"id":"evt_2","object":"event","data":{"object":{"id":"cus_1","object":"customer","email":"a@b.c","metadata":{]}},"type":"x"}`
	if _, err := m.AppendEvent(context.Background(), Object{ID: "evt_2", Type: "event", JSON: bad}); err == nil {
		t.Fatal("an event with a broken object that shares the stored object's id was logged")
	}
}
