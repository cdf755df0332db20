// Package store keeps the objects a mock API has created, so that what a
// client creates it can retrieve, list, update and delete. It is generic:
// it knows ids, types, parents, creation times and JSON, and nothing of
// Stripe's rules (what a create stores, how parameters merge), which live
// above it.
//
// # The model
//
// An Object is a JSON object with an ID (unique across types), a Type, an
// optional Parent (the id of the object it lives under: a customer's
// cards, a subscription's items) and Created. Objects are kept as their
// JSON text, byte for byte, with a small index of their top-level scalar
// fields (16 bytes a field, as offsets into the text) for filters: a
// retrieve hands back the stored string without copying or encoding, and
// an object costs its JSON plus a few hundred bytes, where a parsed copy
// (map[string]any) costs several times its JSON size. The benchmarks and
// TestMemoryPerObject measure both.
//
// A writer that makes many objects from one text (package stripe's
// prepared creates) may hand Put an object as a Template, shared, and its
// values (Object.Filled) with its Layout: the store keeps the fill (a few
// dozen bytes of values where the text is kilobytes) and joins the text
// only when it is read (Get, List, Update's function; a save writes it
// piece by piece), the template keeping its last 16 joins for the reads
// that follow a create (its answer, its event, retrieves of it); filters
// read its fields from the pieces. BenchmarkGetFilled measures a Get
// that joins.
// An event appended around such an object (AppendEventAround) keeps the
// same fill, which never changes, so it reads back the object as it was.
//
// Lists (Query, Page) are newest first, by Created and then by the order
// objects were first stored, with Stripe's cursors: a Limit, StartingAfter
// or EndingBefore (an id), HasMore and an optional total count. Filters
// are equality on top-level fields, a Created range and an optional
// predicate. A list selects by type, by parent (and type) or over
// everything; each selection is a sorted index, so a page costs a binary
// search plus the page and the objects its filters skip. A field filtered
// on over more than a thousand objects gets its own index on first use
// (value to objects, kept by every write from then on, at most 16
// fields), so a filter that matches few of 100,000 objects still answers
// in microseconds.
//
// Deleting an object can cascade to its children and theirs. Put of a new
// object past Options.MaxObjects returns a *FullError: nothing is ever
// evicted. The event log (AppendEvent, ListEvents) and the idempotency
// records (key and request fingerprint to a recorded response) are
// bounded instead, the oldest dropped past Options.MaxEvents and
// Options.MaxIdempotencyKeys. Whether a second request with a key is a
// replay or a conflict is the caller's decision, from the record; a
// record with Status 0 reserves a key while its first request runs.
// Update changes one object atomically (read, modify, write with no other
// write in between), which merges of request parameters need.
//
// # Start, reset and durability
//
// A store starts from Options.Seed (fixtures the caller provides) and
// Reset goes back to it. With Options.Path it starts from that file if it
// exists, saves to it every Options.SaveEvery when anything changed, and
// on Close. Saves write a temporary file and rename it over the old one.
// The file is one versioned JSON document (see file.go); a file that
// cannot be read is an error naming it and the byte offset, and is left
// untouched. A save writes the whole store (about its JSON size: 124 MiB
// for 100,000 customers), so saves happen only after changes. One process
// owns a file: two stores saving to one path overwrite each other.
//
// # Concurrency and the change feed
//
// Every method is safe for concurrent use: one read-write lock guards the
// maps and indexes. An update that keeps an object's place overwrites it
// in place, so it costs no index work; a save copies the entries (not the
// JSON, which strings share) under the read lock and writes the file
// without holding it. Subscribe feeds a UI the changes without ever
// blocking a writer; Stats gives counts per type and a version that grows
// with every change.
//
// Store is the interface the rules above use; Memory is the embedded
// implementation. A shared backend can implement Store later: package
// storetest holds the behaviour tests every implementation must pass.
package store
