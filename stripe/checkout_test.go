package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	neturl "net/url"
	"slices"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
)

func openSession(t *testing.T, sc *stripego.Client, price string) *stripego.CheckoutSession {
	t.Helper()
	s, err := sc.V1CheckoutSessions.Create(context.Background(), &stripego.CheckoutSessionCreateParams{Mode: stripego.String("payment"),
		SuccessURL: stripego.String("https://example.com/ok"),
		LineItems:  []*stripego.CheckoutSessionCreateLineItemParams{{Price: stripego.String(price), Quantity: stripego.Int64(3)}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// open → expire (expiring again refused); open → complete by routedeck's
// own call (then it cannot expire).
func TestFlowCheckoutSession(t *testing.T) {
	sc, ts := paymentsFlow(t)
	ctx := context.Background()
	price := monthlyPrice(t, sc, 700)
	s := openSession(t, sc, price.ID)
	if s.Status != stripego.CheckoutSessionStatusOpen || s.PaymentStatus != stripego.CheckoutSessionPaymentStatusUnpaid || s.AmountTotal != 2100 ||
		s.ExpiresAt < time.Now().Add(23*time.Hour).Unix() {
		t.Fatalf("created %s/%s total %d expires %d, want open, unpaid, 3 × 700, in a day", s.Status, s.PaymentStatus, s.AmountTotal, s.ExpiresAt)
	}
	s, err := sc.V1CheckoutSessions.Expire(ctx, s.ID, nil)
	if err != nil || s.Status != stripego.CheckoutSessionStatusExpired {
		t.Fatalf("expire: %+v %v", s, err)
	}
	if got, err := sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil); err != nil || got.Status != stripego.CheckoutSessionStatusExpired {
		t.Fatalf("stored after expire: %+v %v", got, err)
	}
	_, err = sc.V1CheckoutSessions.Expire(ctx, s.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("expiring an expired session: %+v", se)
	}

	other := openSession(t, sc, price.ID)
	complete := func(id string) (int, map[string]any) {
		res, err := ts.Client().Post(ts.URL+"/_routedeck/checkout/sessions/"+id+"/complete", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, body
	}
	if code, body := complete(other.ID); code != 200 || body["status"] != "complete" || body["payment_status"] != "paid" {
		t.Fatalf("complete: %d %v", code, body)
	}
	if code, _ := complete(other.ID); code != http.StatusBadRequest {
		t.Fatalf("completing a complete session: %d, want 400", code)
	}
	if code, _ := complete("cs_test_missing"); code != http.StatusNotFound {
		t.Fatalf("completing an unknown session: %d, want 404", code)
	}
	_, err = sc.V1CheckoutSessions.Expire(ctx, other.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("expiring a complete session: %+v", se)
	}
}

// completeSession completes a session by routedeck's own call, paying
// with pm ("" for the default card).
func completeSession(t *testing.T, url string, client *http.Client, id, pm string) (int, map[string]any) {
	t.Helper()
	form := neturl.Values{}
	if pm != "" {
		form.Set("payment_method", pm)
	}
	res, err := client.PostForm(url+"/_routedeck/checkout/sessions/"+id+"/complete", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}

// Completing a session creates what Stripe creates for its mode and names
// it on the session: payment, a succeeded PaymentIntent for the total
// with its charge; subscription, a customer and an active subscription
// whose first invoice is paid; setup, a succeeded SetupIntent. Each
// raises checkout.session.completed after the events of what it created;
// a declining card answers 402 and leaves the session open.
func TestFlowCheckoutCompletionCreates(t *testing.T) {
	sc, got, url, client := eventsServer(t)
	ctx := context.Background()
	price := monthlyPrice(t, sc, 700)
	create := func(mode string, customer string) *stripego.CheckoutSession {
		p := &stripego.CheckoutSessionCreateParams{Mode: stripego.String(mode), SuccessURL: stripego.String("https://example.com/ok")}
		if mode != "setup" {
			p.LineItems = []*stripego.CheckoutSessionCreateLineItemParams{{Price: stripego.String(price.ID), Quantity: stripego.Int64(3)}}
		} else {
			p.Currency = stripego.String("usd")
		}
		if customer != "" {
			p.Customer = stripego.String(customer)
		} else if mode == "subscription" {
			p.CustomerEmail = stripego.String("ada@example.com")
		}
		s, err := sc.V1CheckoutSessions.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("payment", func(t *testing.T) {
		s := create("payment", "")
		if code, body := completeSession(t, url, client, s.ID, "pm_card_chargeDeclined"); code != http.StatusPaymentRequired {
			t.Fatalf("completing with a declining card: %d %v, want 402", code, body)
		}
		after, err := sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil)
		if err != nil || after.Status != stripego.CheckoutSessionStatusOpen || after.PaymentIntent == nil {
			t.Fatalf("after a decline: %+v %v, want open with the attempt's PaymentIntent", after, err)
		}
		first := after.PaymentIntent.ID
		from := got.len()
		if code, body := completeSession(t, url, client, s.ID, ""); code != http.StatusOK {
			t.Fatalf("complete: %d %v", code, body)
		}
		s, err = sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil)
		if err != nil || s.Status != stripego.CheckoutSessionStatusComplete || s.PaymentStatus != stripego.CheckoutSessionPaymentStatusPaid || s.PaymentIntent == nil ||
			s.PaymentIntent.ID != first {
			t.Fatalf("completed session %+v %v, want paid by the first attempt's PaymentIntent %s", s, err, first)
		}
		pi, err := sc.V1PaymentIntents.Retrieve(ctx, s.PaymentIntent.ID, nil)
		if err != nil || pi.Status != stripego.PaymentIntentStatusSucceeded || pi.Amount != 2100 || pi.AmountReceived != 2100 || pi.LatestCharge == nil {
			t.Fatalf("its PaymentIntent %+v %v, want succeeded for 3 × 700", pi, err)
		}
		if ch, err := sc.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil); err != nil || ch.Status != "succeeded" || ch.Amount != 2100 {
			t.Fatalf("its charge %+v %v", ch, err)
		}
		types, _ := got.since(from)
		if want := []string{"charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"}; !slices.Equal(types, want) {
			t.Errorf("completing raised %v; want %v", types, want)
		}
	})

	t.Run("payment with 3-D Secure", func(t *testing.T) {
		s := create("payment", "")
		code, _ := completeSession(t, url, client, s.ID, "pm_card_authenticationRequired")
		after, err := sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil)
		if code != http.StatusPaymentRequired || err != nil || after.Status != stripego.CheckoutSessionStatusOpen || after.PaymentIntent == nil {
			t.Fatalf("with a 3-D Secure card: %d, %+v %v; want 402, open with its PaymentIntent", code, after, err)
		}
		res, err := client.Post(url+"/_routedeck/payment_intents/"+after.PaymentIntent.ID+"/3ds/complete", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if code, body := completeSession(t, url, client, s.ID, ""); code != http.StatusOK || body["payment_intent"] != after.PaymentIntent.ID {
			t.Fatalf("completing after 3-D Secure: %d %v, want paid by %s", code, body, after.PaymentIntent.ID)
		}
	})

	t.Run("subscription", func(t *testing.T) {
		s := create("subscription", "")
		from := got.len()
		if code, body := completeSession(t, url, client, s.ID, ""); code != http.StatusOK {
			t.Fatalf("complete: %d %v", code, body)
		}
		p := &stripego.CheckoutSessionRetrieveParams{}
		p.AddExpand("subscription")
		p.AddExpand("customer")
		s, err := sc.V1CheckoutSessions.Retrieve(ctx, s.ID, p)
		if err != nil || s.Status != stripego.CheckoutSessionStatusComplete || s.PaymentStatus != stripego.CheckoutSessionPaymentStatusPaid ||
			s.Subscription == nil || s.Customer == nil {
			t.Fatalf("completed session %+v %v", s, err)
		}
		if s.Customer.Email != "ada@example.com" {
			t.Errorf("the new customer's email %q, want the session's customer_email", s.Customer.Email)
		}
		sub, err := sc.V1Subscriptions.Retrieve(ctx, s.Subscription.ID, nil)
		if err != nil || sub.Status != stripego.SubscriptionStatusActive || sub.Customer.ID != s.Customer.ID || sub.LatestInvoice == nil {
			t.Fatalf("its subscription %+v %v, want active for the new customer", sub, err)
		}
		if sub.Items == nil || len(sub.Items.Data) != 1 || sub.Items.Data[0].Price.ID != price.ID || sub.Items.Data[0].Quantity != 3 {
			t.Fatalf("its items %+v, want 3 × %s", sub.Items, price.ID)
		}
		inv, err := sc.V1Invoices.Retrieve(ctx, sub.LatestInvoice.ID, nil)
		if err != nil || inv.Status != stripego.InvoiceStatusPaid || inv.AmountPaid != 2100 {
			t.Fatalf("its first invoice %+v %v, want paid 2100", inv, err)
		}
		types, _ := got.since(from)
		for _, want := range []string{"customer.created", "customer.subscription.created", "invoice.created", "invoice.finalized",
			"payment_intent.succeeded", "invoice.paid"} {
			if !slices.Contains(types, want) {
				t.Errorf("completing raised %v; want %s among them", types, want)
			}
		}
		if len(types) == 0 || types[len(types)-1] != "checkout.session.completed" {
			t.Errorf("completing raised %v; want checkout.session.completed last", types)
		}
	})

	t.Run("setup", func(t *testing.T) {
		c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		s := create("setup", c.ID)
		from := got.len()
		if code, body := completeSession(t, url, client, s.ID, ""); code != http.StatusOK {
			t.Fatalf("complete: %d %v", code, body)
		}
		s, err = sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil)
		if err != nil || s.Status != stripego.CheckoutSessionStatusComplete || s.SetupIntent == nil ||
			s.PaymentStatus != stripego.CheckoutSessionPaymentStatusNoPaymentRequired {
			t.Fatalf("completed session %+v %v", s, err)
		}
		si, err := sc.V1SetupIntents.Retrieve(ctx, s.SetupIntent.ID, nil)
		if err != nil || si.Status != stripego.SetupIntentStatusSucceeded || si.Customer == nil || si.Customer.ID != c.ID || si.PaymentMethod == nil {
			t.Fatalf("its SetupIntent %+v %v, want succeeded for %s", si, err, c.ID)
		}
		types, _ := got.since(from)
		if want := []string{"setup_intent.created", "setup_intent.succeeded", "checkout.session.completed"}; !slices.Equal(types, want) {
			t.Errorf("completing raised %v; want %v", types, want)
		}
	})
}
