package stripe

import (
	"strings"
)

// Stripe's test cards: the numbers, PaymentMethod ids (pm_card_…) and
// tokens (tok_…) that Stripe's test mode answers in a fixed way, with the
// card each stands for and the outcome of charging it. The values and
// Stripe's wording of each decline are those of Stripe's testing
// documentation.

// Card is the card a test value stands for.
type Card struct {
	Number   string
	Brand    string // a PaymentMethod's brand: visa, mastercard, amex, discover, diners, jcb, unionpay
	ExpMonth int
	ExpYear  int
	Funding  string // credit, debit, prepaid
	Country  string
}

// Last4 is the card number's last four digits (all of a shorter one).
func (c Card) Last4() string { return c.Number[max(len(c.Number)-4, 0):] }

// CardBrand is the brand as a Card or a token names it ("Visa").
func (c Card) CardBrand() string {
	switch c.Brand {
	case "mastercard":
		return "MasterCard"
	case "amex":
		return "American Express"
	case "discover":
		return "Discover"
	case "diners":
		return "Diners Club"
	case "jcb":
		return "JCB"
	case "unionpay":
		return "UnionPay"
	}
	return "Visa"
}

// Result is what charging a test card does.
type Result int

const (
	// Succeeds: the charge goes through.
	Succeeds Result = iota
	// Declines: the card is refused, attaching it to a customer too.
	Declines
	// DeclinesCharge: attaching the card succeeds, charging it is
	// declined (4000000000000341).
	DeclinesCharge
	// RequiresAction: a PaymentIntent or SetupIntent needs 3-D Secure
	// (requires_action); the Charges API, which cannot authenticate,
	// declines it.
	RequiresAction
	// IncorrectNumber: the number is refused wherever it is read, so no
	// PaymentMethod or token can be made from it: it fails the card
	// number check (incorrect_number), has no card number's length
	// (invalid_number), or is not one of Stripe's test cards
	// (card_declined, test_mode_live_card).
	IncorrectNumber
)

// Decline is Stripe's card_error for a declined card.
type Decline struct {
	Code        string // card_declined, expired_card, ...
	DeclineCode string // generic_decline, insufficient_funds, ...; "" for none
	Message     string
	Param       string // exp_month, cvc, number; "" for none
}

// DocURL is the page of Stripe's docs on the decline's code.
func (d Decline) DocURL() string {
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(d.Code, "_", "-")
}

// Name is the decline's variant name in the embedded catalog:
// "card_declined/insufficient_funds", or its code alone where the decline
// code repeats it or there is none ("expired_card", "incorrect_number").
func (d Decline) Name() string {
	if d.DeclineCode == "" || d.DeclineCode == d.Code {
		return d.Code
	}
	return d.Code + "/" + d.DeclineCode
}

// declineParams is a form body whose test card declines as the variant
// named name does: its test PaymentMethod, or its number; the generic
// decline for any other name (a route's "error").
func declineParams(name string) string {
	for _, tc := range testCards() {
		if tc.result != Declines && tc.result != IncorrectNumber || tc.decline.Name() != name || tc.decline == declineGeneric {
			continue
		}
		if len(tc.names) > 0 {
			return "payment_method=pm_card_" + tc.names[0]
		}
		return "payment_method_data[type]=card&payment_method_data[card][number]=" + tc.number
	}
	return "payment_method=pm_card_chargeDeclined"
}

// CommonDeclines are the declines of Stripe's test cards, each once, in
// the table's order: generic_decline, insufficient_funds, lost_card,
// stolen_card, expired_card, incorrect_cvc, processing_error and
// incorrect_number. The embedded catalog gives the routes that move money
// a variant for each.
func CommonDeclines() []Decline {
	var out []Decline
	seen := map[Decline]bool{}
	for _, tc := range testCards() {
		if (tc.result == Declines || tc.result == IncorrectNumber) && !seen[tc.decline] {
			seen[tc.decline] = true
			out = append(out, tc.decline)
		}
	}
	return out
}

// TestCard is a test value's card and outcome.
type TestCard struct {
	Card    Card
	Result  Result
	Decline Decline // for Declines, DeclinesCharge, IncorrectNumber
	// Why says, for a number that is no test value, why it is refused
	// ("fails the Luhn check"); "" for test values.
	Why string
}

// Named is how the request log names the value the card was read from:
// the test value itself, or a refused number by its last four digits and
// why it is refused ("card number ending 1111 (test_mode_live_card: not
// one of Stripe's test cards)"), so that a real card's number is never
// written out.
func (tc TestCard) Named(value string) string {
	if tc.Why == "" {
		return value
	}
	code := tc.Decline.DeclineCode
	if code == "" {
		code = tc.Decline.Code
	}
	return "card number ending " + tc.Card.Last4() + " (" + code + ": " + tc.Why + ")"
}

// The declines, in Stripe's words.
var (
	declineGeneric = Decline{Code: "card_declined", DeclineCode: "generic_decline", Message: "Your card was declined."}
	declineAuth    = Decline{Code: "card_declined", DeclineCode: "authentication_required",
		Message: "Your card was declined. This transaction requires authentication."}
	incorrectNumber = Decline{Code: "incorrect_number", Message: "Your card number is incorrect.", Param: "number"}
	invalidNumber   = Decline{Code: "invalid_number", Message: "Your card number is not a valid credit card number.", Param: "number"}
	liveCard        = Decline{Code: "card_declined", DeclineCode: "test_mode_live_card",
		Message: "Your card was declined. Your request was in test mode, but used a non test (live) card. " +
			"For a list of valid test cards, visit: https://stripe.com/docs/testing."}
)

// testCard is one row of the table: the number and the names Stripe gives
// its PaymentMethod and token.
type testCard struct {
	number, brand, funding string
	result                 Result
	decline                Decline
	// names are the suffixes after pm_card_ and tok_ ("visa",
	// "chargeDeclinedInsufficientFunds"); declines are also reached by
	// the pm_card_visa_ and tok_visa_ forms of their names.
	names []string
}

