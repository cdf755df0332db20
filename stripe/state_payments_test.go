package stripe

import (
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/store"
)

// A State's Payments keep what payments do with the State's own
// lifecycle and test cards, not a second set built for them (serve builds
// both at start-up); the flow tests run through them.
func TestStatePaymentsShareTheLifecycle(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := NewState(cat, New(cat, embed.Stripe, Options{}), st, StateOptions{})
	p := s.Payments()
	if p.life != s.life || p.cards != s.life.cards {
		t.Errorf("the State's Payments have their own lifecycle (%p, state's %p) or cards (%p, state's %p)", p.life, s.life, p.cards, s.life.cards)
	}
	if p.life.store != st {
		t.Errorf("the State's Payments keep objects in %v; want the state's store", p.life.store)
	}
}
