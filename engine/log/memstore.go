package log

import (
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
)

// NewMemStore returns an empty in-memory Store. Its files behave like a
// disk: bytes written with WriteAt are "on disk" at once (the page cache is
// the Log's, not the store's), Sync does nothing, and a removed file stays
// readable through handles opened before (like an unlinked file). List is
// sorted. It is deterministic and not safe for concurrent use.
func NewMemStore() Store { return &memStore{files: map[string]*memData{}} }

type memStore struct{ files map[string]*memData }

type memData struct{ data []byte }

type memFile struct {
	name   string
	d      *memData
	closed bool
}

func checkName(name string) error {
	if name == "." || !fs.ValidPath(name) {
		return fmt.Errorf("log: memstore: invalid file name %q (want a relative slash path without . or ..)", name)
	}
	return nil
}

func (s *memStore) Open(name string) (File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	d := s.files[name]
	if d == nil {
		d = &memData{}
		s.files[name] = d
	}
	return &memFile{name: name, d: d}, nil
}

func (s *memStore) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	delete(s.files, name)
	return nil
}

func (s *memStore) List(prefix string) ([]string, error) {
	if prefix != "" {
		if err := checkName(prefix); err != nil {
			return nil, err
		}
		prefix += "/"
	}
	var names []string
	for name := range s.files {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

func (f *memFile) check(op string, off int64) error {
	if f.closed {
		return fmt.Errorf("log: memstore: %s %s: %w", op, f.name, fs.ErrClosed)
	}
	if off < 0 {
		return fmt.Errorf("log: memstore: %s %s: negative offset %d", op, f.name, off)
	}
	return nil
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	if err := f.check("read", off); err != nil {
		return 0, err
	}
	if off >= int64(len(f.d.data)) {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := copy(p, f.d.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.check("write", off); err != nil {
		return 0, err
	}
	if end := off + int64(len(p)); end > int64(len(f.d.data)) {
		f.grow(end)
	}
	return copy(f.d.data[off:], p), nil
}

// grow extends the file to size bytes, zero-filling the new part.
func (f *memFile) grow(size int64) {
	old := len(f.d.data)
	f.d.data = slices.Grow(f.d.data, int(size)-old)[:size]
	clear(f.d.data[old:])
}

func (f *memFile) Truncate(size int64) error {
	if err := f.check("truncate", size); err != nil {
		return err
	}
	if size <= int64(len(f.d.data)) {
		f.d.data = f.d.data[:size]
	} else {
		f.grow(size)
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	if err := f.check("size", 0); err != nil {
		return 0, err
	}
	return int64(len(f.d.data)), nil
}

func (f *memFile) Sync() error { return f.check("sync", 0) }

func (f *memFile) Close() error {
	if f.closed {
		return fmt.Errorf("log: memstore: close %s: %w", f.name, fs.ErrClosed)
	}
	f.closed = true
	return nil
}
