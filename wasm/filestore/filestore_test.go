package filestore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/log/logtest"
	"github.com/brokerlab/brokerlab/wasm/filestore"
)

func newStore(t *testing.T) log.Store {
	s, err := filestore.New(filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { logtest.StoreConformance(t, newStore) }

func TestTornTailRecovery(t *testing.T) { logtest.TornTail(t, newStore, 60) }

func TestCorruptByteRecovery(t *testing.T) { logtest.CorruptByte(t, newStore, 40) }

func TestFilesLandUnderDir(t *testing.T) {
	dir := t.TempDir()
	s, err := filestore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := log.Open(s, "broker-1/orders-0", log.DefaultConfig(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "broker-1", "orders-0", "00000000000000000000.log")); err != nil {
		t.Fatal(err)
	}
}

func TestRejectsEscapingNames(t *testing.T) {
	parent := t.TempDir()
	s, err := filestore.New(filepath.Join(parent, "data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../outside", "a/../../outside", "/tmp/outside", "..", ""} {
		_, err := s.Open(name)
		if err == nil || !strings.HasPrefix(err.Error(), "filestore: invalid file name") {
			t.Errorf("Open(%q) = %v, want an invalid-name error", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "outside")); !os.IsNotExist(err) {
		t.Errorf("a file escaped the store: %v", err)
	}
}

// The store remembers the folders it made; one removed behind its back is
// made again.
func TestFolderRemovedBehindTheStore(t *testing.T) {
	dir := t.TempDir()
	s, err := filestore.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		f, err := s.Open("broker-1/orders-0/a.log")
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if _, err := f.WriteAt([]byte("x"), 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.RemoveAll(filepath.Join(dir, "broker-1")); err != nil {
			t.Fatal(err)
		}
	}
}
