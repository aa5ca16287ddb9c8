package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// quorumSnap is snap3 with three KRaft voters: 1 leads epoch 4, 2 follows
// behind, 3 is down.
func quorumSnap() view.Snapshot {
	s := snap3()
	s.Controller = view.ControllerSnapshot{ID: 1, State: "active", Epoch: 4, MetadataOffset: 41}
	s.Quorum = []view.VoterSnapshot{
		{ID: 1, State: "up", Role: "leader", Epoch: 4, Leader: 1, LogEndOffset: 42, HighWatermark: 42},
		{ID: 2, State: "up", Role: "follower", Epoch: 4, Leader: 1, LogEndOffset: 43, HighWatermark: 42},
		{ID: 3, State: "down", Role: "unattached", Epoch: 3, Leader: -1},
	}
	return s
}

func TestLayoutQuorum(t *testing.T) {
	l := Layout(quorumSnap(), Window{Follow: true})
	if len(l.Nodes) != 6 {
		t.Fatalf("%d nodes, want 3 voters and 3 brokers", len(l.Nodes))
	}
	v1, v2, v3, b1 := l.Nodes[0], l.Nodes[1], l.Nodes[2], l.Nodes[3]
	if v1.ID != "node-voter-1" || !strings.Contains(v1.Class, "leader") || !strings.Contains(v1.Title, "★") ||
		v1.Sub != "cut off · leader" || !strings.Contains(v1.Class, "cut") || v1.Detail != "LEO 42 · HW 42" {
		t.Errorf("voter 1: %+v", v1)
	}
	if !strings.Contains(v2.Class, "follower") || v2.Sub != "follower · epoch 4" || v2.Detail != "LEO 43 · HW 42 (+1)" {
		t.Errorf("voter 2: %+v", v2)
	}
	if !strings.Contains(v3.Class, "down") || v3.Sub != "down" || v3.Detail != "" {
		t.Errorf("voter 3: %+v", v3)
	}
	if b1.Y <= v1.Y+v1.H || b1.X != 8 || strings.Contains(b1.Class, "controller") {
		t.Errorf("broker 1 at x=%d y=%d, want the first broker on its own row under the voters", b1.X, b1.Y)
	}
	if l.Parts[0].Y <= b1.Y+b1.H {
		t.Errorf("partitions start at y=%d, over the brokers (y=%d)", l.Parts[0].Y, b1.Y)
	}
	if !strings.Contains(l.QuorumNeed, "needs 2 of 3") || !strings.Contains(l.QuorumSub, "2 of 3 up") {
		t.Errorf("quorum note %q / %q", l.QuorumNeed, l.QuorumSub)
	}
	svg := l.SVG("")
	if strings.Count(svg, `class="node controller voter`) != 3 || !strings.Contains(svg, "needs 2 of 3") {
		t.Error("the markup lacks the voters or the note")
	}
	// Two voters down of three: no majority.
	s := quorumSnap()
	s.Quorum[1].State = "down"
	s.Controller.ID = -1
	if l := Layout(s, Window{Follow: true}); !strings.Contains(l.QuorumSub, "no majority") {
		t.Errorf("1 of 3 up: %q", l.QuorumSub)
	}
	// One voter keeps the single controller box.
	s = quorumSnap()
	s.Quorum = s.Quorum[:1]
	if l := Layout(s, Window{Follow: true}); l.Nodes[0].ID != "node-controller" || l.Quorum != "" {
		t.Errorf("one voter: first node %q, note %q", l.Nodes[0].ID, l.Quorum)
	}
	// Five voters: a majority is 3.
	s = quorumSnap()
	s.Quorum = append(s.Quorum, view.VoterSnapshot{ID: 4, State: "up", Role: "follower"}, view.VoterSnapshot{ID: 5, State: "up", Role: "follower"})
	if l := Layout(s, Window{Follow: true}); !strings.Contains(l.QuorumNeed, "needs 3 of 5") {
		t.Errorf("five voters: %q", l.Quorum)
	}
}

// isrSnap is one partition at time t with the given ISR, leader and epoch.
func isrSnap(t int64, leader, epoch int32, isr ...int32) view.Snapshot {
	return view.Snapshot{TimeUS: t, Partitions: []view.PartitionState{
		{Topic: "orders", Partition: 0, Leader: leader, LeaderEpoch: epoch, ISR: isr,
			Replicas: []view.ReplicaSnapshot{{Broker: 1}, {Broker: 2}, {Broker: 3}}},
		{Topic: "__consumer_offsets", Partition: 0, Leader: 1, ISR: []int32{1}},
	}}
}

