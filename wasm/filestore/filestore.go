// Package filestore is the files backend of log.Store: plain os calls on
// real files under one directory. The pure engine never imports it; entry
// points inject it (natively a folder, in the browser the OPFS-backed folder
// the WASI shim pre-opens). It builds for GOOS=wasip1.
package filestore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/brokerlab/brokerlab/engine/log"
)

// New returns a Store rooted at dir, creating dir if needed. Names are slash
// paths relative to dir; names that would escape it ("..", absolute paths)
// are refused. Symbolic links inside dir are followed (not checked).
func New(dir string) (log.Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return &store{dir: dir, made: map[string]bool{}}, nil
}

type store struct {
	dir string
	// made holds the folders this store created or found: a broker opens
	// ~60 files in one folder per partition, and under the browser's WASI
	// shim each MkdirAll is two or three host calls.
	made map[string]bool
}

// path maps a store name onto the OS path under dir.
func (s *store) path(name string) (string, error) {
	if name == "." || !fs.ValidPath(name) {
		return "", fmt.Errorf("filestore: invalid file name %q: want a slash path inside the store, without \"..\", \".\", empty parts or a leading \"/\"", name)
	}
	local, err := filepath.Localize(name)
	if err != nil {
		return "", fmt.Errorf("filestore: invalid file name %q: %w", name, err)
	}
	return filepath.Join(s.dir, local), nil
}

func (s *store) Open(name string) (log.File, error) {
	p, err := s.path(name)
	if err != nil {
		return nil, err
	}
	f, err := s.openFile(name, p)
	if errors.Is(err, fs.ErrNotExist) && len(s.made) > 0 {
		// A folder went away behind the store's back: make it again.
		clear(s.made)
		f, err = s.openFile(name, p)
	}
	if err != nil {
		return nil, err
	}
	return &file{f: f}, nil
}

// openFile opens (creating) the file at OS path p, making its folder first
// unless the store already did.
func (s *store) openFile(name, p string) (*os.File, error) {
	if d := filepath.Dir(p); !s.made[d] {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("filestore: open %s: %w", name, err)
		}
		s.made[d] = true
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return f, nil
}

func (s *store) Remove(name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}

func (s *store) List(prefix string) ([]string, error) {
	root := s.dir
	if prefix != "" {
		var err error
		if root, err = s.path(prefix); err != nil {
			return nil, err
		}
	}
	var names []string
	fi, err := os.Lstat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil // an absent folder holds no files
	case err != nil:
		return nil, fmt.Errorf("filestore: list %q: %w", prefix, err)
	case !fi.IsDir():
		return nil, nil // prefix names a file, not a folder
	}
	if names, err = s.walk(root, names); err != nil {
		return nil, fmt.Errorf("filestore: list %q: %w", prefix, err)
	}
	sort.Strings(names) // a walk's order differs from string order ("a/b" vs "a-c")
	return names, nil
}

// walk appends the files under dir, relative to the store's folder, in no
// particular order. (filepath.WalkDir reads folders with os.ReadDir, whose
// sort of fs.DirEntry costs engine.wasm ~20 KB of code for an order List
// replaces anyway.)
func (s *store) walk(dir string, names []string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return names, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return names, err
	}
	for _, d := range entries {
		p := filepath.Join(dir, d.Name())
		if d.IsDir() {
			if names, err = s.walk(p, names); err != nil {
				return names, err
			}
			continue
		}
		rel, err := filepath.Rel(s.dir, p)
		if err != nil {
			return names, err
		}
		names = append(names, filepath.ToSlash(rel))
	}
	return names, nil
}

// file is an *os.File with errors prefixed; io.EOF from ReadAt stays bare.
type file struct{ f *os.File }

func wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return fmt.Errorf("filestore: %w", err)
}

func (f *file) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.f.ReadAt(p, off)
	return n, wrap(err)
}

func (f *file) WriteAt(p []byte, off int64) (int, error) {
	n, err := f.f.WriteAt(p, off)
	return n, wrap(err)
}

func (f *file) Truncate(size int64) error { return wrap(f.f.Truncate(size)) }

func (f *file) Size() (int64, error) {
	st, err := f.f.Stat()
	if err != nil {
		return 0, wrap(err)
	}
	return st.Size(), nil
}

func (f *file) Sync() error  { return wrap(f.f.Sync()) }
func (f *file) Close() error { return wrap(f.f.Close()) }
