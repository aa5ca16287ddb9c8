package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func strp(s string) *string { return &s }

// snap3 is three brokers and one partition of "orders" with RF 3: broker 1
// leads with 30 records, broker 2 is behind, broker 3 is offline.
func snap3() view.Snapshot {
	recs := make([]view.RecordView, 0, 30)
	for off := int64(0); off < 30; off++ {
		r := view.RecordView{Offset: off, Key: strp("k"), Value: strp("v")}
		if off == 29 {
			r.Key, r.Headers = nil, map[string]string{"trace": "1"}
		}
		recs = append(recs, r)
	}
	return view.Snapshot{
		Controller: view.ControllerSnapshot{ID: 1, State: "up"},
		Brokers: []view.BrokerSnapshot{{ID: 1, State: "up"}, {ID: 2, State: "up", UnflushedBytes: 2048},
			{ID: 3, State: "down"}},
		Network: view.NetworkSnapshot{Cuts: [][2]string{{"broker-2", "controller-1"}}},
		Partitions: []view.PartitionState{{
			Topic: "orders", Partition: 0, Leader: 1, ISR: []int32{1, 2}, HWM: 25,
			Replicas: []view.ReplicaSnapshot{
				{Broker: 1, State: "leader", LEO: 30, HWM: 25, FlushedOffset: 20, InSync: true},
				{Broker: 2, State: "follower", LEO: 26, HWM: 24, FlushedOffset: 26, InSync: true},
				{Broker: 3, State: "offline", LEO: -1, HWM: -1, FlushedOffset: -1},
			},
			Records: recs,
		}},
	}
}

func TestLayoutFollowsTheLogEnd(t *testing.T) {
	l := Layout(snap3(), Window{Follow: true})
	if len(l.Nodes) != 4 {
		t.Fatalf("%d nodes, want the controller and 3 brokers", len(l.Nodes))
	}
	if !strings.Contains(l.Nodes[3].Class, "down") || !strings.Contains(l.Nodes[2].Class, "cut") {
		t.Errorf("broker classes %q, %q: want broker 3 down and broker 2 cut off", l.Nodes[3].Class, l.Nodes[2].Class)
	}
	if l.Nodes[2].Detail != "2.0 KB unflushed" {
		t.Errorf("broker 2 detail %q", l.Nodes[2].Detail)
	}
	p := l.Parts[0]
	// The window ends at the furthest LEO (30): offsets 6..29.
	if !strings.Contains(p.Sub, "offsets 6–29") || !strings.Contains(p.Sub, "ISR [1,2]") {
		t.Errorf("partition subtitle %q", p.Sub)
	}
	if len(p.Cells) != StripWindow {
		t.Fatalf("%d record cells, want %d (one per offset in the window)", len(p.Cells), StripWindow)
	}
	if p.Cells[0].ID != "rec-orders-0-6" || p.Cells[0].X != labelW+2 {
		t.Errorf("first cell %+v", p.Cells[0])
	}
	last := p.Cells[len(p.Cells)-1]
	if last.Fill != keylessFill || !strings.Contains(last.Class, "has-headers") {
		t.Errorf("the keyless record with a header: %+v", last)
	}
	lead, follower, offline := p.Rows[0], p.Rows[1], p.Rows[2]
	if lead.HWMX != labelW+(25-6)*cellW || lead.LEOX != labelW+(30-6)*cellW {
		t.Errorf("leader markers HW x=%d LEO x=%d", lead.HWMX, lead.LEOX)
	}
	if follower.HWMX != labelW+(24-6)*cellW || follower.LEOX != labelW+(26-6)*cellW {
		t.Errorf("follower markers HW x=%d LEO x=%d", follower.HWMX, follower.LEOX)
	}
	// The leader: 19 committed cells (6..24), 5 pending (25..29), unflushed from 20.
	if n := strings.Count(lead.Committed, "M"); n != 19 {
		t.Errorf("%d committed cells, want 19", n)
	}
	if n := strings.Count(lead.Pending, "M"); n != 5 {
		t.Errorf("%d pending cells, want 5", n)
	}
	if lead.Unflushed == "" || follower.Unflushed != "" {
		t.Errorf("unflushed bars: leader %q follower %q", lead.Unflushed, follower.Unflushed)
	}
	if offline.Committed != "" || offline.ShowHWM || !strings.Contains(offline.Class, "offline") {
		t.Errorf("the offline replica drew %+v", offline)
	}
	if _, ok := l.Records["rec-orders-0-29"]; !ok {
		t.Error("record 29 is not clickable")
	}
}

func TestLayoutWindowFromStart(t *testing.T) {
	l := Layout(snap3(), Window{Start: 0})
	p := l.Parts[0]
	if p.Cells[0].ID != "rec-orders-0-0" || !strings.Contains(p.Sub, "offsets 0–23") {
		t.Fatalf("window from 0 shows %s first, subtitle %q", p.Cells[0].ID, p.Sub)
	}
	if p.Rows[0].ShowLEO { // LEO 30 is past the window
		t.Error("the leader's LEO marker is drawn outside the window")
	}
	// A start past the tail shows the tail.
	if got := (Window{Start: 100}).start(30); got != 6 {
		t.Errorf("start past the end = %d, want 6", got)
	}
}

func TestSVGEscapes(t *testing.T) {
	s := snap3()
	s.Partitions[0].Topic = `o"><script>alert(1)</script>`
	s.Brokers[0].Rack = "r"
	l := Layout(s, Window{Follow: true})
	svg := l.SVG("")
	if strings.Contains(svg, "<script>") || strings.Contains(svg, `o">`) {
		t.Fatalf("unescaped markup: %s", svg[:min(len(svg), 400)])
	}
	if !strings.Contains(svg, "&lt;script&gt;") {
		t.Error("the topic name is missing from the markup")
	}
	sel := "rec-orders-0-10"
	l = Layout(snap3(), Window{Follow: true})
	if !strings.Contains(l.SVG(sel), `id="`+sel+`" class="rec selected"`) {
		t.Error("the selected record is not marked")
	}
}

func TestKeyColorIsStable(t *testing.T) {
	if KeyColor(strp("user-1")) != KeyColor(strp("user-1")) {
		t.Fatal("one key, two colours")
	}
	seen := map[string]bool{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		seen[KeyColor(strp(k))] = true
	}
	if len(seen) < 3 {
		t.Errorf("8 keys share %d colours", len(seen))
	}
}
