package ui

import (
	"fmt"
	"strings"
	"time"
)

// RecordPanel shows the record the learner opened.
type RecordPanel struct {
	App *App
}

func orNull(s *string) string {
	if s == nil {
		return T("record.null")
	}
	return *s
}

func nullClass(s *string) string {
	if s == nil {
		return "null"
	}
	return ""
}

func headersText(h map[string]string) string {
	if len(h) == 0 {
		return T("record.none")
	}
	parts := make([]string, 0, len(h))
	for _, k := range sortedKeys(h) {
		parts = append(parts, k+" = "+h[k])
	}
	return strings.Join(parts, ", ")
}

// timestamp shows the record's time in UTC and its type; the title holds
// the raw epoch milliseconds.
func (c *RecordPanel) timestamp() string {
	r := c.App.Record.Record
	return fmtTimestamp(r.Timestamp) + " UTC · " + r.TimestampType
}

// fmtTimestamp writes ms since 1970 as time.Time.Format's "2006-01-02
// 15:04:05.000" in UTC would, by hand: time's layout formatting (and its
// parsing, which comes with it) costs ~0.01 MB brotli of ui.wasm.
func fmtTimestamp(ms int64) string {
	t := time.UnixMilli(ms).UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d.%03d", y, int(mo), d, h, mi, s, t.Nanosecond()/1e6)
}

func (c *RecordPanel) epochMS() string {
	return fmt.Sprintf("%d ms since 1970", c.App.Record.Record.Timestamp)
}

func (c *RecordPanel) producer() string {
	r := c.App.Record.Record
	if r.ProducerID < 0 {
		return T("record.none")
	}
	return fmt.Sprintf("%d / %d", r.ProducerID, r.Sequence)
}
