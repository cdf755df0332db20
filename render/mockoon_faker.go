package render

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// Mockoon's {{faker 'module.method' args... key=value...}} calls Faker.js
// (v9 names) with the positional arguments, then the hash as an options
// object. fakerArgs is that call; each method reads what it understands,
// as Faker.js does, from a number, a string or the options.

type fakerArgs struct {
	pos  []any
	hash map[string]any
}

// num returns option key (hash, or an options object argument), else the
// positional argument at i when it is a number, else def.
func (a fakerArgs) num(key string, i int, def float64) float64 {
	if v, ok := a.hash[key]; ok {
		if n := toNumber(v); !math.IsNaN(n) {
			return n
		}
	}
	if i >= 0 && i < len(a.pos) {
		if o, ok := a.pos[i].(*jsObject); ok {
			if v, ok := o.get(key); ok {
				return toNumber(v)
			}
		} else if isNumber(a.pos[i]) {
			return toNumber(a.pos[i])
		}
	}
	return def
}

func (a fakerArgs) has(key string) bool { _, ok := a.hash[key]; return ok }

// length reads a length given as a number, {length}, {count} or {length: {min, max}}.
func (a fakerArgs) length(def int) int {
	n := a.num("length", 0, math.NaN())
	if math.IsNaN(n) {
		n = a.num("count", 0, float64(def))
	}
	return max(0, int(n))
}

type fakerFunc func(a fakerArgs) any

func str0(f func() string) fakerFunc { return func(fakerArgs) any { return f() } }

