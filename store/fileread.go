package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// decode fills the empty store from a state file's text, checking it with
// the same scanner that checks objects (a streaming encoding/json decoder
// took three times as long). Errors are *FileError without the path.
func (m *Memory) decode(doc string) error {
	r := fileReader{scanner: scanner{js: doc}, m: m}
	at := skipSpace(doc, 0)
	end, err := r.object(at, r.member)
	if err != nil {
		return r.fileError(err, at)
	}
	if r.head < len(fileHead) {
		return &FileError{Offset: int64(at), Err: errors.New("no format and version: not a routedeck state file")}
	}
	if end = skipSpace(doc, end); end < len(doc) {
		return r.fileError(r.fail(end, "after top-level value"), end)
	}
	for _, e := range m.all {
		m.nextSeq = max(m.nextSeq, e.seq)
	}
	for _, e := range m.events.idx {
		m.nextSeq = max(m.nextSeq, e.seq)
	}
	return nil
}

// fileHead is what a state file starts with, in order.
var fileHead = [...]string{"format", "version"}

// fileReader walks a state file. Its callbacks return errors with the
// offset they concern (a *FileError or a *syntaxError).
type fileReader struct {
	scanner
	m     *Memory
	head  int // how many of fileHead were read
	keyAt int // where the name of the member being read starts
}

func (r *fileReader) fileError(err error, at int) error {
	var fe *FileError
	var se *syntaxError
	switch {
	case errors.As(err, &fe):
		return fe
	case errors.As(err, &se):
		return &FileError{Offset: int64(se.offset), Err: fmt.Errorf("not valid JSON: %s", se.msg)}
	}
	return &FileError{Offset: int64(at), Err: err}
}

// object walks the object at i, calling member with each name and the
// offset of its value; member returns the offset after the value.
func (r *fileReader) object(i int, member func(name string, at int) (int, error)) (int, error) {
	js := r.js
	if i >= len(js) || js[i] != '{' {
		return 0, r.fail(i, "looking for beginning of object")
	}
	i = skipSpace(js, i+1)
	for n := 0; i >= len(js) || js[i] != '}'; n++ {
		if n > 0 {
			if i >= len(js) || js[i] != ',' {
				return 0, r.fail(i, "after object value")
			}
			i = skipSpace(js, i+1)
		}
		if i >= len(js) || js[i] != '"' {
			return 0, r.fail(i, "looking for beginning of object key string")
		}
		keyAt := i
		name, end, err := r.string(i)
		if err != nil {
			return 0, err
		}
		if i = skipSpace(js, end); i >= len(js) || js[i] != ':' {
			return 0, r.fail(i, "after object key")
		}
		r.keyAt, i = keyAt, skipSpace(js, i+1)
		if end, err = member(name, i); err != nil {
			return 0, err
		}
		i = skipSpace(js, end)
	}
	return i + 1, nil
}

// array walks the array at i, calling elem with each element's offset.
func (r *fileReader) array(i int, elem func(at int) (int, error)) (int, error) {
	js := r.js
	if i >= len(js) || js[i] != '[' {
		return 0, &FileError{Offset: int64(i), Err: errors.New("expected a list")}
	}
	i = skipSpace(js, i+1)
	for n := 0; i >= len(js) || js[i] != ']'; n++ {
		if n > 0 {
			if i >= len(js) || js[i] != ',' {
				return 0, r.fail(i, "after array element")
			}
			i = skipSpace(js, i+1)
		}
		end, err := elem(i)
		if err != nil {
			return 0, err
		}
		i = skipSpace(js, end)
	}
	return i + 1, nil
}

// string reads the string at i and returns its value and the offset after it.
func (r *fileReader) string(i int) (string, int, error) {
	if i >= len(r.js) || r.js[i] != '"' {
		if _, err := r.value(i); err != nil {
			return "", 0, err
		}
		return "", 0, &FileError{Offset: int64(i), Err: errors.New("expected a string")}
	}
	end, special, err := r.str(i)
	if err != nil {
		return "", 0, err
	}
	v := r.js[i+1 : end]
	if special {
		v = decodeString(v)
	}
	return v, end + 1, nil
}

