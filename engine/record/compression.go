package record

import "fmt"

// Compression is the codec in bits 0-2 of a batch's attributes.
type Compression int8

// Kafka's codec ids (CompressionType.java).
const (
	CompressionNone   Compression = 0
	CompressionGzip   Compression = 1
	CompressionSnappy Compression = 2
	CompressionLZ4    Compression = 3
	CompressionZstd   Compression = 4
)

// String is Kafka's name for the codec (as in compression.type).
func (c Compression) String() string {
	switch c {
	case CompressionNone:
		return "none"
	case CompressionGzip:
		return "gzip"
	case CompressionSnappy:
		return "snappy"
	case CompressionLZ4:
		return "lz4"
	case CompressionZstd:
		return "zstd"
	}
	return fmt.Sprintf("compression(%d)", int8(c))
}

// codec compresses the records section of a batch (everything after the
// records count, which stays uncompressed as in Kafka). To add one, write a
// single codec_<name>.go file and list it in codecs below.
type codec interface {
	// compress appends the compressed form of src to dst.
	compress(dst, src []byte) []byte
	// decompress returns the uncompressed records section. It must bound its
	// output (a corrupt or hostile input must not allocate without limit).
	decompress(src []byte) ([]byte, error)
}

// codecs holds the supported codecs by id; nil means unsupported. "none" is
// handled inline and never listed.
var codecs = [compressionMask + 1]codec{
	CompressionGzip: gzipCodec{}, // codec_gzip.go
	CompressionZstd: zstdCodec{}, // codec_zstd.go
}

// lookupCodec returns the codec for c or an error naming it as unsupported.
func lookupCodec(c Compression) (codec, error) {
	if c < 0 || int(c) >= len(codecs) || (c > CompressionZstd) {
		return nil, fmt.Errorf("unknown compression type %d", int8(c))
	}
	if cd := codecs[c]; cd != nil {
		return cd, nil
	}
	return nil, fmt.Errorf("compression %s is not supported yet", c)
}