// fakerMethods are the Faker.js methods Mockoon's files use, and the common
// ones around them.
var fakerMethods = map[string]fakerFunc{
	"number.int":   fakeInt,
	"number.float": fakeFloat,
	"number.bigInt": func(a fakerArgs) any {
		return strconv.FormatInt(int64(randomInt(a.num("min", -1, 0), a.num("max", -1, 999999999999))), 10)
	},
	"number.hex": func(a fakerArgs) any {
		return strconv.FormatInt(int64(randomInt(a.num("min", -1, 0), a.num("max", 0, 15))), 16)
	},
	"number.binary": func(a fakerArgs) any {
		return strconv.FormatInt(int64(randomInt(a.num("min", -1, 0), a.num("max", 0, 1))), 2)
	},
	"datatype.boolean": func(a fakerArgs) any { return rand.Float64() < a.num("probability", 0, 0.5) },
	"string.uuid":      str0(gofakeit.UUID),
	"string.alpha":     func(a fakerArgs) any { return randomString(a.length(1), letters) },
	"string.alphanumeric": func(a fakerArgs) any {
		return randomString(a.length(1), letters+digits)
	},
	"string.numeric": func(a fakerArgs) any { return randomString(a.length(1), digits) },
	"string.sample":  func(a fakerArgs) any { return randomString(a.length(10), printable) },
	"string.hexadecimal": func(a fakerArgs) any {
		return "0x" + randomString(a.length(1), "0123456789abcdef")
	},
	"string.nanoid":     func(a fakerArgs) any { return randomString(a.length(21), letters+digits+"_-") },
	"date.recent":       func(a fakerArgs) any { return pastDate(a.num("days", 0, 1)) },
	"date.past":         func(a fakerArgs) any { return pastDate(365 * a.num("years", 0, 1)) },
	"date.future":       func(a fakerArgs) any { return futureDate(365 * a.num("years", 0, 1)) },
	"date.soon":         func(a fakerArgs) any { return futureDate(a.num("days", 0, 1)) },
	"date.anytime":      func(fakerArgs) any { return pastDate(365 * 100 * rand.Float64()) },
	"date.birthdate":    func(fakerArgs) any { return pastDate(365 * (18 + 62*rand.Float64())) },
	"date.month":        str0(gofakeit.MonthString),
	"date.weekday":      str0(gofakeit.WeekDay),
	"date.between":      fakeDateBetween,
	"person.firstName":  str0(gofakeit.FirstName),
	"person.lastName":   str0(gofakeit.LastName),
	"person.middleName": str0(gofakeit.MiddleName),
	"person.fullName":   str0(gofakeit.Name),
	"person.prefix":     str0(gofakeit.NamePrefix),
	"person.suffix":     str0(gofakeit.NameSuffix),
	"person.sex":        func(fakerArgs) any { return strings.ToLower(gofakeit.Gender()) },
	"person.gender":     str0(gofakeit.Gender),
	"person.jobTitle":   str0(gofakeit.JobTitle),
	"person.jobArea":    str0(gofakeit.JobDescriptor),
	"person.jobType":    str0(gofakeit.JobLevel),
	"person.bio":        str0(gofakeit.Bio),
	"internet.email":    str0(gofakeit.Email),
	"internet.exampleEmail": func(fakerArgs) any {
		return strings.ToLower(gofakeit.FirstName()) + "@example.com"
	},
	"internet.userName":    str0(gofakeit.Username),
	"internet.username":    str0(gofakeit.Username),
	"internet.displayName": str0(gofakeit.Username),
	"internet.url":         str0(gofakeit.URL),
	"internet.domainName":  str0(gofakeit.DomainName),
	"internet.domainWord":  func(fakerArgs) any { return strings.ToLower(gofakeit.Word()) },
	"internet.ip":          str0(gofakeit.IPv4Address),
	"internet.ipv4":        str0(gofakeit.IPv4Address),
	"internet.ipv6":        str0(gofakeit.IPv6Address),
	"internet.mac":         str0(gofakeit.MacAddress),
	"internet.password":    func(a fakerArgs) any { return gofakeit.Password(true, true, true, false, false, a.length(15)) },
	"internet.userAgent":   str0(gofakeit.UserAgent),
	"internet.httpMethod":  str0(gofakeit.HTTPMethod),
	"internet.color":       str0(gofakeit.HexColor),
	"location.city":        str0(gofakeit.City),
	"location.state": func(a fakerArgs) any {
		if b, _ := a.hash["abbreviated"].(bool); b {
			return gofakeit.StateAbr()
		}
		return gofakeit.State()
	},
	"location.stateAbbr":        str0(gofakeit.StateAbr),
	"location.country":          str0(gofakeit.Country),
	"location.countryCode":      str0(gofakeit.CountryAbr),
	"location.county":           func(fakerArgs) any { return gofakeit.City() + " County" },
	"location.street":           str0(gofakeit.StreetName),
	"location.streetAddress":    str0(gofakeit.Street),
	"location.buildingNumber":   str0(gofakeit.StreetNumber),
	"location.secondaryAddress": func(fakerArgs) any { return "Apt. " + strconv.Itoa(rand.IntN(999)+1) },
	"location.zipCode":          str0(gofakeit.Zip),
	"location.timeZone":         str0(gofakeit.TimeZoneRegion),
	"location.latitude": func(a fakerArgs) any {
		return roundTo(a.num("min", -1, -90)+rand.Float64()*(a.num("max", 0, 90)-a.num("min", -1, -90)), 4)
	},
	"location.longitude": func(a fakerArgs) any {
		return roundTo(a.num("min", -1, -180)+rand.Float64()*(a.num("max", 0, 180)-a.num("min", -1, -180)), 4)
	},
	"phone.number": str0(gofakeit.Phone),
	"phone.imei":   func(fakerArgs) any { return randomString(15, digits) },
	"company.name": str0(gofakeit.Company),
	"company.catchPhrase": func(fakerArgs) any {
		return gofakeit.BuzzWord() + " " + gofakeit.Noun()
	},
	"company.buzzPhrase":       str0(gofakeit.BS),
	"company.buzzNoun":         str0(gofakeit.Noun),
	"company.buzzVerb":         str0(gofakeit.Verb),
	"company.buzzAdjective":    str0(gofakeit.Adjective),
	"commerce.price":           fakePrice,
	"commerce.product":         str0(gofakeit.ProductCategory),
	"commerce.productName":     str0(gofakeit.ProductName),
	"commerce.productMaterial": str0(gofakeit.ProductMaterial),
	"commerce.productAdjective": func(fakerArgs) any {
		return gofakeit.AdjectiveDescriptive()
	},
	"commerce.productDescription": str0(gofakeit.ProductDescription),
	"commerce.department":         str0(gofakeit.ProductCategory),
	"commerce.isbn":               func(fakerArgs) any { return "978-" + randomString(10, digits) },
	"finance.amount": func(a fakerArgs) any {
		lo, hi := a.num("min", 0, 0), a.num("max", 1, 1000)
		return strconv.FormatFloat(lo+rand.Float64()*(hi-lo), 'f', int(a.num("dec", 2, 2)), 64)
	},
	"finance.currencyCode":     str0(gofakeit.CurrencyShort),
	"finance.currencyName":     str0(gofakeit.CurrencyLong),
	"finance.accountNumber":    func(a fakerArgs) any { return randomString(a.length(8), digits) },
	"finance.creditCardNumber": func(fakerArgs) any { return gofakeit.CreditCardNumber(nil) },
	"finance.creditCardCVV":    str0(gofakeit.CreditCardCvv),
	"finance.iban":             func(fakerArgs) any { return "GB" + randomString(2, digits) + "BANK" + randomString(14, digits) },
	"finance.bic":              func(fakerArgs) any { return strings.ToUpper(randomString(8, letters)) },
	"finance.bitcoinAddress":   str0(gofakeit.BitcoinAddress),
	"finance.transactionType":  func(fakerArgs) any { return oneOfStrings("deposit", "withdrawal", "payment", "invoice") },
	"color.human":              func(fakerArgs) any { return strings.ToLower(gofakeit.Color()) },
	"color.rgb":                func(fakerArgs) any { return strings.ToLower(gofakeit.HexColor()) },
	"image.avatar": func(fakerArgs) any {
		return fmt.Sprintf("https://avatars.githubusercontent.com/u/%d", rand.IntN(99999999))
	},
	"image.url": func(a fakerArgs) any {
		return fmt.Sprintf("https://picsum.photos/seed/%s/%d/%d", randomString(8, letters+digits), int(a.num("width", -1, 640)), int(a.num("height", -1, 480)))
	},
	"image.urlLoremFlickr": func(a fakerArgs) any {
		cat := jsString(a.hash["category"])
		u := fmt.Sprintf("https://loremflickr.com/%d/%d", int(a.num("width", -1, 640)), int(a.num("height", -1, 480)))
		if cat != "" {
			u += "/" + url.PathEscape(cat)
		}
		return u + "?lock=" + strconv.Itoa(rand.IntN(9999999))
	},
	"image.urlPicsumPhotos": func(a fakerArgs) any {
		return fmt.Sprintf("https://picsum.photos/seed/%s/%d/%d", randomString(8, letters+digits), int(a.num("width", -1, 640)), int(a.num("height", -1, 480)))
	},
	"lorem.word":      func(fakerArgs) any { return gofakeit.LoremIpsumWord() },
	"lorem.words":     func(a fakerArgs) any { return loremWords(int(a.num("count", 0, 3))) },
	"lorem.slug":      func(a fakerArgs) any { return strings.ReplaceAll(loremWords(int(a.num("count", 0, 3))), " ", "-") },
	"lorem.sentence":  func(a fakerArgs) any { return loremSentence(int(a.num("count", 0, float64(3+rand.IntN(8))))) },
	"lorem.sentences": func(a fakerArgs) any { return loremSentences(int(a.num("count", 0, float64(2+rand.IntN(5)))), " ") },
	"lorem.paragraph": func(a fakerArgs) any { return loremSentences(int(a.num("count", 0, 3)), " ") },
	"lorem.paragraphs": func(a fakerArgs) any {
		n := int(a.num("count", 0, 3))
		ps := make([]string, n)
		for i := range ps {
			ps[i] = loremSentences(3, " ")
		}
		return strings.Join(ps, "\n")
	},
	"lorem.lines": func(a fakerArgs) any { return loremSentences(int(a.num("count", 0, float64(1+rand.IntN(5)))), "\n") },
	"lorem.text":  func(fakerArgs) any { return loremSentences(3, " ") },
	"word.adjective": func(fakerArgs) any {
		return gofakeit.Adjective()
	},
	"word.adverb":      str0(gofakeit.Adverb),
	"word.noun":        str0(gofakeit.Noun),
	"word.verb":        str0(gofakeit.Verb),
	"word.sample":      str0(gofakeit.Word),
	"word.words":       func(a fakerArgs) any { return loremWords(int(a.num("count", 0, float64(1+rand.IntN(3))))) },
	"word.preposition": str0(gofakeit.Preposition),
	"word.interjection": func(fakerArgs) any {
		return gofakeit.Interjection()
	},
	"animal.type":          str0(gofakeit.AnimalType),
	"animal.dog":           str0(gofakeit.Dog),
	"animal.cat":           str0(gofakeit.Cat),
	"animal.bird":          str0(gofakeit.Bird),
	"animal.petName":       str0(gofakeit.PetName),
	"vehicle.manufacturer": str0(gofakeit.CarMaker),
	"vehicle.model":        str0(gofakeit.CarModel),
	"vehicle.type":         str0(gofakeit.CarType),
	"vehicle.fuel":         str0(gofakeit.CarFuelType),
	"music.genre":          str0(gofakeit.SongGenre),
	"music.songName":       str0(gofakeit.SongName),
	"hacker.phrase":        str0(gofakeit.HackerPhrase),
	"hacker.abbreviation":  str0(gofakeit.HackerAbbreviation),
	"hacker.noun":          str0(gofakeit.HackerNoun),
	"hacker.verb":          str0(gofakeit.HackerVerb),
	"hacker.adjective":     str0(gofakeit.HackerAdjective),
	"system.fileName":      func(fakerArgs) any { return strings.ToLower(gofakeit.Word()) + "." + gofakeit.FileExtension() },
	"system.fileExt":       str0(gofakeit.FileExtension),
	"system.mimeType":      str0(gofakeit.FileMimeType),
	"system.semver":        str0(gofakeit.AppVersion),
	"git.branch":           func(fakerArgs) any { return strings.ToLower(gofakeit.HackerNoun() + "-" + gofakeit.HackerVerb()) },
	"git.commitSha": func(a fakerArgs) any {
		return randomString(a.length(40), "0123456789abcdef")
	},
	"database.mongodbObjectId": func(fakerArgs) any { return randomString(24, "0123456789abcdef") },
	"helpers.arrayElement": func(a fakerArgs) any {
		if arr, ok := firstArg(a).([]any); ok && len(arr) > 0 {
			return arr[rand.IntN(len(arr))]
		}
		return nil
	},
	"helpers.slugify": func(a fakerArgs) any { return strings.ReplaceAll(jsString(firstArg(a)), " ", "-") },
}