// integer reads the integer at i.
func (r *fileReader) integer(i int, what string) (int64, int, error) {
	end, err := r.value(i)
	if err != nil {
		return 0, 0, err
	}
	n, err := strconv.ParseInt(r.js[i:end], 10, 64)
	if err != nil {
		return 0, 0, &FileError{Offset: int64(i), Err: fmt.Errorf("%s is not an integer", what)}
	}
	return n, end, nil
}

// member reads one member of the file's top-level object.
func (r *fileReader) member(name string, at int) (int, error) {
	if r.head < len(fileHead) && name != fileHead[r.head] {
		return 0, &FileError{Offset: int64(r.keyAt), Err: fmt.Errorf("expected %q, found %q: not a routedeck state file", fileHead[r.head], name)}
	}
	switch name {
	case "format":
		f, end, err := r.string(at)
		if err != nil || f != fileFormat {
			return 0, &FileError{Offset: int64(at), Err: fmt.Errorf("format is not %q: not a routedeck state file", fileFormat)}
		}
		r.head++
		return end, nil
	case "version":
		v, end, err := r.integer(at, "version")
		if err != nil {
			return 0, err
		}
		if v != fileVersion {
			return 0, &FileError{Offset: int64(at), Err: fmt.Errorf("format version %d; this routedeck reads version %d", v, fileVersion)}
		}
		r.head++
		return end, nil
	case "next_seq":
		n, end, err := r.integer(at, "next_seq")
		r.m.nextSeq = uint64(max(n, 0))
		return end, err
	case "objects":
		return r.array(at, func(at int) (int, error) { return r.record(at, r.m.loadObject) })
	case "events":
		return r.array(at, func(at int) (int, error) { return r.record(at, r.m.loadEvent) })
	case "idempotency":
		return r.array(at, r.key)
	}
	return r.value(at) // a field this version does not know: skipped
}

// record reads one object or event and passes it to add.
func (r *fileReader) record(at int, add func(fileRecord) error) (int, error) {
	var rec fileRecord
	end, err := r.object(at, func(name string, i int) (int, error) {
		var end int
		var err error
		switch name {
		case "id":
			rec.ID, end, err = r.string(i)
		case "type":
			rec.Type, end, err = r.string(i)
		case "parent":
			rec.Parent, end, err = r.string(i)
		case "created":
			rec.Created, end, err = r.integer(i, "created")
		case "seq":
			var n int64
			n, end, err = r.integer(i, "seq")
			rec.Seq = uint64(max(n, 0))
		case "json":
			end, err = r.value(i)
			if err == nil {
				rec.JSON = r.js[i:end]
			}
		default:
			end, err = r.value(i)
		}
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Err = fmt.Errorf("%q: %w", name, fe.Err)
		}
		return end, err
	})
	if err != nil {
		return 0, err
	}
	if err := add(rec); err != nil {
		return 0, &FileError{Offset: int64(at), Err: err}
	}
	return end, nil
}

// key reads one idempotency record.
func (r *fileReader) key(at int) (int, error) {
	end, err := r.value(at)
	if err != nil {
		return 0, err
	}
	var k fileKey
	if err := json.Unmarshal([]byte(r.js[at:end]), &k); err != nil {
		return 0, &FileError{Offset: int64(at), Err: err}
	}
	if k.Key == "" || r.m.keys.byKey[k.Key] != nil {
		return 0, &FileError{Offset: int64(at), Err: fmt.Errorf("idempotency key %q is empty or appears twice", k.Key)}
	}
	rec := IdempotencyRecord(k)
	r.m.addKey(&rec)
	return end, nil
}
