package log

// SizeBetween is how many bytes of whole batches a reader gets from offset
// from up to offset to: every batch whose last offset is ≥ from and whose
// base offset is < to, within [log start, LEO). The broker's read-path model
// uses it to price what it sent, and retention reasons quote sizes. It reads
// only batch headers.
func (l *Log) SizeBetween(from, to int64) (int64, error) {
	if l.closed {
		return 0, errClosed
	}
	from, to = max(from, l.logStart), min(to, l.LEO())
	if from >= to {
		return 0, nil
	}
	var n int64
	for i := l.floorSegment(from); i < len(l.segs); i++ {
		s := l.segs[i]
		if s.base >= to {
			break
		}
		start, _, found, err := s.translate(from)
		if err != nil {
			return n, err
		}
		if !found {
			continue
		}
		end := s.size()
		if to < s.next {
			pos, info, found, err := s.translate(to)
			if err != nil {
				return n, err
			}
			if found {
				end = pos
				if info.BaseOffset < to {
					end += int64(info.Size) // the batch holding to is sent whole
				}
			}
		}
		n += end - start
	}
	return n, nil
}
