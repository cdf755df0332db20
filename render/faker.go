package render

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aymerick/raymond"
	"github.com/brianvoe/gofakeit/v7"
)

// fakers maps Mockoon's faker paths (Faker.js names) to gofakeit. Every
// value is a string; helpers JSON-escape it.
var fakers = map[string]func() string{
	"person.firstName":          gofakeit.FirstName,
	"person.lastName":           gofakeit.LastName,
	"person.fullName":           gofakeit.Name,
	"person.jobTitle":           gofakeit.JobTitle,
	"person.sex":                gofakeit.Gender,
	"internet.email":            gofakeit.Email,
	"internet.url":              gofakeit.URL,
	"internet.ip":               gofakeit.IPv4Address,
	"internet.ipv4":             gofakeit.IPv4Address,
	"internet.userName":         gofakeit.Username,
	"internet.username":         gofakeit.Username,
	"internet.domainName":       gofakeit.DomainName,
	"location.city":             gofakeit.City,
	"location.state":            gofakeit.State,
	"location.country":          gofakeit.Country,
	"location.countryCode":      gofakeit.CountryAbr,
	"location.streetAddress":    gofakeit.Street,
	"location.zipCode":          gofakeit.Zip,
	"phone.number":              gofakeit.Phone,
	"company.name":              gofakeit.Company,
	"commerce.productName":      gofakeit.ProductName,
	"commerce.price":            func() string { return strconv.FormatFloat(gofakeit.Price(1, 1000), 'f', 2, 64) },
	"finance.currencyCode":      gofakeit.CurrencyShort,
	"finance.creditCardNumber":  func() string { return gofakeit.CreditCardNumber(nil) },
	"lorem.word":                gofakeit.Word,
	"lorem.sentence":            func() string { return gofakeit.Sentence() },
	"lorem.paragraph":           func() string { return gofakeit.Paragraph() },
	"string.uuid":               gofakeit.UUID,
	"color.human":               gofakeit.Color,
	"color.rgb":                 gofakeit.HexColor,
	"date.past":                 func() string { return gofakeit.PastDate().UTC().Format(time.RFC3339) },
	"date.recent":               func() string { return gofakeit.PastDate().UTC().Format(time.RFC3339) },
	"number.int":                func() string { return strconv.Itoa(gofakeit.Number(0, 1000000)) },
	"datatype.boolean":          func() string { return strconv.FormatBool(gofakeit.Bool()) },
	"word.adjective":            gofakeit.Adjective,
	"word.noun":                 gofakeit.Noun,
	"word.verb":                 gofakeit.Verb,
	"location.secondaryAddress": func() string { return "Apt. " + strconv.Itoa(gofakeit.Number(1, 999)) },
}

// fakerHelper is Mockoon's {{faker 'person.firstName'}}: fake data from
// gofakeit. An unknown path is a render error naming it.
func fakerHelper(path any) raymond.SafeString {
	p := str(path)
	f, ok := fakers[p]
	if !ok {
		panic(fmt.Errorf("faker: unknown path %q", p))
	}
	return raymond.SafeString(escapeJSON(f()))
}
