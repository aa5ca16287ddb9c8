package lessons

import (
	"errors"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/internal/pattern"
)

// Predicates over clients, partitions, brokers and trace events.

func init() {
	register[topicParams]("topic_exists", "the topic exists (with exactly partitions partitions, if set)", 0, topicExists)
	register[consumerParams]("consumer_read", "the consumer has read at least min records", 0, consumerRead)
	register[producerParams]("producer_acked", "the producer has at least min records acknowledged", 0, producerAcked)
	register[failedParams]("producer_failed_with", "at least min (default 1) of the producer's records failed with the named Kafka error", 0, producerFailedWith)
	register[partitionParams]("partition_leader_changed", "a partition of the topic (or the given one) got a new leader: its leader epoch moved past 0", 0, partitionLeaderChanged)
	register[isrParams]("isr_size", "the ISR of a partition compares to n with op (<, <=, ==, !=, >=, >)", 0, isrSize)
	register[partitionParams]("hwm_below_leo", "a partition of the topic (or the given one) has a high watermark below its leader's log end offset", 0, hwmBelowLEO)
	register[brokerParams]("broker_state", "the broker is up or down", 0, brokerState)
}

type topicParams struct {
	Topic      string `json:"topic"`
	Partitions int    `json:"partitions"`
}

func (p *topicParams) validate() error {
	if p.Partitions < 0 {
		return fmt.Errorf("\"partitions\" must not be negative, got %d", p.Partitions)
	}
	return needTopic(p.Topic)
}

// topicExists: the topic exists, with the given partition count if set.
func topicExists(s view.Snapshot, _ []view.Event, p *topicParams) (bool, string) {
	for _, t := range s.Topics {
		if t.Name != p.Topic {
			continue
		}
		if p.Partitions > 0 && t.Partitions != p.Partitions {
			return false, say("topic %s has %s, not %d", t.Name, plural(t.Partitions, "partition"), p.Partitions)
		}
		return true, say("topic %s exists with %s", t.Name, plural(t.Partitions, "partition"))
	}
	return false, say("topic %s does not exist yet", p.Topic)
}

type consumerParams struct {
	Consumer string `json:"consumer"`
	Min      int64  `json:"min"`
}

func (p *consumerParams) validate() error {
	if p.Consumer == "" {
		return errors.New("missing \"consumer\"")
	}
	return atLeastOne("min", p.Min)
}

// consumerRead: the consumer has read at least min records.
func consumerRead(s view.Snapshot, _ []view.Event, p *consumerParams) (bool, string) {
	for _, c := range s.Consumers {
		if c.Name == p.Consumer {
			return c.Consumed >= p.Min, say("consumer %s has read %d of %d records", c.Name, c.Consumed, p.Min)
		}
	}
	return false, say("consumer %s is not started yet", p.Consumer)
}

type producerParams struct {
	Producer string `json:"producer"`
	Min      int64  `json:"min"`
}

func (p *producerParams) validate() error {
	if p.Producer == "" {
		return errors.New("missing \"producer\"")
	}
	return atLeastOne("min", p.Min)
}

// atLeastOne checks a count parameter, naming it as the lesson file does.
func atLeastOne[N ~int | ~int32 | ~int64](name string, n N) error {
	if n < 1 {
		return fmt.Errorf("%q must be at least 1, got %d", name, n)
	}
	return nil
}

// producerAcked: the producer has at least min records acknowledged.
func producerAcked(s view.Snapshot, _ []view.Event, p *producerParams) (bool, string) {
	pr := findProducer(s, p.Producer)
	if pr == nil {
		return false, say("producer %s is not started yet", p.Producer)
	}
	return pr.Acked >= p.Min, say("producer %s has %d of %d records acknowledged", pr.Name, pr.Acked, p.Min)
}

type failedParams struct {
	Producer string `json:"producer"`
	Error    string `json:"error"`
	Min      int64  `json:"min"`
}

var kafkaErrorName = pattern.MustCompile(`^[A-Z][A-Z0-9_]*$`)

func (p *failedParams) validate() error {
	if p.Producer == "" {
		return errors.New("missing \"producer\"")
	}
	if !kafkaErrorName.MatchString(p.Error) {
		return fmt.Errorf("\"error\" must be a Kafka error name such as NOT_ENOUGH_REPLICAS, got %q", p.Error)
	}
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return nil
}

// producerFailedWith: at least min records of the producer failed with error.
func producerFailedWith(s view.Snapshot, _ []view.Event, p *failedParams) (bool, string) {
	pr := findProducer(s, p.Producer)
	if pr == nil {
		return false, say("producer %s is not started yet", p.Producer)
	}
	n := pr.Failed[p.Error]
	if n >= p.Min {
		return true, say("producer %s has %d records failed with %s", pr.Name, n, p.Error)
	}
	others := ""
	for _, name := range sortedKeys(pr.Failed) {
		if name != p.Error && pr.Failed[name] > 0 {
			others += say("; %d failed with %s", pr.Failed[name], name)
		}
	}
	return false, say("producer %s has %d of %d records failed with %s%s", pr.Name, n, p.Min, p.Error, others)
}

