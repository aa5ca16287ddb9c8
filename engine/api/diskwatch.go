package api

import "github.com/brokerlab/brokerlab/engine/log"

// watchStore passes every call to the files backend and notes whether a
// write ever failed (a full disk, the browser's storage quota): the clock
// record says so, and the check after a reload then knows why files may be
// shorter than the replay.
type watchStore struct {
	log.Store
	failed *bool
}

type watchFile struct {
	log.File
	failed *bool
}

func (s watchStore) Open(name string) (log.File, error) {
	f, err := s.Store.Open(name)
	if err != nil {
		*s.failed = true
		return nil, err
	}
	return watchFile{f, s.failed}, nil
}

func (f watchFile) WriteAt(p []byte, off int64) (int, error) {
	n, err := f.File.WriteAt(p, off)
	if err != nil {
		*f.failed = true
	}
	return n, err
}

func (f watchFile) Truncate(size int64) error {
	err := f.File.Truncate(size)
	if err != nil {
		*f.failed = true
	}
	return err
}

func (f watchFile) Sync() error {
	err := f.File.Sync()
	if err != nil {
		*f.failed = true
	}
	return err
}
