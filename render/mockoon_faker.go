package render

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
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
	return bound(n)
}

// maxFakerLength is the longest string, and the most words, sentences or
// lines, one faker call makes. Faker.js has no limit, but a call asking
// for billions would hold the request, and the process's memory, without
// end.
const maxFakerLength = 1 << 20

// bound is a length or count a template asked for, refused past
// maxFakerLength; none (or NaN) is 0.
func bound(n float64) int {
	if n > maxFakerLength {
		panic(fmt.Errorf("faker: a length or count of %s is more than %d", jsNumber(n), maxFakerLength))
	}
	if !(n > 0) {
		return 0
	}
	return int(n)
}

type fakerFunc func(a fakerArgs) any

func str0(f func() string) fakerFunc { return func(fakerArgs) any { return f() } }

func init() {
	for name, f := range fakerStrings {
		fakerMethods[name] = str0(f)
	}
}

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
	"string.alpha":     func(a fakerArgs) any { return randomString(a.length(1), letters) },
	"string.alphanumeric": func(a fakerArgs) any {
		return randomString(a.length(1), letters+digits)
	},
	"string.numeric": func(a fakerArgs) any { return randomString(a.length(1), digits) },
	"string.sample":  func(a fakerArgs) any { return randomString(a.length(10), printable) },
	"string.hexadecimal": func(a fakerArgs) any {
		return "0x" + randomString(a.length(1), "0123456789abcdef")
	},
	"string.nanoid":  func(a fakerArgs) any { return randomString(a.length(21), letters+digits+"_-") },
	"date.recent":    func(a fakerArgs) any { return pastDate(a.num("days", 0, 1)) },
	"date.past":      func(a fakerArgs) any { return pastDate(365 * a.num("years", 0, 1)) },
	"date.future":    func(a fakerArgs) any { return futureDate(365 * a.num("years", 0, 1)) },
	"date.soon":      func(a fakerArgs) any { return futureDate(a.num("days", 0, 1)) },
	"date.anytime":   func(fakerArgs) any { return pastDate(365 * 100 * rand.Float64()) },
	"date.birthdate": func(fakerArgs) any { return pastDate(365 * (18 + 62*rand.Float64())) },
	"date.between":   fakeDateBetween,
	"internet.exampleEmail": func(fakerArgs) any {
		return strings.ToLower(fake.FirstName()) + "@example.com"
	},
	"internet.password": func(a fakerArgs) any { return fake.Password(true, true, true, false, false, a.length(15)) },
	"location.state": func(a fakerArgs) any {
		if b, _ := a.hash["abbreviated"].(bool); b {
			return fake.StateAbr()
		}
		return fake.State()
	},
	"location.latitude": func(a fakerArgs) any {
		return roundTo(a.num("min", -1, -90)+rand.Float64()*(a.num("max", 0, 90)-a.num("min", -1, -90)), 4)
	},
	"location.longitude": func(a fakerArgs) any {
		return roundTo(a.num("min", -1, -180)+rand.Float64()*(a.num("max", 0, 180)-a.num("min", -1, -180)), 4)
	},
	"company.catchPhrase": func(fakerArgs) any {
		return fake.BuzzWord() + " " + fake.Noun()
	},
	"commerce.price": fakePrice,
	"commerce.productAdjective": func(fakerArgs) any {
		return fake.AdjectiveDescriptive()
	},
	"finance.amount": func(a fakerArgs) any {
		lo, hi := a.num("min", 0, 0), a.num("max", 1, 1000)
		return strconv.FormatFloat(lo+rand.Float64()*(hi-lo), 'f', int(a.num("dec", 2, 2)), 64)
	},
	"finance.accountNumber": func(a fakerArgs) any { return randomString(a.length(8), digits) },
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
	"lorem.words":     func(a fakerArgs) any { return loremWords(bound(a.num("count", 0, 3))) },
	"lorem.slug":      func(a fakerArgs) any { return strings.ReplaceAll(loremWords(bound(a.num("count", 0, 3))), " ", "-") },
	"lorem.sentence":  func(a fakerArgs) any { return loremSentence(bound(a.num("count", 0, float64(3+rand.IntN(8))))) },
	"lorem.sentences": func(a fakerArgs) any { return loremSentences(bound(a.num("count", 0, float64(2+rand.IntN(5)))), " ") },
	"lorem.paragraph": func(a fakerArgs) any { return loremSentences(bound(a.num("count", 0, 3)), " ") },
	"lorem.paragraphs": func(a fakerArgs) any {
		n := bound(a.num("count", 0, 3))
		ps := make([]string, n)
		for i := range ps {
			ps[i] = loremSentences(3, " ")
		}
		return strings.Join(ps, "\n")
	},
	"lorem.lines": func(a fakerArgs) any { return loremSentences(bound(a.num("count", 0, float64(1+rand.IntN(5)))), "\n") },
	"word.adjective": func(fakerArgs) any {
		return fake.Adjective()
	},
	"word.words": func(a fakerArgs) any { return loremWords(bound(a.num("count", 0, float64(1+rand.IntN(3))))) },
	"word.interjection": func(fakerArgs) any {
		return fake.Interjection()
	},
	"git.commitSha": func(a fakerArgs) any {
		return randomString(a.length(40), "0123456789abcdef")
	},
	"helpers.arrayElement": func(a fakerArgs) any {
		if arr, ok := firstArg(a).([]any); ok && len(arr) > 0 {
			return arr[rand.IntN(len(arr))]
		}
		return nil
	},
	"helpers.slugify": func(a fakerArgs) any { return strings.ReplaceAll(jsString(firstArg(a)), " ", "-") },
}

