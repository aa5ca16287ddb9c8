package log

import (
	"fmt"
	"math"
	"time"
)

// Config holds the topic-level log settings, named as Kafka names them
// (topic config / broker default in parentheses).
type Config struct {
	// SegmentBytes (segment.bytes / log.segment.bytes, or Kafka's internal
	// internal.segment.bytes that overrides them): roll when the active
	// segment would grow past this. Kafka 4.1+ refuses segment.bytes below
	// 1 MiB; the lessons use internal.segment.bytes to show rolls.
	SegmentBytes int
	// SegmentMs (segment.ms / log.roll.ms, 7 days): roll when the incoming
	// batch's max timestamp is more than this past the segment's first
	// batch's. segment.jitter.ms is ignored (it only spreads rolls out).
	SegmentMs int64
	// IndexIntervalBytes (index.interval.bytes): bytes between two sparse
	// offset-index entries.
	IndexIntervalBytes int
	// FlushMessages (flush.messages / log.flush.interval.messages): flush
	// once this many messages are unflushed. The default, MaxInt64, means
	// never: Kafka relies on replication and the page cache, not fsync.
	FlushMessages int64
	// FlushMs (flush.ms / log.flush.interval.ms): MaybeFlush flushes once
	// this long has passed since the last flush. Default MaxInt64 = never.
	FlushMs int64
	// OSWritebackDelay is not a Kafka setting: it models Linux writing dirty
	// pages back on its own once they are older than vm.dirty_expire_centisecs
	// (3000 = 30 s by default). MaybeFlush writes back appends older than
	// this, so a power loss only loses the most recent ones. 0 = off.
	OSWritebackDelay time.Duration
}

// DefaultConfig returns Kafka 4.x's defaults.
func DefaultConfig() Config {
	return Config{
		SegmentBytes:       1073741824,
		SegmentMs:          604800000,
		IndexIntervalBytes: 4096,
		FlushMessages:      math.MaxInt64,
		FlushMs:            math.MaxInt64,
	}
}

// Validate reports a setting no log can work with.
func (c Config) Validate() error {
	switch {
	case c.SegmentBytes <= 0:
		return fmt.Errorf("log: segment.bytes must be positive, got %d", c.SegmentBytes)
	case c.SegmentMs <= 0:
		return fmt.Errorf("log: segment.ms must be positive, got %d", c.SegmentMs)
	case c.IndexIntervalBytes < 0:
		return fmt.Errorf("log: index.interval.bytes must not be negative, got %d", c.IndexIntervalBytes)
	case c.FlushMessages < 1:
		return fmt.Errorf("log: flush.messages must be at least 1, got %d", c.FlushMessages)
	case c.FlushMs < 0:
		return fmt.Errorf("log: flush.ms must not be negative, got %d", c.FlushMs)
	case c.OSWritebackDelay < 0:
		return fmt.Errorf("log: OS write-back delay must not be negative, got %v", c.OSWritebackDelay)
	}
	return nil
}

// msElapsed reports whether at least ms milliseconds separate from and to;
// ms past what a Duration holds never elapses.
func msElapsed(from, to time.Duration, ms int64) bool {
	if ms > int64(math.MaxInt64/time.Millisecond) {
		return false
	}
	return to-from >= time.Duration(ms)*time.Millisecond
}
