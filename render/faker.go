package render

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aymerick/raymond"
)

// fakers maps Mockoon's faker paths (Faker.js names) to gofakeit. Every
// value is a string; helpers JSON-escape it.
var fakers = map[string]func() string{
	"person.firstName":          fake.FirstName,
	"person.lastName":           fake.LastName,
	"person.fullName":           fake.Name,
	"person.jobTitle":           fake.JobTitle,
	"person.sex":                fake.Gender,
	"internet.email":            fake.Email,
	"internet.url":              fake.URL,
	"internet.ip":               fake.IPv4Address,
	"internet.ipv4":             fake.IPv4Address,
	"internet.userName":         fake.Username,
	"internet.username":         fake.Username,
	"internet.domainName":       fake.DomainName,
	"location.city":             fake.City,
	"location.state":            fake.State,
	"location.country":          fake.Country,
	"location.countryCode":      fake.CountryAbr,
	"location.streetAddress":    fake.Street,
	"location.zipCode":          fake.Zip,
	"phone.number":              fake.Phone,
	"company.name":              fake.Company,
	"commerce.productName":      fake.ProductName,
	"commerce.price":            func() string { return strconv.FormatFloat(fake.Price(1, 1000), 'f', 2, 64) },
	"finance.currencyCode":      fake.CurrencyShort,
	"finance.creditCardNumber":  func() string { return fake.CreditCardNumber(nil) },
	"lorem.word":                fake.Word,
	"lorem.sentence":            func() string { return fake.Sentence() },
	"lorem.paragraph":           func() string { return fake.Paragraph() },
	"string.uuid":               fake.UUID,
	"color.human":               fake.Color,
	"color.rgb":                 fake.HexColor,
	"date.past":                 func() string { return fake.PastDate().UTC().Format(time.RFC3339) },
	"date.recent":               func() string { return fake.PastDate().UTC().Format(time.RFC3339) },
	"number.int":                func() string { return strconv.Itoa(fake.Number(0, 1000000)) },
	"datatype.boolean":          func() string { return strconv.FormatBool(fake.Bool()) },
	"word.adjective":            fake.Adjective,
	"word.noun":                 fake.Noun,
	"word.verb":                 fake.Verb,
	"location.secondaryAddress": func() string { return "Apt. " + strconv.Itoa(fake.Number(1, 999)) },
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
