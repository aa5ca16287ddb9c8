package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ListGroups (key 16) v0–4 and DescribeGroups (key 15) v0–5, answered by
// the broker's group coordinator from the groups it has loaded. Member
// subscriptions and assignments are encoded as the consumer protocol's
// bytes (as in groups.go). Simplified: v5 group types are not covered,
// and a KIP-848 group lists no members here.

func serveListGroups(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.ListGroupsRequest)
	send(s, proto.ListGroupsRequest{StatesFilter: req.StatesFilter}, func(r proto.ListGroupsResponse) {
		resp := req.ResponseKind().(*kmsg.ListGroupsResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		for _, g := range r.Groups {
			lg := kmsg.NewListGroupsResponseGroup()
			lg.Group, lg.ProtocolType, lg.GroupState = g.GroupID, g.ProtocolType, g.State
			resp.Groups = append(resp.Groups, lg)
		}
		s.reply(seq, h, resp)
	})
}

func serveDescribeGroups(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.DescribeGroupsRequest)
	send(s, proto.DescribeGroupsRequest{Groups: req.Groups}, func(r proto.DescribeGroupsResponse) {
		resp := req.ResponseKind().(*kmsg.DescribeGroupsResponse)
		for _, g := range r.Groups {
			dg := kmsg.NewDescribeGroupsResponseGroup()
			dg.ErrorCode, dg.Group, dg.State, dg.ProtocolType, dg.Protocol = int16(g.ErrorCode), g.GroupID, g.State, g.ProtocolType, g.Protocol
			for _, m := range g.Members {
				dm := kmsg.NewDescribeGroupsResponseGroupMember()
				dm.MemberID, dm.ClientID, dm.ClientHost = m.MemberID, m.ClientID, "/127.0.0.1"
				if m.InstanceID != "" {
					dm.InstanceID = kmsg.StringPtr(m.InstanceID)
				}
				meta := kmsg.NewConsumerMemberMetadata()
				meta.Version, meta.Topics, meta.Generation = 2, m.Subscription.Topics, m.Subscription.GenerationID
				for _, o := range m.Subscription.OwnedPartitions {
					meta.OwnedPartitions = append(meta.OwnedPartitions, kmsg.ConsumerMemberMetadataOwnedPartition{Topic: o.Topic, Partitions: o.Partitions})
				}
				dm.ProtocolMetadata = meta.AppendTo(nil)
				ma := kmsg.NewConsumerMemberAssignment()
				ma.Topics = []kmsg.ConsumerMemberAssignmentTopic{}
				for _, t := range m.Assignment {
					ma.Topics = append(ma.Topics, kmsg.ConsumerMemberAssignmentTopic{Topic: t.Topic, Partitions: t.Partitions})
				}
				dm.MemberAssignment = ma.AppendTo(nil)
				dg.Members = append(dg.Members, dm)
			}
			resp.Groups = append(resp.Groups, dg)
		}
		s.reply(seq, h, resp)
	})
}