func firstArg(a fakerArgs) any {
	if len(a.pos) > 0 {
		return a.pos[0]
	}
	return nil
}

// fakeInt is number.int: (max), ({min, max}) or min=… max=…; Faker's
// default range is 0 to Number.MAX_SAFE_INTEGER.
func fakeInt(a fakerArgs) any {
	lo := a.num("min", -1, 0)
	hi := a.num("max", 0, maxSafeInteger)
	if hi < lo {
		panic(fmt.Errorf("faker number.int: max %s is less than min %s", jsNumber(hi), jsNumber(lo)))
	}
	return float64(randomInt(lo, hi))
}

// fakeFloat is number.float: 0 to 1 by default, (max) or {min, max,
// fractionDigits | precision | multipleOf}.
func fakeFloat(a fakerArgs) any {
	lo := a.num("min", -1, 0)
	hi := a.num("max", 0, 1)
	f := lo + rand.Float64()*(hi-lo)
	switch {
	case a.has("fractionDigits"):
		return roundTo(f, int(a.num("fractionDigits", -1, 2)))
	case a.has("precision") || a.has("multipleOf"):
		step := a.num("precision", -1, math.NaN())
		if math.IsNaN(step) {
			step = a.num("multipleOf", -1, 0.01)
		}
		if step > 0 {
			return math.Round(f/step) * step
		}
	}
	return f
}

