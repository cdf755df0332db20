package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The state file is one JSON object (format version 1):
//
//	{"format":"routedeck-store","version":1,"saved":"<RFC 3339>","next_seq":N,
//	 "objects":[{"id":…,"type":…,"parent":…,"created":…,"seq":…,"json":{…}},…],
//	 "events":[…same shape…],
//	 "idempotency":[{"key":…,"fingerprint":…,"status":…,"header":{…},"body":"…","created":"…"},…]}
//
// Objects keep their JSON byte for byte (it is embedded as is), so a
// retrieve after a restart answers exactly what it answered before.
// "format" and "version" come first; a reader refuses a newer version.
const (
	fileFormat  = "routedeck-store"
	fileVersion = 1
)

type fileRecord struct {
	ID      string  `json:"id"`
	Type    string  `json:"type"`
	Parent  string  `json:"parent,omitempty"`
	Created int64   `json:"created"`
	Seq     uint64  `json:"seq"`
	JSON    rawJSON `json:"json,omitempty"`
}

// rawJSON takes a JSON value's text as it is, into a string: one copy,
// where json.RawMessage and then a string would be two.
type rawJSON string

// UnmarshalJSON keeps b's text.
func (r *rawJSON) UnmarshalJSON(b []byte) error {
	*r = rawJSON(b)
	return nil
}

type fileKey struct {
	Key         string      `json:"key"`
	Fingerprint string      `json:"fingerprint"`
	Status      int         `json:"status"`
	Header      http.Header `json:"header,omitempty"`
	Body        string      `json:"body"`
	Created     time.Time   `json:"created"`
}

// snapshot is what a save writes, copied under the read lock (entries
// change in place, so it copies them, not pointers to them).
type snapshot struct {
	version uint64
	nextSeq uint64
	objects []entry
	events  []entry
	keys    []IdempotencyRecord
}

func copyEntries(x index) []entry {
	out := make([]entry, len(x))
	for i, e := range x {
		out[i] = *e
	}
	return out
}

func (m *Memory) snapshot() snapshot {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := snapshot{
		version: m.version,
		nextSeq: m.nextSeq,
		objects: copyEntries(m.all),
		events:  copyEntries(m.events.idx),
		keys:    make([]IdempotencyRecord, 0, len(m.keys.order)),
	}
	for _, k := range m.keys.order {
		s.keys = append(s.keys, *m.keys.byKey[k])
	}
	return s
}

// Save writes the store to its file now, atomically: to a temporary file
// beside it, then renamed over it. It is an error for a store without a
// Path.
func (m *Memory) Save() error {
	if m.path == "" {
		return errors.New("store: save: the store has no file")
	}
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	return m.saveLocked()
}

// saveIfChanged saves when the store changed since the last save.
func (m *Memory) saveIfChanged() error {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	m.mu.RLock()
	v := m.version
	m.mu.RUnlock()
	if v == m.saved {
		return nil
	}
	return m.saveLocked()
}

func (m *Memory) saveLocked() error {
	s := m.snapshot()
	if err := writeFile(m.path, s); err != nil {
		return err
	}
	m.saved = s.version
	return nil
}

// SaveTo writes the store to path atomically, as Save does.
func (m *Memory) SaveTo(path string) error { return writeFile(path, m.snapshot()) }

// writeFile writes s to path through a temporary file in the same folder,
// so a crash leaves either the old file or the new one, never half.
func writeFile(path string, s snapshot) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := encode(w, s); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store: save %s: %w", path, err)
	}
	return nil
}

func encode(w *bufio.Writer, s snapshot) error {
	head, err := json.Marshal(struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
		Saved   string `json:"saved"`
		NextSeq uint64 `json:"next_seq"`
	}{fileFormat, fileVersion, time.Now().UTC().Format(time.RFC3339), s.nextSeq})
	if err != nil {
		return fmt.Errorf("encode header: %w", err)
	}
	w.Write(head[:len(head)-1])
	if err := encodeEntries(w, "objects", s.objects); err != nil {
		return err
	}
	if err := encodeEntries(w, "events", s.events); err != nil {
		return err
	}
	w.WriteString(",\n\"idempotency\":[")
	for i, k := range s.keys {
		b, err := json.Marshal(fileKey(k))
		if err != nil {
			return fmt.Errorf("encode idempotency key %q: %w", k.Key, err)
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
		w.Write(b)
	}
	_, err = w.WriteString("\n]}\n")
	return err
}

