package partition

import (
	"errors"
	"slices"
)

// BuiltIn is Kafka's default partitioner since 3.3 (KIP-794): keyed records
// go to ForKey over all partitions; keyless records (and keyed ones with
// partitioner.ignore.keys) stick to one partition until at least batch.size
// bytes went to it, then switch. The next partition is drawn uniformly from
// the available partitions or, with adaptive partitioning and uneven queues,
// with weights that favour short queues.
//
// Kafka holds the switch back while the sticky partition's last batch is not
// full yet (so linger-bound batches are not cut short) unless 2×batch.size
// bytes went to it; a held-back switch happens at the next keyless record
// once the batches are full or sent.
type BuiltIn struct {
	cfg       Config
	batchSize int
	rnd       func(n int) int
	full      func(topic string, partition int) bool
	topics    map[string]*stickyTopic
}

// stickyTopic is the per-topic state (Kafka keeps one BuiltInPartitioner per
// topic).
type stickyTopic struct {
	partition int // the sticky partition, -1 before the first keyless record
	produced  int // bytes appended to it since it was chosen

	// metadata of the last Partition call, for a switch inside OnAppend
	numPartitions int
	available     []int

	// adaptive load stats: a cumulative frequency table over ids, used
	// only when weighted is set
	weighted bool
	cft      []int
	ids      []int
	scratch  []Load
}

// NewBuiltIn returns the built-in partitioner. rnd is its only source of
// randomness and must return a uniform int in [0, n) (for example a seeded
// rand.Rand's IntN). allBatchesFull reports whether every batch queued for a
// partition is full (true for an empty queue), which is when Kafka lets the
// sticky partition switch; nil means always, so switches happen as soon as
// batch.size bytes went out.
func NewBuiltIn(cfg Config, rnd func(n int) int, allBatchesFull func(topic string, partition int) bool) (*BuiltIn, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if rnd == nil {
		return nil, errors.New("partition: the built-in partitioner needs a random source")
	}
	return &BuiltIn{
		cfg:       cfg,
		batchSize: max(1, cfg.BatchSize), // KafkaProducer: Math.max(1, batch.size)
		rnd:       rnd,
		full:      allBatchesFull,
		topics:    map[string]*stickyTopic{},
	}, nil
}

// Partition implements Partitioner.
func (b *BuiltIn) Partition(topic string, key []byte, keyNull bool, numPartitions int, available []int) (int, bool) {
	if numPartitions < 1 {
		panic("partition: BuiltIn.Partition needs at least one partition")
	}
	if !keyNull && !b.cfg.IgnoreKeys {
		return ForKey(key, numPartitions), false
	}
	st := b.topic(topic)
	st.numPartitions = numPartitions
	st.available = append(st.available[:0], available...)
	switch {
	case st.partition < 0 || st.partition >= numPartitions:
		b.switchPartition(st)
	case st.produced >= b.batchSize && b.allBatchesFull(topic, st.partition):
		// complete a switch OnAppend held back (Kafka's partitionChanged)
		b.switchPartition(st)
	}
	return st.partition, true
}

// OnAppend implements Partitioner. Appends to a partition that is no longer
// the sticky one are ignored.
func (b *BuiltIn) OnAppend(topic string, partition, bytes int) {
	st, ok := b.topics[topic]
	if !ok || st.partition != partition {
		return
	}
	st.produced += bytes
	if st.produced >= b.batchSize && b.allBatchesFull(topic, partition) || st.produced >= 2*b.batchSize {
		b.switchPartition(st)
	}
}

// UpdateLoad implements Partitioner: it rebuilds the weights the next switch
// draws from (Kafka's updatePartitionLoadStats). Partition i gets weight
// maxQueued+1−Queued[i]; stalled partitions get none. With every partition
// present and every queue equal the draw is uniform again.
// Simplified: Kafka waits until the producer has a queue for every partition
// before it uses load stats; here they apply from the first update.
func (b *BuiltIn) UpdateLoad(topic string, numPartitions int, loads []Load) {
	st := b.topic(topic)
	st.weighted = false
	if !b.cfg.AdaptivePartitioning || loads == nil || numPartitions < 2 {
		return
	}
	in := st.scratch[:0]
	for _, l := range loads {
		if l.Partition < 0 || l.Partition >= numPartitions {
			continue
		}
		if b.cfg.AvailabilityTimeout > 0 && l.Stalled > b.cfg.AvailabilityTimeout {
			continue
		}
		in = append(in, l)
	}
	st.scratch = in
	if len(in) == 0 {
		return
	}
	// by partition (each appears once): by insertion, for the few
	// partitions of a topic (no generic sort's code for this type)
	for i := 1; i < len(in); i++ {
		for j := i; j > 0 && in[j].Partition < in[j-1].Partition; j-- {
			in[j], in[j-1] = in[j-1], in[j]
		}
	}
	maxQueued, allEqual := in[0].Queued, true
	for _, l := range in[1:] {
		allEqual = allEqual && l.Queued == in[0].Queued
		maxQueued = max(maxQueued, l.Queued)
	}
	if allEqual && len(in) == numPartitions {
		return
	}
	st.cft, st.ids = st.cft[:0], st.ids[:0]
	sum := 0
	for _, l := range in {
		sum += maxQueued + 1 - l.Queued
		st.cft = append(st.cft, sum)
		st.ids = append(st.ids, l.Partition)
	}
	st.weighted = true
}

// Sticky reports topic's current sticky partition and the bytes produced to
// it since it was chosen; ok is false before the first keyless record.
func (b *BuiltIn) Sticky(topic string) (partition, produced int, ok bool) {
	st, found := b.topics[topic]
	if !found || st.partition < 0 {
		return 0, 0, false
	}
	return st.partition, st.produced, true
}

func (b *BuiltIn) topic(name string) *stickyTopic {
	st, ok := b.topics[name]
	if !ok {
		st = &stickyTopic{partition: -1}
		b.topics[name] = st
	}
	return st
}

func (b *BuiltIn) allBatchesFull(topic string, partition int) bool {
	return b.full == nil || b.full(topic, partition)
}

// switchPartition draws the next sticky partition (Kafka's nextPartition).
func (b *BuiltIn) switchPartition(st *stickyTopic) {
	st.partition, st.produced = b.next(st), 0
}

func (b *BuiltIn) next(st *stickyTopic) int {
	if st.weighted {
		x := b.rnd(st.cft[len(st.cft)-1])
		// the first entry strictly greater than x
		i, _ := slices.BinarySearch(st.cft, x+1)
		if p := st.ids[i]; p < st.numPartitions {
			return p
		}
	}
	if len(st.available) > 0 {
		return st.available[b.rnd(len(st.available))]
	}
	return b.rnd(st.numPartitions)
}

var (
	_ Partitioner = (*BuiltIn)(nil)
	_ Partitioner = (*RoundRobin)(nil)
)
