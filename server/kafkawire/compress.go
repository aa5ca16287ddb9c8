package kafkawire

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/twmb/franz-go/pkg/kgo"
)

// The engine's batch codec reads gzip and zstd; snappy (kgo's default)
// and lz4 batches are rewritten here as uncompressed batches before they
// reach it. Simplified: the broker then stores them uncompressed, as if
// the topic had compression.type=uncompressed.

// Positions in a v2 batch (Kafka's DefaultRecordBatch).
const (
	posCRC        = 17
	posAttributes = 21
)

var decompressor = kgo.DefaultDecompressor()

// decompressForEngine returns b, or for a snappy or lz4 batch the same
// batch uncompressed, with its length and CRC rewritten.
func decompressForEngine(b []byte) ([]byte, error) {
	if len(b) < record.HeaderSize {
		return b, nil // record.Decode explains
	}
	codec := record.Compression(binary.BigEndian.Uint16(b[posAttributes:]) & 7)
	var kc kgo.CompressionCodecType
	switch codec {
	case record.CompressionSnappy:
		kc = kgo.CodecSnappy
	case record.CompressionLZ4:
		kc = kgo.CodecLz4
	default:
		return b, nil
	}
	_, length, err := record.PeekHeader(b)
	if err != nil {
		return b, nil
	}
	end := record.LogOverhead + int(length)
	if end > len(b) || end < record.HeaderSize {
		return b, nil
	}
	raw, err := decompressor.Decompress(b[record.HeaderSize:end], kc)
	if err != nil {
		return nil, fmt.Errorf("%s records do not decompress: %v", codec, err)
	}
	out := make([]byte, 0, record.HeaderSize+len(raw)+len(b)-end)
	out = append(out, b[:record.HeaderSize]...)
	out = append(out, raw...)
	attrs := binary.BigEndian.Uint16(out[posAttributes:]) &^ 7
	binary.BigEndian.PutUint16(out[posAttributes:], attrs)
	binary.BigEndian.PutUint32(out[8:], uint32(len(out)-record.LogOverhead))
	binary.BigEndian.PutUint32(out[posCRC:], crc32.Checksum(out[posAttributes:], crc32.MakeTable(crc32.Castagnoli)))
	return append(out, b[end:]...), nil
}
