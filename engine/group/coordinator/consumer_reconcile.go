package coordinator

import (
	"github.com/brokerlab/brokerlab/engine/names"
)

// reconcile moves a member toward its target assignment, as Kafka's
// CurrentAssignmentBuilder.build does; owned is what the member reported
// owning in this heartbeat (nil: not reported). It reports whether the
// member changed.
func (cg *consumerGroup) reconcile(m *ConsumerMember, owned []names.TopicPartition) bool {
	before := memberKey(m)
	switch m.State {
	case MemberStable:
		if m.MemberEpoch != cg.AssignmentEpoch {
			cg.computeNext(m, m.MemberEpoch, owned)
		}
	case MemberUnrevokedPartitions:
		// The member may move on only once it released what it must revoke
		// (a heartbeat that does not report what it owns proves nothing).
		if owned != nil && !ownsAny(owned, m.Revoking) {
			cg.computeNext(m, min(m.MemberEpoch+1, cg.AssignmentEpoch), owned)
		}
	case MemberUnreleasedPartitions:
		// It gets more once the target is newer or a previous owner released.
		epoch := m.MemberEpoch
		if epoch < cg.AssignmentEpoch {
			epoch = cg.AssignmentEpoch
		}
		cg.computeNext(m, epoch, owned)
	}
	return memberKey(m) != before
}

// computeNext is CurrentAssignmentBuilder.computeNextAssignment: keep what
// is still the member's, revoke what is not (the member epoch stays until
// the member acknowledged), then add target partitions no one else holds
// (the member epoch moves to the target's); partitions another member still
// holds wait (UNRELEASED_PARTITIONS).
func (cg *consumerGroup) computeNext(m *ConsumerMember, epoch int32, owned []names.TopicPartition) {
	target := map[names.TopicPartition]bool{}
	for _, tp := range cg.target[m.ID] {
		target[tp] = true
	}
	var kept, revoke, add []names.TopicPartition
	current := map[names.TopicPartition]bool{}
	for _, tp := range m.Assigned {
		current[tp] = true
		if target[tp] {
			kept = append(kept, tp)
		} else {
			revoke = append(revoke, tp)
		}
	}
	unreleased := false
	for _, tp := range cg.target[m.ID] {
		if current[tp] {
			continue
		}
		if o, held := cg.owner[tp]; held && o != m.ID {
			unreleased = true
			continue
		}
		add = append(add, tp)
	}
	cg.release(m)
	switch {
	case len(revoke) > 0 && (owned == nil || ownsAny(owned, revoke)):
		m.State = MemberUnrevokedPartitions
		setEpoch(m, epoch)
		m.Assigned, m.Revoking = sorted(kept), sorted(revoke)
	case len(add) > 0:
		m.State = MemberStable
		if unreleased {
			m.State = MemberUnreleasedPartitions
		}
		setEpoch(m, cg.AssignmentEpoch)
		m.Assigned, m.Revoking = sorted(append(kept, add...)), nil
	case unreleased:
		m.State = MemberUnreleasedPartitions
		setEpoch(m, cg.AssignmentEpoch)
		m.Assigned, m.Revoking = sorted(kept), nil
	default:
		m.State = MemberStable
		setEpoch(m, cg.AssignmentEpoch)
		m.Assigned, m.Revoking = sorted(kept), nil
	}
	cg.hold(m)
}

// setEpoch is ConsumerGroupMember.Builder.updateMemberEpoch.
func setEpoch(m *ConsumerMember, e int32) {
	if e != m.MemberEpoch {
		m.PreviousMemberEpoch, m.MemberEpoch = m.MemberEpoch, e
	}
}

func ownsAny(owned, of []names.TopicPartition) bool {
	has := map[names.TopicPartition]bool{}
	for _, tp := range owned {
		has[tp] = true
	}
	for _, tp := range of {
		if has[tp] {
			return true
		}
	}
	return false
}

func isSubset(sub, of []names.TopicPartition) bool {
	has := map[names.TopicPartition]bool{}
	for _, tp := range of {
		has[tp] = true
	}
	for _, tp := range sub {
		if !has[tp] {
			return false
		}
	}
	return true
}

func sorted(tps []names.TopicPartition) []names.TopicPartition {
	out := append([]names.TopicPartition{}, tps...)
	names.Sort(out)
	return out
}

type memberSnapshot struct {
	epoch    int32
	state    MemberState
	assigned string
	revoking string
}

func memberKey(m *ConsumerMember) memberSnapshot {
	return memberSnapshot{m.MemberEpoch, m.State, joinTPs(m.Assigned), joinTPs(m.Revoking)}
}

func joinTPs(tps []names.TopicPartition) string {
	s := ""
	for _, tp := range tps {
		s += tp.String() + ","
	}
	return s
}
