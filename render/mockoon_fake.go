package render

import (
	"math/rand/v2"

	"github.com/brianvoe/gofakeit/v7"
)

// fake is the gofakeit faker every fake value comes from. gofakeit's
// global faker guards one PCG source with a mutex, which every call of a
// faker-heavy body takes several times; this one draws from math/rand/v2's
// global generator instead (per-thread ChaCha8 state in the runtime, safe
// for concurrent use without a lock), so it holds no state of its own and
// is never written after start-up. The values are drawn as gofakeit draws
// them: same data sets, same distribution.
var fake = gofakeit.NewFaker(runtimeSource{}, false)

// runtimeSource is math/rand/v2's global generator as a rand.Source.
type runtimeSource struct{}

// Uint64 returns a uniformly distributed 64-bit value.
func (runtimeSource) Uint64() uint64 { return rand.Uint64() }
