package lessons

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over replication: the high watermark as consumers see it, the
// ISR over time, leader elections and offline partitions.

func init() {
	register[atHWMParams]("consumer_at_hwm", "the consumer has read the partition up to its high watermark and waits there while the leader's log end offset is at least min_gap (default 1) records further", 0, consumerAtHWM)
	register[partitionParams]("isr_rejoined", "a replica of a partition of the topic (or the given one) left the ISR and later came back into it (from the ISR in partition-change events)", needsEvents, isrRejoined)
	register[electionParams]("election_seen", "the controller elected a new leader for a partition of the topic (or the given one): its leader epoch went up; with unclean set, only an unclean (or only a clean) election counts", needsEvents, electionSeen)
	register[offlineParams]("partition_offline", "a partition of the topic (or the given one) has no leader; with replica_up, while at least one of its replicas' brokers is running", 0, partitionOffline)
}

type atHWMParams struct {
	Consumer  string `json:"consumer"`
	Topic     string `json:"topic"`
	Partition *int   `json:"partition"`
	MinGap    int64  `json:"min_gap"`
}

func (p *atHWMParams) validate() error {
	if p.Consumer == "" {
		return errors.New("missing \"consumer\"")
	}
	if p.Partition == nil || *p.Partition < 0 {
		return errors.New("\"partition\" must be given and not negative")
	}
	if p.MinGap == 0 {
		p.MinGap = 1
	}
	if err := atLeastOne("min_gap", p.MinGap); err != nil {
		return err
	}
	return needTopic(p.Topic)
}

// consumerAtHWM: the consumer's position equals the high watermark, and the
// leader holds at least min_gap records past it that consumers cannot read.
func consumerAtHWM(s view.Snapshot, _ []view.Event, p *atHWMParams) (bool, string) {
	parts, missing := (&partitionParams{Topic: p.Topic, Partition: p.Partition}).partitions(s)
	if missing != "" {
		return false, missing
	}
	ps := parts[0]
	name := fmt.Sprintf("%s-%d", ps.Topic, ps.Partition)
	var c *view.ConsumerSnapshot
	for i := range s.Consumers {
		if s.Consumers[i].Name == p.Consumer {
			c = &s.Consumers[i]
		}
	}
	if c == nil {
		return false, say("consumer %s is not started yet", p.Consumer)
	}
	pos, ok := c.Positions[name]
	if !ok {
		return false, say("consumer %s has not read %s yet", c.Name, name)
	}
	leo := int64(-1)
	for _, r := range ps.Replicas {
		if r.State == "leader" && r.Broker == ps.Leader {
			leo = r.LEO
		}
	}
	if leo < 0 {
		return false, say("%s has no leader now", name)
	}
	if pos != ps.HWM {
		return false, say("consumer %s is at offset %d of %s; the high watermark is %d", c.Name, pos, name, ps.HWM)
	}
	gap := leo - ps.HWM
	if gap < p.MinGap {
		return false, say("consumer %s is at the high watermark %d of %s, but the leader's log end offset is only %s past it (the goal needs %d)", c.Name, pos, name, plural(int(gap), "record"), p.MinGap)
	}
	return true, say("consumer %s waits at the high watermark %d of %s; the leader's log end offset is %d, %s it cannot read yet", c.Name, pos, name, leo, plural(int(gap), "record"))
}

// partitionChanges are the controller's events that carry a partition's
// new leader, leader epoch and ISR.
var partitionChanges = map[string]bool{"partition_changed": true, "leader_elected": true, "partition_offline": true}

// changesOf returns the partition-change events of the selected partitions.
func changesOf(evs []view.Event, topic string, partition *int) []view.Event {
	var out []view.Event
	for _, e := range evs {
		if partitionChanges[e.Kind] && e.Topic == topic && e.Partition != nil && (partition == nil || int(*e.Partition) == *partition) {
			out = append(out, e)
		}
	}
	return out
}

