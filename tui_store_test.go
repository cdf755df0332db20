//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// create POSTs form to url and returns the created object's id.
func create(t *testing.T, url, form string) string {
	t.Helper()
	code, body := post(t, url, form)
	var v struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil || code != 200 || v.ID == "" {
		t.Fatalf("create: %d %v\n%s", code, err, body)
	}
	return v.ID
}

// rowOf is the screen row that shows id.
func rowOf(frame, id string) int {
	for i, line := range strings.Split(frame, "\n") {
		if strings.Contains(line, id) {
			return i
		}
	}
	return -1
}

// The store pane as a user sees it, in a real terminal: objects created
// by an app over HTTP appear with counts per type, newest first; / filters;
// enter shows one highlighted; c copies it (to tmux's paste buffer here);
// x asks, then resets; the header counts the objects throughout.
func TestTUIStorePane(t *testing.T) {
	// Tall enough to show a whole customer.
	s, url := startTUI(t, 140, 70, "--seed none")
	s.waitFor("0 objects")
	ada := create(t, url+"/v1/customers", "email=ada%40example.com&name=Ada")
	bob := create(t, url+"/v1/customers", "email=bob%40example.com")
	prod := create(t, url+"/v1/products", "name=Widget")
	s.waitFor("3 objects")

	s.keys("s")
	frame := s.waitFor("Store", "customer 2 · product 1", ada, bob, prod)
	if p, b, a := rowOf(frame, prod), rowOf(frame, bob), rowOf(frame, ada); !(p < b && b < a) {
		t.Fatalf("not newest first (rows %d %d %d):\n%s", p, b, a, frame)
	}
	// An object created while the pane is open appears at the top.
	carol := create(t, url+"/v1/customers", "email=carol%40example.com")
	frame = s.waitFor("customer 3 · product 1", carol, "4 objects")
	if rowOf(frame, carol) >= rowOf(frame, prod) {
		t.Fatalf("the new customer is not first:\n%s", frame)
	}

	s.keys("/")
	s.typeText("ada@")
	s.keys("Enter")
	frame = s.waitUntil("only Ada's customer", func(f string) bool {
		return strings.Contains(f, ada) && !strings.Contains(f, bob) && !strings.Contains(f, prod)
	})

	s.keys("Enter")
	s.waitFor("› "+ada, `"email": "ada@example.com"`, `"name": "Ada"`)
	// Highlighted: the JSON's keys and strings are in colour.
	// The plain text may show a frame before its colours (highlighting
	// runs off the key's path), so wait for them.
	key, value := regexp.MustCompile(`\x1b\[[0-9;]*m"email"`), regexp.MustCompile(`\x1b\[[0-9;]*m"ada@example.com"`)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		colored := s.run("capture-pane", "-p", "-e", "-t", s.name)
		if key.MatchString(colored) && value.MatchString(colored) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the object is not highlighted:\n%q", colored)
		}
	}
	s.keys("c")
	s.waitFor("copied", "tmux's paste buffer")
	s.waitBuffer(`"email": "ada@example.com"`)

	// One key at a time: two escapes at once read as alt+escape.
	s.keys("Escape")
	s.waitUntil("the object closed", func(f string) bool { return !strings.Contains(f, "› ") })
	s.keys("Escape")
	s.waitFor(bob, prod)
	s.keys("x")
	s.waitFor("Reset the store to its start?", "y resets, n keeps")
	s.keys("n")
	s.waitFor("the store is unchanged", "4 objects")
	s.keys("x")
	s.waitFor("Reset the store to its start?")
	s.keys("y")
	s.waitFor("the store is back to its start: 0 objects", "No objects", "0 objects")
	if code, body := get(t, url+"/v1/customers"); code != 200 || strings.Contains(body, ada) || !strings.Contains(body, `"data":[]`) {
		t.Fatalf("customers after the reset: %d %s", code, body)
	}
}

// 3-D Secure by hand from the store pane: a PaymentIntent in
// requires_action is completed with a, the status line says so, the
// history shows each step with the request (or key) that made it, and
// the events follow as for the HTTP call.
func TestTUIStoreThreeDSAndHistory(t *testing.T) {
	s, url := startTUI(t, 140, 40, "--seed none")
	s.waitFor("0 objects")
	pi := create(t, url+"/v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_authenticationRequired&confirm=true")
	if code, body := get(t, url+"/v1/payment_intents/"+pi); code != 200 || !strings.Contains(body, `"requires_action"`) {
		t.Fatalf("the intent: %d %s", code, body)
	}
	other := create(t, url+"/v1/payment_intents", "amount=500&currency=usd&payment_method=pm_card_authenticationRequired&confirm=true")

	s.keys("s")
	s.waitFor(pi, other)
	s.keys("/")
	s.typeText(pi)
	s.keys("Enter")
	s.waitUntil("only the first intent", func(f string) bool { return strings.Contains(f, pi) && !strings.Contains(f, other) })
	s.keys("Enter")
	s.waitFor("› "+pi, `"next_action": {`, "a complete 3-D Secure", "d fail 3-D Secure")
	s.keys("a")
	s.waitFor("3-D Secure completed for "+pi+": now succeeded", `"next_action": null`)
	if code, body := get(t, url+"/v1/payment_intents/"+pi); code != 200 || !strings.Contains(body, `"succeeded"`) {
		t.Fatalf("after a: %d %s", code, body)
	}
	code, body := get(t, url+"/v1/events?type=payment_intent.succeeded")
	if code != 200 || !strings.Contains(body, pi) {
		t.Fatalf("no payment_intent.succeeded event for %s: %d %s", pi, code, body)
	}
	s.keys("h")
	s.waitFor(pi+" › history", "POST /v1/payment_intents  req_", "status: requires_action → succeeded", "3-D Secure completed (a key in the store pane)")

	// d fails the other one's.
	s.keys("Escape")
	s.waitUntil("the object shown again", func(f string) bool { return !strings.Contains(f, "› history") })
	s.keys("Escape")
	s.waitUntil("the object closed", func(f string) bool { return !strings.Contains(f, "› ") })
	s.keys("Escape")
	s.waitFor(other)
	s.keys("/")
	s.typeText(other)
	s.keys("Enter")
	s.waitUntil("only the other intent", func(f string) bool { return strings.Contains(f, other) && !strings.Contains(f, "› ") })
	s.keys("d")
	s.waitFor(fmt.Sprintf("3-D Secure failed for %s: now requires_payment_method", other))
	code, body = get(t, url+"/v1/events?type=payment_intent.payment_failed")
	if code != 200 || !strings.Contains(body, other) {
		t.Fatalf("no payment_intent.payment_failed event for %s: %d %s", other, code, body)
	}
}
