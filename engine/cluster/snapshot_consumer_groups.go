package cluster

import (
	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// consumerGroupView fills a KIP-848 consumer group's describe view into
// its snapshot: epochs, the assignor, and per member its epoch, state,
// current assignment, partitions to revoke and target assignment.
func consumerGroupView(c *Cluster, gs *view.GroupSnapshot, cv *coordinator.ConsumerView, byMember map[string]*client.MemberView, img *metadata.Image) {
	gs.GroupProtocol, gs.GroupEpoch, gs.AssignmentEpoch, gs.Assignor = "consumer", cv.GroupEpoch, cv.AssignmentEpoch, cv.Assignor
	gs.State, gs.Generation, gs.ProtocolType, gs.Protocol, gs.Leader = string(cv.State), cv.GroupEpoch, "consumer", cv.Assignor, ""
	if gs.State == "" {
		gs.State = string(coordinator.ConsumerEmpty)
	}
	for _, m := range cv.Members {
		epoch := m.MemberEpoch
		gm := view.GroupMember{MemberID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID, Assignment: tpList(m.Assigned), Topics: m.Topics, Owned: []string{},
			MemberEpoch: &epoch, MemberState: string(m.State), Revoking: tpList(m.Revoking), Target: tpList(m.Target)}
		if gm.Topics == nil {
			gm.Topics = []string{}
		}
		gs.Members = append(gs.Members, c.withClientView(gm, byMember[m.ID], img))
	}
}

func tpList(tps []names.TopicPartition) []string {
	out := make([]string, len(tps))
	for i, tp := range tps {
		out[i] = tp.String()
	}
	return out
}

// consumerViewOfRecord is the view of a consumer group read from its
// partition's log (the coordinator has not loaded it).
func consumerViewOfRecord(v *coordinator.ConsumerGroupValue) *coordinator.ConsumerView {
	cv := &coordinator.ConsumerView{GroupEpoch: v.GroupEpoch, AssignmentEpoch: v.AssignmentEpoch, Assignor: v.Assignor, State: coordinator.ConsumerEmpty}
	if len(v.Members) > 0 {
		cv.State = "Unknown" // the state needs the live members; the log has their last record
	}
	for _, m := range v.Members {
		cv.Members = append(cv.Members, coordinator.ConsumerMemberView{ID: m.MemberID, InstanceID: m.InstanceID, ClientID: m.ClientID, MemberEpoch: m.MemberEpoch,
			State: m.State, Topics: m.Topics, Regex: m.Regex, Assigned: m.Assigned, Revoking: m.Revoking, Target: m.Target})
	}
	return cv
}
