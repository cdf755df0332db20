package render

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/aymerick/raymond"
	jmespath "github.com/jmespath-community/go-jmespath"
)

// mockoonHelpers are Mockoon's template helpers, each taking any number of
// arguments as Mockoon's do. Built once and never changed.
var mockoonHelpers map[string]mockoonHelper

func init() {
	// Assigned in init because some helpers (faker) refer back to the table.
	mockoonHelpers = map[string]mockoonHelper{
		// request
		"body":          mBody,
		"bodyRaw":       mBodyRaw,
		"urlParam":      mURLParam,
		"queryParam":    mQueryParam,
		"queryParamRaw": mQueryParamRaw,
		"header":        mHeader,
		"cookie":        mCookie,
		"method":        func(c *mcall) any { return c.request().Method },
		// data
		"faker":    mFaker,
		"array":    mArray,
		"oneOf":    mOneOf,
		"someOf":   mSomeOf,
		"object":   mObject,
		"concat":   mConcat,
		"int":      mInt,
		"float":    mFloat,
		"boolean":  func(*mcall) any { return rand.IntN(2) == 1 },
		"uuid":     func(*mcall) any { return string(uuid()) },
		"guid":     func(*mcall) any { return string(uuid()) },
		"objectId": mObjectID,
		"newline":  func(*mcall) any { return "\n" },
		// dates
		"now":           mNow,
		"date":          mDate,
		"dateFormat":    mDateFormat,
		"dateTimeShift": mDateTimeShift,
		// blocks and variables
		"repeat":  mRepeat,
		"each":    mEach,
		"switch":  mSwitch,
		"case":    mCase,
		"default": mDefault,
		"setVar":  mSetVar,
		"getVar":  mGetVar,

		"data":         mData,
		"dataRaw":      mDataRaw,
		"setData":      mSetData,
		"setGlobalVar": mSetGlobalVar,
		"status":       mStatus,
		"getGlobalVar": mGetGlobalVar,
		// JSON
		"stringify":  mStringify,
		"jsonParse":  mJSONParse,
		"objectPath": mObjectPath,
		"jsonPath":   mJSONPath,
		"jmesPath":   mJMESPath,
		"getEnvVar":  mGetEnvVar,
		// strings
		"base64":       mBase64,
		"base64Decode": mBase64Decode,
		"lowercase":    func(c *mcall) any { return strings.ToLower(jsString(c.arg(0))) },
		"uppercase":    func(c *mcall) any { return strings.ToUpper(jsString(c.arg(0))) },
		"includes":     func(c *mcall) any { return strings.Contains(jsString(c.arg(0)), jsString(c.arg(1))) },
		"split":        mSplit,
		"join":         mJoin,
		"len":          mLen,
		// math and comparison
		"add":      mathFold(func(a, b float64) float64 { return a + b }, false),
		"subtract": mathFold(func(a, b float64) float64 { return a - b }, false),
		"multiply": mathFold(func(a, b float64) float64 { return a * b }, false),
		"divide":   mathFold(func(a, b float64) float64 { return a / b }, true),
		"modulo":   mModulo,
		"ceil":     mathOne(math.Ceil),
		"floor":    mathOne(math.Floor),
		"round":    mathOne(func(f float64) float64 { return math.Floor(f + 0.5) }),
		"toFixed":  mToFixed,
		"eq":       mEq,
		"gt":       compare(func(a, b float64) bool { return a > b }),
		"gte":      compare(func(a, b float64) bool { return a >= b }),
		"lt":       compare(func(a, b float64) bool { return a < b }),
		"lte":      compare(func(a, b float64) bool { return a <= b }),
		"and":      mAnd,
		"or":       mOr,
		"not":      func(c *mcall) any { return !truthy(c.arg(0)) },
	}
	moreMockoonHelpers(mockoonHelpers)
}

// ---- data ----

func mArray(c *mcall) any {
	out := make([]any, len(c.args))
	for i, a := range c.args {
		out[i] = toJS(a)
	}
	return out
}

