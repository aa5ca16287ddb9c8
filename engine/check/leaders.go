package check

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// CheckLeaders reads became_leader events: no two brokers may lead a
// partition in the same leader epoch (two-leaders-one-epoch; a broker may
// become leader of the same epoch again, e.g. after replaying metadata).
func CheckLeaders(events []view.Event) []Violation {
	type key struct {
		names.TopicPartition
		epoch int64
	}
	type first struct {
		node string
		at   time.Duration
	}
	seen := map[key]first{}
	reported := map[key]map[string]bool{}
	var out []Violation
	for _, e := range events {
		if e.Kind != "became_leader" || e.Partition == nil {
			continue
		}
		epoch, ok := num(e.Data["leader_epoch"])
		if !ok {
			continue
		}
		k := key{names.TopicPartition{Topic: e.Topic, Partition: *e.Partition}, epoch}
		f, ok := seen[k]
		if !ok {
			seen[k] = first{e.Node, e.At()}
			continue
		}
		if f.node == e.Node || reported[k][e.Node] {
			continue
		}
		if reported[k] == nil {
			reported[k] = map[string]bool{}
		}
		reported[k][e.Node] = true
		out = append(out, Violation{Kind: TwoLeadersOneEpoch, Topic: e.Topic, Partition: *e.Partition, Offset: -1,
			Detail: fmt.Sprintf("%s (at %v) and %s (at %v) both became leader in leader epoch %d", f.node, f.at, e.Node, e.At(), epoch)})
	}
	return out
}
