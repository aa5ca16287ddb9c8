// Package partition chooses the partition a producer record goes to, exactly
// as Kafka's Java producer (4.x) does: murmur2 of the key bytes for keyed
// records, the KIP-794 built-in sticky partitioner for keyless ones, and the
// optional RoundRobinPartitioner. It is a pure state machine: no clock, no
// randomness of its own, no dependency on the rest of the engine.
package partition

// Murmur2 is Kafka's Utils.murmur2: 32-bit MurmurHash2 with seed
// 0x9747b28c, little-endian 4-byte blocks, returned as a Java int.
func Murmur2(data []byte) int32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	// Java does this arithmetic on signed ints with >>> shifts; on uint32 the
	// bits come out the same.
	h := seed ^ uint32(len(data))
	n := len(data) &^ 3
	for i := 0; i < n; i += 4 {
		k := uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	tail := data[n:]
	switch len(tail) { // the cases fall through, as in Kafka
	case 3:
		h ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(tail[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return int32(h)
}

// ToPositive is Kafka's Utils.toPositive: it clears the sign bit, so
// ToPositive(MinInt32) is 0 (unlike an absolute value).
func ToPositive(n int32) int32 { return n & 0x7fffffff }

// ForKey is the partition of a keyed record: toPositive(murmur2(key)) %
// numPartitions over all partitions, available or not (Kafka's
// BuiltInPartitioner.partitionForKey). It panics if numPartitions < 1.
func ForKey(key []byte, numPartitions int) int {
	if numPartitions < 1 {
		panic("partition: ForKey needs at least one partition")
	}
	return int(ToPositive(Murmur2(key))) % numPartitions
}
