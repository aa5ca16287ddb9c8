package record

import (
	"encoding/binary"
	"fmt"
)

// SizeInBytes is the encoded size of the batch, LogOverhead included.
func (b *Batch) SizeInBytes() int {
	if k := b.keptEncoding(); k != nil {
		return posCRC + len(k)
	}
	if b.Compression() != CompressionNone {
		return len(b.AppendTo(nil))
	}
	n := HeaderSize
	for i := range b.Records {
		n += recordSize(&b.Records[i])
	}
	return n
}

// Encode returns the batch in wire format.
func (b *Batch) Encode() []byte { return b.AppendTo(make([]byte, 0, b.SizeInBytes())) }

// AppendTo appends the batch in wire format to dst and returns the extended
// slice. It panics if the batch names a compression codec that is not
// supported (Validate reports that as an error first).
func (b *Batch) AppendTo(dst []byte) []byte {
	if k := b.keptEncoding(); k != nil {
		dst = binary.BigEndian.AppendUint64(dst, uint64(b.BaseOffset))
		dst = binary.BigEndian.AppendUint32(dst, uint32(posCRC+len(k)-LogOverhead))
		dst = binary.BigEndian.AppendUint32(dst, uint32(b.PartitionLeaderEpoch))
		dst = append(dst, Magic)
		return append(dst, k...)
	}
	start := len(dst)
	dst = binary.BigEndian.AppendUint64(dst, uint64(b.BaseOffset))
	dst = binary.BigEndian.AppendUint32(dst, 0) // batchLength, filled below
	dst = binary.BigEndian.AppendUint32(dst, uint32(b.PartitionLeaderEpoch))
	dst = append(dst, Magic)
	dst = binary.BigEndian.AppendUint32(dst, 0) // crc, filled below
	dst = binary.BigEndian.AppendUint16(dst, uint16(b.Attributes))
	dst = binary.BigEndian.AppendUint32(dst, uint32(b.LastOffsetDelta))
	dst = binary.BigEndian.AppendUint64(dst, uint64(b.BaseTimestamp))
	dst = binary.BigEndian.AppendUint64(dst, uint64(b.MaxTimestamp))
	dst = binary.BigEndian.AppendUint64(dst, uint64(b.ProducerID))
	dst = binary.BigEndian.AppendUint16(dst, uint16(b.ProducerEpoch))
	dst = binary.BigEndian.AppendUint32(dst, uint32(b.BaseSequence))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b.Records)))
	if c := b.Compression(); c == CompressionNone {
		for i := range b.Records {
			dst = appendRecord(dst, &b.Records[i])
		}
	} else {
		cd, err := lookupCodec(c)
		if err != nil {
			panic(fmt.Sprintf("record: encode batch at offset %d: %v", b.BaseOffset, err))
		}
		var raw []byte
		for i := range b.Records {
			raw = appendRecord(raw, &b.Records[i])
		}
		dst = cd.compress(dst, raw)
	}
	batch := dst[start:]
	binary.BigEndian.PutUint32(batch[posLength:], uint32(len(batch)-LogOverhead))
	binary.BigEndian.PutUint32(batch[posCRC:], checksum(batch[posAttributes:]))
	return dst
}

// AppendKept is AppendTo into bytes the caller never changes afterwards
// (a log's page cache, whose blocks are never reused): the batch keeps a
// reference to its encoding there, so that appending it again — to a
// follower's log — or a copy of it whose header differs only in the base
// offset and the partition leader epoch (the fields before the CRC) copies
// those bytes instead of encoding every record. The batch's records must
// not change afterwards (a log's contract already); a change to a field
// the CRC covers or to the Records slice is noticed, and the batch is
// encoded again. It reports whether b now refers to dst's bytes (it did
// not refer to bytes of its own already).
func (b *Batch) AppendKept(dst []byte) ([]byte, bool) {
	if b.keptEncoding() != nil || len(b.Records) == 0 {
		return b.AppendTo(dst), false
	}
	start := len(dst)
	dst = b.AppendTo(dst)
	b.kept, b.keptRecs = dst[start+posCRC:len(dst):len(dst)], &b.Records[0]
	return dst, true
}

// keptEncoding is b.kept when it still encodes b from the CRC on: the
// same records, and the header fields after the CRC as they were.
func (b *Batch) keptEncoding() []byte {
	k := b.kept
	if k == nil || len(b.Records) == 0 || &b.Records[0] != b.keptRecs {
		return nil
	}
	var h [posRecordsCount + 4 - posAttributes]byte
	o := h[:0]
	o = binary.BigEndian.AppendUint16(o, uint16(b.Attributes))
	o = binary.BigEndian.AppendUint32(o, uint32(b.LastOffsetDelta))
	o = binary.BigEndian.AppendUint64(o, uint64(b.BaseTimestamp))
	o = binary.BigEndian.AppendUint64(o, uint64(b.MaxTimestamp))
	o = binary.BigEndian.AppendUint64(o, uint64(b.ProducerID))
	o = binary.BigEndian.AppendUint16(o, uint16(b.ProducerEpoch))
	o = binary.BigEndian.AppendUint32(o, uint32(b.BaseSequence))
	o = binary.BigEndian.AppendUint32(o, uint32(len(b.Records)))
	if string(o) != string(k[posAttributes-posCRC:posRecordsCount+4-posCRC]) {
		return nil
	}
	return k
}

// recordBodySize is the size of a record after its length varint.
func recordBodySize(r *Record) int {
	n := 1 + varlongSize(r.TimestampDelta) + varintSize(r.OffsetDelta)
	n += bytesFieldSize(r.Key) + bytesFieldSize(r.Value)
	n += varintSize(int32(len(r.Headers)))
	for i := range r.Headers {
		h := &r.Headers[i]
		n += varintSize(int32(len(h.Key))) + len(h.Key) + bytesFieldSize(h.Value)
	}
	return n
}

// SizeInBytes is Kafka's DefaultRecord.sizeInBytes: the record's encoded
// size, length varint included (a nil Key, Value or header value is null).
func (r *Record) SizeInBytes() int { return recordSize(r) }

// recordSize is the full encoded size of a record, length varint included.
func recordSize(r *Record) int {
	body := recordBodySize(r)
	return varintSize(int32(body)) + body
}

func bytesFieldSize(p []byte) int {
	if p == nil {
		return varintSize(-1)
	}
	return varintSize(int32(len(p))) + len(p)
}

func appendRecord(dst []byte, r *Record) []byte {
	dst = appendVarint(dst, int32(recordBodySize(r)))
	dst = append(dst, 0) // record attributes: unused in v2
	dst = appendVarlong(dst, r.TimestampDelta)
	dst = appendVarint(dst, r.OffsetDelta)
	dst = appendBytesField(dst, r.Key)
	dst = appendBytesField(dst, r.Value)
	dst = appendVarint(dst, int32(len(r.Headers)))
	for i := range r.Headers {
		h := &r.Headers[i]
		dst = appendVarint(dst, int32(len(h.Key)))
		dst = append(dst, h.Key...)
		dst = appendBytesField(dst, h.Value)
	}
	return dst
}

func appendBytesField(dst, p []byte) []byte {
	if p == nil {
		return appendVarint(dst, -1)
	}
	dst = appendVarint(dst, int32(len(p)))
	return append(dst, p...)
}
