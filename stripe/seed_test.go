package stripe_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// The seed generated into embed/ is what rendering the embedded catalog's
// list routes gives: the same objects, in the same order, byte for byte.
func TestEmbeddedSeedIsTheRenderedSeed(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rendered := stripe.Seed(cat)
	parsed, err := stripe.ParseSeed(embed.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if len(rendered) < 50 {
		t.Fatalf("the rendered seed has %d objects; want one per list route's resource", len(rendered))
	}
	if !slices.Equal(parsed, rendered) {
		for i := range min(len(parsed), len(rendered)) {
			if parsed[i] != rendered[i] {
				t.Fatalf("object %d: embed/seed.json has %s (%s), rendering gives %s (%s): run go generate ./embed",
					i, parsed[i].ID, parsed[i].Type, rendered[i].ID, rendered[i].Type)
			}
		}
		t.Fatalf("embed/seed.json has %d objects, rendering gives %d: run go generate ./embed", len(parsed), len(rendered))
	}
	if string(stripe.SeedJSON(rendered)) != embed.Seed {
		t.Fatal("SeedJSON of the rendered seed is not embed/seed.json: run go generate ./embed")
	}
}

func TestParseSeedRoundTrip(t *testing.T) {
	objs := []store.Object{
		{ID: "cus_1", Type: "customer", JSON: "{\n  \"id\": \"cus_1\",\n  \"object\": \"customer\"\n}"},
		{ID: "ch_1", Type: "charge", JSON: `{"object":"charge","id":"ch_1","amount":2000}`},
	}
	got, err := stripe.ParseSeed(string(stripe.SeedJSON(objs)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, objs) {
		t.Fatalf("ParseSeed(SeedJSON(x)) = %+v; want %+v", got, objs)
	}
}

func TestParseSeedRejectsBadSeeds(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"id":"cus_1"}`, "not a JSON array"},
		{`[{"id":"cus_1","object":"customer"}`, "not a JSON array"},
		{`[{"object":"customer"}]`, `object 0 has no "id"`},
		{`[{"id":"cus_1","object":"customer"},{"id":"cus_2"}]`, `object 1 has no "id" or no "object"`},
		{`[{"id":"cus_1","object":"customer"},{"id":"cus_1","object":"customer"}]`, `object 1: id "cus_1" appears twice`},
	} {
		_, err := stripe.ParseSeed(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSeed(%s) = %v; want an error saying %q", tc.in, err, tc.want)
		}
	}
}