// mOneOf picks one item of an array ({{oneOf (array 'a' 'b')}}); a second
// argument true prints it as JSON. Several plain arguments are also
// accepted ({{oneOf 'a' 'b'}}), which Mockoon would print as nothing.
func mOneOf(c *mcall) any {
	list, ok := c.arg(0).([]any)
	if !ok {
		if len(c.args) < 2 {
			return ""
		}
		list = mArray(c).([]any)
		return list[rand.IntN(len(list))]
	}
	if len(list) == 0 {
		return nil
	}
	item := list[rand.IntN(len(list))]
	if len(c.args) >= 2 && truthy(c.args[1]) {
		return raymond.SafeString(jsonStringify(item, ""))
	}
	return item
}

func mSomeOf(c *mcall) any {
	list, ok := c.arg(0).([]any)
	if !ok {
		return ""
	}
	shuffled := append([]any(nil), list...)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	n := randomInt(toNumber(c.arg(1)), toNumber(c.arg(2)))
	n = max(0, min(n, len(shuffled)))
	picked := shuffled[:n]
	if b, ok := c.arg(3).(bool); ok && b {
		parts := make([]string, len(picked))
		for i, p := range picked {
			parts[i] = jsString(p)
		}
		return `["` + strings.Join(parts, `","`) + `"]`
	}
	return picked
}

// randomInt is Mockoon's RandomInt(min, max): an integer in [min, max].
func randomInt(lo, hi float64) int {
	if math.IsNaN(lo) {
		lo = 0
	}
	if math.IsNaN(hi) {
		hi = lo
	}
	a, b := int(math.Ceil(lo)), int(math.Floor(hi))
	if b < a {
		return a
	}
	return a + rand.IntN(b-a+1)
}

func mObject(c *mcall) any { return toJS(c.hash) }

// mConcat joins its arguments' strings; arrays only are concatenated into one array.
func mConcat(c *mcall) any {
	allArrays := len(c.args) > 0
	for _, a := range c.args {
		if _, ok := a.([]any); !ok {
			allArrays = false
		}
	}
	if allArrays {
		var out []any
		for _, a := range c.args {
			out = append(out, a.([]any)...)
		}
		return out
	}
	var b strings.Builder
	for _, a := range c.args {
		b.WriteString(jsString(a))
	}
	return b.String()
}

const maxSafeInteger = 1<<53 - 1

// mInt is {{int}}, {{int max}} or {{int min max}}: a random integer.
func mInt(c *mcall) any {
	lo, hi := 0.0, float64(maxSafeInteger)
	if len(c.args) >= 1 && isNumber(c.args[0]) {
		lo = toNumber(c.args[0])
	}
	if len(c.args) >= 2 && isNumber(c.args[1]) {
		hi = toNumber(c.args[1])
	}
	return float64(randomInt(lo, hi))
}

// mFloat is {{float}} or {{float min max}}: a random number with up to 10
// decimals, from 0 to 1 unless told (Faker's number.float).
func mFloat(c *mcall) any {
	lo, hi := 0.0, 1.0
	if len(c.args) >= 1 && isNumber(c.args[0]) {
		lo = toNumber(c.args[0])
	}
	if len(c.args) >= 2 && isNumber(c.args[1]) {
		hi = toNumber(c.args[1])
	}
	f := lo + rand.Float64()*(hi-lo)
	return math.Round(f*1e10) / 1e10
}

// mObjectID is a MongoDB ObjectId in hex: the time in seconds, then
// random bytes. Given an ObjectId's hex it returns it; given a number, it
// is the time.
func mObjectID(c *mcall) any {
	if s, ok := isString(c.arg(0)); ok && len(s) == 24 {
		if _, err := hex.DecodeString(s); err == nil {
			return strings.ToLower(s)
		}
	}
	secs := uint32(time.Now().Unix())
	if isNumber(c.arg(0)) {
		secs = uint32(toNumber(c.arg(0)))
	}
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], secs)
	for i := 4; i < len(b); i++ {
		b[i] = byte(rand.IntN(256))
	}
	return hex.EncodeToString(b[:])
}

