package logtest

import (
	"errors"
	"sync/atomic"

	"github.com/brokerlab/brokerlab/engine/log"
)

// ErrNoSpace is what a FullStore's refused writes return.
var ErrNoSpace = errors.New("no space left on device")

// FullStore wraps a Store so that, while Full is set, every write that
// would grow a file fails with ErrNoSpace — a full disk, or a browser's
// exhausted storage quota (OPFS). Rewriting bytes in place still works, as
// it does on those.
type FullStore struct {
	log.Store
	Full *atomic.Bool
}

// NewFullStore wraps a fresh memory store.
func NewFullStore() FullStore { return FullStore{log.NewMemStore(), new(atomic.Bool)} }

type fullFile struct {
	log.File
	full *atomic.Bool
}

func (s FullStore) Open(name string) (log.File, error) {
	f, err := s.Store.Open(name)
	if err != nil {
		return nil, err
	}
	return fullFile{f, s.Full}, nil
}

func (f fullFile) WriteAt(p []byte, off int64) (int, error) {
	if f.full.Load() {
		if size, err := f.Size(); err != nil || off+int64(len(p)) > size {
			return 0, ErrNoSpace
		}
	}
	return f.File.WriteAt(p, off)
}
