// The payment flows of routedeck's stripe-go flow tests (stripe/*_test.go),
// driven by stripe-node, the second official client: PaymentIntent create
// → confirm → succeeded; manual capture of part; 3-D Secure completed by
// routedeck's own call; a decline; charge → partial → full refund; a
// subscription with a trial and one left incomplete by a declining card;
// invoice finalize → pay → paid; a subscription made active by confirming
// its invoice's PaymentIntent; a Checkout Session completed; a test clock
// ending a trial; and each refusal Stripe answers for an impossible
// transition. STRIPE_URL is the routedeck server
// (http://127.0.0.1:PORT). It prints "ok NAME" per flow, "FAIL NAME: why"
// for a failure, then "N passed, M failed", and exits 1 if any failed.
'use strict';
const assert = require('node:assert/strict');
const Stripe = require('stripe');

const base = new URL(process.env.STRIPE_URL || '');
const stripe = new Stripe('sk_test_123', {
  host: base.hostname,
  port: base.port,
  protocol: base.protocol.replace(':', ''),
  maxNetworkRetries: 0,
  timeout: 10000,
});

// refused runs fn, which must fail with Stripe's error: its HTTP status,
// type and code (and decline_code when given).
async function refused(fn, status, type, code, declineCode) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, the request succeeded`);
  assert.equal(err.statusCode, status, `status of ${code}: ${err.message}`);
  assert.equal(err.type, type, `type of ${code}`);
  assert.equal(err.code, code, err.message);
  if (declineCode) assert.equal(err.decline_code, declineCode);
  return err;
}

async function customerPaying(pm) {
  return stripe.customers.create({ invoice_settings: { default_payment_method: pm } });
}

async function monthlyPrice(amount) {
  return stripe.prices.create({
    currency: 'usd', unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: 'Plan' },
  });
}

const flows = {
  async 'payment intent create, confirm, succeeded'() {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa' });
    assert.equal(pi.status, 'requires_confirmation');
    const done = await stripe.paymentIntents.confirm(pi.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.amount, 2000);
    assert.equal(done.amount_received, 2000);
    const ch = await stripe.charges.retrieve(done.latest_charge);
    assert.equal(ch.status, 'succeeded');
    assert.equal(ch.amount, 2000);
    assert.equal(ch.payment_method_details.card.last4, '4242');
  },

  async 'manual capture of part'() {
    const pi = await stripe.paymentIntents.create({
      amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', capture_method: 'manual', confirm: true,
    });
    assert.equal(pi.status, 'requires_capture');
    assert.equal(pi.amount_capturable, 2000);
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1500 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 1500);
    const ch = await stripe.charges.retrieve(captured.latest_charge);
    assert.equal(ch.amount_captured, 1500);
    assert.equal(ch.amount_refunded, 500);
  },

  async '3-D Secure, requires_action, completed, succeeded'() {
    const pi = await stripe.paymentIntents.create({
      amount: 3100, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true,
    });
    assert.equal(pi.status, 'requires_action');
    assert.ok(pi.next_action, 'next_action');
    const res = await fetch(`${base.origin}/_routedeck/payment_intents/${pi.id}/3ds/complete`, { method: 'POST' });
    assert.equal(res.status, 200, await res.clone().text());
    const done = await stripe.paymentIntents.retrieve(pi.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.amount_received, 3100);
  },

  async 'declined, with the payment intent embedded'() {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd' });
    const err = await refused(() => stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }),
      402, 'StripeCardError', 'card_declined', 'insufficient_funds');
    assert.equal(err.raw.payment_intent.id, pi.id);
    assert.equal(err.raw.payment_intent.status, 'requires_payment_method');
    const ch = await stripe.charges.retrieve(err.raw.charge);
    assert.equal(ch.status, 'failed');
    assert.equal(ch.failure_code, 'card_declined');
  },

  async 'charge, partial refund, full refund'() {
    const ch = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    assert.equal(ch.captured, true);
    const partial = await stripe.refunds.create({ charge: ch.id, amount: 500 });
    assert.equal(partial.amount, 500);
    let after = await stripe.charges.retrieve(ch.id);
    assert.equal(after.amount_refunded, 500);
    assert.equal(after.refunded, false);
    const rest = await stripe.refunds.create({ charge: ch.id });
    assert.equal(rest.amount, 1500);
    after = await stripe.charges.retrieve(ch.id);
    assert.equal(after.amount_refunded, 2000);
    assert.equal(after.refunded, true);
  },

  async 'subscription with a trial, then incomplete with a declining card'() {
    const price = await monthlyPrice(1500);
    const good = await customerPaying('pm_card_visa');
    const trial = await stripe.subscriptions.create({
      customer: good.id, items: [{ price: price.id }], trial_period_days: 14,
    });
    assert.equal(trial.status, 'trialing');
    assert.ok(trial.trial_end >= Math.floor(Date.now() / 1000) + 13 * 24 * 3600, 'trial_end in 14 days');
    const bad = await customerPaying('pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({ customer: bad.id, items: [{ price: price.id }], expand: ['latest_invoice'] });
    assert.equal(sub.status, 'incomplete');
    assert.equal(sub.latest_invoice.status, 'open');
    assert.equal(sub.latest_invoice.amount_remaining, 1500);
    // Paying its first invoice with a good card makes it active.
    const paid = await stripe.invoices.pay(sub.latest_invoice.id, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  },

  async 'invoice finalize, pay, paid'() {
    const c = await customerPaying('pm_card_visa');
    let inv = await stripe.invoices.create({ customer: c.id });
    assert.equal(inv.status, 'draft');
    for (const amount of [700, 300]) {
      await stripe.invoiceItems.create({ customer: c.id, invoice: inv.id, amount, currency: 'usd' });
    }
    inv = await stripe.invoices.finalizeInvoice(inv.id);
    assert.equal(inv.status, 'open');
    assert.equal(inv.amount_due, 1000);
    assert.ok(inv.confirmation_secret && inv.confirmation_secret.client_secret, 'confirmation_secret');
    inv = await stripe.invoices.pay(inv.id);
    assert.equal(inv.status, 'paid');
    assert.equal(inv.amount_paid, 1000);
    assert.ok(inv.status_transitions.paid_at > 0, 'paid_at');
  },

  async 'subscription default_incomplete, its invoice PaymentIntent confirmed, active'() {
    const price = await monthlyPrice(1200);
    const c = await stripe.customers.create({});
    const sub = await stripe.subscriptions.create({
      customer: c.id, items: [{ price: price.id }], payment_behavior: 'default_incomplete', expand: ['latest_invoice'],
    });
    assert.equal(sub.status, 'incomplete');
    const secret = sub.latest_invoice.confirmation_secret.client_secret;
    const pi = secret.split('_secret_')[0]; // as Stripe.js reads it
    const confirmed = await stripe.paymentIntents.confirm(pi, { payment_method: 'pm_card_visa' });
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.amount, 1200);
    assert.equal((await stripe.invoices.retrieve(sub.latest_invoice.id)).status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  },

  async 'checkout session completed, with its payment intent'() {
    const price = await monthlyPrice(700);
    const session = await stripe.checkout.sessions.create({
      mode: 'payment', success_url: 'https://example.com/ok', line_items: [{ price: price.id, quantity: 2 }],
    });
    assert.equal(session.status, 'open');
    const res = await fetch(`${base.origin}/_routedeck/checkout/sessions/${session.id}/complete`, { method: 'POST' });
    assert.equal(res.status, 200, await res.clone().text());
    const done = await stripe.checkout.sessions.retrieve(session.id);
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent);
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.amount, 1400);
  },

  async 'test clock ends a trial'() {
    const start = Math.floor(Date.now() / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const c = await stripe.customers.create({ test_clock: clock.id, invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const price = await monthlyPrice(1500);
    const sub = await stripe.subscriptions.create({ customer: c.id, items: [{ price: price.id }], trial_period_days: 7 });
    assert.equal(sub.status, 'trialing');
    assert.equal(sub.trial_end, start + 7 * 24 * 3600);
    const advanced = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: sub.trial_end + 3600 });
    assert.equal(advanced.status, 'ready');
    const after = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    assert.equal(after.status, 'active');
    assert.equal(after.latest_invoice.status, 'paid');
    assert.equal(after.latest_invoice.amount_paid, 1500);
  },

  async 'refusals'() {
    const ch = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa' });
    await refused(() => stripe.charges.capture(ch.id), 400, 'StripeInvalidRequestError', 'charge_already_captured');

    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd' });
    await stripe.paymentIntents.cancel(pi.id);
    await refused(() => stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }),
      400, 'StripeInvalidRequestError', 'payment_intent_unexpected_state');

    await refused(() => stripe.refunds.create({ charge: ch.id, amount: 2500 }), 400, 'StripeInvalidRequestError', 'amount_too_large');
    await stripe.refunds.create({ charge: ch.id });
    await refused(() => stripe.refunds.create({ charge: ch.id }), 400, 'StripeInvalidRequestError', 'charge_already_refunded');

    const c = await customerPaying('pm_card_visa');
    const inv = await stripe.invoices.create({ customer: c.id });
    await stripe.invoiceItems.create({ customer: c.id, invoice: inv.id, amount: 500, currency: 'usd' });
    await stripe.invoices.pay(inv.id);
    await refused(() => stripe.invoices.pay(inv.id), 400, 'StripeInvalidRequestError', 'invoice_already_paid');
  },
};

(async () => {
  let passed = 0;
  let failed = 0;
  for (const [name, flow] of Object.entries(flows)) {
    try {
      await flow();
      console.log(`ok ${name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
      failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
