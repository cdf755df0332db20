package store

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Store is what the Stripe rules need from a store of objects. Memory is
// the embedded implementation; a shared backend (one store behind several
// processes) implements the same methods. Every method is safe for
// concurrent use.
type Store interface {
	// Get returns the object with id, or an error wrapping ErrNotFound.
	Get(ctx context.Context, id string) (Object, error)
	// Put stores obj, replacing an object with the same id, and returns
	// it as stored (with Created filled in). Storing a new object past
	// the cap returns a *FullError.
	Put(ctx context.Context, obj Object) (Object, error)
	// Update changes the object with id atomically: fn gets the stored
	// object and returns its new version (same ID), and no other write
	// lands in between (fn may run again if one would have). An error
	// from fn is returned as is and nothing changes; a missing id is an
	// error wrapping ErrNotFound.
	Update(ctx context.Context, id string, fn func(Object) (Object, error)) (Object, error)
	// Delete removes the object with id and returns it. With cascade its
	// children (and theirs) go too and follow it in the result; without,
	// they stay. A missing id is an error wrapping ErrNotFound.
	Delete(ctx context.Context, id string, cascade bool) ([]Object, error)
	// List returns one page of objects, newest first.
	List(ctx context.Context, q Query) (Page, error)

	// LookupIdempotency returns the record kept for key, if any.
	LookupIdempotency(ctx context.Context, key string) (IdempotencyRecord, bool, error)
	// RecordIdempotency keeps rec unless its key is already kept. It
	// returns the record now kept for the key and whether it is rec, so
	// of two concurrent requests with one key exactly one is recorded.
	// A record with Status 0 reserves the key for a request in progress:
	// a later record with the same fingerprint and a status replaces it.
	RecordIdempotency(ctx context.Context, rec IdempotencyRecord) (IdempotencyRecord, bool, error)
	// ForgetIdempotency drops the record for key (a reservation whose
	// request will not be recorded); a missing key is not an error.
	ForgetIdempotency(ctx context.Context, key string) error

	// AppendEvent adds an event (an object, usually of type "event") to
	// the event log. The log is bounded: past its cap the oldest go.
	AppendEvent(ctx context.Context, ev Object) (Object, error)
	// GetEvent returns the event with id, or an error wrapping ErrNotFound.
	GetEvent(ctx context.Context, id string) (Object, error)
	// ListEvents returns one page of events, newest first.
	ListEvents(ctx context.Context, q Query) (Page, error)

	// Reset puts the store back to its seed: the seed objects only, no
	// events, no idempotency records.
	Reset(ctx context.Context) error
	// Stats counts what the store holds, for a UI.
	Stats() Stats
	// Subscribe returns a channel of changes and a function that ends the
	// subscription. Sends never block a writer: a change a full buffer
	// cannot take is dropped and counted (Stats.Dropped); Stats.Version
	// tells a subscriber whether it missed any.
	Subscribe(buffer int) (<-chan Change, func())
}

// Object is one stored JSON object. The store reads only its top level:
// scalar fields for filters and, when Created is zero, "created".
type Object struct {
	// ID is unique across all types.
	ID string
	// Type is the object's kind ("customer", "card"); lists select by it.
	Type string
	// Parent is the id of the object this one lives under ("" for none).
	// The parent need not be stored.
	Parent string
	// Created (Unix seconds) orders lists, newest first; ties go by the
	// order objects were first stored. Zero on Put means the JSON's
	// top-level "created", or now if it has none.
	Created int64
	// JSON is the object's body, a JSON object, kept byte for byte.
	JSON string
	// Filled, when set on Put (with JSON empty), is the object's body as
	// a shared template and this object's values: a store may keep it so
	// (a few bytes an object rather than its text) and join it only when
	// it is read, or join it now. With it Put needs a Layout (else it
	// joins the text to read it). Put returns the object as it was kept
	// (Filled set and JSON empty, or JSON joined); every other method
	// returns objects with their JSON joined and no Filled. Text gives
	// either's text.
	Filled *Filled
	// Layout, when set on Put, is what reading JSON would find: the
	// layout of a text JSON was made from by changing only the bytes,
	// never the length, of string and number values (ScanLayout). A store
	// may use it rather than read JSON, or ignore it. On an object an
	// Update's function returns, it may instead be an EditLayout: what
	// changed from the object the function was given. Stored objects
	// have none.
	Layout *Layout
}

// Text is the object's JSON: JSON, or Filled's joined.
func (o Object) Text() string {
	if o.Filled != nil {
		return o.Filled.String()
	}
	return o.JSON
}