// testCards is Stripe's table of test cards (docs: Testing).
func testCards() []testCard {
	return []testCard{
		{number: "4242424242424242", brand: "visa", funding: "credit", names: []string{"visa"}},
		{number: "4000056655665556", brand: "visa", funding: "debit", names: []string{"visa_debit"}},
		{number: "5555555555554444", brand: "mastercard", funding: "credit", names: []string{"mastercard"}},
		{number: "5200828282828210", brand: "mastercard", funding: "debit", names: []string{"mastercard_debit"}},
		{number: "5105105105105100", brand: "mastercard", funding: "prepaid", names: []string{"mastercard_prepaid"}},
		{number: "378282246310005", brand: "amex", funding: "credit", names: []string{"amex"}},
		{number: "6011111111111117", brand: "discover", funding: "credit", names: []string{"discover"}},
		// More of Stripe's cards by brand, and the cards whose special
		// behaviour (a check that fails, a dispute later, funds available
		// at once) routedeck does not play out: each charges as a test card.
		{number: "2223003122003222", brand: "mastercard", funding: "credit"},
		{number: "371449635398431", brand: "amex", funding: "credit"},
		{number: "6011000990139424", brand: "discover", funding: "credit"},
		{number: "6011981111111113", brand: "discover", funding: "debit"},
		{number: "3056930009020004", brand: "diners", funding: "credit"},
		{number: "36227206271667", brand: "diners", funding: "credit"},
		{number: "30569309025904", brand: "diners", funding: "credit"},
		{number: "38520000023237", brand: "diners", funding: "credit"},
		{number: "3566002020360505", brand: "jcb", funding: "credit"},
		{number: "3530111333300000", brand: "jcb", funding: "credit"},
		{number: "6200000000000005", brand: "unionpay", funding: "credit"},
		{number: "6200000000000047", brand: "unionpay", funding: "debit"},
		{number: "6205500000000000004", brand: "unionpay", funding: "credit"},
		{number: "4012888888881881", brand: "visa", funding: "credit"},
		{number: "4000002500001001", brand: "visa", funding: "credit"},
		{number: "5555552500001001", brand: "mastercard", funding: "credit"},
		{number: "4000003560000008", brand: "visa", funding: "credit"},
		{number: "4000000000000077", brand: "visa", funding: "credit"},
		{number: "4000003720000278", brand: "visa", funding: "credit"},
		{number: "4000000000000093", brand: "visa", funding: "credit"},
		{number: "4000000000000010", brand: "visa", funding: "credit"},
		{number: "4000000000000028", brand: "visa", funding: "credit"},
		{number: "4000000000000036", brand: "visa", funding: "credit"},
		{number: "4000000000000044", brand: "visa", funding: "credit"},
		{number: "4000000000000101", brand: "visa", funding: "credit"},
		{number: "4000000000000259", brand: "visa", funding: "credit"},
		{number: "4000000000001976", brand: "visa", funding: "credit"},
		{number: "4000000000005423", brand: "visa", funding: "credit"},
		{number: "4000000000005126", brand: "visa", funding: "credit"},
		{number: "4000000000004954", brand: "visa", funding: "credit"},
		{number: "4000000000003055", brand: "visa", funding: "credit"},

		{number: "4000000000000002", result: Declines, decline: declineGeneric, names: []string{"chargeDeclined"}},
		{number: "4000000000009995", result: Declines, names: []string{"chargeDeclinedInsufficientFunds"},
			decline: Decline{Code: "card_declined", DeclineCode: "insufficient_funds", Message: "Your card has insufficient funds."}},
		{number: "4000000000009987", result: Declines, names: []string{"chargeDeclinedLostCard"},
			decline: Decline{Code: "card_declined", DeclineCode: "lost_card", Message: "Your card was declined."}},
		{number: "4000000000009979", result: Declines, names: []string{"chargeDeclinedStolenCard"},
			decline: Decline{Code: "card_declined", DeclineCode: "stolen_card", Message: "Your card was declined."}},
		{number: "4000000000000069", result: Declines, names: []string{"chargeDeclinedExpiredCard"},
			decline: Decline{Code: "expired_card", DeclineCode: "expired_card", Message: "Your card has expired.", Param: "exp_month"}},
		{number: "4000000000000127", result: Declines, names: []string{"chargeDeclinedIncorrectCvc"},
			decline: Decline{Code: "incorrect_cvc", DeclineCode: "incorrect_cvc", Message: "Your card's security code is incorrect.", Param: "cvc"}},
		{number: "4000000000000119", result: Declines, names: []string{"chargeDeclinedProcessingError"},
			decline: Decline{Code: "processing_error", DeclineCode: "processing_error", Message: "An error occurred while processing your card. Try again in a little bit."}},
		{number: "4242424242424241", result: IncorrectNumber, decline: incorrectNumber},
		{number: "4000000000000341", result: DeclinesCharge, decline: declineGeneric, names: []string{"chargeCustomerFail"}},

		{number: "4000002500003155", result: RequiresAction, decline: declineAuth, names: []string{"authenticationRequiredOnSetup"}},
		{number: "4000002760003184", result: RequiresAction, decline: declineAuth, names: []string{"authenticationRequired"}},
		{number: "4000000000003220", result: RequiresAction, decline: declineAuth, names: []string{"threeDSecure2Required"}},
		{number: "4000000000003063", result: RequiresAction, decline: declineAuth},
		{number: "4000008400001629", result: RequiresAction, decline: declineAuth},
		{number: "4000008400001280", result: RequiresAction, decline: declineAuth},
	}
}

// Cards resolves test values to test cards. Safe for concurrent use (it
// is read only once built).
type Cards struct {
	byValue map[string]*cardEntry
}

