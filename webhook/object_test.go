package webhook_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/routedeck/routedeck/webhook"
)

// parts is JSON text in pieces, as a stored object's fill keeps it.
type parts []string

func (p parts) Len() int {
	n := 0
	for _, s := range p {
		n += len(s)
	}
	return n
}

func (p parts) AppendTo(b []byte) []byte {
	for _, s := range p {
		b = append(b, s...)
	}
	return b
}

// An event whose object is kept in parts encodes, and reads back, as the
// same event with the object's text: what a delivery sends and a
// receiver decodes.
func TestObjectPartsEncodeAsText(t *testing.T) {
	text := `{"id":"ch_1","object":"charge","amount":2000,"metadata":{"k":"v"}}`
	p := parts{`{"id":"`, `ch_1`, `","object":"charge","amount":`, `2000`, `,"metadata":{"k":"v"}}`}
	raw, err := webhook.NewEvent(webhook.EventParams{Type: "charge.succeeded", Object: json.RawMessage(text), APIVersion: "2025-08-27.basil"})
	if err != nil {
		t.Fatal(err)
	}
	filled := raw
	filled.Data.Object = webhook.PartsObject(p)
	if got := string(filled.Data.Object.JSON()); got != text {
		t.Fatalf("JSON() = %s; want %s", got, text)
	}
	a, errA := json.Marshal(raw)
	b, errB := json.Marshal(filled)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Fatalf("the event in parts encodes as\n%s (%v); with its text\n%s (%v)", b, errB, a, errA)
	}
	var back webhook.Event
	if err := json.Unmarshal(b, &back); err != nil || string(back.Data.Object.JSON()) != text {
		t.Fatalf("decoded object %s (%v); want %s", back.Data.Object.JSON(), err, text)
	}
	// Decoding keeps its own copy of the text.
	b[bytes.Index(b, []byte("ch_1"))] = 'X'
	if string(back.Data.Object.JSON()) != text {
		t.Fatalf("the decoded object changed with the input: %s", back.Data.Object.JSON())
	}
}

// An event without an object encodes it as null, as json.RawMessage does.
func TestObjectZeroIsNull(t *testing.T) {
	b, err := json.Marshal(webhook.EventData{})
	if err != nil || string(b) != `{"object":null}` {
		t.Fatalf("zero EventData = %s (%v)", b, err)
	}
	if webhook.RawObject(nil).JSON() != nil {
		t.Fatal("the zero object has text")
	}
}
