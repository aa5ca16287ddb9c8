package simtest

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// shareConsumers adds a share group (KIP-932) to a plan: two or three
// share consumers read the topic from the start, one may crash while the
// faults run (its locked records come back after the lock expires), and
// the checker holds the group to at-least-once within the delivery limit
// (engine/check share.go).
func (p *Plan) shareConsumers(r *sim.Rand) {
	p.Share = true
	// Small internal topics: fifty partitions each of __consumer_offsets and
	// __share_group_state, replicated three times, would cost a run more
	// than everything else in it.
	cfg := p.Cluster["configs"].(map[string]string)
	cfg["offsets.topic.num.partitions"] = fmt.Sprint(1 + r.Intn(3))
	cfg["share.coordinator.state.topic.num.partitions"] = fmt.Sprint(1 + r.Intn(3))
	n := 2 + r.Intn(2)
	for i := 1; i <= n; i++ {
		cfg := map[string]string{"request.timeout.ms": "5000"}
		if i == 1 {
			cfg["share.auto.offset.reset"] = "earliest" // a group config, set on the group
		}
		p.add(Step{Op: "share_consumer_start", Consumer: fmt.Sprintf("s%d", i), Group: "sg", Topics: []string{Topic}, Configs: cfg,
			Process: fmt.Sprintf("%dms", pick(r, 0, 1, 5)), MaxRecords: pick(r, 5, 50, 500)})
	}
	if r.Intn(2) == 0 {
		p.add(Step{At: time.Duration(500+r.Intn(2500)) * time.Millisecond, Op: "consumer_crash", Consumer: fmt.Sprintf("s%d", 1+r.Intn(n))})
	}
}
