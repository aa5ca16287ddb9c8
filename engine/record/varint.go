package record

import (
	"errors"
	"math/bits"
)

// Kafka writes record fields as zigzag varints (ByteUtils.writeVarint /
// writeVarlong): the signed value is mapped to an unsigned one so small
// negative numbers stay short, then written 7 bits at a time, least
// significant group first, with the high bit set on every byte but the last.

var (
	errVarintShort      = errors.New("varint runs past the end of its field")
	errVarintTooLong    = errors.New("varint longer than its type allows")
	errVarintNotMinimal = errors.New("varint has a redundant trailing zero byte")
)

// maxVarintLen32 and maxVarintLen64 are the longest encodings of an int32 and an int64.
const (
	maxVarintLen32 = 5
	maxVarintLen64 = 10
)

func zigzag32(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }
func zigzag64(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func unzigzag32(u uint32) int32 { return int32(u>>1) ^ -int32(u&1) }
func unzigzag64(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func appendUvarint(dst []byte, u uint64) []byte {
	if u < 0x80 {
		return append(dst, byte(u))
	}
	for u >= 0x80 {
		dst = append(dst, byte(u)|0x80)
		u >>= 7
	}
	return append(dst, byte(u))
}

func appendVarint(dst []byte, v int32) []byte  { return appendUvarint(dst, uint64(zigzag32(v))) }
func appendVarlong(dst []byte, v int64) []byte { return appendUvarint(dst, zigzag64(v)) }

func uvarintSize(u uint64) int { return (bits.Len64(u|1) + 6) / 7 }

func varintSize(v int32) int  { return uvarintSize(uint64(zigzag32(v))) }
func varlongSize(v int64) int { return uvarintSize(zigzag64(v)) }

// readUvarint decodes an unsigned varint of at most maxLen bytes whose value
// fits in bits bits. It rejects overlong (non-minimal) encodings so that every
// accepted input re-encodes to the same bytes; Kafka itself tolerates them
// (simplification: no real producer writes them).
func readUvarint(b []byte, maxLen int, bits uint) (uint64, int, error) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1, nil // the common one-byte case
	}
	var u uint64
	for i := 0; i < maxLen; i++ {
		if i >= len(b) {
			return 0, 0, errVarintShort
		}
		c := b[i]
		shift := uint(7 * i)
		if i == maxLen-1 && uint64(c)>>(bits-shift) != 0 {
			return 0, 0, errVarintTooLong
		}
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, errVarintNotMinimal
			}
			return u, i + 1, nil
		}
	}
	return 0, 0, errVarintTooLong
}

// readVarint decodes a zigzag int32 and returns it with the bytes it used.
func readVarint(b []byte) (int32, int, error) {
	u, n, err := readUvarint(b, maxVarintLen32, 32)
	return unzigzag32(uint32(u)), n, err
}

// readVarlong decodes a zigzag int64 and returns it with the bytes it used.
func readVarlong(b []byte) (int64, int, error) {
	u, n, err := readUvarint(b, maxVarintLen64, 64)
	return unzigzag64(u), n, err
}