// fakerStrings are the Faker.js methods that take no arguments and give a
// string: the plan writes their values straight into the output.
var fakerStrings = map[string]func() string{
	"string.uuid":                 fake.UUID,
	"date.month":                  fake.MonthString,
	"date.weekday":                fake.WeekDay,
	"person.firstName":            fake.FirstName,
	"person.lastName":             fake.LastName,
	"person.middleName":           fake.MiddleName,
	"person.fullName":             fake.Name,
	"person.prefix":               fake.NamePrefix,
	"person.suffix":               fake.NameSuffix,
	"person.sex":                  func() string { return strings.ToLower(fake.Gender()) },
	"person.gender":               fake.Gender,
	"person.jobTitle":             fake.JobTitle,
	"person.jobArea":              fake.JobDescriptor,
	"person.jobType":              fake.JobLevel,
	"person.bio":                  fake.Bio,
	"internet.email":              fake.Email,
	"internet.userName":           fake.Username,
	"internet.username":           fake.Username,
	"internet.displayName":        fake.Username,
	"internet.url":                fake.URL,
	"internet.domainName":         fake.DomainName,
	"internet.domainWord":         func() string { return strings.ToLower(fake.Word()) },
	"internet.ip":                 fake.IPv4Address,
	"internet.ipv4":               fake.IPv4Address,
	"internet.ipv6":               fake.IPv6Address,
	"internet.mac":                fake.MacAddress,
	"internet.userAgent":          fake.UserAgent,
	"internet.httpMethod":         fake.HTTPMethod,
	"internet.color":              fake.HexColor,
	"location.city":               fake.City,
	"location.stateAbbr":          fake.StateAbr,
	"location.country":            fake.Country,
	"location.countryCode":        fake.CountryAbr,
	"location.county":             func() string { return fake.City() + " County" },
	"location.street":             fake.StreetName,
	"location.streetAddress":      fake.Street,
	"location.buildingNumber":     fake.StreetNumber,
	"location.secondaryAddress":   func() string { return "Apt. " + strconv.Itoa(rand.IntN(999)+1) },
	"location.zipCode":            fake.Zip,
	"location.timeZone":           fake.TimeZoneRegion,
	"phone.number":                fake.Phone,
	"phone.imei":                  func() string { return randomString(15, digits) },
	"company.name":                fake.Company,
	"company.buzzPhrase":          fake.BS,
	"company.buzzNoun":            fake.Noun,
	"company.buzzVerb":            fake.Verb,
	"company.buzzAdjective":       fake.Adjective,
	"commerce.product":            fake.ProductCategory,
	"commerce.productName":        fake.ProductName,
	"commerce.productMaterial":    fake.ProductMaterial,
	"commerce.productDescription": fake.ProductDescription,
	"commerce.department":         fake.ProductCategory,
	"commerce.isbn":               func() string { return "978-" + randomString(10, digits) },
	"finance.currencyCode":        fake.CurrencyShort,
	"finance.currencyName":        fake.CurrencyLong,
	"finance.creditCardNumber":    func() string { return fake.CreditCardNumber(nil) },
	"finance.creditCardCVV":       fake.CreditCardCvv,
	"finance.iban":                func() string { return "GB" + randomString(2, digits) + "BANK" + randomString(14, digits) },
	"finance.bic":                 func() string { return strings.ToUpper(randomString(8, letters)) },
	"finance.bitcoinAddress":      fake.BitcoinAddress,
	"finance.transactionType":     func() string { return oneOfStrings("deposit", "withdrawal", "payment", "invoice") },
	"color.human":                 func() string { return strings.ToLower(fake.Color()) },
	"color.rgb":                   func() string { return strings.ToLower(fake.HexColor()) },
	"lorem.word":                  func() string { return fake.LoremIpsumWord() },
	"lorem.text":                  func() string { return loremSentences(3, " ") },
	"word.adverb":                 fake.Adverb,
	"word.noun":                   fake.Noun,
	"word.verb":                   fake.Verb,
	"word.sample":                 fake.Word,
	"word.preposition":            fake.Preposition,
	"animal.type":                 fake.AnimalType,
	"animal.dog":                  fake.Dog,
	"animal.cat":                  fake.Cat,
	"animal.bird":                 fake.Bird,
	"animal.petName":              fake.PetName,
	"vehicle.manufacturer":        fake.CarMaker,
	"vehicle.model":               fake.CarModel,
	"vehicle.type":                fake.CarType,
	"vehicle.fuel":                fake.CarFuelType,
	"music.genre":                 fake.SongGenre,
	"music.songName":              fake.SongName,
	"hacker.phrase":               fake.HackerPhrase,
	"hacker.abbreviation":         fake.HackerAbbreviation,
	"hacker.noun":                 fake.HackerNoun,
	"hacker.verb":                 fake.HackerVerb,
	"hacker.adjective":            fake.HackerAdjective,
	"system.fileName":             func() string { return strings.ToLower(fake.Word()) + "." + fake.FileExtension() },
	"system.fileExt":              fake.FileExtension,
	"system.mimeType":             fake.FileMimeType,
	"system.semver":               fake.AppVersion,
	"git.branch":                  func() string { return strings.ToLower(fake.HackerNoun() + "-" + fake.HackerVerb()) },
	"database.mongodbObjectId":    func() string { return randomString(24, "0123456789abcdef") },
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

// randomString is n bytes drawn uniformly from alphabet.
func randomString(n int, alphabet string) string {
	return string(appendRandom(make([]byte, 0, max(n, 0)), n, alphabet))
}

func oneOfStrings(s ...string) string { return s[rand.IntN(len(s))] }

func loremWords(n int) string {
	ws := make([]string, max(n, 0))
	for i := range ws {
		ws[i] = fake.LoremIpsumWord()
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

// fakerWriter returns a writer of the values of the faker method name
// with these arguments, for the methods whose values it can write straight
// into the output, drawn as the method draws them; nil for the others, and
// for arguments the method itself should judge. escape says whether the
// value is HTML-escaped (the print helper) or printed raw.
func fakerWriter(name string, a fakerArgs, escape bool) (write func([]byte) []byte) {
	defer func() {
		if recover() != nil {
			write = nil // a length past the limit: the request reports it
		}
	}()
	random := func(n int, prefix, alphabet string) func([]byte) []byte {
		// Letters, digits, '_' and '-': nothing to escape.
		return func(b []byte) []byte { return appendRandom(append(b, prefix...), n, alphabet) }
	}
	switch name {
	case "string.alpha":
		return random(a.length(1), "", letters)
	case "string.alphanumeric":
		return random(a.length(1), "", letters+digits)
	case "string.numeric":
		return random(a.length(1), "", digits)
	case "string.hexadecimal":
		return random(a.length(1), "0x", "0123456789abcdef")
	case "string.nanoid":
		return random(a.length(21), "", letters+digits+"_-")
	case "git.commitSha":
		return random(a.length(40), "", "0123456789abcdef")
	case "finance.accountNumber":
		return random(a.length(8), "", digits)
	case "database.mongodbObjectId":
		return random(24, "", "0123456789abcdef")
	case "number.int":
		lo, hi := a.num("min", -1, 0), a.num("max", 0, maxSafeInteger)
		if !(lo <= hi) || lo < -maxSafeInteger || hi > maxSafeInteger {
			return nil // fakeInt's error, NaN, or past exact integers
		}
		// fakeInt prints float64(randomInt(lo, hi)): a safe integer, whose
		// JavaScript digits are its decimal digits.
		return func(b []byte) []byte { return strconv.AppendInt(b, int64(randomInt(lo, hi)), 10) }
	case "datatype.boolean":
		p := a.num("probability", 0, 0.5)
		return func(b []byte) []byte { return strconv.AppendBool(b, rand.Float64() < p) }
	}
	if p, ok := fakerPicks[name]; ok {
		if write := pickWriter(p, escape); write != nil {
			return write
		}
	}
	if f, ok := fakerStrings[name]; ok {
		if escape {
			return func(b []byte) []byte { return appendHTMLEscaped(b, f()) }
		}
		return func(b []byte) []byte { return append(b, f()...) }
	}
	return nil
}

// appendRandom appends n bytes drawn uniformly and independently from
// alphabet (1 to 256 bytes long). Each byte takes the fewest bits that can
// index the alphabet from a 64-bit draw, and an index past its end is
// drawn again (rejection sampling): no byte is likelier than another, and
// one draw serves about ten bytes rather than one.
func appendRandom(b []byte, n int, alphabet string) []byte {
	width := bits.Len(uint(len(alphabet) - 1))
	mask := uint64(1)<<width - 1
	var r uint64
	left := 0 // bits of r not yet used
	for n > 0 {
		if left < width {
			r, left = rand.Uint64(), 64
		}
		i := r & mask
		r >>= width
		left -= width
		if i < uint64(len(alphabet)) {
			b = append(b, alphabet[i])
			n--
		}
	}
	return b
}