func TestISRHistory(t *testing.T) {
	var h ISRHistory
	h.Add(isrSnap(0, 1, 0, 1, 2, 3))
	h.Add(isrSnap(1_000_000, 1, 0, 1, 2, 3)) // no change
	h.Add(isrSnap(2_000_000, 1, 0, 1, 2))    // shrink
	h.Add(isrSnap(3_000_000, -1, 0, 1, 2))   // leader lost
	h.Add(isrSnap(4_000_000, 2, 1, 2))       // new leader alone, epoch 1
	if len(h.Tracks) != 1 {
		t.Fatalf("%d tracks, want 1 (internal topics skipped)", len(h.Tracks))
	}
	st := h.Tracks[0].States
	if len(st) != 4 || st[1].TUS != 2_000_000 || len(st[1].ISR) != 2 || st[3].Epoch != 1 {
		t.Fatalf("states %+v", st)
	}
	svg, w, ht := h.SVG(5_000_000)
	if w != isrW || ht <= isrRowH {
		t.Errorf("size %d×%d", w, ht)
	}
	for _, want := range []string{`class="isr full"`, `class="isr shrunk"`, `class="isr offline"`, `class="isr alone"`, "leader epoch 0 → 1", ">orders-0<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("markup lacks %s", want)
		}
	}
	if n := strings.Count(svg, `class="iep"`); n != 1 {
		t.Errorf("%d epoch marks, want 1", n)
	}
	// 30 s over 420 units, now at 5 s: the shrunk bar runs from 2 s (27 s
	// into the window: 378) to 3 s (392).
	if !strings.Contains(svg, `class="isr shrunk" x="`+itoa(isrLabelW+378)+`" y="4" width="14"`) {
		t.Error("the shrunk bar is misplaced")
	}
	// Long after, only the last state is kept and fills the strip.
	h.Add(isrSnap(4_000_000+ISRWindowUS+1, 2, 1, 2))
	if st := h.Tracks[0].States; len(st) != 1 || st[0].Epoch != 1 {
		t.Errorf("after the window: %+v", st)
	}
	svg, _, _ = h.SVG(4_000_000 + ISRWindowUS + 1)
	if !strings.Contains(svg, `x="`+itoa(isrLabelW)+`" y="4" width="420"`) || !strings.Contains(svg, `>2</text>`) || strings.Contains(svg, "iep") {
		t.Errorf("the kept state does not start at the window's left edge, or an old epoch mark remains")
	}
	// Going back in time (a rewind) starts over.
	h.Add(isrSnap(1000, 1, 0, 1, 2, 3))
	if st := h.Tracks[0].States; len(st) != 1 || st[0].TUS != 1000 {
		t.Errorf("after a rewind: %+v", st)
	}
}

func groupSnap() []view.GroupSnapshot {
	return []view.GroupSnapshot{{
		GroupID: "billing", Coordinator: 2, State: "Stable", Generation: 3, Loaded: true,
		Protocol: "cooperative-sticky", RebalanceProtocol: "COOPERATIVE", Leader: "c1-x",
		Members: []view.GroupMember{
			{MemberID: "c1-x", Consumer: "c1", Assignment: []string{"orders-0", "orders-1"}, ClientState: "STABLE"},
			{MemberID: "c2-y", Consumer: "c2", ClientState: "PREPARING_REBALANCE"},
		},
		Partitions: []view.GroupPartition{
			{Topic: "orders", Partition: 0, Owner: "c1", Committed: 10, Position: 15, HWM: 20, Lag: 10},
			{Topic: "orders", Partition: 1, Owner: "", Committed: -1, Position: -1, HWM: 0, Lag: -1},
		},
	}}
}

func TestGroupsHTML(t *testing.T) {
	h := GroupsHTML(groupSnap())
	for _, want := range []string{`id="group-billing"`, "coordinator B2", "generation 3", "COOPERATIVE (cooperative-sticky)",
		`class="gstate stable"`, `c1 ★`, `<span class="tp">orders-1</span>`, "PREPARING_REBALANCE", "no partitions", "unassigned",
		`<td class="n">10</td><td class="n">15</td><td class="n">20</td><td class="n">10</td>`, `<tr class="gp lagging">`} {
		if !strings.Contains(h, want) {
			t.Errorf("markup lacks %s", want)
		}
	}
	// The bar: HWM 20 over 90 units, position 15 → 67, committed 10 → 45.
	if !strings.Contains(h, `class="ob-pos" x="0" y="2" width="67"`) || !strings.Contains(h, `class="ob-com" x="0" y="2" width="45"`) {
		t.Error("offset bar widths are off")
	}
	if strings.Count(h, "<tr") != 3 {
		t.Errorf("%d rows, want a header and 2 partitions", strings.Count(h, "<tr"))
	}
	g := groupSnap()
	g[0].GroupID = `<b>x</b>`
	g[0].Loaded = false
	if h := GroupsHTML(g); strings.Contains(h, "<b>") || !strings.Contains(h, "loading from __consumer_offsets") {
		t.Error("group id unescaped or the unloaded note missing")
	}
	if h := GroupsHTML(nil); !strings.Contains(h, T("groups.none")) {
		t.Error("no note without groups")
	}
}

