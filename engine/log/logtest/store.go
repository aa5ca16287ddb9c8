// Package logtest holds tests every log.Store backend must pass, so the
// memory and file backends are checked by the very same code, and the
// stores other packages' tests break disks with (FullStore).
package logtest

import (
	"bytes"
	"io"
	"reflect"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
)

// StoreConformance checks the Store and File contract on fresh stores.
func StoreConformance(t *testing.T, newStore func(t *testing.T) log.Store) {
	t.Run("write read truncate", func(t *testing.T) {
		s := newStore(t)
		f := mustOpen(t, s, "b-1/t-0/x.log")
		if n, err := f.Size(); err != nil || n != 0 {
			t.Fatalf("new file size = %d, %v", n, err)
		}
		if _, err := f.WriteAt([]byte("world"), 6); err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("hello"), 0); err != nil {
			t.Fatal(err)
		}
		want := []byte("hello\x00world")
		checkContent(t, f, want)
		p := make([]byte, 4)
		if n, err := f.ReadAt(p, 9); n != 2 || err != io.EOF || string(p[:2]) != "ld" {
			t.Errorf("ReadAt past the end = %d, %v, %q; want 2, EOF, \"ld\"", n, err, p[:n])
		}
		if n, err := f.ReadAt(p, 20); n != 0 || err != io.EOF {
			t.Errorf("ReadAt beyond the end = %d, %v; want 0, EOF", n, err)
		}
		if err := f.Truncate(3); err != nil {
			t.Fatal(err)
		}
		checkContent(t, f, []byte("hel"))
		if err := f.Truncate(5); err != nil { // grows with zeros, never the old bytes
			t.Fatal(err)
		}
		checkContent(t, f, []byte("hel\x00\x00"))
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		g := mustOpen(t, s, "b-1/t-0/x.log")
		checkContent(t, g, []byte("hel\x00\x00"))
		g.Close()
	})
	t.Run("list and remove", func(t *testing.T) {
		s := newStore(t)
		for _, name := range []string{"b-2/t-1/b.log", "b-1/t-0/a.log", "b-1/t-0/0.log", "b-1/t-10/c.log", "b-1/t-0x"} {
			mustOpen(t, s, name).Close()
		}
		checkList(t, s, "", []string{"b-1/t-0/0.log", "b-1/t-0/a.log", "b-1/t-0x", "b-1/t-10/c.log", "b-2/t-1/b.log"})
		checkList(t, s, "b-1/t-0", []string{"b-1/t-0/0.log", "b-1/t-0/a.log"})
		checkList(t, s, "b-1", []string{"b-1/t-0/0.log", "b-1/t-0/a.log", "b-1/t-0x", "b-1/t-10/c.log"})
		checkList(t, s, "nothing-here", nil)
		checkList(t, s, "b-1/t-0x", nil) // a file is not a folder
		if err := s.Remove("b-1/t-0/a.log"); err != nil {
			t.Fatal(err)
		}
		if err := s.Remove("b-1/t-0/a.log"); err != nil {
			t.Errorf("removing a missing file: %v", err)
		}
		checkList(t, s, "b-1/t-0", []string{"b-1/t-0/0.log"})
	})
	t.Run("bad names", func(t *testing.T) {
		s := newStore(t)
		for _, name := range []string{"", ".", "..", "../x", "a/../../x", "/abs", "a//b", "a/./b", "a/"} {
			if f, err := s.Open(name); err == nil {
				f.Close()
				t.Errorf("Open(%q) succeeded, want an error", name)
			}
			if err := s.Remove(name); err == nil && name != "" {
				t.Errorf("Remove(%q) succeeded, want an error", name)
			}
		}
		if _, err := s.List("../up"); err == nil {
			t.Error("List(../up) succeeded")
		}
	})
	t.Run("closed file", func(t *testing.T) {
		s := newStore(t)
		f := mustOpen(t, s, "c.log")
		f.Close()
		if _, err := f.WriteAt([]byte("x"), 0); err == nil {
			t.Error("WriteAt on a closed file succeeded")
		}
		if err := f.Close(); err == nil {
			t.Error("a second Close succeeded")
		}
	})
}

func mustOpen(t *testing.T, s log.Store, name string) log.File {
	t.Helper()
	f, err := s.Open(name)
	if err != nil {
		t.Fatalf("Open(%q): %v", name, err)
	}
	return f
}

func checkContent(t *testing.T, f log.File, want []byte) {
	t.Helper()
	n, err := f.Size()
	if err != nil || n != int64(len(want)) {
		t.Fatalf("Size = %d, %v; want %d", n, err, len(want))
	}
	got := make([]byte, n)
	if m, err := f.ReadAt(got, 0); m != len(got) {
		t.Fatalf("ReadAt = %d, %v", m, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("content = %q, want %q", got, want)
	}
}

func checkList(t *testing.T, s log.Store, prefix string, want []string) {
	t.Helper()
	got, err := s.List(prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List(%q) = %q, want %q", prefix, got, want)
	}
}