// encodeEntries writes a list of records, each object's JSON as is
// (json.Marshal would compact it).
func encodeEntries(w *bufio.Writer, name string, es []entry) error {
	w.WriteString(",\n\"" + name + "\":[")
	for i, e := range es {
		b, err := json.Marshal(fileRecord{ID: e.obj.ID, Type: e.obj.Type, Parent: e.obj.Parent, Created: e.obj.Created, Seq: e.seq})
		if err != nil {
			return fmt.Errorf("encode %s %q: %w", name, e.obj.ID, err)
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
		w.Write(b[:len(b)-1])
		w.WriteString(`,"json":`)
		w.WriteString(e.obj.JSON)
		w.WriteByte('}')
	}
	_, err := w.WriteString("\n]")
	return err
}

// checkWritable tells now, rather than at the first save, whether saves
// to path can work: its folder must exist and take a new file.
func checkWritable(path string) error {
	probe, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("state file %s: cannot save there: %w", path, err)
	}
	name := probe.Name()
	_ = probe.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

// startSaving saves every period (when anything changed) until Close.
func (m *Memory) startSaving(period time.Duration) {
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				if err := m.saveIfChanged(); err != nil && m.onSaveError != nil {
					m.onSaveError(err)
				}
			}
		}
	}()
}

// FileError is the error of a state file that cannot be loaded: its path,
// the byte offset of the problem (counting from 0: the bad byte, the start
// of the bad record, or the end of a truncated file) and what it is.
type FileError struct {
	Path   string
	Offset int64
	Err    error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("state file %s: at byte %d: %v", e.Path, e.Offset, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// load replaces the (empty) store with the file at path. It reports
// false when there is no file. It never writes the file.
func (m *Memory) load(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("state file %s: %w", path, err)
	}
	if err := m.decode(data); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path = path
			return false, fe
		}
		return false, fmt.Errorf("state file %s: %w", path, err)
	}
	return true, nil
}

// decode fills the empty store from a state file's bytes; errors are
// *FileError without the path.
func (m *Memory) decode(data []byte) error {
	err := m.decodeRecords(data)
	if err != nil && !json.Valid(data) {
		// Report the syntax error where it is in the file, which the
		// streaming decoder does not tell.
		var v any
		err := json.Unmarshal(data, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at := se.Offset // just past the bad byte, or the end for a truncated file
			if at > 0 && !strings.HasPrefix(se.Error(), "unexpected end") {
				at--
			}
			return &FileError{Offset: at, Err: fmt.Errorf("not valid JSON: %w", err)}
		}
		return &FileError{Err: fmt.Errorf("not valid JSON: %w", err)}
	}
	return err
}

