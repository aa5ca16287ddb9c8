// Package names is the engine's shared vocabulary: the topic-partition type
// every package keys by, its one order, and the network names of brokers,
// controllers and clients, made and read back in one place.
package names

import (
	"cmp"
	"sort"
	"strconv"
	"strings"
)

// TopicPartition names one partition of a topic (Kafka's TopicPartition).
type TopicPartition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
}

// String is Kafka's form, "payments-0".
func (tp TopicPartition) String() string {
	return tp.Topic + "-" + strconv.FormatInt(int64(tp.Partition), 10)
}

// Compare orders topic partitions by topic (byte order), then partition.
func Compare(a, b TopicPartition) int {
	if c := strings.Compare(a.Topic, b.Topic); c != 0 {
		return c
	}
	return cmp.Compare(a.Partition, b.Partition)
}

// Sort sorts tps by Compare. sort.Slice, not slices.SortFunc: the same
// pdqsort, so the same order, without a ~30 KB copy of it for this type in
// engine.wasm (the engine's cold-path sorts all go through sort.Slice).
func Sort(tps []TopicPartition) {
	sort.Slice(tps, func(i, j int) bool { return Compare(tps[i], tps[j]) < 0 })
}

// SortedKeys lists a map's topic partitions in Compare order: map
// iteration order never reaches output.
func SortedKeys[V any](m map[TopicPartition]V) []TopicPartition {
	out := make([]TopicPartition, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	Sort(out)
	return out
}
