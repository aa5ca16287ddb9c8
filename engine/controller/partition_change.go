package controller

import (
	"slices"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

// Election rules: which rule of Kafka's PartitionChangeBuilder.electLeader
// picked a partition's leader. Election events carry the rule as "election".
const (
	RuleISR             = "isr"               // the first unfenced replica, in assignment order, that is in the ISR
	RuleELR             = "elr"               // the ISR is empty: the first unfenced eligible leader replica (KIP-966)
	RuleLastKnownLeader = "last_known_leader" // ISR and ELR are empty: the last known leader is back (unclean recovery)
	RuleUnclean         = "unclean"           // unclean.leader.election.enable: any unfenced replica
	RulePreferred       = "preferred"         // preferred leader election
)

// partitionChange computes one PartitionChangeRecord the way Kafka's
// PartitionChangeBuilder does: the target ISR, then the ELR and the last
// known leader (when eligible.leader.replicas.version >= 1), then the
// election, ISR > ELR > last known leader > unclean. It never touches the
// partition: build returns the change, or nil when nothing would change.
type partitionChange struct {
	p          *metadata.Partition
	targetISR  []int32
	targetELR  []int32
	acceptable func(id int32) bool
	unclean    bool // Election.UNCLEAN: the topic allows unclean election
	preferred  bool // Election.PREFERRED
	elr        bool // eligible leader replicas are enabled
	minISR     int
	// uncleanShutdown is a broker that registered again after a crash
	// (Kafka: previousBrokerEpoch does not match): it leaves the ELR.
	uncleanShutdown int32
}

// newChange starts a change of p that keeps its ISR; acceptable says which
// brokers may lead.
func (c *Controller) newChange(t *metadata.Topic, p *metadata.Partition, acceptable func(int32) bool) *partitionChange {
	return &partitionChange{p: p, targetISR: clone(p.ISR), targetELR: clone(p.ELR),
		acceptable: acceptable, unclean: c.uncleanAllowed(t), elr: c.ELREnabled(), minISR: c.effectiveMinISR(t, p), uncleanShutdown: -1}
}

// effectiveMinISR is Kafka's getTopicEffectiveMinIsr: the topic's
// min.insync.replicas, else the cluster's, capped at the replication
// factor. With ELR Kafka keeps min.insync.replicas at the cluster level
// (the controller's config) and drops broker-level overrides; the engine
// has one broker config for every broker and controller, so that config is
// the cluster-level value and topic configs override it, as in Kafka.
func (c *Controller) effectiveMinISR(t *metadata.Topic, p *metadata.Partition) int {
	m := int(c.cfg.Int64("min.insync.replicas"))
	if v, ok := t.Configs["min.insync.replicas"]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			m = n
		}
	}
	return min(m, len(p.Replicas))
}

// result is a built change and the rule that picked its leader ("" when
// the leader did not change).
type result struct {
	rec  *metadata.PartitionChange
	rule string
}

func (b *partitionChange) build() result {
	p := b.p
	b.populateELR()
	leader, rule, uncleanElected := b.elect()
	leaderChanged := leader != p.Leader
	isr, isrSet := b.targetISR, false
	if leaderChanged {
		if slices.Contains(b.targetELR, leader) {
			b.targetISR = []int32{leader}
			b.targetELR = without(b.targetELR, leader)
			isr = b.targetISR
		}
		if uncleanElected {
			// Kafka forcibly sets the ISR to the new leader: data can be lost.
			isr, isrSet = []int32{leader}, true
		}
	} else {
		rule = ""
	}
	// maybeUpdateRecordElr: an unclean election or ELR off clears the ELR.
	if isrSet || !b.elr {
		b.targetELR = nil
	}
	if !isrSet && (len(b.targetISR) > 0 || b.elr) {
		isr = b.targetISR
	} else if !isrSet {
		isr = p.ISR // without ELR the ISR never becomes empty
	}
	isr = sorted(isr)
	lke := p.LastKnownELR
	if b.elr { // maybeUpdateLastKnownLeader; nothing else writes the field
		switch {
		case len(isr) == 0 && !slices.Equal(sorted(p.ISR), isr) && p.Leader >= 0 && p.LastKnownLeader() != p.Leader:
			lke = []int32{p.Leader} // the first time the partition becomes leaderless
		case leader >= 0 && len(p.LastKnownELR) > 0:
			lke = nil // it has a leader again
		}
	}
	elr := sorted(b.targetELR)
	if !leaderChanged && slices.Equal(isr, sorted(p.ISR)) && slices.Equal(elr, sorted(p.ELR)) && slices.Equal(sorted(lke), sorted(p.LastKnownELR)) {
		return result{} // changeRecordIsNoOp
	}
	epoch := p.LeaderEpoch
	if leaderChanged {
		// PartitionRegistration.merge: every leader change bumps the leader
		// epoch, a change to "no leader" included (0 → 1 offline → 2).
		epoch++
	}
	return result{rec: &metadata.PartitionChange{Topic: p.Topic, Partition: p.Index, Leader: leader, ISR: isr,
		LeaderEpoch: epoch, PartitionEpoch: p.PartitionEpoch + 1, Unclean: uncleanElected,
		ELR: elr, LastKnownELR: clone(lke)}, rule: rule}
}

// populateELR is maybePopulateTargetElr: while the target ISR is below
// min.insync.replicas, the replicas leaving the ISR join the ELR (minus a
// broker that shut down uncleanly); at or above it the ELR is cleared.
// (Kafka also tracks a last known ELR here; with the last known leader
// kept in that field instead, its default, the value is never written.)
func (b *partitionChange) populateELR() {
	if !b.elr {
		return
	}
	if len(b.targetISR) >= b.minISR {
		b.targetELR = nil
		return
	}
	var elr []int32
	for _, r := range union(b.targetELR, b.p.ISR) {
		if !slices.Contains(b.targetISR, r) && r != b.uncleanShutdown {
			elr = append(elr, r)
		}
	}
	b.targetELR = elr
}

// elect is electLeader: the leader, the rule that picked it, and whether
// Kafka counts the election as unclean (last known leader, unclean).
func (b *partitionChange) elect() (int32, string, bool) {
	p := b.p
	valid := func(r int32) bool {
		return (slices.Contains(b.targetISR, r) || (len(b.targetISR) == 0 && slices.Contains(b.targetELR, r))) && b.acceptable(r)
	}
	rule := RuleISR
	if len(b.targetISR) == 0 {
		rule = RuleELR
	}
	if b.preferred && valid(p.Replicas[0]) {
		return p.Replicas[0], RulePreferred, false
	}
	if p.Leader >= 0 && valid(p.Leader) {
		return p.Leader, "", false // the current leader meets every constraint
	}
	for _, r := range p.Replicas {
		if valid(r) {
			return r, rule, false
		}
	}
	// canElectLastKnownLeader, with Kafka 4.1's fix (KAFKA-19522): only an
	// unfenced last known leader.
	if b.elr && len(b.targetELR) == 0 && len(b.targetISR) == 0 && len(p.LastKnownELR) == 1 && b.acceptable(p.LastKnownELR[0]) {
		return p.LastKnownELR[0], RuleLastKnownLeader, true
	}
	if b.unclean && !b.preferred {
		for _, r := range p.Replicas {
			if b.acceptable(r) {
				return r, RuleUnclean, true
			}
		}
	}
	return -1, "", false
}

func clone(ids []int32) []int32 { return append([]int32(nil), ids...) }

func sorted(ids []int32) []int32 {
	out := clone(ids)
	slices.Sort(out)
	return out
}

func union(a, b []int32) []int32 {
	out := clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}
