package log

import (
	"fmt"
	"strconv"
	"strings"
)

// The cleaner replaces a group of segments with one cleaned segment named
// after the group's first base offset. Kafka writes "<base>.log.cleaned",
// renames it to ".swap", deletes the old segments and renames ".swap" to
// ".log"; a broker that crashes half way finishes the swap on restart. A
// Store has no rename, so the same protocol here is:
//
//  1. write the cleaned bytes to "<base>.log.cleaned" and sync;
//  2. write the marker "<base>.log.swap" naming the replaced segments and
//     the cleaned size, and sync — the commit point;
//  3. overwrite "<base>.log" with the cleaned bytes, sync, and remove the
//     other replaced segment files;
//  4. remove the ".cleaned" and ".swap" files.
//
// CompleteSwaps, run before a broker opens its logs, redoes step 3 for every
// complete marker and throws away a ".cleaned" file without one.
const (
	cleanedSuffix = ".cleaned"
	swapSuffix    = ".swap"
)

// swapIn replaces segments [from, to) with one segment holding data, at
// the first one's base offset, through the Store.
func (l *Log) swapIn(from, to int, data []byte) error {
	first := l.segs[from]
	replaced := make([]int64, 0, to-from)
	for _, s := range l.segs[from:to] {
		replaced = append(replaced, s.base)
	}
	cleaned, swap := first.name+cleanedSuffix, first.name+swapSuffix
	if err := writeSynced(l.store, cleaned, data); err != nil {
		return err
	}
	if err := writeSynced(l.store, swap, []byte(swapMarker(replaced, len(data)))); err != nil {
		return err
	}
	if err := overwrite(first.file, first.name, data); err != nil {
		return err
	}
	for _, s := range l.segs[from+1 : to] {
		s.file.Close()
		if err := l.store.Remove(s.name); err != nil {
			return fmt.Errorf("log: cleaner: remove %s: %w", s.name, err)
		}
	}
	for _, name := range []string{cleaned, swap} {
		if err := l.store.Remove(name); err != nil {
			return fmt.Errorf("log: cleaner: remove %s: %w", name, err)
		}
	}
	s := newSegment(first.name, first.base, first.file, first.created)
	s.disk = int64(len(data))
	if err := s.rescan(l.cfg.IndexIntervalBytes); err != nil {
		return err
	}
	// As after a roll or recovery: the time index ends with the segment's max.
	s.times.maybeAppend(s.maxTs, s.maxTsOffset)
	l.segs = append(append(l.segs[:from:from], s), l.segs[to:]...)
	return nil
}

func swapMarker(replaced []int64, size int) string {
	var b strings.Builder
	b.WriteString("swap 1\nreplaces")
	for _, base := range replaced {
		fmt.Fprintf(&b, " %d", base)
	}
	fmt.Fprintf(&b, "\nbytes %d\nend\n", size)
	return b.String()
}

// parseSwapMarker reads a marker; ok is false for a torn or foreign one.
func parseSwapMarker(text string) (replaced []int64, size int64, ok bool) {
	lines := strings.Split(text, "\n")
	if len(lines) != 5 || lines[0] != "swap 1" || lines[3] != "end" || lines[4] != "" {
		return nil, 0, false
	}
	fields := strings.Fields(lines[1])
	if len(fields) < 2 || fields[0] != "replaces" {
		return nil, 0, false
	}
	for _, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, 0, false
		}
		replaced = append(replaced, n)
	}
	sz, ok := strings.CutPrefix(lines[2], "bytes ")
	if !ok {
		return nil, 0, false
	}
	size, err := strconv.ParseInt(sz, 10, 64)
	return replaced, size, err == nil
}

// SwapRecovery is one interrupted cleaner swap CompleteSwaps dealt with.
type SwapRecovery struct {
	Segment string `json:"segment"`
	// Completed: the marker was whole, so the cleaned segment replaced the
	// old ones; otherwise the half-written cleaned file was thrown away and
	// the old segments stay.
	Completed bool   `json:"completed"`
	Reason    string `json:"reason"`
}

