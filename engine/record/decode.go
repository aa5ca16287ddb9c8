package record

import "encoding/binary"

// Info is what a log scan needs from a batch's fixed header, read without
// checking the CRC or the records.
type Info struct {
	BaseOffset           int64
	LastOffset           int64
	PartitionLeaderEpoch int32
	MaxTimestamp         int64
	NumRecords           int32
	// Size is the whole batch in bytes, LogOverhead included.
	Size int
}

// PeekHeader reads the base offset and batchLength field of the batch at the
// start of b (the batch occupies LogOverhead+length bytes). It needs
// HeaderSizeUpToMagic bytes and checks the length's lower bound and the magic.
func PeekHeader(b []byte) (baseOffset int64, length int32, err error) {
	if len(b) < HeaderSizeUpToMagic {
		base := int64(-1)
		if len(b) >= 8 {
			base = int64(binary.BigEndian.Uint64(b))
		}
		return 0, 0, decodeErr(ErrTruncated, base, len(b), "only %d bytes, a batch header needs %d up to its magic byte", len(b), HeaderSizeUpToMagic)
	}
	baseOffset = int64(binary.BigEndian.Uint64(b[posBaseOffset:]))
	length = int32(binary.BigEndian.Uint32(b[posLength:]))
	if length < minBatchLength {
		return 0, 0, decodeErr(ErrCorrupt, baseOffset, posLength, "batch length %d is below the minimum %d", length, minBatchLength)
	}
	if m := int8(b[posMagic]); m != Magic {
		return 0, 0, decodeErr(ErrCorrupt, baseOffset, posMagic, "magic %d, only magic 2 (v2 batches) is supported", m)
	}
	return baseOffset, length, nil
}

// PeekInfo reads the fixed header of the batch at the start of b. It needs
// HeaderSize bytes; it checks what PeekHeader checks plus the records count's
// sign, but neither the CRC nor the records.
func PeekInfo(b []byte) (Info, error) {
	base, length, err := PeekHeader(b)
	if err != nil {
		return Info{}, err
	}
	if len(b) < HeaderSize {
		return Info{}, decodeErr(ErrTruncated, base, len(b), "only %d bytes, a batch header needs %d", len(b), HeaderSize)
	}
	n := int32(binary.BigEndian.Uint32(b[posRecordsCount:]))
	if n < 0 {
		return Info{}, decodeErr(ErrCorrupt, base, posRecordsCount, "negative records count %d", n)
	}
	return Info{
		BaseOffset:           base,
		LastOffset:           base + int64(int32(binary.BigEndian.Uint32(b[posLastOffsetDelta:]))),
		PartitionLeaderEpoch: int32(binary.BigEndian.Uint32(b[posPartitionLeaderEpoch:])),
		MaxTimestamp:         int64(binary.BigEndian.Uint64(b[posMaxTimestamp:])),
		NumRecords:           n,
		Size:                 LogOverhead + int(length),
	}, nil
}

// Decode decodes the batch at the start of b and returns it with the number
// of bytes it occupies; bytes after it are ignored. It checks the magic, the
// length, the CRC, the records count against the bytes and every varint, and
// never panics. Keys, values and header values of an uncompressed batch alias
// b: copy b first if you will reuse it.
func Decode(b []byte) (*Batch, int, error) {
	base, length, err := PeekHeader(b)
	if err != nil {
		return nil, 0, err
	}
	if need := int64(LogOverhead) + int64(length); int64(len(b)) < need {
		return nil, 0, decodeErr(ErrTruncated, base, len(b), "batch needs %d bytes, only %d available", need, len(b))
	}
	size := LogOverhead + int(length)
	b = b[:size]
	stored := binary.BigEndian.Uint32(b[posCRC:])
	if sum := checksum(b[posAttributes:]); sum != stored {
		return nil, 0, decodeErr(ErrCorrupt, base, posCRC, "crc mismatch: stored %#08x, computed %#08x", stored, sum)
	}
	count := int32(binary.BigEndian.Uint32(b[posRecordsCount:]))
	if count < 0 {
		return nil, 0, decodeErr(ErrCorrupt, base, posRecordsCount, "negative records count %d", count)
	}
	bt := &Batch{
		BaseOffset:           base,
		PartitionLeaderEpoch: int32(binary.BigEndian.Uint32(b[posPartitionLeaderEpoch:])),
		Attributes:           int16(binary.BigEndian.Uint16(b[posAttributes:])),
		LastOffsetDelta:      int32(binary.BigEndian.Uint32(b[posLastOffsetDelta:])),
		BaseTimestamp:        int64(binary.BigEndian.Uint64(b[posBaseTimestamp:])),
		MaxTimestamp:         int64(binary.BigEndian.Uint64(b[posMaxTimestamp:])),
		ProducerID:           int64(binary.BigEndian.Uint64(b[posProducerID:])),
		ProducerEpoch:        int16(binary.BigEndian.Uint16(b[posProducerEpoch:])),
		BaseSequence:         int32(binary.BigEndian.Uint32(b[posBaseSequence:])),
	}
	section, at := b[HeaderSize:], HeaderSize
	if c := bt.Compression(); c != CompressionNone {
		cd, err := lookupCodec(c)
		if err != nil {
			return nil, 0, decodeErr(ErrUnsupported, base, posAttributes, "%v", err)
		}
		if section, err = cd.decompress(section); err != nil {
			return nil, 0, decodeErr(ErrCorrupt, base, HeaderSize, "%s records do not decompress: %v", c, err)
		}
		at = -1 // positions inside decompressed bytes do not map to the input
	}
	recs, err := decodeRecords(section, int(count), base, at)
	if err != nil {
		return nil, 0, err
	}
	bt.Records = recs
	return bt, size, nil
}
