package cluster

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The dd commands of the KIP-848 scripts (testdata/dd/kip848*.txt,
// rebalance_protocols.txt), in ddSuite's table:
//
//	rebalance-watch group=g topics=t:12 from=30s until=90s
//	                          attaches a RebalanceMeter to the cluster's trace
//	rebalance                 what the rebalance cost (RebalanceMeter.Result)
//	group group=g             the group's view in the snapshot, one member a line

// ddMeters are the meters "rebalance-watch" attached, per cluster.
var ddMeters = map[*Cluster]*RebalanceMeter{}

// ddRebalanceArgs reads group=g topics=t:12,u:3 from=30s until=90s.
func ddRebalanceArgs(c goldenCase) (string, map[string]int32, time.Duration, time.Duration, error) {
	from, err1 := time.ParseDuration(c.args["from"])
	until, err2 := time.ParseDuration(c.args["until"])
	if err1 != nil || err2 != nil {
		return "", nil, 0, 0, fmt.Errorf("rebalance-watch group=g topics=t:12 from=30s until=90s")
	}
	topics := map[string]int32{}
	for _, tc := range strings.Split(c.args["topics"], ",") {
		name, n, ok := strings.Cut(tc, ":")
		count, err := strconv.Atoi(n)
		if !ok || err != nil {
			return "", nil, 0, 0, fmt.Errorf("topics=t:12")
		}
		topics[name] = int32(count)
	}
	return c.args["group"], topics, from, until, nil
}

// ddRebalanceWatch is the dd "rebalance-watch" command: it attaches a
// RebalanceMeter to the cluster's trace (every event, none discarded).
func ddRebalanceWatch(g *goldenState, c goldenCase) string {
	group, topics, from, until, err := ddRebalanceArgs(c)
	if err != nil {
		return "error: " + err.Error()
	}
	ddMeters[g.c] = g.c.WatchRebalance(group, topics, from, until)
	return "ok"
}

// ddRebalance is the dd "rebalance" command: the watched meter's result.
func ddRebalance(g *goldenState, _ goldenCase) string {
	m := ddMeters[g.c]
	if m == nil {
		return "error: no rebalance-watch"
	}
	r := m.Result()
	return fmt.Sprintf("unowned=%.3f partition-seconds settle=%v changes=%d moved=%d unowned-at-end=%d",
		r.UnownedPartitionS, r.Settle, r.Changes, r.Moves, r.Unowned)
}

// ddGroup is the dd "group" command: the group's snapshot, one member a
// line (consumer-protocol fields where the group has them).
func ddGroup(g *goldenState, c goldenCase) string {
	s := g.c.Snapshot(SnapshotOptions{})
	var b strings.Builder
	for _, gs := range s.Groups {
		if gs.GroupID != c.args["group"] {
			continue
		}
		fmt.Fprintf(&b, "%s protocol=%s state=%s generation=%d", gs.GroupID, gs.GroupProtocol, gs.State, gs.Generation)
		if gs.GroupProtocol == "consumer" {
			fmt.Fprintf(&b, " group_epoch=%d assignment_epoch=%d assignor=%s", gs.GroupEpoch, gs.AssignmentEpoch, gs.Assignor)
		}
		b.WriteString("\n")
		for _, m := range gs.Members {
			fmt.Fprintf(&b, "  %s (%s) client=%s owned=%v", m.MemberID, m.Consumer, m.ClientState, m.Owned)
			if gs.GroupProtocol == "consumer" {
				fmt.Fprintf(&b, " member_epoch=%d state=%s assigned=%v revoking=%v target=%v", *m.MemberEpoch, m.MemberState, m.Assignment, m.Revoking, m.Target)
			}
			b.WriteString("\n")
		}
	}
	if b.Len() == 0 {
		return "(no such group)"
	}
	return b.String()
}
