package render

import (
	"encoding/base64"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// moreMockoonHelpers are Mockoon's string and array helpers and its
// older shortcuts for fake data ({{firstName}}, {{email}}...), which
// current Mockoon still runs.
func moreMockoonHelpers(m map[string]mockoonHelper) {
	helper := func(f func() string) mockoonHelper { return func(*mcall) any { return f() } }
	for name, f := range map[string]func() string{
		"title": fake.NamePrefix, "firstName": fake.FirstName, "lastName": fake.LastName,
		"company": fake.Company, "domain": fake.DomainName, "tld": fake.DomainSuffix,
		"email": fake.Email, "street": fake.Street, "city": fake.City,
		"country": fake.Country, "countryCode": fake.CountryAbr, "zipcode": fake.Zip,
		"postcode": fake.Zip, "phone": fake.Phone, "ipv4": fake.IPv4Address,
		"ipv6":  fake.IPv6Address,
		"color": func() string { return strings.ToLower(fake.Color()) },
		"hexColor": func() string {
			return strconv.FormatInt(int64(rand.IntN(16777215)), 16)
		},
		"lat":  func() string { return strconv.FormatFloat(roundTo(rand.Float64()*180-90, 4), 'f', -1, 64) },
		"long": func() string { return strconv.FormatFloat(roundTo(rand.Float64()*360-180, 4), 'f', -1, 64) },
	} {
		m[name] = helper(f)
	}
	m["lorem"] = func(c *mcall) any {
		n := 3 + rand.IntN(8)
		if isNumber(c.arg(0)) {
			n = int(toNumber(c.arg(0)))
		}
		return loremSentence(n)
	}
	m["time"] = mTime
	m["base64url"] = func(c *mcall) any {
		s := jsString(c.arg(0))
		if len(c.args) == 0 {
			s = c.opts.Fn()
		}
		return base64.RawURLEncoding.EncodeToString([]byte(s))
	}
	m["base64urlDecode"] = func(c *mcall) any {
		s := jsString(c.arg(0))
		if len(c.args) == 0 {
			s = c.opts.Fn()
		}
		b, _ := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
		return string(b)
	}
	m["substr"] = mSubstr
	m["indexOf"] = mIndexOf
	m["padStart"] = func(c *mcall) any { return pad2(c, true) }
	m["padEnd"] = func(c *mcall) any { return pad2(c, false) }
	m["parseInt"] = func(c *mcall) any {
		s := strings.TrimSpace(jsString(c.arg(0)))
		end := 0
		for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
			end++
		}
		n, err := strconv.ParseInt(s[:end], 10, 64)
		if err != nil {
			return ""
		}
		return float64(n)
	}
	m["replace"] = func(c *mcall) any {
		return strings.Replace(jsString(c.arg(0)), jsString(c.arg(1)), jsString(c.arg(2)), 1)
	}
	m["replaceAll"] = func(c *mcall) any {
		return strings.ReplaceAll(jsString(c.arg(0)), jsString(c.arg(1)), jsString(c.arg(2)))
	}
	m["reverse"] = func(c *mcall) any {
		switch v := c.arg(0).(type) {
		case []any:
			out := slices.Clone(v)
			slices.Reverse(out)
			return out
		default:
			r := []rune(jsString(v))
			slices.Reverse(r)
			return string(r)
		}
	}
	m["slice"] = func(c *mcall) any {
		arr, ok := c.arg(0).([]any)
		if !ok {
			return ""
		}
		from, to := jsIndex(c.arg(1), len(arr), 0), len(arr)
		if isNumber(c.arg(2)) {
			to = jsIndex(c.arg(2), len(arr), len(arr))
		}
		if from >= to {
			return []any{}
		}
		return slices.Clone(arr[from:to])
	}
	m["sort"] = func(c *mcall) any {
		arr, ok := c.arg(0).([]any)
		if !ok {
			return c.arg(0)
		}
		out := slices.Clone(arr)
		// JavaScript's default sort compares strings.
		slices.SortStableFunc(out, func(a, b any) int { return strings.Compare(jsString(a), jsString(b)) })
		if s, _ := isString(c.arg(1)); s == "desc" {
			slices.Reverse(out)
		}
		return out
	}
	m["isValidDate"] = func(c *mcall) any { _, ok := toDate(c.arg(0)); return ok }
	m["objectMerge"] = func(c *mcall) any {
		out := newObject()
		for _, a := range c.args {
			if o, ok := toJS(a).(*jsObject); ok {
				for _, k := range o.keys {
					out.set(k, o.vals[k])
				}
			}
		}
		return out
	}
}

// jsIndex reads a slice index as JavaScript does: negative counts from the end.
func jsIndex(v any, n, def int) int {
	f := toNumber(v)
	if math.IsNaN(f) {
		return def
	}
	i := int(f)
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}

func mSubstr(c *mcall) any {
	r := []rune(jsString(c.arg(0)))
	from := 0
	if !math.IsNaN(toNumber(c.arg(1))) && c.arg(1) != nil {
		from = int(toNumber(c.arg(1)))
	}
	if from < 0 {
		from = max(0, len(r)+from)
	}
	from = min(from, len(r))
	end := len(r)
	if c.arg(2) != nil && !math.IsNaN(toNumber(c.arg(2))) {
		end = min(len(r), from+max(0, int(toNumber(c.arg(2)))))
	}
	return string(r[from:end])
}

func mIndexOf(c *mcall) any {
	s, search := jsString(c.arg(0)), jsString(c.arg(1))
	from := 0
	if isNumber(c.arg(2)) || c.arg(2) != nil && !math.IsNaN(toNumber(c.arg(2))) {
		from = max(0, min(int(toNumber(c.arg(2))), utf8.RuneCountInString(s)))
	}
	r := []rune(s)
	i := strings.Index(string(r[from:]), search)
	if i < 0 {
		return -1.0
	}
	return float64(from + utf8.RuneCountInString(string(r[from:])[:i]))
}

// pad2 is padStart and padEnd: the string padded to a length with a
// character (default a space).
func pad2(c *mcall, start bool) any {
	s := jsString(c.arg(0))
	n := int(toNumber(c.arg(1)))
	fill := " "
	if f, ok := isString(c.arg(2)); ok && f != "" {
		fill = f
	}
	missing := n - utf8.RuneCountInString(s)
	if missing <= 0 {
		return s
	}
	p := strings.Repeat(fill, missing/utf8.RuneCountInString(fill)+1)
	p = string([]rune(p)[:missing])
	if start {
		return p + s
	}
	return s + p
}

// mTime is {{time 'HH:mm' 'HH:mm' [format]}}: a random time between two.
func mTime(c *mcall) any {
	from, ok1 := isString(c.arg(0))
	to, ok2 := isString(c.arg(1))
	if len(c.args) < 2 || !ok1 || !ok2 {
		return ""
	}
	a, errA := parseJSDate("1970-01-01T" + from)
	b, errB := parseJSDate("1970-01-01T" + to)
	if errA != nil || errB != nil {
		return ""
	}
	if b.Before(a) {
		a, b = b, a
	}
	d := a.Add(time.Duration(rand.Int64N(int64(b.Sub(a)) + 1)))
	layout := "HH:mm"
	if l, ok := isString(c.arg(2)); ok && len(c.args) == 3 {
		layout = l
	}
	return formatDateFns(d, layout)
}