// CompleteSwaps finishes or rolls back every cleaner swap a crash
// interrupted under prefix (a broker's folder); call it before opening the
// logs there, as Kafka's LogLoader does with .swap and .cleaned files.
func CompleteSwaps(store Store, prefix string) ([]SwapRecovery, error) {
	names, err := store.List(prefix)
	if err != nil {
		return nil, fmt.Errorf("log: list %q: %w", prefix, err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	var out []SwapRecovery
	for _, n := range names {
		if seg, ok := strings.CutSuffix(n, swapSuffix); ok && strings.HasSuffix(seg, segmentSuffix) {
			rec, err := completeSwap(store, seg, have[seg+cleanedSuffix])
			if err != nil {
				return out, err
			}
			out = append(out, rec)
		}
	}
	for _, n := range names {
		seg, ok := strings.CutSuffix(n, cleanedSuffix)
		if !ok || !strings.HasSuffix(seg, segmentSuffix) || have[seg+swapSuffix] {
			continue
		}
		if err := store.Remove(n); err != nil {
			return out, fmt.Errorf("log: remove %s: %w", n, err)
		}
		out = append(out, SwapRecovery{Segment: seg, Reason: "a cleaned segment was being written when the broker stopped; the old segments stay"})
	}
	return out, nil
}

func completeSwap(store Store, seg string, haveCleaned bool) (SwapRecovery, error) {
	rec := SwapRecovery{Segment: seg}
	marker, err := readFile(store, seg+swapSuffix)
	if err != nil {
		return rec, err
	}
	replaced, size, ok := parseSwapMarker(string(marker))
	var data []byte
	if ok && haveCleaned {
		if data, err = readFile(store, seg+cleanedSuffix); err != nil {
			return rec, err
		}
		ok = int64(len(data)) == size
	}
	if !ok {
		rec.Reason = "the swap marker is incomplete; the old segments stay"
	} else {
		dir := seg[:max(strings.LastIndexByte(seg, '/'), 0)]
		f, err := store.Open(seg)
		if err != nil {
			return rec, fmt.Errorf("log: open %s: %w", seg, err)
		}
		err = overwrite(f, seg, data)
		f.Close()
		if err != nil {
			return rec, err
		}
		for _, base := range replaced {
			if name := SegmentName(dir, base); name != seg {
				if err := store.Remove(name); err != nil {
					return rec, fmt.Errorf("log: remove %s: %w", name, err)
				}
			}
		}
		rec.Completed = true
		rec.Reason = fmt.Sprintf("finished swapping in the cleaned segment for %d old segment(s)", len(replaced))
	}
	for _, name := range []string{seg + cleanedSuffix, seg + swapSuffix} {
		if err := store.Remove(name); err != nil {
			return rec, fmt.Errorf("log: remove %s: %w", name, err)
		}
	}
	return rec, nil
}

// overwrite replaces a file's content and syncs it.
func overwrite(f File, name string, data []byte) error {
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("log: truncate %s: %w", name, err)
	}
	if len(data) > 0 {
		if _, err := f.WriteAt(data, 0); err != nil {
			return fmt.Errorf("log: write %s: %w", name, err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("log: sync %s: %w", name, err)
	}
	return nil
}

// writeSynced creates or replaces a whole file and syncs it.
func writeSynced(store Store, name string, data []byte) error {
	f, err := store.Open(name)
	if err != nil {
		return fmt.Errorf("log: open %s: %w", name, err)
	}
	err = overwrite(f, name, data)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("log: close %s: %w", name, cerr)
	}
	return err
}

// readFile reads a whole file.
func readFile(store Store, name string) ([]byte, error) {
	f, err := store.Open(name)
	if err != nil {
		return nil, fmt.Errorf("log: open %s: %w", name, err)
	}
	defer f.Close()
	n, err := f.Size()
	if err != nil {
		return nil, fmt.Errorf("log: size of %s: %w", name, err)
	}
	buf := make([]byte, n)
	if m, err := f.ReadAt(buf, 0); int64(m) < n {
		return nil, fmt.Errorf("log: read %s: %w", name, err)
	}
	return buf, nil
}

// WriteFile replaces a whole file of the Store and syncs it. The broker
// keeps its small checkpoint files (Kafka's log-start-offset-checkpoint and
// cleaner-offset-checkpoint) this way.
func WriteFile(store Store, name string, data []byte) error { return writeSynced(store, name, data) }

// ReadFile reads a whole file of the Store; a missing file reads as empty
// (Store.Open creates it).
func ReadFile(store Store, name string) ([]byte, error) { return readFile(store, name) }
