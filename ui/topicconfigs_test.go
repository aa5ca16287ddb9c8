package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// internal.segment.bytes is shown with the note that it is playground scale
// (Kafka's internal test setting), in both languages; other configs bare.
func TestTopicConfigLinesLabelPlaygroundScale(t *testing.T) {
	defer setLocale(Locale)
	a := &App{}
	a.F.Snap.Topics = []view.TopicSnapshot{
		{Name: "logs", Configs: map[string]string{"retention.ms": "10000", "internal.segment.bytes": "1024"}},
		{Name: "__consumer_offsets", Configs: map[string]string{"cleanup.policy": "compact"}},
		{Name: "plain"},
	}
	for _, c := range []struct{ locale, note string }{
		{"en", "playground scale — Kafka's internal test setting; in production segment.bytes ≥ 1 MiB"},
		{"ko", "플레이그라운드 규모 — Kafka의 내부 테스트용 설정입니다. 운영 환경에서는 segment.bytes ≥ 1 MiB"},
	} {
		setLocale(c.locale)
		lines := a.topicConfigLines()
		if len(lines) != 1 || lines[0].Topic != "logs" || len(lines[0].Items) != 2 {
			t.Fatalf("%s: lines %+v", c.locale, lines)
		}
		seg, ret := lines[0].Items[0], lines[0].Items[1]
		if seg.Text != "internal.segment.bytes=1024" || seg.Note != c.note {
			t.Errorf("%s: %+v", c.locale, seg)
		}
		if ret.Text != "retention.ms=10000" || ret.Note != "" {
			t.Errorf("%s: %+v", c.locale, ret)
		}
	}
	a.Window.Internal = true
	if lines := a.topicConfigLines(); len(lines) != 2 || lines[0].Topic != "__consumer_offsets" || !strings.HasPrefix(lines[0].Items[0].Text, "cleanup.policy=") {
		t.Errorf("with internal topics shown: %+v", lines)
	}
}