// cardEntry is a test value's card, with the request log's reason for a
// payment it makes, made once rather than per payment.
type cardEntry struct {
	card TestCard
	// paid is "test card " and the value.
	paid string
}

// NewCards builds the table; expYear is the expiry year test cards get
// (Stripe's are valid for some years ahead).
func NewCards(expYear int) *Cards {
	c := &Cards{byValue: map[string]*cardEntry{}}
	for _, tc := range testCards() {
		brand, funding := tc.brand, tc.funding
		if brand == "" {
			brand, funding = "visa", "credit"
		}
		card := TestCard{
			Card:    Card{Number: tc.number, Brand: brand, ExpMonth: 12, ExpYear: expYear, Funding: funding, Country: "US"},
			Result:  tc.result,
			Decline: tc.decline,
		}
		c.add(tc.number, card)
		for _, name := range tc.names {
			c.add("pm_card_"+name, card)
			c.add("tok_"+name, card)
			if strings.HasPrefix(name, "charge") {
				c.add("pm_card_visa_"+name, card)
				c.add("tok_visa_"+name, card)
			}
		}
	}
	return c
}

// Lookup finds a test value: a pm_card_… or tok_… name, or a card number
// (spaces and dashes allowed, as card forms send them). Any other number
// is refused as Stripe's test mode refuses it (IncorrectNumber): one of
// fewer than 12 or more than 19 digits is invalid_number, one that fails
// the Luhn check incorrect_number, and any other is a real card's,
// declined with test_mode_live_card. A value with letters (an id) is no
// test value.
func (c *Cards) Lookup(value string) (TestCard, bool) {
	tc, _, ok := c.lookup(value)
	return tc, ok
}

// add makes value stand for card.
func (c *Cards) add(value string, card TestCard) {
	c.byValue[value] = &cardEntry{card: card, paid: "test card " + value}
}

// lookup is Lookup with the reason a payment by a value of the table
// gives ("test card tok_visa"); paid is "" for any other value.
func (c *Cards) lookup(value string) (tc TestCard, paid string, ok bool) {
	if e, ok := c.byValue[value]; ok {
		return e.card, e.paid, true
	}
	if strings.HasPrefix(value, "pm_") || strings.HasPrefix(value, "tok_") {
		return TestCard{}, "", false
	}
	n := value
	if strings.ContainsAny(n, " -") {
		n = strings.NewReplacer(" ", "", "-", "").Replace(value)
		if e, ok := c.byValue[n]; ok {
			return e.card, "", true
		}
	}
	if !isDigits(n) {
		return TestCard{}, "", false
	}
	refused := TestCard{Card: Card{Number: n, Brand: "visa", Funding: "credit", Country: "US"}, Result: IncorrectNumber}
	switch {
	case len(n) < 12 || len(n) > 19:
		refused.Decline, refused.Why = invalidNumber, "not 12 to 19 digits"
	case !luhn(n):
		refused.Decline, refused.Why = incorrectNumber, "fails the Luhn check"
	default:
		refused.Decline, refused.Why = liveCard, "not one of Stripe's test cards"
	}
	return refused, "", true
}

// lookupSent is Lookup for a value as the request sent it: one sent as a
// card number (card[number]) that is no test value, letters in it, is
// refused as invalid_number rather than let through as an id would be.
func (c *Cards) lookupSent(value string, number bool) (TestCard, bool) {
	tc, ok := c.Lookup(value)
	if !ok && number {
		return notANumber(value), true
	}
	return tc, ok
}

// notANumber is the refusal of a card number with other characters than
// digits, spaces and dashes in it.
func notANumber(value string) TestCard {
	return TestCard{Card: Card{Number: value, Brand: "visa", Funding: "credit", Country: "US"}, Result: IncorrectNumber,
		Decline: invalidNumber, Why: "not a card number: characters other than digits"}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether a card number passes the Luhn check.
func luhn(n string) bool {
	sum := 0
	double := false
	for i := len(n) - 1; i >= 0; i-- {
		d := int(n[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