func findProducer(s view.Snapshot, name string) *view.ProducerSnapshot {
	for i := range s.Producers {
		if s.Producers[i].Name == name {
			return &s.Producers[i]
		}
	}
	return nil
}

type partitionParams struct {
	Topic     string `json:"topic"`
	Partition *int   `json:"partition"`
}

func (p *partitionParams) validate() error {
	if p.Partition != nil && *p.Partition < 0 {
		return fmt.Errorf("\"partition\" must not be negative, got %d", *p.Partition)
	}
	return needTopic(p.Topic)
}

// partitions are the topic's partitions p selects, or why there are none.
func (p *partitionParams) partitions(s view.Snapshot) ([]view.PartitionState, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" || p.Partition == nil {
		return parts, missing
	}
	for _, ps := range parts {
		if int(ps.Partition) == *p.Partition {
			return []view.PartitionState{ps}, ""
		}
	}
	return nil, say("topic %s has no partition %d", p.Topic, *p.Partition)
}

// partitionLeaderChanged: a partition's leader epoch moved past 0 — KRaft
// bumps it exactly when a new leader is elected.
func partitionLeaderChanged(s view.Snapshot, _ []view.Event, p *partitionParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	for _, ps := range parts {
		if ps.LeaderEpoch > 0 {
			return true, say("%s-%d is led by %s in leader epoch %d", ps.Topic, ps.Partition, leaderWords(ps.Leader), ps.LeaderEpoch)
		}
	}
	if len(parts) == 1 {
		return false, say("%s-%d still has its first leader (%s)", parts[0].Topic, parts[0].Partition, leaderWords(parts[0].Leader))
	}
	return false, say("every partition of %s still has its first leader", p.Topic)
}

func leaderWords(id int32) string {
	if id < 0 {
		return say("no leader")
	}
	return say("broker %d", id)
}

type isrParams struct {
	Topic     string `json:"topic"`
	Partition *int   `json:"partition"`
	Op        string `json:"op"`
	N         *int   `json:"n"`
}

func (p *isrParams) validate() error {
	if p.Partition == nil || *p.Partition < 0 {
		return errors.New("\"partition\" must be given and not negative")
	}
	if _, ok := compare[p.Op]; !ok {
		return fmt.Errorf("\"op\" must be one of <, <=, ==, !=, >=, >; got %q", p.Op)
	}
	if p.N == nil || *p.N < 0 {
		return errors.New("\"n\" must be given and not negative")
	}
	return needTopic(p.Topic)
}

var compare = map[string]func(a, b int) bool{
	"<": func(a, b int) bool { return a < b }, "<=": func(a, b int) bool { return a <= b },
	"==": func(a, b int) bool { return a == b }, "!=": func(a, b int) bool { return a != b },
	">=": func(a, b int) bool { return a >= b }, ">": func(a, b int) bool { return a > b },
}

// isrSize: the partition's ISR size compares to n.
func isrSize(s view.Snapshot, _ []view.Event, p *isrParams) (bool, string) {
	parts, missing := (&partitionParams{Topic: p.Topic, Partition: p.Partition}).partitions(s)
	if missing != "" {
		return false, missing
	}
	ps := parts[0]
	n := len(ps.ISR)
	return compare[p.Op](n, *p.N), say("the ISR of %s-%d is %v: %s; the goal is %s %d", ps.Topic, ps.Partition, ps.ISR, plural(n, "replica"), p.Op, *p.N)
}

// hwmBelowLEO: some selected partition's high watermark is below its
// leader's log end offset (records not yet replicated to the whole ISR).
func hwmBelowLEO(s view.Snapshot, _ []view.Event, p *partitionParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	for _, ps := range parts {
		for _, r := range ps.Replicas {
			if r.State == "leader" && r.LEO > ps.HWM {
				return true, say("%s-%d: high watermark %d, leader log end offset %d", ps.Topic, ps.Partition, ps.HWM, r.LEO)
			}
		}
	}
	return false, say("every selected partition of %s has its high watermark at the leader's log end offset", p.Topic)
}

type brokerParams struct {
	Broker int32  `json:"broker"`
	State  string `json:"state"`
}

func (p *brokerParams) validate() error {
	if err := atLeastOne("broker", p.Broker); err != nil {
		return err
	}
	if p.State != "up" && p.State != "down" {
		return fmt.Errorf("\"state\" must be up or down, got %q", p.State)
	}
	return nil
}

// brokerState: the broker is up or down.
func brokerState(s view.Snapshot, _ []view.Event, p *brokerParams) (bool, string) {
	for _, b := range s.Brokers {
		if b.ID == p.Broker {
			return b.State == p.State, say("broker %d is %s", b.ID, b.State)
		}
	}
	return false, say("the cluster has no broker %d", p.Broker)
}