// joined is o with its JSON joined, if it is filled.
func joined(o Object) Object {
	if o.Filled != nil {
		o.JSON, o.Filled = o.Filled.String(), nil
	}
	return o
}

// Query selects one page of a list. The zero Query lists every object.
type Query struct {
	// Type keeps objects of this type ("" for any).
	Type string
	// Parent keeps the children of this object ("" for no parent filter).
	Parent string
	// Limit is the page size; zero means DefaultLimit. The store sets no
	// upper bound: callers check Stripe's.
	Limit int
	// StartingAfter is an id: the page holds objects older than it.
	StartingAfter string
	// EndingBefore is an id: the page holds the objects newer than it
	// closest to it. At most one of StartingAfter and EndingBefore is set.
	EndingBefore string
	// Equal keeps objects whose top-level field equals the value, for
	// every entry. Strings compare decoded; numbers by their JSON text;
	// booleans as "true" and "false". A missing, null or nested field
	// never matches.
	Equal map[string]string
	// Created keeps objects created within the range.
	Created Range
	// Match, when set, keeps only objects it accepts. It runs with the
	// store locked for reading: it must be quick and must not call the
	// store.
	Match func(Object) bool
	// TotalCount asks for Page.TotalCount.
	TotalCount bool
}

// Range bounds a Unix time; a nil bound is open.
type Range struct {
	Gt, Gte, Lt, Lte *int64
}

// Page is one page of a list.
type Page struct {
	// Data is the page, newest first.
	Data []Object
	// HasMore tells whether more objects match beyond the page (older
	// ones, or newer ones for EndingBefore).
	HasMore bool
	// TotalCount is how many objects match the query ignoring its cursor
	// and limit; -1 unless Query.TotalCount was set.
	TotalCount int
}

// IdempotencyRecord is a response kept for an idempotency key.
type IdempotencyRecord struct {
	// Key is the idempotency key (callers scope it, for example by
	// account, by prefixing).
	Key string
	// Fingerprint identifies the request (method, path, parameters); a
	// caller that finds a record compares it to decide between replay
	// and conflict.
	Fingerprint string
	// Status, Header and Body are the recorded response; Status 0 marks
	// a reservation (see Store.RecordIdempotency).
	Status int
	Header http.Header
	Body   string
	// Created is when the record was kept (set by the store if zero).
	Created time.Time
}

// Op is the kind of a Change.
type Op int

// The kinds of change.
const (
	OpPut Op = iota
	OpDelete
	OpEvent
	OpReset
	OpIdempotency
)

// String names the operation.
func (o Op) String() string {
	switch o {
	case OpPut:
		return "put"
	case OpDelete:
		return "delete"
	case OpEvent:
		return "event"
	case OpReset:
		return "reset"
	case OpIdempotency:
		return "idempotency"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Change tells a subscriber what changed.
type Change struct {
	// Version is the store's version after the change.
	Version uint64
	Op      Op
	// Type and ID name the object or event (empty for OpReset); for
	// OpIdempotency, ID is the key.
	Type, ID string
}

// Stats counts what a store holds.
type Stats struct {
	// Version grows by one with every change (objects, events,
	// idempotency records, resets).
	Version uint64
	// Objects is how many objects are stored; Types counts them by type.
	Objects int
	Types   map[string]int
	// Events and IdempotencyKeys count the kept events and records.
	Events          int
	IdempotencyKeys int
	// Dropped is how many changes full subscriber buffers lost.
	Dropped int64
}

// ErrNotFound is wrapped by errors for ids the store does not hold.
var ErrNotFound = errors.New("no such object")

// ErrFull is wrapped by *FullError.
var ErrFull = errors.New("store is full")

// FullError is the error of a Put that would store a new object past the
// cap. Nothing is evicted to make room.
type FullError struct {
	// Max is the cap; ID the object refused.
	Max int
	ID  string
}

func (e *FullError) Error() string {
	return fmt.Sprintf("store is full: it holds its maximum of %d objects; %q was not stored", e.Max, e.ID)
}

// Unwrap makes errors.Is(err, ErrFull) true.
func (e *FullError) Unwrap() error { return ErrFull }

// NotFoundError names the id that was not found and what it was used as.
type NotFoundError struct {
	// ID is the missing id; Param is "starting_after" or "ending_before"
	// when the id came from a list cursor, else empty.
	ID    string
	Param string
}

func (e *NotFoundError) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("%s: no such object %q", e.Param, e.ID)
	}
	return fmt.Sprintf("no such object %q", e.ID)
}

// Unwrap makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }
