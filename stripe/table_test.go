package stripe

import (
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/embed"
)

// The lazy reader the server uses sees what the full parse sees.
func TestLazyMatchesParseData(t *testing.T) {
	full, err := ParseData(embed.Stripe)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := openData(embed.Stripe)
	if err != nil {
		t.Fatal(err)
	}
	if len(lazy.nodes.lines) != len(full.Nodes) {
		t.Fatalf("%d nodes; want %d", len(lazy.nodes.lines), len(full.Nodes))
	}
	for i := range full.Nodes {
		if got := lazy.nodes.get(i); got == anyNode || !reflect.DeepEqual(*got, full.Nodes[i]) {
			t.Fatalf("node %d: %+v; want %+v", i, got, full.Nodes[i])
		}
	}
	if !reflect.DeepEqual(lazy.ops, full.Ops) {
		t.Error("operations differ")
	}
	tables, err := lazy.tables()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tables.Shapes, full.Shapes) || !reflect.DeepEqual(tables.Objects, full.Objects) || !reflect.DeepEqual(tables.Fixtures, full.Fixtures) {
		t.Error("expansion tables differ")
	}
}

func TestOpenDataRefusesOtherLayouts(t *testing.T) {
	for _, b := range []string{"", "{}", `{"version":"x","nodes":[],"ops":{}}`} {
		if _, err := openData([]byte(b)); err == nil {
			t.Errorf("%q: no error", b)
		}
	}
}

// BenchmarkOpenData measures what start-up pays for the rules (in the
// background): splitting the data and reading the operations.
func BenchmarkOpenData(b *testing.B) {
	for b.Loop() {
		if _, err := openData(embed.Stripe); err != nil {
			b.Fatal(err)
		}
	}
}
