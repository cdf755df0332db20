package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	ID      string `json:"id"`
	Type    string `json:"type"`
	Parent  string `json:"parent,omitempty"`
	Created int64  `json:"created"`
	Seq     uint64 `json:"seq"`
	JSON    string `json:"-"` // written and read as is, not through encoding/json
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
	saved   time.Time // by the store's clock
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

func (m *Memory) snapshot() (s snapshot) {
	m.readEvents(func() { s = m.snapshotLocked() })
	return s
}

// snapshotLocked is snapshot; the caller holds mu, with every event's
// JSON joined.
func (m *Memory) snapshotLocked() snapshot {
	s := snapshot{
		version: m.version,
		nextSeq: m.nextSeq,
		saved:   m.now(),
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
	// Make the rename itself durable where the system allows it.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func encode(w *bufio.Writer, s snapshot) error {
	head, err := json.Marshal(struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
		Saved   string `json:"saved"`
		NextSeq uint64 `json:"next_seq"`
	}{fileFormat, fileVersion, s.saved.UTC().Format(time.RFC3339), s.nextSeq})
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
		if e.obj.Filled != nil {
			_, _ = e.obj.Filled.WriteTo(w) // a bufio.Writer's error is Flush's too
		} else {
			w.WriteString(e.obj.JSON)
		}
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
	data, err := readString(path)
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

// readString reads a file into a string without a second copy.
func readString(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if st, err := f.Stat(); err == nil {
		b.Grow(int(st.Size()) + 1)
	}
	if _, err := io.Copy(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (m *Memory) entryOf(r fileRecord) (*entry, error) {
	if r.Seq == 0 {
		return nil, fmt.Errorf("%q has no seq", r.ID)
	}
	e, err := m.prepare(Object{ID: r.ID, Type: r.Type, Parent: r.Parent, Created: r.Created, JSON: strings.Clone(r.JSON)})
	if err != nil {
		return nil, err
	}
	e.seq = r.Seq
	return &e, nil
}

func (m *Memory) loadObject(r fileRecord) error {
	e, err := m.entryOf(r)
	if err != nil {
		return err
	}
	if m.byID.get(r.ID) != nil {
		return fmt.Errorf("object %q appears twice", r.ID)
	}
	if m.byID.len() >= m.max {
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
	if m.events.byID.get(r.ID) != nil {
		return fmt.Errorf("event %q appears twice", r.ID)
	}
	m.addEvent(e)
	return nil
}