func fakePrice(a fakerArgs) any {
	lo, hi := a.num("min", 0, 1), a.num("max", 1, 1000)
	dec := int(a.num("dec", 2, 2))
	p := strconv.FormatFloat(lo+rand.Float64()*(hi-lo), 'f', dec, 64)
	if s, ok := a.hash["symbol"]; ok {
		p = jsString(s) + p
	}
	return p
}

func fakeDateBetween(a fakerArgs) any {
	var from, to any
	if o, ok := firstArg(a).(*jsObject); ok {
		from, _ = o.get("from")
		to, _ = o.get("to")
	} else {
		from, to = a.hash["from"], a.hash["to"]
	}
	f, ok1 := toDate(from)
	t, ok2 := toDate(to)
	if !ok1 || !ok2 {
		panic(fmt.Errorf("faker date.between: want from and to dates"))
	}
	if t.Before(f) {
		f, t = t, f
	}
	return f.Add(time.Duration(rand.Int64N(int64(t.Sub(f)) + 1)))
}

func pastDate(days float64) time.Time {
	return time.Now().Add(-time.Duration(rand.Float64() * days * float64(24*time.Hour)))
}

func futureDate(days float64) time.Time {
	return time.Now().Add(time.Duration(rand.Float64() * days * float64(24*time.Hour)))
}

