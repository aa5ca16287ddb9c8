package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func TestOutlineNamesPartitionsAndReplicas(t *testing.T) {
	s := snap3()
	s.Partitions = append(s.Partitions, view.PartitionState{Topic: "__consumer_offsets", Partition: 0, Leader: 2})
	l := Layout(s, Window{Follow: true})
	o := outlineOf(s, &l, false)
	if len(o.Nodes) != 4 || !strings.HasPrefix(o.Nodes[3].Text, "Broker 3: ") {
		t.Errorf("nodes %+v, want the controller and 3 brokers", o.Nodes)
	}
	if len(o.Parts) != 1 {
		t.Fatalf("%d partitions, want orders-0 only (internal topics hidden as in the view)", len(o.Parts))
	}
	p := o.Parts[0]
	if want := "orders-0: leader broker 1, epoch 0, ISR 1 2, high watermark 25"; p.Label != want {
		t.Errorf("label %q, want %q", p.Label, want)
	}
	want := []string{
		"broker 1 (leader): log end offset 30, lag 0",
		"broker 2 (follower): log end offset 26, lag 4",
		"broker 3: offline",
	}
	for i, r := range p.Replicas {
		if i >= len(want) || r.Text != want[i] {
			t.Errorf("replica %d %q, want %q", i, r.Text, want)
		}
	}
	if o := outlineOf(s, &l, true); len(o.Parts) != 2 {
		t.Errorf("%d partitions with internal topics shown, want 2", len(o.Parts))
	}
	s.Partitions[0].Leader, s.Partitions[0].Replicas[0].State, s.Partitions[0].Replicas[0].InSync = -1, "follower", false
	if p := outlineOf(s, &l, false).Parts[0]; !strings.Contains(p.Label, "no leader (offline)") || !strings.Contains(p.Replicas[0].Text, "out of sync") || strings.Contains(p.Replicas[0].Text, "lag") {
		t.Errorf("offline partition %+v", p)
	}
}

func TestOutlineRedrawsOffsetsOnceASecondAndLeadersAtOnce(t *testing.T) {
	var o outliner
	s := snap3()
	l := Layout(s, Window{Follow: true})
	first := o.update(1000, s, &l, false)
	s.Partitions[0].HWM, s.Partitions[0].Replicas[0].LEO = 28, 31
	if got := o.update(1500, s, &l, false); got != first {
		t.Error("an offset change 0.5 s later redrew the outline")
	}
	if got := o.update(2000, s, &l, false); got == first || !strings.Contains(got.Parts[0].Label, "high watermark 28") {
		t.Errorf("after 1 s the outline still says %q", got.Parts[0].Label)
	}
	second := o.update(2100, s, &l, false)
	s.Partitions[0].Leader, s.Partitions[0].LeaderEpoch = 2, 1
	if got := o.update(2200, s, &l, false); got == second || !strings.Contains(got.Parts[0].Label, "leader broker 2, epoch 1") {
		t.Errorf("a new leader 0.1 s later is not drawn: %q", got.Parts[0].Label)
	}
}

// TestOutlineAndPartitionLineNameTheELR: the eligible leader replicas and
// the last known leader (KIP-966) follow the ISR in the outline and on the
// partition line, and a change of them redraws the outline at once.
func TestOutlineAndPartitionLineNameTheELR(t *testing.T) {
	var o outliner
	s := snap3()
	l := Layout(s, Window{Follow: true})
	first := o.update(1000, s, &l, false)
	last := int32(1)
	s.Partitions[0].Leader, s.Partitions[0].ISR, s.Partitions[0].ELR, s.Partitions[0].LastKnownLeader = -1, nil, []int32{2, 3}, &last
	l = Layout(s, Window{Follow: true})
	got := o.update(1100, s, &l, false)
	if got == first || !strings.HasSuffix(got.Parts[0].Label, " · ELR [2 3] · last known leader B1") {
		t.Errorf("outline label %q", got.Parts[0].Label)
	}
	if sub := l.Parts[0].Sub; !strings.HasSuffix(sub, " · ELR [2,3] · last known leader B1") {
		t.Errorf("partition line %q", sub)
	}
}
