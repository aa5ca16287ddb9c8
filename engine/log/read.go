package log

import (
	"fmt"

	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Read returns whole batches starting with the one that contains offset
// from, adding following batches while their total stays within maxBytes;
// like Kafka it always returns the first batch, however large. As in Kafka
// (LocalLog.read) one read never crosses a segment boundary. Reading at LEO
// returns no batches; below LogStartOffset or above LEO is
// OFFSET_OUT_OF_RANGE. Simplification: Kafka returns raw bytes and may end
// with a partial batch the client discards; we return whole decoded batches.
// The caller limits reads to the high watermark by dropping batches past it.
func (l *Log) Read(from int64, maxBytes int) ([]*record.Batch, error) {
	if l.closed {
		return nil, errClosed
	}
	if from < l.logStart || from > l.LEO() {
		return nil, fmt.Errorf("log: read %s at offset %d outside [%d, %d]: %w", l.dir, from, l.logStart, l.LEO(), kerr.OffsetOutOfRange)
	}
	for i := l.floorSegment(from); i < len(l.segs); i++ {
		s := l.segs[i]
		pos, first, found, err := s.translate(from)
		if err != nil {
			return nil, err
		}
		if !found {
			continue // from is past this segment's batches: Kafka moves to the next
		}
		total := int64(first.Size)
		for end := pos + total; end < s.size(); {
			info, err := s.peek(end)
			if err != nil {
				return nil, err
			}
			if total+int64(info.Size) > int64(maxBytes) {
				break
			}
			total += int64(info.Size)
			end += int64(info.Size)
		}
		return decodeAll(s, pos, total)
	}
	return nil, nil
}

// decodeAll reads n bytes at pos and decodes the batches in them; they alias
// one fresh buffer.
func decodeAll(s *segment, pos, n int64) ([]*record.Batch, error) {
	buf := make([]byte, n)
	if err := s.readAt(buf, pos); err != nil {
		return nil, err
	}
	var out []*record.Batch
	for off := 0; off < len(buf); {
		b, used, err := record.Decode(buf[off:])
		if err != nil {
			return nil, fmt.Errorf("log: %s at byte %d: %w", s.name, pos+int64(off), err)
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
				bs, err := decodeAll(s, pos, int64(info.Size))
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
