package log

import (
	"fmt"
	"io"
	"io/fs"
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

// memData is a file's content in blocks of memBlock bytes (the first one
// grows up to that size): a growing file never moves what it holds.
type memData struct {
	blocks [][]byte // block i holds bytes [i*memBlock, …); all full but the last
	size   int64
}

const memBlock = 64 << 10

// grow extends the file to size bytes, zero-filling the new part below
// zeroTo; the caller writes the bytes from zeroTo on at once.
func (d *memData) grow(size, zeroTo int64) {
	for d.size < size {
		i := int(d.size / memBlock)
		if i == len(d.blocks) {
			d.blocks = append(d.blocks, nil)
		}
		blk := d.blocks[i]
		want := int(min(memBlock, size-int64(i)*memBlock))
		if want > cap(blk) {
			c := memBlock
			if i == 0 {
				c = min(max(want, 2*cap(blk), 512), memBlock)
			}
			nb := make([]byte, len(blk), c)
			copy(nb, blk)
			blk = nb
		}
		old := len(blk)
		blk = blk[:want]
		if z := zeroTo - int64(i)*memBlock; z > int64(old) {
			clear(blk[old:min(int64(want), z)])
		}
		d.blocks[i] = blk
		d.size = int64(i)*memBlock + int64(want)
	}
}

// truncate cuts the file to size ≤ d.size bytes.
func (d *memData) truncate(size int64) {
	n := int((size + memBlock - 1) / memBlock)
	clear(d.blocks[n:])
	d.blocks = d.blocks[:n]
	if n > 0 {
		d.blocks[n-1] = d.blocks[n-1][:size-int64(n-1)*memBlock]
	}
	d.size = size
}

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
	if off >= f.d.size {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < f.d.size {
		blk := f.d.blocks[off/memBlock]
		k := copy(p[n:], blk[off%memBlock:])
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.check("write", off); err != nil {
		return 0, err
	}
	if end := off + int64(len(p)); end > f.d.size {
		f.d.grow(end, off) // p fills [off, end)
	}
	n := 0
	for n < len(p) {
		k := copy(f.d.blocks[off/memBlock][off%memBlock:], p[n:])
		n += k
		off += int64(k)
	}
	return n, nil
}

func (f *memFile) Truncate(size int64) error {
	if err := f.check("truncate", size); err != nil {
		return err
	}
	if size <= f.d.size {
		f.d.truncate(size)
	} else {
		f.d.grow(size, size)
	}
	return nil
}

func (f *memFile) Size() (int64, error) {
	if err := f.check("size", 0); err != nil {
		return 0, err
	}
	return f.d.size, nil
}

func (f *memFile) Sync() error { return f.check("sync", 0) }

func (f *memFile) Close() error {
	if f.closed {
		return fmt.Errorf("log: memstore: close %s: %w", f.name, fs.ErrClosed)
	}
	f.closed = true
	return nil
}
