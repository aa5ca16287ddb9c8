package log

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/record"
)

// AppendAfterGap appends a batch whose base offset may lie above the log
// end offset: a follower copying a compacted leader gets batches with gaps
// between them, because the cleaner removed whole batches and offsets are
// never reused (Kafka's follower append accepts any base offset ≥ LEO). The
// offsets in the gap simply do not exist in this log either.
func (l *Log) AppendAfterGap(b *record.Batch, now time.Duration) error {
	if l.closed {
		return errClosed
	}
	leo := l.LEO()
	if b.BaseOffset < leo {
		return fmt.Errorf("log: append to %s: batch base offset %d is below the log end offset %d", l.dir, b.BaseOffset, leo)
	}
	if b.BaseOffset == leo {
		return l.Append(b, now)
	}
	if err := b.Validate(); err != nil {
		return fmt.Errorf("log: append to %s: %w", l.dir, err)
	}
	s := l.active()
	s.next = b.BaseOffset // the gap: no batch covers [leo, base)
	if err := l.Append(b, now); err != nil {
		if l.active() == s && s.next == b.BaseOffset {
			s.next = leo
		}
		return err
	}
	return nil
}
