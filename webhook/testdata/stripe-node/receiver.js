// A webhook handler written as stripe-node's docs show: the raw body and
// the Stripe-Signature header go to stripe.webhooks.constructEvent with the
// endpoint's secret (WEBHOOK_SECRET), default tolerance. It answers 200 with
// the event's id and type, or 400 with the error. It listens on 127.0.0.1
// on a free port and prints "listening PORT" when ready.
'use strict';
const http = require('http');
const stripe = require('stripe')('sk_test_unused');

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('receiver.js: WEBHOOK_SECRET is not set');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let event;
    try {
      event = stripe.webhooks.constructEvent(Buffer.concat(chunks), req.headers['stripe-signature'], secret);
    } catch (err) {
      res.writeHead(400, {'Content-Type': 'application/json'});
      res.end(JSON.stringify({error: err.message}));
      return;
    }
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(JSON.stringify({id: event.id, type: event.type, object: event.data.object.object}));
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
// Stop when the test closes our stdin.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
