package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/store"
)

// writePathStored is how many objects BenchmarkWritePath's store holds
// before timing: the id map and the indexes are past the caches, as they
// are after a minute of creates.
const writePathStored = 200_000

// BenchmarkWritePath measures the store's side of the server's stored
// create and paying confirm: Put of a new object kept as a fill with its
// layout (a prepared create), AppendEventAround of an event around it
// (the log full, so each append drops the oldest), the two together, and
// Update of a stored object with an edit layout (a confirm's seven
// members). Each reports the CPU time per operation (cpu-ns/op, the
// collector's included), steadier than ns/op on a busy machine. Run with
//
//	go test ./store -run '^$' -bench WritePath -benchmem -benchtime 200000x
func BenchmarkWritePath(b *testing.B) {
	pad := strings.Repeat(`"x",`, 700) // a charge's 3 KB of members that do not change
	tm, err := store.NewTemplate([]string{
		`{"id":"`, `","object":"charge","amount":2000,"amount_captured":2000,"captured":true,"created":`,
		`,"currency":"usd","customer":null,"description":null,"livemode":false,"metadata":{},"pad":[` + pad + `"x"],"paid":true,"status":"succeeded"}`,
	}, []int{0, 1})
	if err != nil {
		b.Fatal(err)
	}
	fill := func(id string) store.Object {
		f, err := tm.Fill(id, "1700000000")
		if err != nil {
			b.Fatal(err)
		}
		return store.Object{ID: id, Type: "charge", Filled: f}
	}
	first := fill(chargeID(0))
	layout, err := store.ScanLayout(first.Filled.String())
	if err != nil {
		b.Fatal(err)
	}
	m, err := store.New(store.Options{MaxObjects: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	put := func(b *testing.B) store.Object {
		n++
		obj := fill(chargeID(n))
		obj.Layout = layout
		stored, err := m.Put(ctx, obj)
		if err != nil {
			b.Fatal(err)
		}
		return stored
	}
	for range writePathStored {
		put(b)
	}
	envelope := func(id string) (before, after string) {
		return `{"id":"` + id + `","object":"event","api_version":"2024-06-20","created":1700000000,"data":{"object":`,
			`},"livemode":false,"pending_webhooks":0,"request":{"id":"req_0123456789abcd","idempotency_key":null},"type":"charge.succeeded"}`
	}
	before, after := envelope(eventID(0))
	evLayout, err := store.ScanLayout(before + "{}" + after)
	if err != nil {
		b.Fatal(err)
	}
	events := 0
	event := func(b *testing.B, obj store.Object) {
		events++
		id := eventID(events)
		before, after := envelope(id)
		ev := store.Object{ID: id, Type: "event", JSON: before + "{}" + after, Layout: evLayout}
		if err := m.AppendEventAround(ctx, ev, before, store.Object{JSON: obj.Text()}, after); err != nil {
			b.Fatal(err)
		}
	}
	for range store.DefaultMaxEvents {
		event(b, put(b))
	}

	b.Run("put", func(b *testing.B) {
		b.ReportAllocs()
		cpu := cputime.Start()
		for b.Loop() {
			put(b)
		}
		cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
	})
	b.Run("append-event-around", func(b *testing.B) {
		obj := put(b)
		obj.Text() // joined once, as the answer joins it
		b.ReportAllocs()
		cpu := cputime.Start()
		for b.Loop() {
			event(b, obj)
		}
		cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
	})
	b.Run("put-and-event", func(b *testing.B) {
		b.ReportAllocs()
		cpu := cputime.Start()
		for b.Loop() {
			event(b, put(b))
		}
		cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
	})
	b.Run("update-edited", func(b *testing.B) {
		// A PaymentIntent's confirm and back: seven members set, each
		// text made before timing, so the Update is the store's work.
		states := [2]map[string]string{
			{"status": `"requires_confirmation"`, "payment_method": `null`, "latest_charge": `null`, "amount_received": `0`,
				"amount_capturable": `0`, "last_payment_error": `null`, "next_action": `null`},
			{"status": `"succeeded"`, "payment_method": `"pm_1PQRSTUVWXYZabcdefghijkl"`, "latest_charge": `"ch_3PQRSTUVWXYZabcdefghijkl"`,
				"amount_received": `2000`, "amount_capturable": `0`, "last_payment_error": `null`, "next_action": `null`},
		}
		var texts [2]string
		var edits [2][]store.Edit // from the other state's text to this one's
		for i := range texts {
			texts[i], _ = intentJSON(states[i])
		}
		for i := range texts {
			_, spans := intentJSON(states[1-i])
			_, now := intentJSON(states[i])
			for _, name := range intentNames {
				if sp, ok := now[name]; ok {
					edits[i] = append(edits[i], store.Edit{Old: spans[name], New: sp})
				}
			}
		}
		obj, err := m.Put(ctx, store.Object{ID: "pi_edited", Type: "payment_intent", JSON: texts[0]})
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		b.ReportAllocs()
		cpu := cputime.Start()
		for b.Loop() {
			i = 1 - i
			_, err := m.Update(ctx, obj.ID, func(o store.Object) (store.Object, error) {
				o.Layout = store.EditLayout(o.JSON, texts[i], edits[i])
				o.JSON = texts[i]
				return o, nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
	})
}

// intentNames are the top-level members of intentJSON's PaymentIntent,
// in order.
var intentNames = strings.Fields(`id object amount amount_capturable amount_details amount_received application
application_fee_amount automatic_payment_methods canceled_at cancellation_reason capture_method client_secret
confirmation_method created currency customer description invoice last_payment_error latest_charge livemode
metadata next_action on_behalf_of payment_method payment_method_configuration_details payment_method_options
payment_method_types processing receipt_email review setup_future_usage shipping source statement_descriptor
statement_descriptor_suffix status transfer_data transfer_group`)

// intentJSON is a PaymentIntent's JSON with the members set as values
// says (null for the others, some objects) and where each set value lies.
func intentJSON(values map[string]string) (string, map[string]store.Span) {
	var b strings.Builder
	spans := map[string]store.Span{}
	b.WriteString("{")
	for i, name := range intentNames {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + name + `":`)
		v, set := values[name]
		switch {
		case set:
		case name == "id":
			v = `"pi_3PQRSTUVWXYZabcdefghijkl"`
		case name == "object":
			v = `"payment_intent"`
		case name == "amount":
			v = `2000`
		case name == "created":
			v = `1700000000`
		case name == "currency":
			v = `"usd"`
		case name == "metadata" || name == "amount_details" || name == "payment_method_options":
			v = `{"tip":{},"card":{"request_three_d_secure":"automatic"}}`
		case name == "payment_method_types":
			v = `["card"]`
		default:
			v = `null`
		}
		if set {
			spans[name] = store.Span{Start: b.Len(), End: b.Len() + len(v)}
		}
		b.WriteString(v)
	}
	b.WriteString("}")
	return b.String(), spans
}

// chargeID and eventID are ids of one length, as Stripe's are.
func chargeID(n int) string { return fmt.Sprintf("ch_%024d", n) }
func eventID(n int) string  { return fmt.Sprintf("evt_%024d", n) }
