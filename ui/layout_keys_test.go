package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestKeylessRecordsAreNotTheUncommittedColour: a keyless record below the
// HWM used to be drawn grey, like the legend's "not yet committed" swatch.
// It is hatched now, and only records above the HWM are faded.
func TestKeylessRecordsAreNotTheUncommittedColour(t *testing.T) {
	s := snap3()
	s.Partitions[0].Records[3].Key = nil
	l := Layout(s, Window{Start: 0}) // HWM 25: offsets 0..23 are committed
	c := l.Parts[0].Cells[3]
	if c.Fill == "#b9cde3" || strings.HasPrefix(c.Fill, "#9") || !strings.Contains(c.Class, "keyless") {
		t.Errorf("keyless committed record %+v: want the hatch, not a grey like the pending cells", c)
	}
	if strings.Contains(c.Class, "uncommitted") {
		t.Errorf("record 3 is below the HWM (25) but drawn uncommitted: %q", c.Class)
	}
	if !strings.Contains(l.SVG(""), `<pattern id="pat-keyless"`) || c.Fill != "url(#pat-keyless)" {
		t.Errorf("the hatch pattern is missing or unused (fill %q)", c.Fill)
	}
	l = Layout(snap3(), Window{Follow: true}) // offsets 6..29: 25..29 are above the HWM
	for _, c := range l.Parts[0].Cells {
		off := l.Records[c.ID].Record.Offset
		if got := strings.Contains(c.Class, "uncommitted"); got != (off >= 25) {
			t.Errorf("offset %d: uncommitted=%v, want %v (HWM 25)", off, got, off >= 25)
		}
	}
	if T("view.legend.keyless") == "view.legend.keyless" || T("view.legend.keyed") == "view.legend.keyed" {
		t.Error("the legend has no entry for keyed and keyless records")
	}
}

// TestEmptyPartitionSaysEmpty: "offsets 0–23" on a partition with no
// record claimed offsets that do not exist.
func TestEmptyPartitionSaysEmpty(t *testing.T) {
	empty := view.PartitionState{Topic: "e", Partition: 0, Leader: 1, ISR: []int32{1},
		Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 0, InSync: true}}}
	deleted := empty
	deleted.Partition, deleted.LogStartOffset, deleted.HWM = 1, 40, 40
	deleted.Replicas = []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 40, HWM: 40, LogStartOffset: 40, InSync: true}}
	short := empty
	short.Partition, short.HWM = 2, 5
	short.Replicas = []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 5, HWM: 5, InSync: true}}
	s := view.Snapshot{Brokers: []view.BrokerSnapshot{{ID: 1, State: "up"}}, Partitions: []view.PartitionState{empty, deleted, short}}
	l := Layout(s, Window{Follow: true})
	for i, want := range []string{"empty: no records yet", "empty: every record before offset 40 was deleted", "offsets 0–4"} {
		if sub := l.Parts[i].Sub; !strings.Contains(sub, want) || (i < 2 && strings.Contains(sub, "offsets")) {
			t.Errorf("partition %d subtitle %q, want %q", i, sub, want)
		}
	}
}

// TestKeyboardMovesOverRecords: the arrows walk the cells of a strip and
// jump between partitions; the markup makes each cell a focusable button
// and rings the cursor.
func TestKeyboardMovesOverRecords(t *testing.T) {
	s := snap3()
	p2 := s.Partitions[0]
	p2.Partition = 1
	p2.Records = p2.Records[:10] // offsets 0..9
	p2.Replicas = []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 10, HWM: 10, InSync: true}}
	s.Partitions = append(s.Partitions, p2)
	l := Layout(s, Window{Follow: true}) // orders-0: 6..29, orders-1: 0..9
	start := l.Cursor("")
	if start != "rec-orders-0-29" {
		t.Fatalf("the cursor starts on %q, want the newest record of the first partition", start)
	}
	steps := []struct{ key, want string }{
		{"ArrowRight", "rec-orders-0-29"}, // the edge: stays
		{"ArrowLeft", "rec-orders-0-28"},
		{"Home", "rec-orders-0-6"},
		{"ArrowDown", "rec-orders-1-0"}, // same x: offset 0 of orders-1 is in the first column
		{"End", "rec-orders-1-9"},
		{"ArrowDown", "rec-orders-1-9"}, // no partition below
		{"ArrowUp", "rec-orders-0-15"},  // column 9 of orders-0 (6+9)
	}
	at := start
	for _, st := range steps {
		at = l.Move(at, st.key)
		if at != st.want {
			t.Fatalf("%s: cursor on %s, want %s", st.key, at, st.want)
		}
	}
	if got := l.Cursor("rec-gone-0-1"); got != start {
		t.Errorf("a cursor on a record no longer drawn moves to %q, want %q", got, start)
	}
	m := l.Markup("", "rec-orders-1-3")
	if !strings.Contains(m, `id="rec-orders-1-3" class="rec cursor" tabindex="-1" role="button"`) {
		t.Errorf("the cursor's cell is not a focusable button with the cursor class")
	}
	if strings.Count(m, `tabindex="-1"`) != len(l.Records) {
		t.Errorf("%d focusable cells, want %d", strings.Count(m, `tabindex="-1"`), len(l.Records))
	}
}