// isrRejoined: some replica was missing from a partition's ISR in one
// partition-change event and present in a later one.
func isrRejoined(s view.Snapshot, evs []view.Event, p *partitionParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	type key struct {
		part   int32
		broker int32
	}
	left := map[key]view.Event{}
	var firstLeft *view.Event
	for _, e := range changesOf(evs, p.Topic, p.Partition) {
		d, ok := typed[evdata.PartitionChange](e)
		if !ok {
			continue
		}
		isr := d.ISR
		for _, ps := range parts {
			if ps.Partition != *e.Partition {
				continue
			}
			for _, r := range ps.Replicas {
				k := key{ps.Partition, r.Broker}
				out, wasOut := left[k]
				switch in := contains(isr, r.Broker); {
				case !in && !wasOut:
					left[k] = e
					if firstLeft == nil {
						firstLeft = &e
					}
				case in && wasOut:
					return true, say("broker %d left the ISR of %s-%d at %s and rejoined it at %s", r.Broker, p.Topic, ps.Partition, at(out), at(e))
				}
			}
		}
	}
	if firstLeft == nil {
		return false, say("no replica of %s has left the ISR yet", p.Topic)
	}
	var out []string
	for k := range left {
		out = append(out, say("broker %d (%s-%d)", k.broker, p.Topic, k.part))
	}
	sort.Strings(out)
	return false, say("out of the ISR, not back yet: %s", strings.Join(out, ", "))
}

type electionParams struct {
	Topic     string `json:"topic"`
	Partition *int   `json:"partition"`
	Unclean   *bool  `json:"unclean"`
}

func (p *electionParams) validate() error {
	return (&partitionParams{Topic: p.Topic, Partition: p.Partition}).validate()
}

// electionSeen: a partition-change event raised the leader epoch (KRaft bumps
// it exactly when it elects a new leader), clean or unclean as asked.
func electionSeen(_ view.Snapshot, evs []view.Event, p *electionParams) (bool, string) {
	epochs := map[int32]int32{}
	other := 0
	for _, e := range changesOf(evs, p.Topic, p.Partition) {
		d, ok := typed[evdata.PartitionChange](e)
		epoch, leader, unclean := d.LeaderEpoch, d.Leader, d.Unclean
		if !ok || epoch <= epochs[*e.Partition] || leader < 0 {
			continue
		}
		epochs[*e.Partition] = epoch
		kind := say("a clean election")
		if unclean {
			kind = say("an unclean election")
		}
		if p.Unclean == nil || *p.Unclean == unclean {
			return true, say("%s made broker %d the leader of %s-%d in leader epoch %d at %s", kind, leader, p.Topic, *e.Partition, epoch, at(e))
		}
		other++
	}
	want := say("election")
	if p.Unclean != nil && *p.Unclean {
		want = say("unclean election")
	} else if p.Unclean != nil {
		want = say("clean election")
	}
	if other > 0 {
		return false, say("no %s of %s yet; %s of the other kind happened", want, p.Topic, plural(other, "election"))
	}
	return false, say("no %s of %s yet: every partition keeps its first leader", want, p.Topic)
}

type offlineParams struct {
	Topic     string `json:"topic"`
	Partition *int   `json:"partition"`
	ReplicaUp bool   `json:"replica_up"`
}

func (p *offlineParams) validate() error {
	return (&partitionParams{Topic: p.Topic, Partition: p.Partition}).validate()
}

// partitionOffline: a partition has no leader (with replica_up: although a
// broker holding one of its replicas runs, because none of those may lead).
func partitionOffline(s view.Snapshot, _ []view.Event, p *offlineParams) (bool, string) {
	parts, missing := (&partitionParams{Topic: p.Topic, Partition: p.Partition}).partitions(s)
	if missing != "" {
		return false, missing
	}
	up := map[int32]bool{}
	for _, b := range s.Brokers {
		up[b.ID] = b.State == "up"
	}
	offline := 0
	for _, ps := range parts {
		if ps.Leader >= 0 {
			continue
		}
		offline++
		if !p.ReplicaUp {
			return true, say("%s-%d has no leader; its ISR is %v", ps.Topic, ps.Partition, ps.ISR)
		}
		for _, r := range ps.Replicas {
			if up[r.Broker] {
				return true, say("%s-%d has no leader although broker %d is up: it is not in the ISR %v", ps.Topic, ps.Partition, r.Broker, ps.ISR)
			}
		}
	}
	if offline > 0 {
		return false, say("%s of %s without a leader, but no broker holding a replica is up", plural(offline, "partition"), p.Topic)
	}
	if len(parts) == 1 {
		return false, say("%s-%d is led by broker %d", parts[0].Topic, parts[0].Partition, parts[0].Leader)
	}
	return false, say("every selected partition of %s has a leader", p.Topic)
}

func contains(list []int32, id int32) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}
