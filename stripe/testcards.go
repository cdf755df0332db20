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
	Brand    string // a PaymentMethod's brand: visa, mastercard, amex, discover
	ExpMonth int
	ExpYear  int
	Funding  string // credit, debit, prepaid
	Country  string
}

// Last4 is the card number's last four digits.
func (c Card) Last4() string { return c.Number[len(c.Number)-4:] }

// CardBrand is the brand as a Card or a token names it ("Visa").
func (c Card) CardBrand() string {
	switch c.Brand {
	case "mastercard":
		return "MasterCard"
	case "amex":
		return "American Express"
	case "discover":
		return "Discover"
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
	// IncorrectNumber: the number fails the card number check; no
	// PaymentMethod or token can be made from it.
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
}

// The declines, in Stripe's words.
var (
	declineGeneric = Decline{Code: "card_declined", DeclineCode: "generic_decline", Message: "Your card was declined."}
	declineAuth    = Decline{Code: "card_declined", DeclineCode: "authentication_required",
		Message: "Your card was declined. This transaction requires authentication."}
	incorrectNumber = Decline{Code: "incorrect_number", Message: "Your card number is incorrect.", Param: "number"}
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
	}
}

// Cards resolves test values to test cards. Safe for concurrent use (it
// is read only once built).
type Cards struct {
	byValue map[string]TestCard
}

// NewCards builds the table; expYear is the expiry year test cards get
// (Stripe's are valid for some years ahead).
func NewCards(expYear int) *Cards {
	c := &Cards{byValue: map[string]TestCard{}}
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
		c.byValue[tc.number] = card
		for _, name := range tc.names {
			c.byValue["pm_card_"+name] = card
			c.byValue["tok_"+name] = card
			if strings.HasPrefix(name, "charge") {
				c.byValue["pm_card_visa_"+name] = card
				c.byValue["tok_visa_"+name] = card
			}
		}
	}
	return c
}

// Lookup finds a test value: a pm_card_… or tok_… name, or a card number
// (spaces and dashes allowed, as card forms send them). A number that is
// not a test card but fails the card number check is IncorrectNumber.
func (c *Cards) Lookup(value string) (TestCard, bool) {
	if tc, ok := c.byValue[value]; ok {
		return tc, true
	}
	if !strings.HasPrefix(value, "pm_") && !strings.HasPrefix(value, "tok_") {
		n := strings.NewReplacer(" ", "", "-", "").Replace(value)
		if tc, ok := c.byValue[n]; ok {
			return tc, true
		}
		if isDigits(n) && len(n) >= 12 && len(n) <= 19 && !luhn(n) {
			return TestCard{Card: Card{Number: n, Brand: "visa", Funding: "credit", Country: "US"},
				Result: IncorrectNumber, Decline: incorrectNumber}, true
		}
	}
	return TestCard{}, false
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