// decodeRecords reads the file's records into the store.
func (m *Memory) decodeRecords(data []byte) error {
	d := fileDecoder{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	if err := d.expect('{'); err != nil {
		return err
	}
	head := [...]string{"format", "version"}
	seenHead := 0
	for d.dec.More() {
		keyAt := d.start()
		key, err := d.key()
		if err != nil {
			return err
		}
		if seenHead < len(head) && key != head[seenHead] {
			return &FileError{Offset: keyAt, Err: fmt.Errorf("expected %q, found %q: not a routedeck state file", head[seenHead], key)}
		}
		valueAt := d.start()
		switch key {
		case "format":
			var f string
			if err := d.value(&f); err != nil || f != fileFormat {
				return &FileError{Offset: valueAt, Err: fmt.Errorf("format is not %q: not a routedeck state file", fileFormat)}
			}
			seenHead++
		case "version":
			var v int
			if err := d.value(&v); err != nil {
				return err
			}
			if v != fileVersion {
				return &FileError{Offset: valueAt, Err: fmt.Errorf("format version %d; this routedeck reads version %d", v, fileVersion)}
			}
			seenHead++
		case "next_seq":
			err = d.value(&m.nextSeq)
		case "objects":
			err = d.records(m.loadObject)
		case "events":
			err = d.records(m.loadEvent)
		case "idempotency":
			err = d.keys(m)
		default:
			var skip json.RawMessage
			err = d.value(&skip)
		}
		if err != nil {
			return err
		}
	}
	if seenHead < len(head) {
		return &FileError{Offset: 0, Err: errors.New("no format and version: not a routedeck state file")}
	}
	for _, e := range m.all {
		m.nextSeq = max(m.nextSeq, e.seq)
	}
	for _, e := range m.events.idx {
		m.nextSeq = max(m.nextSeq, e.seq)
	}
	return nil
}

func (m *Memory) entryOf(r fileRecord) (*entry, error) {
	if r.Seq == 0 {
		return nil, fmt.Errorf("%q has no seq", r.ID)
	}
	e, err := m.prepare(Object{ID: r.ID, Type: r.Type, Parent: r.Parent, Created: r.Created, JSON: string(r.JSON)})
	if err != nil {
		return nil, err
	}
	e.seq = r.Seq
	return e, nil
}

func (m *Memory) loadObject(r fileRecord) error {
	e, err := m.entryOf(r)
	if err != nil {
		return err
	}
	if m.byID[r.ID] != nil {
		return fmt.Errorf("object %q appears twice", r.ID)
	}
	if len(m.byID) >= m.max {
		return fmt.Errorf("more objects than the maximum of %d", m.max)
	}
	m.add(e)
	return nil
}

func (m *Memory) loadEvent(r fileRecord) error {
	e, err := m.entryOf(r)
	if err != nil {
		return err
	}
	if m.events.byID[r.ID] != nil {
		return fmt.Errorf("event %q appears twice", r.ID)
	}
	m.addEvent(e)
	return nil
}

// fileDecoder walks a state file's tokens, knowing each value's offset.
type fileDecoder struct {
	dec  *json.Decoder
	data []byte
}

// start is the offset where the next value begins.
func (d *fileDecoder) start() int64 {
	i := d.dec.InputOffset()
	for i < int64(len(d.data)) && bytes.IndexByte([]byte(" \t\r\n,:"), d.data[i]) >= 0 {
		i++
	}
	return i
}

func (d *fileDecoder) expect(delim json.Delim) error {
	at := d.start()
	tok, err := d.dec.Token()
	if err != nil || tok != delim {
		return &FileError{Offset: at, Err: fmt.Errorf("expected %q", string(delim))}
	}
	return nil
}

func (d *fileDecoder) key() (string, error) {
	at := d.start()
	tok, err := d.dec.Token()
	k, ok := tok.(string)
	if err != nil || !ok {
		return "", &FileError{Offset: at, Err: errors.New("expected a field name")}
	}
	return k, nil
}

func (d *fileDecoder) value(v any) error {
	at := d.start()
	if err := d.dec.Decode(v); err != nil {
		return &FileError{Offset: at, Err: err}
	}
	return nil
}

// records decodes an array of records, passing each to add; an error
// names the record's offset.
func (d *fileDecoder) records(add func(fileRecord) error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	for d.dec.More() {
		at := d.start()
		var r fileRecord
		if err := d.dec.Decode(&r); err != nil {
			return &FileError{Offset: at, Err: err}
		}
		if err := add(r); err != nil {
			return &FileError{Offset: at, Err: err}
		}
	}
	return d.expect(']')
}

func (d *fileDecoder) keys(m *Memory) error {
	if err := d.expect('['); err != nil {
		return err
	}
	for d.dec.More() {
		at := d.start()
		var k fileKey
		if err := d.dec.Decode(&k); err != nil {
			return &FileError{Offset: at, Err: err}
		}
		if k.Key == "" || m.keys.byKey[k.Key] != nil {
			return &FileError{Offset: at, Err: fmt.Errorf("idempotency key %q is empty or appears twice", k.Key)}
		}
		r := IdempotencyRecord(k)
		m.addKey(&r)
	}
	return d.expect(']')
}
