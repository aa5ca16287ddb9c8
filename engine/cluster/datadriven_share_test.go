package cluster

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// ddShare prints share groups (KIP-932) from the snapshot:
//
//	share [group=g]   each share group: state, epochs, members with their
//	                  consumer's counts; per partition SPSO, SPEO, HWM and
//	                  the in-flight records as runs of state/delivery count/holder
func ddShare(g *goldenState, c goldenCase) string {
	var b strings.Builder
	for _, gs := range g.c.Snapshot(SnapshotOptions{}).Groups {
		if gs.Share == nil || (c.args["group"] != "" && gs.GroupID != c.args["group"]) {
			continue
		}
		fmt.Fprintf(&b, "group %s %s group_epoch=%d coordinator=%d\n", gs.GroupID, gs.State, gs.GroupEpoch, gs.Coordinator)
		for _, m := range gs.Members {
			fmt.Fprintf(&b, "  member %s (%s) epoch=%d assigned=%v delivered=%d accepted=%d\n", m.MemberID, m.Consumer, *m.MemberEpoch, m.Assignment, m.Polled, m.Processed)
		}
		for _, p := range gs.Share.Partitions {
			if !p.Initialized {
				fmt.Fprintf(&b, "  %s-%d leader=%d hwm=%d (not initialized)\n", p.Topic, p.Partition, p.Leader, p.HWM)
				continue
			}
			fmt.Fprintf(&b, "  %s-%d leader=%d spso=%d speo=%d hwm=%d available=%d acquired=%d acknowledged=%d archived=%d\n",
				p.Topic, p.Partition, p.Leader, p.SPSO, p.SPEO, p.HWM, p.Available, p.Acquired, p.Acknowledged, p.Archived)
			if runs := shareRuns(p.InFlight); runs != "" {
				fmt.Fprintf(&b, "    %s\n", runs)
			}
		}
	}
	if b.Len() == 0 {
		return "(no share groups)"
	}
	return b.String()
}

// shareRuns writes in-flight records as runs "first-last STATE/count[@holder]".
func shareRuns(recs []view.ShareRecordView) string {
	var parts []string
	for i := 0; i < len(recs); {
		j := i
		for j+1 < len(recs) && recs[j+1].Offset == recs[j].Offset+1 && recs[j+1].State == recs[i].State &&
			recs[j+1].DeliveryCount == recs[i].DeliveryCount && recs[j+1].Member == recs[i].Member {
			j++
		}
		r := fmt.Sprintf("%d", recs[i].Offset)
		if j > i {
			r += fmt.Sprintf("-%d", recs[j].Offset)
		}
		r += fmt.Sprintf(" %s/%d", recs[i].State, recs[i].DeliveryCount)
		if recs[i].Member != "" {
			r += "@" + recs[i].Member
		}
		parts = append(parts, r)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
