// Package coord finds a group's coordinator partition the way Kafka does:
// abs(group.id.hashCode()) % the partition count of __consumer_offsets (the
// same formula places a transactional.id in __transaction_state). The
// coordinator is that partition's leader.
package coord

import (
	"math"
	"unicode/utf16"
)

// JavaStringHashCode is Java's String.hashCode: s[0]·31^(n−1) + … + s[n−1]
// over the UTF-16 code units of s, with int32 wraparound. Runes outside the
// BMP count as their surrogate pair. Invalid UTF-8 counts as U+FFFD per bad
// byte (Java's decoder may fold a bad sequence into fewer U+FFFDs).
func JavaStringHashCode(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			h = 31*h + int32(hi)
			h = 31*h + int32(lo)
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// Abs is Kafka's Utils.abs: the absolute value, except that MinInt32 maps to
// 0 instead of staying negative.
func Abs(n int32) int32 {
	if n == math.MinInt32 {
		return 0
	}
	if n < 0 {
		return -n
	}
	return n
}

// Partition is the __consumer_offsets partition (of numPartitions, Kafka's
// offsets.topic.num.partitions, default 50) that holds groupID's offsets and
// whose leader coordinates the group. It panics if numPartitions < 1.
func Partition(groupID string, numPartitions int) int {
	if numPartitions < 1 {
		panic("coord: Partition needs at least one partition")
	}
	return int(Abs(JavaStringHashCode(groupID))) % numPartitions
}
