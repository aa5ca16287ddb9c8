package log

import (
	"errors"
	"fmt"
	"math"

	"github.com/brokerlab/brokerlab/engine/record"
)

// Read returns whole batches starting with the one that contains offset
// from, adding following batches while their total stays within maxBytes;
// like Kafka it always returns the first batch, however large. As in Kafka
// (LocalLog.read) one read never crosses a segment boundary. Reading at LEO
// returns no batches; below LogStartOffset or above LEO is
// OFFSET_OUT_OF_RANGE. Simplification: Kafka returns raw bytes and may end
// with a partial batch the client discards; we return whole decoded batches.
// ReadTo limits a read to the high watermark.
func (l *Log) Read(from int64, maxBytes int) ([]*record.Batch, error) {
	return l.ReadTo(from, math.MaxInt64, maxBytes)
}

// ReadTo is Read that also stops before the first following batch whose
// base offset is ≥ limit (Kafka's maxOffsetMetadata: the high watermark for
// consumers, LEO for followers), so batches a fetch may not return are
// neither decoded nor counted against maxBytes. The first batch is returned
// even if it starts at or past limit; the caller drops it.
func (l *Log) ReadTo(from, limit int64, maxBytes int) ([]*record.Batch, error) {
	batches, _, err := l.ReadToCounted(from, limit, maxBytes)
	return batches, err
}

// ReadToCounted is ReadTo that also returns how many bytes the batches
// occupy in the log (their encoded size).
func (l *Log) ReadToCounted(from, limit int64, maxBytes int) ([]*record.Batch, int, error) {
	if l.closed {
		return nil, 0, errClosed
	}
	if from < l.logStart || from > l.LEO() {
		return nil, 0, fmt.Errorf("log: read %s at offset %d outside [%d, %d]: %w", l.dir, from, l.logStart, l.LEO(), ErrOffsetOutOfRange)
	}
	for i := l.floorSegment(from); i < len(l.segs); i++ {
		s := l.segs[i]
		cached := s == l.active() // only the log end is read over and over
		pos, size, found, err := s.locate(from, cached)
		if err != nil {
			return nil, 0, err
		}
		if !found {
			continue // from is past this segment's batches: Kafka moves to the next
		}
		total, count := int64(size), 1
		for end := pos + total; end < s.size(); {
			base, size, err := s.headerAt(end, cached)
			if err != nil {
				return nil, 0, err
			}
			if base >= limit || total+int64(size) > int64(maxBytes) {
				break
			}
			total += int64(size)
			end += int64(size)
			count++
		}
		var batches []*record.Batch
		if cached {
			batches, err = s.readCached(pos, total, count)
		} else {
			batches, err = decodeAll(s, pos, total, count, nil)
		}
		if err != nil {
			return nil, 0, err
		}
		return batches, int(total), nil
	}
	return nil, 0, nil
}

// locate is translate, answered from the read cache when it holds target.
func (s *segment) locate(target int64, cached bool) (pos int64, size int, found bool, err error) {
	if cached {
		if i, ok := s.cache.byOffset(target); ok {
			e := s.cache.live()[i]
			return e.pos, e.size, true, nil
		}
		// Past the cached run: every batch before its end ends below target,
		// so the batch right after it is the one if it reaches target (the
		// usual case: a reader asking for what was appended since).
		if live := s.cache.live(); len(live) > 0 && target > live[len(live)-1].last {
			if end := s.cache.end(); end < s.size() {
				info, err := s.peek(end)
				if err != nil {
					return 0, 0, false, err
				}
				if info.LastOffset >= target {
					return end, info.Size, true, nil
				}
			}
		}
	}
	pos, info, found, err := s.translate(target)
	return pos, info.Size, found, err
}

// headerAt is the base offset and size of the batch at pos, from the read
// cache or the batch's header.
func (s *segment) headerAt(pos int64, cached bool) (base int64, size int, err error) {
	if cached {
		if i, ok := s.cache.at(pos); ok {
			e := s.cache.live()[i]
			return e.base, e.size, nil
		}
	}
	info, err := s.peek(pos)
	return info.BaseOffset, info.Size, err
}

// readCached returns the count batches in n bytes at pos: those the read
// cache holds, then the rest decoded (and cached). When the cache holds them
// all, the slice is the cache's own (see readCache.run).
func (s *segment) readCached(pos, n int64, count int) ([]*record.Batch, error) {
	p, stop := pos, pos+n
	i, ok := s.cache.at(p)
	j := i
	if ok {
		live := s.cache.live()
		for j < len(live) && p < stop {
			p += int64(live[j].size)
			j++
		}
		if p == stop {
			return s.cache.run(i, j), nil
		}
	}
	out := make([]*record.Batch, 0, count)
	for k := i; k < j; k++ {
		out = append(out, s.cache.batch(k))
	}
	rest, err := decodeAll(s, p, stop-p, count-len(out), &s.cache)
	if err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}

// decodeAll reads n bytes at pos and decodes the batches in them (count is
// a capacity hint); they alias one fresh buffer. A cache, if given, keeps
// each decoded batch.
func decodeAll(s *segment, pos, n int64, count int, cache *readCache) ([]*record.Batch, error) {
	buf := make([]byte, n)
	if err := s.readAt(buf, pos); err != nil {
		return nil, err
	}
	out := make([]*record.Batch, 0, count)
	for off := 0; off < len(buf); {
		b, used, err := record.Decode(buf[off:])
		if err != nil {
			return nil, fmt.Errorf("log: %s at byte %d: %w", s.name, pos+int64(off), err)
		}
		if cache != nil {
			cache.add(pos+int64(off), used, b)
		}
		out = append(out, b)
		off += used
	}
	return out, nil
}

// OffsetForTimestamp finds the first record whose timestamp is ≥ ts, as
// ListOffsets by timestamp does (UnifiedLog.fetchOffsetByTimestamp): the
// first segment whose largest timestamp reaches ts, its time index, then a
// scan. It returns that record's offset and timestamp, or ok=false if no
// record is that late.
func (l *Log) OffsetForTimestamp(ts int64) (offset, timestamp int64, ok bool, err error) {
	if l.closed {
		return 0, 0, false, errClosed
	}
	for _, s := range l.segs {
		if s.maxTs < ts {
			continue
		}
		start := max(s.times.lookup(ts, s.base), l.logStart)
		for pos := s.index.lookup(start); pos < s.size(); {
			info, err := s.peek(pos)
			if err != nil {
				return 0, 0, false, err
			}
			if info.MaxTimestamp >= ts && info.LastOffset >= l.logStart {
				bs, err := decodeAll(s, pos, int64(info.Size), 1, nil)
				if err != nil {
					return 0, 0, false, err
				}
				b := bs[0]
				for i, r := range b.Records {
					off := b.BaseOffset + int64(r.OffsetDelta)
					if rts := b.RecordTimestamp(i); rts >= ts && off >= l.logStart {
						return off, rts, true, nil
					}
				}
			}
			pos += int64(info.Size)
		}
	}
	return 0, 0, false, nil
}

// ErrOffsetOutOfRange is Kafka's OFFSET_OUT_OF_RANGE: a read below the log
// start offset or past the log end offset.
var ErrOffsetOutOfRange = errors.New("OFFSET_OUT_OF_RANGE: The requested offset is not within the range of offsets maintained by the server.")
