package broker

import (
	"slices"

	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// handleListGroups (API key 16) lists the groups this broker's coordinator
// has loaded, filtered by state. Simplified: members of KIP-848 groups are
// described only through the snapshot, not DescribeGroups.
func (b *Broker) handleListGroups(body proto.ListGroupsRequest) proto.ListGroupsResponse {
	var resp proto.ListGroupsResponse
	gc := b.GroupCoordinator()
	if gc == nil {
		resp.ErrorCode = proto.CoordinatorNotAvailable
		return resp
	}
	for _, g := range gc.Groups() {
		if len(body.StatesFilter) > 0 && !slices.Contains(body.StatesFilter, string(g.State)) {
			continue
		}
		resp.Groups = append(resp.Groups, proto.ListedGroup{GroupID: g.ID, ProtocolType: g.ProtocolType, State: string(g.State)})
	}
	return resp
}

// handleDescribeGroups (API key 15) describes groups this broker
// coordinates: NOT_COORDINATOR for a group whose __consumer_offsets
// partition it does not lead, state Dead for one it does not know.
func (b *Broker) handleDescribeGroups(body proto.DescribeGroupsRequest) proto.DescribeGroupsResponse {
	var resp proto.DescribeGroupsResponse
	gc := b.GroupCoordinator()
	for _, id := range body.Groups {
		out := proto.DescribedGroup{GroupID: id, State: string(coordinator.Dead)}
		switch {
		case gc == nil:
			out.ErrorCode = proto.CoordinatorNotAvailable
		case !b.leads(coordinator.OffsetsTopic, gc.PartitionFor(id)):
			out.ErrorCode = proto.NotCoordinator
		default:
			if g := gc.Group(id); g != nil {
				out.State, out.ProtocolType, out.Protocol = string(g.State), g.ProtocolType, g.Protocol
				for _, m := range g.Members() {
					dm := proto.DescribedGroupMember{MemberID: m.ID, InstanceID: m.InstanceID, ClientID: m.ClientID, Assignment: m.Assignment}
					for _, p := range m.Protocols {
						if p.Name == g.Protocol || len(m.Protocols) == 1 {
							dm.Subscription = p.Metadata
						}
					}
					out.Members = append(out.Members, dm)
				}
			}
		}
		resp.Groups = append(resp.Groups, out)
	}
	return resp
}

// leads reports whether this broker leads the partition.
func (b *Broker) leads(topic string, p int32) bool {
	r := b.replicas.get(topic, p)
	return r != nil && r.IsLeader
}
