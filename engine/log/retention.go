package log

import (
	"fmt"
	"time"
)

// Retention rules, in the order a pass applies them (Kafka's
// UnifiedLog.deleteOldSegments).
const (
	RuleLogStartOffset = "log_start_offset"
	RuleRetentionBytes = "retention.bytes"
	RuleRetentionMs    = "retention.ms"
)

// RetentionPolicy is what one retention pass applies to a log.
type RetentionPolicy struct {
	// Delete is true when cleanup.policy contains "delete": the size and time
	// rules apply. Without it only segments below the log start offset go.
	Delete bool
	// RetentionMs (retention.ms): delete segments whose newest record is
	// older than this; negative keeps them forever.
	RetentionMs int64
	// RetentionBytes (retention.bytes): delete the oldest segments while the
	// log is larger than this; negative means no limit.
	RetentionBytes int64
	// NowMs is the broker's wall clock in milliseconds since the Unix epoch.
	NowMs int64
	// EpochMs is the wall clock at virtual time zero: a segment without
	// timestamps is as old as its creation (Kafka uses the file's mtime).
	EpochMs int64
	// HighWatermark: a segment holding any offset at or above it is never
	// deleted (consumers may not have been allowed to read it yet).
	HighWatermark int64
}

// SegmentDeletion is one segment a retention pass deleted.
type SegmentDeletion struct {
	Segment SegmentInfo `json:"segment"`
	// Rule is RuleLogStartOffset, RuleRetentionBytes or RuleRetentionMs.
	Rule string `json:"rule"`
	// Reason says in plain words why the rule applied.
	Reason string `json:"reason"`
	// Rolled marks the segment that was the active one: a new, empty
	// active segment was rolled first so that it could go.
	Rolled bool `json:"rolled,omitempty"`
}

// RetentionResult is what a retention pass did.
type RetentionResult struct {
	Deleted []SegmentDeletion `json:"deleted,omitempty"`
	// Rolled is set when the active segment itself had to go: the log first
	// rolled a new, empty active segment at the log end offset.
	Rolled bool `json:"rolled"`
	// LogStartOffset after the pass.
	LogStartOffset int64 `json:"log_start_offset"`
}

// DeleteOldSegments runs one retention pass (Kafka's deleteOldSegments):
// segments below the log start offset, then the oldest segments while the
// log is over retention.bytes, then segments whose largest timestamp is more
// than retention.ms old. Each rule walks from the oldest segment and stops
// at the first one it keeps, so only a prefix of the log ever goes; a
// segment holding offsets at or above the high watermark stops every rule.
// The active segment can go too, when it is not empty: a new one is rolled
// first, so the log always has an active segment (compaction, unlike
// retention, never touches the active segment). The log start offset moves
// up to the first remaining segment. Simplification: Kafka renames deleted
// files to .deleted and removes them file.delete.delay.ms later; we remove
// them at once.
func (l *Log) DeleteOldSegments(p RetentionPolicy, now time.Duration) (RetentionResult, error) {
	var res RetentionResult
	if l.closed {
		return res, errClosed
	}
	l.observe(now)
	err := l.deleteWhile(RuleLogStartOffset, p, &res, func(i int) (bool, string) {
		if i+1 >= len(l.segs) || l.segs[i+1].base > l.logStart {
			return false, ""
		}
		return true, fmt.Sprintf("all its offsets are below the log start offset %d", l.logStart)
	})
	if err == nil && p.Delete && p.RetentionBytes >= 0 {
		total := l.sizeInBytes()
		excess := total - p.RetentionBytes
		err = l.deleteWhile(RuleRetentionBytes, p, &res, func(i int) (bool, string) {
			size := l.segs[i].size()
			if excess-size < 0 {
				return false, ""
			}
			excess -= size
			before := total
			total -= size
			return true, fmt.Sprintf("the partition holds %d bytes, over retention.bytes=%d; without this oldest segment (%d bytes) it holds %d",
				before, p.RetentionBytes, size, total)
		})
	}
	if err == nil && p.Delete && p.RetentionMs >= 0 {
		err = l.deleteWhile(RuleRetentionMs, p, &res, func(i int) (bool, string) {
			s := l.segs[i]
			ts := l.largestTimestamp(s, p.EpochMs)
			age := p.NowMs - ts
			if age <= p.RetentionMs {
				return false, ""
			}
			what := "its newest record"
			if s.maxTs < 0 {
				what = "it holds no timestamps and"
			}
			return true, fmt.Sprintf("%s is %v old (timestamp %d), more than retention.ms=%d",
				what, time.Duration(age)*time.Millisecond, ts, p.RetentionMs)
		})
	}
	res.LogStartOffset = l.logStart
	return res, err
}

// largestTimestamp is Kafka's LogSegment.largestTimestamp: the largest
// record timestamp, or the segment's age when it holds none.
func (l *Log) largestTimestamp(s *segment, epochMs int64) int64 {
	if s.maxTs >= 0 {
		return s.maxTs
	}
	return epochMs + s.created.Milliseconds()
}

// sizeInBytes is the whole log's size, active segment included.
func (l *Log) sizeInBytes() int64 {
	var n int64
	for _, s := range l.segs {
		n += s.size()
	}
	return n
}

// deleteWhile is Kafka's deletableSegments + deleteSegments for one rule:
// walk the segments oldest first while the high watermark is past the
// segment's end and pred keeps saying yes; never an empty active segment.
func (l *Log) deleteWhile(rule string, p RetentionPolicy, res *RetentionResult, pred func(i int) (bool, string)) error {
	var reasons []string
	n := 0
	for n < len(l.segs) {
		s := l.segs[n]
		last := n == len(l.segs)-1
		if last && s.size() == 0 {
			break
		}
		upper := l.LEO()
		if !last {
			upper = l.segs[n+1].base
		}
		if p.HighWatermark < upper {
			break
		}
		ok, why := pred(n)
		if !ok {
			break
		}
		reasons = append(reasons, why)
		n++
	}
	if n == 0 {
		return nil
	}
	gone := l.Segments()[:n]
	rolled := n == len(l.segs)
	if rolled {
		// The active segment goes too: roll a new one first (Kafka's
		// deleteSegments: "if (segments.size == numToDelete) roll()").
		if err := l.roll(); err != nil {
			return err
		}
		res.Rolled = true
		reasons[n-1] += "; it was the active segment, idle since, so a new active segment was rolled first"
	}
	if err := l.dropSegments(0, n); err != nil {
		return err
	}
	l.logStart = max(l.logStart, l.segs[0].base)
	for i, s := range gone {
		s.Active = false
		res.Deleted = append(res.Deleted, SegmentDeletion{Segment: s, Rule: rule, Reason: reasons[i], Rolled: rolled && i == n-1})
	}
	return nil
}
