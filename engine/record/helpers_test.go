package record

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
)

// fixCRC rewrites the crc field of the batch at the start of b after a test
// has edited bytes, so the edit reaches the checks behind the CRC.
func fixCRC(b []byte) {
	binary.BigEndian.PutUint32(b[17:], crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)))
}

// randomBytes returns nil, empty or random bytes, so null and empty both occur.
func randomBytes(rng *rand.Rand, max int) []byte {
	switch rng.IntN(4) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	p := make([]byte, 1+rng.IntN(max))
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	return p
}

// randomBatch builds a batch with arbitrary field values and 0..maxRecords records.
func randomBatch(rng *rand.Rand, maxRecords int) *Batch {
	n := rng.IntN(maxRecords + 1)
	recs := make([]Record, n)
	delta := int32(0)
	for i := range recs {
		delta += int32(rng.IntN(3))
		recs[i] = Record{
			OffsetDelta:    delta,
			TimestampDelta: rng.Int64N(1<<40) - 1<<39,
			Key:            randomBytes(rng, 20),
			Value:          randomBytes(rng, 200),
		}
		delta++
		for h := rng.IntN(3); h > 0; h-- {
			recs[i].Headers = append(recs[i].Headers, Header{Key: string(randomBytes(rng, 8)), Value: randomBytes(rng, 8)})
		}
	}
	return &Batch{
		BaseOffset:           rng.Int64N(1 << 40),
		PartitionLeaderEpoch: int32(rng.Uint32()),
		Attributes:           int16(rng.Uint32()) &^ compressionMask,
		LastOffsetDelta:      delta - 1 + int32(rng.IntN(2)),
		BaseTimestamp:        int64(rng.Uint64()),
		MaxTimestamp:         int64(rng.Uint64()),
		ProducerID:           int64(rng.Uint64()),
		ProducerEpoch:        int16(rng.Uint32()),
		BaseSequence:         int32(rng.Uint32()),
		Records:              recs,
	}
}
