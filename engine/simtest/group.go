package simtest

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// Group is the consumer group some plans add: its members own the
// topic's partitions while the faults happen, so check.CheckOwners
// (two-owners-one-epoch) sees partitions move under coordinator
// failovers, fenced members and lost heartbeats.
const Group = "g"

// groupProtocols are the ways a plan's group rebalances: the consumer
// protocol (KIP-848, group.protocol=consumer) in half the plans that have
// a group, the classic protocol eager (range) or cooperative-sticky in
// the others.
var groupProtocols = []string{"consumer", "consumer", "eager", "cooperative-sticky"}

// groupMembers gives half the plans a consumer group: two members from
// the start, a third joining while the faults happen, and in half of those
// one member leaving (closed or crashed). It draws from its own stream, so
// the rest of a seed's plan is what it was before groups were added.
func (p *Plan) groupMembers(r *sim.Rand) {
	if r.Intn(2) == 0 {
		return
	}
	p.GroupProtocol = groupProtocols[r.Intn(len(groupProtocols))]
	bcfg := p.Cluster["configs"].(map[string]string)
	// A small __consumer_offsets keeps the runs cheap; no initial delay
	// lets the group form before the first faults.
	bcfg["offsets.topic.num.partitions"] = "3"
	bcfg["group.initial.rebalance.delay.ms"] = "0"
	if p.Fsync {
		// The group's state lives in __consumer_offsets: a plan that keeps
		// its records through power losses by fsync must keep the
		// coordinator's too, or a lost group restarts its epochs at 1 while
		// old members still own partitions at those epochs.
		bcfg["log.flush.interval.messages"] = "1"
	}
	cfg := func() map[string]string {
		c := map[string]string{"group.id": Group, "auto.offset.reset": "earliest", "request.timeout.ms": "5000"}
		switch p.GroupProtocol {
		case "consumer":
			c["group.protocol"] = "consumer"
		case "eager":
			c["partition.assignment.strategy"] = "range"
		default:
			c["partition.assignment.strategy"] = "cooperative-sticky"
		}
		if p.GroupProtocol != "consumer" {
			// The broker's group.min.session.timeout.ms is 6 s.
			c["session.timeout.ms"], c["heartbeat.interval.ms"] = "6000", "1000"
		}
		return c
	}
	if p.GroupProtocol == "consumer" {
		// The consumer protocol's timeouts are the broker's (KIP-848).
		hb := pick(r, 500, 1000)
		bcfg["group.consumer.heartbeat.interval.ms"] = fmt.Sprint(hb)
		bcfg["group.consumer.session.timeout.ms"] = fmt.Sprint(hb * pick(r, 4, 6))
	}
	ms := time.Millisecond
	p.add(Step{Op: "consumer_start", Consumer: "g1", Topics: []string{Topic}, Configs: cfg()})
	p.add(Step{At: 50 * ms, Op: "consumer_start", Consumer: "g2", Topics: []string{Topic}, Configs: cfg()})
	p.add(Step{At: time.Duration(200+r.Intn(int((p.Horizon-400*ms)/ms))) * ms, Op: "consumer_start", Consumer: "g3", Topics: []string{Topic}, Configs: cfg()})
	if r.Intn(2) == 0 {
		op := "consumer_close"
		if r.Intn(2) == 0 {
			op = "consumer_crash"
		}
		p.add(Step{At: time.Duration(500+r.Intn(int((p.Horizon-600*ms)/ms))) * ms, Op: op, Consumer: fmt.Sprintf("g%d", 1+r.Intn(2))})
	}
}
