package cluster

import (
	"github.com/brokerlab/brokerlab/engine/group/coordinator"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// shareGroupView describes a KIP-932 share group: its epochs, members
// (each with its share consumer's counts) and, per partition of the
// subscribed topics, the share-partition on its leader.
func shareGroupView(c *Cluster, gs *view.GroupSnapshot, sv *coordinator.ShareView, img *metadata.Image) {
	gs.GroupProtocol, gs.GroupEpoch, gs.AssignmentEpoch, gs.Assignor = "share", sv.GroupEpoch, sv.AssignmentEpoch, "simple"
	gs.State, gs.Generation, gs.ProtocolType, gs.Protocol, gs.Leader = string(sv.State), sv.GroupEpoch, "share", "simple", ""
	byMember := map[string]string{}
	for _, name := range sortedKeys(c.ShareConsumers) {
		if sc := c.ShareConsumers[name]; !sc.Stopped() {
			byMember[sc.MemberID()] = name
		}
	}
	topics := map[string]bool{}
	for _, m := range sv.Members {
		epoch := m.MemberEpoch
		gm := view.GroupMember{MemberID: m.ID, ClientID: m.ClientID, Assignment: tpList(m.Assigned), Topics: append([]string{}, m.Topics...), Owned: []string{},
			MemberEpoch: &epoch, ClientState: "gone"}
		if name := byMember[m.ID]; name != "" {
			sc := c.ShareConsumers[name]
			gm.Consumer, gm.ClientState, gm.Generation = name, "STABLE", sc.MemberEpoch()
			gm.Owned = tpList(sc.Assigned())
			gm.Polled, gm.Processed = sc.Stats.Delivered, int(sc.Stats.Accepted)
			gm.Commit = "share"
		}
		for _, t := range m.Topics {
			topics[t] = true
		}
		gs.Members = append(gs.Members, gm)
	}
	var sh view.ShareGroupView
	configured := false
	for _, t := range sortedKeys(topics) {
		tm := img.Topics[t]
		if tm == nil {
			continue
		}
		for i := range tm.Partitions {
			tp := names.TopicPartition{Topic: t, Partition: int32(i)}
			b, _ := c.leaderReplica(img, t, int32(i))
			if b == nil {
				sh.Partitions = append(sh.Partitions, view.SharePartitionView{Topic: t, Partition: int32(i), Leader: -1, SPSO: -1, SPEO: -1, HWM: -1, InFlight: []view.ShareRecordView{}})
				continue
			}
			if !configured {
				parts := sh.Partitions
				sh = b.ShareConfig(gs.GroupID)
				sh.Partitions, configured = parts, true
			}
			if v, ok := b.SharePartition(gs.GroupID, tp); ok {
				sh.Partitions = append(sh.Partitions, v)
			}
		}
	}
	if sh.Partitions == nil {
		sh.Partitions = []view.SharePartitionView{}
	}
	gs.Share = &sh
}

// shareConsumersPart lists the share consumers by name.
func shareConsumersPart(c *Cluster, s *view.Snapshot, _ SnapshotOptions) {
	for _, name := range sortedKeys(c.ShareConsumers) {
		s.ShareConsumers = append(s.ShareConsumers, c.ShareConsumers[name].View())
	}
}
