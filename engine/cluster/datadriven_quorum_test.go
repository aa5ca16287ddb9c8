package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/metadata"
)

// ddQuorum is the "quorum [controller=N] [from=N]" command: for each KRaft
// voter (or only controller N) its role,
// epoch, log end and high watermark, what its working image and its
// committed image hold (topics, fenced brokers), and its metadata log from
// offset N on (default: none), one record per line as "offset epoch kind
// detail" — what a Kafka engineer would read with kafka-metadata-shell or
// kafka-dump-log --cluster-metadata-decoder.
func ddQuorum(g *goldenState, c goldenCase) string {
	from := int64(-1)
	if s, ok := c.args["from"]; ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "error: bad from " + s
		}
		from = n
	}
	var b strings.Builder
	for _, v := range g.c.Controllers {
		if id, ok := c.args["controller"]; ok && id != strconv.Itoa(int(v.ID)) {
			continue
		}
		state := "up"
		if v.Down() {
			state = "down"
		}
		fmt.Fprintf(&b, "controller-%d %s %s epoch=%d leader=%d leo=%d hwm=%d\n", v.ID, state, v.Role(), v.Epoch(), v.LeaderID(), v.LogEnd(), v.HighWatermark())
		fmt.Fprintf(&b, "  image: %s\n", ddImage(v.Image()))
		fmt.Fprintf(&b, "  committed: %s\n", ddImage(v.CommittedImage()))
		if from >= 0 {
			for _, r := range v.Records(from) {
				fmt.Fprintf(&b, "  %d e%d %s\n", r.Offset, r.Epoch, ddRecord(r))
			}
		}
	}
	return b.String()
}

// ddImage is "offset=N topics=[..] fenced=[..]".
func ddImage(im *metadata.Image) string {
	topics := make([]string, 0, len(im.Topics))
	for name := range im.Topics {
		topics = append(topics, name)
	}
	sort.Strings(topics)
	var fenced []int32
	for _, id := range im.BrokerIDs() {
		if im.Brokers[id].Fenced {
			fenced = append(fenced, id)
		}
	}
	return fmt.Sprintf("offset=%d topics=%v fenced=%v", im.Offset, topics, fenced)
}

func ddRecord(r metadata.Record) string {
	switch {
	case r.LeaderChange != nil:
		return fmt.Sprintf("LeaderChange leader=%d voters=%v", r.LeaderChange.LeaderID, r.LeaderChange.Voters)
	case r.RegisterBroker != nil:
		return fmt.Sprintf("RegisterBroker broker=%d epoch=%d", r.RegisterBroker.BrokerID, r.RegisterBroker.BrokerEpoch)
	case r.FenceBroker != nil:
		return fmt.Sprintf("FenceBroker broker=%d epoch=%d", r.FenceBroker.BrokerID, r.FenceBroker.BrokerEpoch)
	case r.UnfenceBroker != nil:
		return fmt.Sprintf("UnfenceBroker broker=%d epoch=%d", r.UnfenceBroker.BrokerID, r.UnfenceBroker.BrokerEpoch)
	case r.Topic != nil:
		return "Topic " + r.Topic.Name
	case r.Partition != nil:
		x := r.Partition
		return fmt.Sprintf("Partition %s-%d leader=%d isr=%v", x.Topic, x.Partition, x.Leader, x.ISR)
	case r.PartitionChange != nil:
		x := r.PartitionChange
		return fmt.Sprintf("PartitionChange %s-%d leader=%d isr=%v leader_epoch=%d", x.Topic, x.Partition, x.Leader, x.ISR, x.LeaderEpoch)
	}
	return "?"
}
