// Package diskcheck compares the segment files a closed page left on disk
// with the files a replay of its journal rebuilt, and names every file that
// lost bytes (a torn write, a truncated store) so the cluster can be told to
// recover from it. It also keeps the clock record that says which scenario,
// and which virtual time, the files on disk belong to.
package diskcheck

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/view"
)

// MaxCapture bounds the bytes Capture keeps: a larger store is not compared
// (the playground's stores are a few MB).
const MaxCapture = 64 << 20

// Disk is the segment files of a store, as they were when captured.
type Disk struct {
	Files map[string][]byte // store name → content, segment (.log) files of brokers only
	Bytes int64
	// Clock is the clock record found, if any.
	Clock *Clock
	// TooLarge says the store held more than MaxCapture bytes of segments:
	// Files is empty and nothing can be compared.
	TooLarge bool
}

// IsSegment reports whether a store name is a broker's segment file:
// "broker-<id>/<topic>-<partition>/<base offset>.log".
func IsSegment(name string) bool {
	return strings.HasPrefix(name, "broker-") && strings.Count(name, "/") == 2 && strings.HasSuffix(name, ".log")
}

// Capture reads every segment file and the clock record of store.
func Capture(store log.Store) (*Disk, error) {
	names, err := store.List("")
	if err != nil {
		return nil, fmt.Errorf("diskcheck: listing the store: %v", err)
	}
	d := &Disk{Files: map[string][]byte{}}
	if d.Clock, err = ReadClock(store); err != nil {
		return nil, err
	}
	for _, n := range names {
		if !IsSegment(n) {
			continue
		}
		b, err := readAll(store, n)
		if err != nil {
			return nil, err
		}
		d.Bytes += int64(len(b))
		if d.Bytes > MaxCapture {
			return &Disk{Files: map[string][]byte{}, Bytes: d.Bytes, Clock: d.Clock, TooLarge: true}, nil
		}
		d.Files[n] = b
	}
	return d, nil
}

func readAll(store log.Store, name string) ([]byte, error) {
	f, err := store.Open(name)
	if err != nil {
		return nil, fmt.Errorf("diskcheck: %s: %v", name, err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return nil, fmt.Errorf("diskcheck: %s: %v", name, err)
	}
	b := make([]byte, size)
	if n, err := f.ReadAt(b, 0); err != nil && !(err == io.EOF && int64(n) == size) {
		return nil, fmt.Errorf("diskcheck: %s: reading %d bytes: %v", name, size, err)
	}
	return b, nil
}

// Damage is one segment file that lost bytes (see view.DiskFile).
type Damage = view.DiskFile

// Command is the disk_fault command that makes the cluster's disk match
// what was found: the file cut where the two first disagree.
func Command(d Damage) map[string]any {
	return map[string]any{"op": "disk_fault", "broker": d.Broker, "mode": "truncate", "file": d.File, "size": d.CutAt}
}

// Compare lists the segment files of cur (what a replay rebuilt) that the
// captured disk does not hold in full: missing, shorter, or different from
// some byte on. A file the disk holds longer (the page ran a moment past the
// replay's end) or that only the disk holds (deleted later) is not damage.
//
// When the earlier run's own writes failed (its clock says write_failed: a
// full disk, the browser's quota), a file that is missing or a prefix of the
// replay's is what that run could write, not damage: it is listed in short
// and the replay's bytes stand.
func Compare(prev *Disk, cur log.Store) (damage, short []Damage, err error) {
	names, err := cur.List("")
	if err != nil {
		return nil, nil, fmt.Errorf("diskcheck: listing the store: %v", err)
	}
	failed := prev.Clock != nil && prev.Clock.WriteFailed
	for _, n := range names {
		if !IsSegment(n) {
			continue
		}
		want, err := readAll(cur, n)
		if err != nil {
			return nil, nil, err
		}
		got, ok := prev.Files[n]
		found := int64(len(got))
		if !ok {
			found = -1
		}
		cut := commonPrefix(want, got)
		if cut == len(want) {
			continue
		}
		slash := strings.IndexByte(n, '/')
		id, _ := strconv.Atoi(strings.TrimPrefix(n[:slash], "broker-"))
		d := Damage{Broker: id, File: n[slash+1:], Expected: int64(len(want)), Found: found, CutAt: int64(cut)}
		if failed && cut == len(got) {
			short = append(short, d)
		} else {
			damage = append(damage, d)
		}
	}
	return damage, short, nil
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	if bytes.Equal(a[:n], b[:n]) {
		return n
	}
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// ClockFile is the store name of the clock record.
const ClockFile = "clock.json"

// clockSize is the fixed size of the record: it is rewritten in place after
// every call, with one positional write (so it needs no new space on a full
// disk).
const clockSize = 192

// Clock says which scenario the files on disk belong to (the SHA-256 of its
// JSON), the virtual time they reflect, and whether some write of that run
// failed (so its files may be shorter than its brokers meant).
type Clock struct {
	Scenario    string `json:"scenario"`
	TimeUS      int64  `json:"time_us"`
	WriteFailed bool   `json:"write_failed,omitempty"`
}

// ReadClock reads the clock record; nil when there is none or it is torn.
func ReadClock(store log.Store) (*Clock, error) {
	names, err := store.List("")
	if err != nil {
		return nil, fmt.Errorf("diskcheck: listing the store: %v", err)
	}
	found := false
	for _, n := range names {
		found = found || n == ClockFile
	}
	if !found {
		return nil, nil
	}
	b, err := readAll(store, ClockFile)
	if err != nil {
		return nil, err
	}
	var c Clock
	if jsonwire.Unmarshal(bytes.TrimRight(b, " \n"), &c) != nil || c.Scenario == "" {
		return nil, nil // torn or foreign: as if there were none
	}
	return &c, nil
}

// ClockWriter rewrites the clock record in place.
type ClockWriter struct {
	f   log.File
	buf []byte
}

// OpenClock opens (creating) the clock record of store.
func OpenClock(store log.Store) (*ClockWriter, error) {
	f, err := store.Open(ClockFile)
	if err != nil {
		return nil, fmt.Errorf("diskcheck: opening the clock record: %v", err)
	}
	return &ClockWriter{f: f, buf: make([]byte, 0, clockSize)}, nil
}

// Write records c.
func (w *ClockWriter) Write(c Clock) error {
	w.buf = strconv.AppendInt(append(append(append(w.buf[:0], `{"scenario":"`...), c.Scenario...), `","time_us":`...), c.TimeUS, 10)
	if c.WriteFailed {
		w.buf = append(w.buf, `,"write_failed":true`...)
	}
	w.buf = append(w.buf, '}')
	for len(w.buf) < clockSize-1 {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, '\n')
	if _, err := w.f.WriteAt(w.buf, 0); err != nil {
		return fmt.Errorf("diskcheck: writing the clock record: %v", err)
	}
	return nil
}

// Close closes the record's file.
func (w *ClockWriter) Close() error { return w.f.Close() }
