package broker

import (
	"iter"
	"strings"
)

// replicaIndex holds the hosted replicas by topic and partition. The fetch,
// produce and replication paths look a replica up for every partition of
// every request; a map keyed by TopicPartition would hash the topic name each time.
// Here the topics are a short list sorted by name — a request's topic name
// is usually the very string the replica holds, so comparing is a pointer
// check — and the partition is a slice index. Iterating walks topics by
// name, partitions by index: the order Replicas promises.
type replicaIndex struct {
	topics []topicReplicas
	n      int
}

type topicReplicas struct {
	name  string
	parts []*Replica // by partition index; nil where this broker hosts none
}

// linearTopics is how many topics a lookup scans before it binary-searches.
const linearTopics = 8

// topic returns the position of name in x.topics, or where it would go.
func (x *replicaIndex) topic(name string) (int, bool) {
	if len(x.topics) <= linearTopics {
		for i := range x.topics {
			if c := strings.Compare(x.topics[i].name, name); c >= 0 {
				return i, c == 0
			}
		}
		return len(x.topics), false
	}
	lo, hi := 0, len(x.topics)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.topics[m].name < name {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x.topics) && x.topics[lo].name == name
}

// get returns the replica of topic's partition p, or nil.
func (x *replicaIndex) get(topic string, p int32) *Replica {
	var t *topicReplicas
	if len(x.topics) <= linearTopics {
		for i := range x.topics {
			if x.topics[i].name == topic {
				t = &x.topics[i]
				break
			}
		}
	} else if i, ok := x.topic(topic); ok {
		t = &x.topics[i]
	}
	if t == nil || p < 0 || int(p) >= len(t.parts) {
		return nil
	}
	return t.parts[p]
}

// partitions returns topic's replicas by partition index (nil where not
// hosted), or nil; the caller must not change it.
func (x *replicaIndex) partitions(topic string) []*Replica {
	if len(x.topics) <= linearTopics {
		for i := range x.topics {
			if x.topics[i].name == topic {
				return x.topics[i].parts
			}
		}
		return nil
	}
	if i, ok := x.topic(topic); ok {
		return x.topics[i].parts
	}
	return nil
}

// put adds r (replacing a replica of the same partition).
func (x *replicaIndex) put(r *Replica) {
	i, ok := x.topic(r.TP.Topic)
	if !ok {
		x.topics = append(x.topics, topicReplicas{})
		copy(x.topics[i+1:], x.topics[i:])
		x.topics[i] = topicReplicas{name: r.TP.Topic}
	}
	t := &x.topics[i]
	for int(r.TP.Partition) >= len(t.parts) {
		t.parts = append(t.parts, nil)
	}
	if t.parts[r.TP.Partition] == nil {
		x.n++
	}
	t.parts[r.TP.Partition] = r
}

// removeTopic drops every replica of topic.
func (x *replicaIndex) removeTopic(topic string) {
	if i, ok := x.topic(topic); ok {
		for _, r := range x.topics[i].parts {
			if r != nil {
				x.n--
			}
		}
		x.topics = append(x.topics[:i], x.topics[i+1:]...)
	}
}

// len is how many replicas the index holds.
func (x *replicaIndex) len() int { return x.n }

// all yields every replica, sorted by topic, then partition.
func (x *replicaIndex) all() iter.Seq[*Replica] {
	return func(yield func(*Replica) bool) {
		for i := range x.topics {
			for _, r := range x.topics[i].parts {
				if r != nil && !yield(r) {
					return
				}
			}
		}
	}
}
