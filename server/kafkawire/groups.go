package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The classic group protocol: JoinGroup (key 11) v0–9, SyncGroup (14)
// v0–5, Heartbeat (12) v0–4 and LeaveGroup (13) v0–5. The engine's
// coordinator keeps a member's subscription and assignment as values, not
// the bytes of Kafka's consumer protocol, so only protocol type
// "consumer" is covered: subscriptions are decoded here
// (ConsumerProtocolSubscription) and re-encoded as version 2 for the
// leader, assignments are decoded from the leader and re-encoded as
// version 0. Simplified: assignor user data does not survive the trip.

// inconsistentGroupProtocol is Kafka's INCONSISTENT_GROUP_PROTOCOL.
const inconsistentGroupProtocol = 23

func serveJoinGroup(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.JoinGroupRequest)
	resp := req.ResponseKind().(*kmsg.JoinGroupResponse)
	body := proto.JoinGroupRequest{GroupID: req.Group, SessionTimeoutMs: req.SessionTimeoutMillis, RebalanceTimeoutMs: req.RebalanceTimeoutMillis,
		MemberID: req.MemberID, GroupInstanceID: str(req.InstanceID), ProtocolType: req.ProtocolType, Reason: str(req.Reason)}
	if req.Version == 0 {
		body.RebalanceTimeoutMs = req.SessionTimeoutMillis
	}
	for _, p := range req.Protocols {
		var m kmsg.ConsumerMemberMetadata
		if req.ProtocolType != "consumer" || m.ReadFrom(p.Metadata) != nil {
			resp.ErrorCode, resp.Generation, resp.MemberID = inconsistentGroupProtocol, -1, req.MemberID
			s.reply(seq, h, resp)
			return
		}
		sub := proto.ConsumerSubscription{Topics: m.Topics, GenerationID: -1}
		if m.Version >= 2 {
			sub.GenerationID = m.Generation
		}
		for _, o := range m.OwnedPartitions {
			sub.OwnedPartitions = append(sub.OwnedPartitions, proto.TopicPartitions{Topic: o.Topic, Partitions: o.Partitions})
		}
		body.Protocols = append(body.Protocols, proto.JoinGroupProtocol{Name: p.Name, Metadata: sub})
	}
	send(s, body, func(r proto.JoinGroupResponse) {
		resp.ErrorCode, resp.Generation, resp.LeaderID, resp.MemberID, resp.SkipAssignment = int16(r.ErrorCode), r.GenerationID, r.Leader, r.MemberID, r.SkipAssignment
		if r.ProtocolName != "" {
			resp.Protocol = kmsg.StringPtr(r.ProtocolName)
		}
		if r.ProtocolType != "" {
			resp.ProtocolType = kmsg.StringPtr(r.ProtocolType)
		}
		for _, m := range r.Members {
			jm := kmsg.NewJoinGroupResponseMember()
			jm.MemberID = m.MemberID
			if m.GroupInstanceID != "" {
				jm.InstanceID = kmsg.StringPtr(m.GroupInstanceID)
			}
			meta := kmsg.NewConsumerMemberMetadata()
			meta.Version, meta.Topics, meta.Generation = 2, m.Metadata.Topics, m.Metadata.GenerationID
			for _, o := range m.Metadata.OwnedPartitions {
				meta.OwnedPartitions = append(meta.OwnedPartitions, kmsg.ConsumerMemberMetadataOwnedPartition{Topic: o.Topic, Partitions: o.Partitions})
			}
			jm.ProtocolMetadata = meta.AppendTo(nil)
			resp.Members = append(resp.Members, jm)
		}
		s.reply(seq, h, resp)
	})
}

func serveSyncGroup(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.SyncGroupRequest)
	resp := req.ResponseKind().(*kmsg.SyncGroupResponse)
	body := proto.SyncGroupRequest{GroupID: req.Group, GenerationID: req.Generation, MemberID: req.MemberID, GroupInstanceID: str(req.InstanceID),
		ProtocolType: str(req.ProtocolType), ProtocolName: str(req.Protocol)}
	for _, a := range req.GroupAssignment {
		var ma kmsg.ConsumerMemberAssignment
		if len(a.MemberAssignment) > 0 && ma.ReadFrom(a.MemberAssignment) != nil {
			resp.ErrorCode = inconsistentGroupProtocol
			s.reply(seq, h, resp)
			return
		}
		sa := proto.SyncGroupAssignment{MemberID: a.MemberID}
		for _, t := range ma.Topics {
			sa.Assignment = append(sa.Assignment, proto.TopicPartitions{Topic: t.Topic, Partitions: t.Partitions})
		}
		body.Assignments = append(body.Assignments, sa)
	}
	send(s, body, func(r proto.SyncGroupResponse) {
		resp.ErrorCode = int16(r.ErrorCode)
		if r.ProtocolType != "" {
			resp.ProtocolType = kmsg.StringPtr(r.ProtocolType)
		}
		if r.ProtocolName != "" {
			resp.Protocol = kmsg.StringPtr(r.ProtocolName)
		}
		if r.ErrorCode == proto.None {
			ma := kmsg.NewConsumerMemberAssignment()
			ma.Topics = []kmsg.ConsumerMemberAssignmentTopic{}
			for _, t := range r.Assignment {
				ma.Topics = append(ma.Topics, kmsg.ConsumerMemberAssignmentTopic{Topic: t.Topic, Partitions: t.Partitions})
			}
			resp.MemberAssignment = ma.AppendTo(nil)
		}
		s.reply(seq, h, resp)
	})
}

func serveHeartbeat(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.HeartbeatRequest)
	body := proto.HeartbeatRequest{GroupID: req.Group, GenerationID: req.Generation, MemberID: req.MemberID, GroupInstanceID: str(req.InstanceID)}
	send(s, body, func(r proto.HeartbeatResponse) {
		resp := req.ResponseKind().(*kmsg.HeartbeatResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		s.reply(seq, h, resp)
	})
}

func serveLeaveGroup(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.LeaveGroupRequest)
	body := proto.LeaveGroupRequest{GroupID: req.Group}
	if req.Version < 3 {
		body.Members = []proto.MemberIdentity{{MemberID: req.MemberID}}
	}
	for _, m := range req.Members {
		body.Members = append(body.Members, proto.MemberIdentity{MemberID: m.MemberID, GroupInstanceID: str(m.InstanceID), Reason: str(m.Reason)})
	}
	send(s, body, func(r proto.LeaveGroupResponse) {
		resp := req.ResponseKind().(*kmsg.LeaveGroupResponse)
		resp.ErrorCode = int16(r.ErrorCode)
		if req.Version < 3 && resp.ErrorCode == 0 && len(r.Members) > 0 {
			resp.ErrorCode = int16(r.Members[0].ErrorCode)
		}
		for _, m := range r.Members {
			lm := kmsg.NewLeaveGroupResponseMember()
			lm.MemberID, lm.ErrorCode = m.MemberID, int16(m.ErrorCode)
			if m.GroupInstanceID != "" {
				lm.InstanceID = kmsg.StringPtr(m.GroupInstanceID)
			}
			resp.Members = append(resp.Members, lm)
		}
		s.reply(seq, h, resp)
	})
}

// str is a nullable string's value ("" for null).
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