// ---- dates ----

// mockoonDateLayout is the date-fns format Mockoon's dates default to.
const mockoonDateLayout = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx"

func mNow(c *mcall) any {
	layout := mockoonDateLayout
	if s, ok := isString(c.arg(0)); ok {
		layout = s
	}
	return formatDateFns(c.request().now().Local(), layout)
}

// mDate is {{date from to [format]}}: a random date between two dates.
func mDate(c *mcall) any {
	from, ok1 := isString(c.arg(0))
	to, ok2 := isString(c.arg(1))
	if len(c.args) < 2 || !ok1 || !ok2 {
		return ""
	}
	a, errA := parseJSDate(from)
	b, errB := parseJSDate(to)
	if errA != nil || errB != nil {
		panic(fmt.Errorf("date: invalid date %q or %q", from, to))
	}
	if b.Before(a) {
		a, b = b, a
	}
	d := a
	if span := b.Sub(a); span > 0 {
		d = a.Add(time.Duration(rand.Int64N(int64(span) + 1)))
	}
	if layout, ok := isString(c.arg(2)); ok && len(c.args) == 3 {
		return formatDateFns(d, layout)
	}
	return jsDateString(d)
}

func mDateFormat(c *mcall) any {
	d, ok := toDate(c.arg(0))
	layout, ok2 := isString(c.arg(1))
	if !ok || !ok2 {
		return ""
	}
	return formatDateFns(d, layout)
}

func mDateTimeShift(c *mcall) any {
	d := c.request().now().Local()
	if v, ok := c.hash["date"]; ok {
		parsed, ok := toDate(v)
		if !ok {
			panic(fmt.Errorf("dateTimeShift: invalid date %q", jsString(v)))
		}
		d = parsed
	}
	n := func(k string) int {
		f := toNumber(c.hash[k])
		if math.IsNaN(f) {
			return 0
		}
		return int(f)
	}
	d = d.AddDate(n("years"), n("months"), n("days"))
	d = d.Add(time.Duration(n("hours"))*time.Hour + time.Duration(n("minutes"))*time.Minute + time.Duration(n("seconds"))*time.Second)
	layout := mockoonDateLayout
	if s, ok := isString(c.hash["format"]); ok {
		layout = s
	}
	return formatDateFns(d, layout)
}

// toDate accepts a Date or a date string as JavaScript's new Date() does.
func toDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case float64:
		return time.UnixMilli(int64(x)), true
	case int:
		return time.UnixMilli(int64(x)), true
	}
	s, ok := isString(v)
	if !ok {
		return time.Time{}, false
	}
	d, err := parseJSDate(s)
	return d, err == nil
}

