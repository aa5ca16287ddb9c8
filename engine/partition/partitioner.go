package partition

import (
	"fmt"
	"time"
)

// Partitioner is what the producer calls for every record it accepts. The
// calls mirror the split inside Kafka's producer: KafkaProducer.partition
// hashes keys, the accumulator asks the built-in partitioner for keyless
// records and reports every append back, and the sender's ready pass feeds
// queue lengths to the adaptive logic.
//
// A producer uses it like this, one record at a time:
//
//	p, sticky := part.Partition(topic, key, key == nil, n, available)
//	appended := accumulator.append(topic, p, record) // bytes the batch grew by
//	if sticky {
//		part.OnAppend(topic, p, appended)
//	}
//
// and, on each ready pass over its queues, part.UpdateLoad(topic, n, loads).
type Partitioner interface {
	// Partition returns the partition for one record of topic, which has
	// numPartitions partitions (at least 1). available lists the partitions
	// that have a leader right now (Kafka's availablePartitionsForTopic); keyed
	// records ignore it. keyNull reports a null key: Kafka hashes an empty key
	// like any other. sticky reports that the partition was chosen without the
	// key, so the append must be reported with OnAppend.
	Partition(topic string, key []byte, keyNull bool, numPartitions int, available []int) (partition int, sticky bool)
	// OnAppend reports that a record placed with sticky=true grew partition's
	// queue by bytes (Kafka's appendedBytes: the batch's estimated size after
	// the append minus before, so a new batch counts its header too).
	OnAppend(topic string, partition, bytes int)
	// UpdateLoad gives the adaptive logic the producer's queues for topic:
	// one Load per partition that has a leader. nil turns it off until the
	// next update.
	UpdateLoad(topic string, numPartitions int, loads []Load)
}

// Load is one partition's backlog in the producer, as the sender's ready pass
// sees it (Kafka's RecordAccumulator.partitionReady).
type Load struct {
	Partition int
	// Queued is the number of batches waiting in the partition's queue.
	Queued int
	// Stalled is how long the partition's leader has had batches ready to
	// send without the producer draining any to it (Kafka: readyTimeMs −
	// drainTimeMs of the leader's NodeLatencyStats).
	Stalled time.Duration
}

// Config holds the producer settings the built-in partitioner reads, under
// Kafka's names.
type Config struct {
	// BatchSize is batch.size: bytes to produce to one partition before
	// switching. 0 is allowed (batching off) and behaves like 1, as in Kafka.
	BatchSize int
	// AdaptivePartitioning is partitioner.adaptive.partitioning.enable: pick
	// the next partition with weights that favour short queues.
	AdaptivePartitioning bool
	// AvailabilityTimeout is partitioner.availability.timeout.ms: leave out
	// partitions whose leader has been stalled longer than this. 0 is off; it
	// has no effect without AdaptivePartitioning.
	AvailabilityTimeout time.Duration
	// IgnoreKeys is partitioner.ignore.keys: place keyed records like keyless
	// ones.
	IgnoreKeys bool
}

// DefaultConfig is Kafka 4.x's producer defaults.
func DefaultConfig() Config {
	return Config{BatchSize: 16384, AdaptivePartitioning: true}
}

func (c Config) validate() error {
	if c.BatchSize < 0 {
		return fmt.Errorf("partition: batch.size must be at least 0, got %d", c.BatchSize)
	}
	if c.AvailabilityTimeout < 0 {
		return fmt.Errorf("partition: partitioner.availability.timeout.ms must be at least 0, got %v", c.AvailabilityTimeout)
	}
	return nil
}

// RoundRobin is Kafka's RoundRobinPartitioner (partitioner.class): every
// record, keyed or not, takes the next of a per-topic counter over the
// available partitions, or over all of them when none is available.
// Before Kafka 4.0 a record that opened a new batch advanced the counter
// twice and skipped partitions (KAFKA-9965); 4.0 fixed that (KAFKA-17632),
// so here every record advances it by one.
type RoundRobin struct {
	counters map[string]int32
}

// NewRoundRobin returns a round-robin partitioner with every counter at 0.
func NewRoundRobin() *RoundRobin { return &RoundRobin{counters: map[string]int32{}} }

// Partition implements Partitioner; sticky is always false.
func (r *RoundRobin) Partition(topic string, _ []byte, _ bool, numPartitions int, available []int) (int, bool) {
	if numPartitions < 1 {
		panic("partition: RoundRobin.Partition needs at least one partition")
	}
	c := r.counters[topic]
	r.counters[topic] = c + 1 // wraps like Java's AtomicInteger
	next := int(ToPositive(c))
	if len(available) > 0 {
		return available[next%len(available)], false
	}
	return next % numPartitions, false
}

// OnAppend implements Partitioner; round robin keeps no byte counts.
func (*RoundRobin) OnAppend(string, int, int) {}

// UpdateLoad implements Partitioner; round robin ignores load.
func (*RoundRobin) UpdateLoad(string, int, []Load) {}