func roundTo(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

const (
	letters   = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits    = "0123456789"
	printable = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
)

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

func oneOfStrings(s ...string) string { return s[rand.IntN(len(s))] }

func loremWords(n int) string {
	ws := make([]string, max(n, 0))
	for i := range ws {
		ws[i] = gofakeit.LoremIpsumWord()
	}
	return strings.Join(ws, " ")
}

func loremSentence(n int) string {
	s := loremWords(max(n, 1))
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func loremSentences(n int, sep string) string {
	ss := make([]string, max(n, 1))
	for i := range ss {
		ss[i] = loremSentence(3 + rand.IntN(8))
	}
	return strings.Join(ss, sep)
}

// mFaker is Mockoon's faker helper. An unknown method is an error worded
// as Mockoon words it.
func mFaker(c *mcall) any {
	// The methods only look keys up, never fakerLineKey: the hash goes to
	// them as it is, with no copy per call.
	line := c.hash[fakerLineKey]
	name, ok := isString(c.arg(0))
	if !ok || name == "" {
		panic(fmt.Errorf("Faker method name is missing (valid: \"location.zipCode\", \"date.past\", etc) line %v", line))
	}
	fn, ok := fakerMethods[name]
	if !ok {
		panic(fmt.Errorf("%s is not a valid Faker method (valid: \"location.zipCode\", \"date.past\", etc) line %v", name, line))
	}
	args := fakerArgs{hash: c.hash}
	for _, a := range c.args[1:] {
		args.pos = append(args.pos, toJS(a))
	}
	return fn(args)
}

// fakerLineKey is the hash argument the Mockoon rewrite adds to every
// faker call: the template line, for errors.
const fakerLineKey = "__line"

// FakerV5Names maps the Faker.js names of files older than Mockoon's
// migration 29 to today's: Mockoon's own v7 to v8 map, and the v5 names
// (random.number, random.uuid...) that Mockoon's oldest files use, which
// Mockoon itself no longer runs.
var FakerV5Names = map[string]string{
	"name.firstName": "person.firstName", "name.lastName": "person.lastName",
	"name.middleName": "person.middleName", "name.fullName": "person.fullName",
	"name.findName": "person.fullName", "name.gender": "person.gender", "name.sex": "person.sex",
	"name.prefix": "person.prefix", "name.suffix": "person.suffix", "name.jobTitle": "person.jobTitle",
	"name.jobArea": "person.jobArea", "name.jobType": "person.jobType",
	"address.buildingNumber": "location.buildingNumber", "address.city": "location.city",
	"address.cityName": "location.city", "address.country": "location.country",
	"address.countryCode": "location.countryCode", "address.county": "location.county",
	"address.latitude": "location.latitude", "address.longitude": "location.longitude",
	"address.secondaryAddress": "location.secondaryAddress", "address.state": "location.state",
	"address.stateAbbr": "location.stateAbbr", "address.street": "location.street",
	"address.streetAddress": "location.streetAddress", "address.streetName": "location.street",
	"address.timeZone": "location.timeZone", "address.zipCode": "location.zipCode",
	"address.zipCodeByState": "location.zipCode", "commerce.color": "color.human",
	"company.companyName": "company.name", "company.bs": "company.buzzPhrase",
	"company.companySuffix": "company.name", "datatype.float": "number.float",
	"datatype.number": "number.int", "datatype.uuid": "string.uuid", "datatype.string": "string.sample",
	"datatype.hexadecimal": "number.hex", "datatype.datetime": "date.anytime",
	"finance.account": "finance.accountNumber", "image.image": "image.url", "image.imageUrl": "image.url",
	"phone.phoneNumber": "phone.number", "random.alpha": "string.alpha",
	"random.alphaNumeric": "string.alphanumeric", "random.numeric": "string.numeric",
	"random.word": "word.sample", "random.words": "word.words",
	// Faker v5 (Mockoon before 1.16).
	"random.number": "number.int", "random.float": "number.float", "random.boolean": "datatype.boolean",
	"random.uuid": "string.uuid", "random.arrayElement": "helpers.arrayElement",
	"random.image": "image.url", "random.hexaDecimal": "number.hex",
	"internet.avatar": "image.avatar", "lorem.text": "lorem.text",
}