func producerSnap() []view.ProducerSnapshot {
	return []view.ProducerSnapshot{{Name: "p1", State: &view.ProducerState{
		BatchSize: 16384, LingerMs: 5, Compression: "none", BufferMemory: 32 << 20, BufferUsed: 12288, MaxInFlight: 5,
		InFlight: []view.BrokerInFlight{{Broker: 1, Requests: 2}, {Broker: 2, Requests: 5}},
		Partitions: []view.ProducerPartition{
			{Topic: "orders", Partition: 0, Leader: 1,
				Queued:   []view.ProducerBatch{{Records: 40, Bytes: 16384, Capacity: 16384, State: "full"}, {Records: 10, Bytes: 4096, Capacity: 16384, State: "open", SendableInUS: 3200}},
				InFlight: []view.ProducerBatch{{Records: 40, Bytes: 8192, Capacity: 16384, State: "in_flight", Attempts: 2, BaseSequence: 7}}},
			{Topic: "orders", Partition: 1, Leader: 2, Queued: []view.ProducerBatch{{Records: 1, Bytes: 100, Capacity: 16384, State: "open", SendableInUS: 4100}}},
			{Topic: "orders", Partition: 2, Leader: 3}, // nothing queued: not drawn
		},
		BatchSizeHisto: []view.HistogramBucket{{LE: 1024, Count: 2}, {LE: 16384, Count: 8}, {LE: -1, Count: 0}},
	}}, {Name: "old"}}
}

func TestAccumulatorHTML(t *testing.T) {
	h := AccumulatorHTML(producerSnap())
	for _, want := range []string{`id="accum-p1"`, "batch.size 16.0 KB", "linger.ms 5", `<span class="ifl">B1 2/5</span>`,
		`<span class="ifl maxed">B2 5/5</span>`, "orders-0 → B1", "linger 3.2 ms", "attempt 2, base sequence 7", "≤16K", "batch sizes sent"} {
		if !strings.Contains(h, want) {
			t.Errorf("markup lacks %s", want)
		}
	}
	if strings.Contains(h, "orders-2") || strings.Contains(h, "accum-old") {
		t.Error("an empty queue or a producer without state is drawn")
	}
	if n := strings.Count(h, `<g class="batch `); n != 4 {
		t.Errorf("%d batches, want 3 queued + 1 in flight", n)
	}
	// Fill bars: full is 26 units, 4 KB of 16 KB is 6, in flight 8 KB is 13.
	for _, want := range []string{`class="fillb" x="1" y="1" width="26"`, `class="fillb" x="30" y="1" width="6"`, `class="batch in_flight"`, `class="fillb" x="59" y="1" width="13"`} {
		if !strings.Contains(h, want) {
			t.Errorf("markup lacks %s", want)
		}
	}
	// Histogram: the top bucket is full height, the other a quarter.
	if !strings.Contains(h, `height="34"><title>≤16K: 8</title>`) || !strings.Contains(h, `height="8"><title>≤1K: 2</title>`) {
		t.Error("histogram bar heights are off")
	}
	if h := AccumulatorHTML(nil); !strings.Contains(h, T("accum.none")) {
		t.Error("no note without producers")
	}
}

func TestPlotRebalanceMarks(t *testing.T) {
	var s Series
	for i := int64(0); i < 20; i++ {
		gen := int32(1)
		if i >= 12 {
			gen = 2
		}
		s.Add(view.Snapshot{TimeUS: i * 200_000, Groups: []view.GroupSnapshot{{Generation: gen}}})
	}
	l := s.Lines(19 * 200_000)
	if n := strings.Count(l.Rebalances, "M"); n != 1 {
		t.Fatalf("%d rebalance marks (%q), want 1", n, l.Rebalances)
	}
}

func TestPanelCachePacesAndRevises(t *testing.T) {
	s := &Session{Snap: view.Snapshot{Groups: groupSnap(), Producers: producerSnap()}}
	s.ISR.Add(isrSnap(0, 1, 0, 1, 2, 3))
	var c panelCache
	c.update(1000, true, s)
	if c.groups.HTML == "" || c.accum.HTML == "" || c.isr.HTML == "" || c.isrW != isrW {
		t.Fatal("the first update built no panels")
	}
	revs := map[int]bool{c.isr.Rev: true, c.groups.Rev: true, c.accum.Rev: true}
	if len(revs) != 3 {
		t.Errorf("revisions %d %d %d are not unique", c.isr.Rev, c.groups.Rev, c.accum.Rev)
	}
	g := c.groups
	s.Snap.Groups[0].Generation = 4
	c.update(1000+panelEveryMS/2, true, s) // too soon while playing
	if c.groups != g {
		t.Error("the groups panel was rebuilt within panelEveryMS")
	}
	c.update(1000+panelEveryMS/2, false, s) // paused: at once
	if c.groups.Rev == g.Rev || !strings.Contains(c.groups.HTML, "generation 4") {
		t.Error("a paused update did not rebuild the groups panel")
	}
	a := c.accum
	c.update(1000+2*panelEveryMS, true, s)
	if c.accum != a {
		t.Error("an unchanged panel got a new revision")
	}
	s.Snap.Groups, s.Snap.Producers = nil, nil
	c.update(1000+4*panelEveryMS, true, s)
	if c.groups.HTML != "" || c.accum.HTML != "" {
		t.Error("panels without groups or producers are not hidden")
	}
	var empty ISRHistory
	if m, _, _ := empty.SVG(0); m != "" {
		t.Error("an ISR chart without partitions")
	}
}