// parseJSDate parses the ISO forms JavaScript's Date accepts: a date alone
// ("2019", "2019-05", "2019-05-04") is UTC, a date-time without offset is
// local time.
func parseJSDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{"2006", "2006-01", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{"Mon Jan 02 2006 15:04:05 GMT-0700", time.RFC1123, time.RFC1123Z} {
		head := s
		if i := strings.Index(s, " ("); i > 0 {
			head = s[:i]
		}
		if t, err := time.Parse(l, head); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q", s)
}

// ---- blocks and variables ----

// mRepeat is {{#repeat n}} or {{#repeat min max}}: the block n times, with
// @index, @total, @first and @last, joined by commas unless comma=false.
func mRepeat(c *mcall) any {
	var count int
	switch len(c.args) {
	case 1:
		count = int(toNumber(c.args[0]))
	case 2:
		count = randomInt(toNumber(c.args[0]), toNumber(c.args[1]))
	default:
		panic(fmt.Errorf("the repeat helper requires a numeric param"))
	}
	comma := true
	if b, ok := c.hash["comma"].(bool); ok && !b {
		comma = false
	}
	budget, _ := c.opts.Data(repeatBudgetKey).(*int)
	if budget == nil {
		// One budget for the whole render: nested blocks see the pointer.
		budget = new(int)
		*budget = maxRepeats
		c.opts.DataFrame().Set(repeatBudgetKey, budget)
	}
	var out []byte
	for i := range max(count, 0) {
		if *budget--; *budget < 0 {
			panic(fmt.Errorf("repeat: more than %d repetitions in one response", maxRepeats))
		}
		if len(out) > maxRepeatOutput {
			panic(fmt.Errorf("repeat: more than %d bytes of output", maxRepeatOutput))
		}
		frame := c.opts.NewDataFrame()
		frame.Set("index", i)
		frame.Set("total", count)
		frame.Set("first", i == 0)
		frame.Set("last", i == count-1)
		out = append(out, c.opts.FnData(frame)...)
		if !comma {
			continue
		}
		// Trim the white space the block leaves, put a comma between items
		// (unless the block wrote one) and none after the last.
		out = bytes.TrimRight(out, " \t\r\n")
		switch ends := len(out) > 0 && out[len(out)-1] == ','; {
		case i < count-1 && !ends:
			out = append(out, ',')
		case i == count-1 && ends:
			out = out[:len(out)-1]
		}
		out = append(out, '\n')
	}
	return raymond.SafeString(out)
}

// mStatus is {{status 404}}: the answer's status (100 to 999); it prints
// nothing.
func mStatus(c *mcall) any {
	if n := toNumber(c.arg(0)); n >= 100 && n <= 999 && n == math.Trunc(n) {
		c.request().Status = int(n)
	}
	return nil
}

// mEach is Handlebars' each over Mockoon's values: an object's members
// (read by name inside the block) and an array's items, in order.
func mEach(c *mcall) any {
	var out strings.Builder
	item := func(ctx any, i, n int, key string) {
		frame := c.opts.NewDataFrame()
		frame.Set("index", i)
		frame.Set("first", i == 0)
		frame.Set("last", i == n-1)
		if key != "" {
			frame.Set("key", key)
		}
		out.WriteString(c.opts.FnCtxData(eachContext(ctx), frame))
	}
	switch v := toJS(c.arg(0)).(type) {
	case []any:
		for i, e := range v {
			item(e, i, len(v), "")
		}
		if len(v) > 0 {
			return raymond.SafeString(out.String())
		}
	case *jsObject:
		for i, k := range v.keys {
			item(v.vals[k], i, len(v.keys), k)
		}
		if len(v.keys) > 0 {
			return raymond.SafeString(out.String())
		}
	}
	return raymond.SafeString(c.opts.Inverse())
}

// eachContext makes a value raymond can read members of by name: objects
// become maps (their members' order no longer matters inside the block).
func eachContext(v any) any {
	switch x := v.(type) {
	case *jsObject:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = eachContext(x.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = eachContext(e)
		}
		return out
	}
	return v
}

// A render may repeat blocks at most maxRepeats times in all, and one
// repeat may write at most maxRepeatOutput bytes, so no template can hold a
// request (or the process's memory) without end. Mockoon has no such limit;
// its sample files repeat 5,000 times at most.
const (
	maxRepeats      = 100_000
	maxRepeatOutput = 16 << 20
	repeatBudgetKey = "__repeatBudget"
)

// switch/case/default keep their state in the block's data frame, as
// Mockoon keeps it in Handlebars' data.
const (
	switchValueKey = "__switchValue"
	switchFoundKey = "__switchFound"
)

func mSwitch(c *mcall) any {
	frame := c.opts.NewDataFrame()
	frame.Set(switchValueKey, jsString(c.arg(0)))
	frame.Set(switchFoundKey, &switchState{})
	return raymond.SafeString(c.opts.FnData(frame))
}

type switchState struct{ found bool }

func mCase(c *mcall) any {
	st, _ := c.opts.Data(switchFoundKey).(*switchState)
	if st == nil || st.found || len(c.args) < 1 {
		return ""
	}
	if want, _ := c.opts.Data(switchValueKey).(string); jsString(c.args[0]) != want {
		return ""
	}
	st.found = true
	return raymond.SafeString(c.opts.Fn())
}

func mDefault(c *mcall) any {
	st, _ := c.opts.Data(switchFoundKey).(*switchState)
	if st != nil && st.found {
		return ""
	}
	return raymond.SafeString(c.opts.Fn())
}

func mSetVar(c *mcall) any {
	if len(c.args) >= 2 {
		c.opts.DataFrame().Set(jsString(c.args[0]), c.args[1])
	}
	return nil
}

func mGetVar(c *mcall) any {
	if len(c.args) < 1 {
		return nil
	}
	return c.opts.Data(jsString(c.args[0]))
}

// ---- JSON ----

func mStringify(c *mcall) any {
	switch v := c.arg(0).(type) {
	case []any, *jsObject, map[string]any:
		return jsonStringify(v, "  ")
	default:
		return v
	}
}

func mJSONParse(c *mcall) any {
	s, ok := isString(c.arg(0))
	if !ok {
		return nil
	}
	v, err := parseJSON([]byte(s))
	if err != nil {
		return nil
	}
	return v
}

// mObjectPath is {{objectPath obj 'a.b.0'}}: the value at a dotted path.
func mObjectPath(c *mcall) any {
	if len(c.args) < 2 {
		return nil
	}
	path, _ := isString(c.arg(1))
	data := c.arg(0)
	if s, ok := isString(data); ok {
		if parsed, err := parseJSON([]byte(s)); err == nil {
			data = parsed
		}
	}
	v, ok := lookupPath(data, splitPath(path))
	if !ok {
		if len(c.args) >= 3 && c.args[2] != nil {
			return c.args[2]
		}
		return ""
	}
	return v
}

// mJSONPath is {{jsonPath obj '$.a[?(@.b > 1)].c'}}: JSONPath with
// filters and recursive descent; one result is itself, several an array.
func mJSONPath(c *mcall) any {
	path, _ := isString(c.arg(1))
	data := c.arg(0)
	if s, ok := isString(data); ok {
		parsed, err := parseJSON([]byte(s))
		if err != nil {
			return nil
		}
		data = parsed
	}
	if !strings.HasPrefix(path, "$") {
		path = "$." + path
	}
	results := jsonPathQuery(toJS(data), path)
	switch len(results) {
	case 0:
		return nil
	case 1:
		return results[0]
	}
	return results
}

// ---- strings ----

func mBase64(c *mcall) any {
	s := jsString(c.arg(0))
	if len(c.args) == 0 {
		s = c.opts.Fn()
	}
	return raymond.SafeString(base64.StdEncoding.EncodeToString([]byte(s)))
}

func mBase64Decode(c *mcall) any {
	s := jsString(c.arg(0))
	if len(c.args) == 0 {
		s = c.opts.Fn()
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, _ = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return raymond.SafeString(b)
}

func mSplit(c *mcall) any {
	s, ok := isString(c.arg(0))
	if !ok || s == "" {
		return ""
	}
	sep, ok := c.arg(1).(string)
	if !ok || sep == "" {
		sep = " "
	}
	parts := strings.Split(s, sep)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

func mJoin(c *mcall) any {
	arr, ok := c.arg(0).([]any)
	if !ok {
		return c.arg(0)
	}
	sep, ok := c.arg(1).(string)
	if !ok {
		sep = ", "
	}
	parts := make([]string, len(arr))
	for i, e := range arr {
		parts[i] = jsString(e)
	}
	return strings.Join(parts, sep)
}

func mLen(c *mcall) any {
	switch v := c.arg(0).(type) {
	case []any:
		return float64(len(v))
	case string:
		return float64(len([]rune(v)))
	case raymond.SafeString:
		return float64(len([]rune(string(v))))
	}
	return 0.0
}

// ---- math and comparison ----

// mathFold reduces the arguments left to right, skipping the ones that are
// not numbers (and zero divisors), as Mockoon does. No argument prints nothing.
func mathFold(op func(a, b float64) float64, skipZero bool) mockoonHelper {
	return func(c *mcall) any {
		if len(c.args) == 0 {
			return ""
		}
		acc := toNumber(c.args[0])
		for _, a := range c.args[1:] {
			n := toNumber(a)
			if math.IsNaN(n) || skipZero && n == 0 {
				continue
			}
			acc = op(acc, n)
		}
		return acc
	}
}

func mathOne(op func(float64) float64) mockoonHelper {
	return func(c *mcall) any {
		if len(c.args) == 0 {
			return ""
		}
		return op(toNumber(c.args[0]))
	}
}

func mModulo(c *mcall) any {
	if len(c.args) < 2 || toNumber(c.args[1]) == 0 {
		return ""
	}
	return math.Mod(toNumber(c.args[0]), toNumber(c.args[1]))
}

func mToFixed(c *mcall) any {
	n, d := toNumber(c.arg(0)), toNumber(c.arg(1))
	if math.IsNaN(n) {
		n = 0
	}
	if math.IsNaN(d) {
		d = 0
	}
	return fmt.Sprintf("%.*f", int(d), n)
}

// compare is gt, gte, lt and lte: both sides as numbers, false when
// either is not one.
func compare(op func(a, b float64) bool) mockoonHelper {
	return func(c *mcall) any {
		a, b := toNumber(c.arg(0)), toNumber(c.arg(1))
		if math.IsNaN(a) || math.IsNaN(b) {
			return false
		}
		return op(a, b)
	}
}

// mEq is JavaScript's ===: the same type and value. A SafeString (what
// body and queryParam print) is an object, equal to nothing else.
func mEq(c *mcall) any {
	a, b := c.arg(0), c.arg(1)
	ta, tb := jsTypeof(a), jsTypeof(b)
	if ta != tb {
		return false
	}
	switch ta {
	case "number":
		return toNumber(a) == toNumber(b)
	case "string", "boolean", "undefined":
		return a == b
	}
	return false
}

// jsTypeof is JavaScript's typeof for the values helpers pass around.
func jsTypeof(v any) string {
	switch v.(type) {
	case nil:
		return "undefined"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, int, int64:
		return "number"
	}
	return "object"
}

func mAnd(c *mcall) any {
	for _, a := range c.args {
		if !truthy(a) {
			return false
		}
	}
	return true
}

func mOr(c *mcall) any {
	for _, a := range c.args {
		if truthy(a) {
			return true
		}
	}
	return false
}

// mJMESPath is {{jmesPath data 'expression'}}: the JMESPath search of data
// (an object, or JSON text), as Mockoon's jmesPath helper; nothing when
// the data or the expression does not parse, or nothing is found.
func mJMESPath(c *mcall) any {
	expr, ok := isString(c.arg(1))
	if !ok || len(c.args) < 2 {
		return nil
	}
	data := c.arg(0)
	if s, ok := isString(data); ok {
		parsed, err := parseJSON([]byte(s))
		if err != nil {
			return nil
		}
		data = parsed
	}
	found, err := jmesSearch(expr, Plain(data))
	if err != nil || found == nil {
		return nil
	}
	text, err := json.Marshal(found)
	if err != nil {
		return nil
	}
	v, err := parseJSON(text)
	if err != nil {
		return nil
	}
	return v
}

// mGetEnvVar is {{getEnvVar 'NAME' 'default'}}: the process's environment
// variable MOCKOON_NAME (the prefix added when the name lacks it: only
// MOCKOON_ variables are readable, as Mockoon's default prefix has it),
// else the default, else nothing.
func mGetEnvVar(c *mcall) any {
	name := jsString(c.arg(0))
	if name == "" {
		return nil
	}
	if !strings.HasPrefix(name, "MOCKOON_") {
		name = "MOCKOON_" + name
	}
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	if len(c.args) > 1 {
		return c.arg(1)
	}
	return nil
}

// jmesSearch is jmespath.Search, with a panic on odd input (the library's
// functions assert their arguments' types) turned into an error.
func jmesSearch(expr string, data any) (found any, err error) {
	defer func() {
		if r := recover(); r != nil {
			found, err = nil, fmt.Errorf("jmesPath %q: %v", expr, r)
		}
	}()
	return jmespath.Search(expr, data)
}
