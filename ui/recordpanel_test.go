package ui

import (
	"testing"
	"time"
)

// TestFmtTimestamp checks the record panel's hand-written timestamp against
// time.Time.Format.
func TestFmtTimestamp(t *testing.T) {
	for _, ms := range []int64{0, -1, 1, 999, 1_700_000_000_123, 253_402_300_799_999, 1_000_000_000_000_000 / 1000} {
		want := time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000")
		if got := fmtTimestamp(ms); got != want {
			t.Errorf("fmtTimestamp(%d) = %q, want %q", ms, got, want)
		}
	}
}
