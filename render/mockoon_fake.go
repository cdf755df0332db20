package render

import (
	"math/rand/v2"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/brianvoe/gofakeit/v7/data"
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

// A fakerPick is a Faker.js method whose gofakeit function picks one entry
// of one of gofakeit's data lists (data.Data[group][key]), then adds
// suffix.
type fakerPick struct{ group, key, suffix string }

// fakerPicks are the methods of fakerStrings that are such picks: the
// plan looks the list up once and picks from it per value, where the
// gofakeit function looks it up per value (four map lookups). Same list,
// same uniform pick.
var fakerPicks = map[string]fakerPick{
	"person.firstName":     {group: "person", key: "first"},
	"person.lastName":      {group: "person", key: "last"},
	"person.middleName":    {group: "person", key: "middle"},
	"person.prefix":        {group: "person", key: "prefix"},
	"person.suffix":        {group: "person", key: "suffix"},
	"person.jobTitle":      {group: "job", key: "title"},
	"location.city":        {group: "address", key: "city"},
	"location.county":      {group: "address", key: "city", suffix: " County"},
	"location.country":     {group: "address", key: "country"},
	"location.countryCode": {group: "address", key: "country_abr"},
	"location.stateAbbr":   {group: "address", key: "state_abr"},
	"location.street":      {group: "address", key: "street_name"},
	"company.name":         {group: "company", key: "name"},
	"finance.currencyCode": {group: "currency", key: "short"},
	"animal.type":          {group: "animal", key: "type"},
	"animal.dog":           {group: "animal", key: "dog"},
	"animal.cat":           {group: "animal", key: "cat"},
	"animal.petName":       {group: "animal", key: "petname"},
	"vehicle.manufacturer": {group: "car", key: "maker"},
}

// pickWriter writes the values of a fakerPicks method, or is nil when
// gofakeit has no such list.
func pickWriter(p fakerPick, escape bool) func([]byte) []byte {
	list := data.Data[p.group][p.key]
	if len(list) == 0 {
		return nil
	}
	return func(b []byte) []byte {
		v := list[rand.IntN(len(list))]
		if escape {
			b = appendHTMLEscaped(b, v)
		} else {
			b = append(b, v...)
		}
		return append(b, p.suffix...)
	}
}
