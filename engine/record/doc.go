// Package record encodes and decodes Kafka's v2 record batch ("magic 2")
// exactly as it appears on the wire and in log segment files.
//
// Layout (big-endian fixed fields, then zigzag varints inside records):
//
//	baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 (2)
//	crc uint32 (CRC-32C over attributes..end) | attributes int16 | lastOffsetDelta int32
//	baseTimestamp int64 | maxTimestamp int64 | producerId int64 | producerEpoch int16
//	baseSequence int32 | records count int32 | records...
//
// Each record: length varint | attributes int8 | timestampDelta varlong |
// offsetDelta varint | keyLength varint (-1 = null) | key | valueLength varint |
// value | headers count varint | headers (keyLength varint, key, valueLength
// varint, value).
//
// The package is pure: no I/O, no clock, no randomness.
package record
