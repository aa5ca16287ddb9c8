package controller

import (
	"fmt"
	"testing"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

// TestPartitionChange walks the cases of Kafka's PartitionChangeBuilderTest
// that ELR touches: who joins and leaves the ELR, the election order, the
// last known leader and the leader epoch.
func TestPartitionChange(t *testing.T) {
	up := func(down ...int32) func(int32) bool {
		return func(r int32) bool {
			for _, d := range down {
				if r == d {
					return false
				}
			}
			return true
		}
	}
	part := func(leader int32, isr, elr, lke []int32) *metadata.Partition {
		return &metadata.Partition{Topic: "t", Replicas: []int32{1, 2, 3}, Leader: leader, ISR: isr, ELR: elr, LastKnownELR: lke, LeaderEpoch: 5, PartitionEpoch: 9}
	}
	for _, c := range []struct {
		name      string
		p         *metadata.Partition
		targetISR []int32
		elr       bool
		unclean   bool
		shutdown  int32
		down      []int32
		want      string
	}{
		{"shrink below min ISR: the leavers join the ELR", part(1, []int32{1, 2, 3}, nil, nil), []int32{1}, true, false, -1, nil,
			"leader=1 epoch=5 isr=[1] elr=[2 3] lke=[] rule="},
		{"the same shrink without ELR", part(1, []int32{1, 2, 3}, nil, nil), []int32{1}, false, false, -1, nil,
			"leader=1 epoch=5 isr=[1] elr=[] lke=[] rule="},
		{"leader fenced, ISR empty: an unfenced ELR member leads", part(1, []int32{1}, []int32{2, 3}, nil), []int32{}, true, false, -1, []int32{1},
			"leader=2 epoch=6 isr=[2] elr=[1 3] lke=[] rule=elr"},
		{"without ELR the last in-sync replica stays and the partition goes offline (epoch bumps)", part(1, []int32{1}, nil, nil), []int32{}, false, false, -1, []int32{1},
			"leader=-1 epoch=6 isr=[1] elr=[] lke=[] rule="},
		{"the last ISR member fenced with no ELR: offline, last known leader kept", part(1, []int32{1}, nil, nil), []int32{}, true, false, -1, []int32{1, 2, 3},
			"leader=-1 epoch=6 isr=[] elr=[1] lke=[1] rule="},
		{"every ELR member fenced: offline", part(1, []int32{1}, []int32{2, 3}, nil), []int32{}, true, false, -1, []int32{1, 2, 3},
			"leader=-1 epoch=6 isr=[] elr=[1 2 3] lke=[1] rule="},
		{"an unclean shutdown leaves the ELR", part(-1, nil, []int32{1, 2}, []int32{1}), []int32{}, true, false, 2, []int32{1, 2},
			"leader=-1 epoch=5 isr=[] elr=[1] lke=[1] rule="},
		{"ISR and ELR empty: the unfenced last known leader leads (unclean recovery)", part(-1, nil, nil, []int32{1}), []int32{}, true, false, -1, nil,
			"leader=1 epoch=6 isr=[1] elr=[] lke=[] rule=last_known_leader unclean"},
		{"a fenced last known leader is not elected (KAFKA-19522)", part(-1, nil, nil, []int32{1}), []int32{}, true, false, -1, []int32{1},
			"no change"},
		{"the ISR back at min ISR clears the ELR", part(2, []int32{2}, []int32{1, 3}, nil), []int32{1, 2}, true, false, -1, nil,
			"leader=2 epoch=5 isr=[1 2] elr=[] lke=[] rule="},
		{"unclean election: ISR set to the new leader, ELR cleared", part(1, []int32{1}, nil, nil), []int32{}, false, true, -1, []int32{1},
			"leader=2 epoch=6 isr=[2] elr=[] lke=[] rule=unclean unclean"},
		{"an ELR member is preferred to an unclean election", part(1, []int32{1}, []int32{3}, nil), []int32{}, true, true, -1, []int32{1},
			"leader=3 epoch=6 isr=[3] elr=[1] lke=[] rule=elr"},
	} {
		b := &partitionChange{p: c.p, targetISR: c.targetISR, targetELR: clone(c.p.ELR), acceptable: up(c.down...),
			unclean: c.unclean, elr: c.elr, minISR: 2, uncleanShutdown: c.shutdown}
		r := b.build()
		got := "no change"
		if r.rec != nil {
			got = fmt.Sprintf("leader=%d epoch=%d isr=%v elr=%v lke=%v rule=%s", r.rec.Leader, r.rec.LeaderEpoch, fmtIDs(r.rec.ISR), fmtIDs(r.rec.ELR), fmtIDs(r.rec.LastKnownELR), r.rule)
			if r.rec.Unclean {
				got += " unclean"
			}
			if r.rec.PartitionEpoch != c.p.PartitionEpoch+1 {
				t.Errorf("%s: partition epoch %d, want %d", c.name, r.rec.PartitionEpoch, c.p.PartitionEpoch+1)
			}
		}
		if got != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.name, got, c.want)
		}
	}
}

func fmtIDs(ids []int32) string { return fmt.Sprint(append([]int32{}, ids...)) }
