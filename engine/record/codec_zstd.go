package record

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// zstdCodec is compression.type=zstd at Kafka's compression.zstd.level
// default (3, klauspost's SpeedDefault). The engine never starts goroutines:
// the encoder and decoder are built with concurrency 1 and used only through
// EncodeAll and DecodeAll, which run on the caller's goroutine (the stream
// APIs would start workers).
type zstdCodec struct{}

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
)

func zstdInit() {
	var err error
	zstdEnc, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(3)))
	if err != nil {
		panic("record: zstd encoder: " + err.Error())
	}
	zstdDec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxDecompressed))
	if err != nil {
		panic("record: zstd decoder: " + err.Error())
	}
}

func (zstdCodec) compress(dst, src []byte) []byte {
	return memoCompress(CompressionZstd, dst, src, func(dst, src []byte) []byte {
		zstdOnce.Do(zstdInit)
		return zstdEnc.EncodeAll(src, dst)
	})
}

func (zstdCodec) decompress(src []byte) ([]byte, error) {
	zstdOnce.Do(zstdInit)
	out, err := zstdDec.DecodeAll(src, nil)
	if err != nil {
		return nil, err
	}
	if len(out) > maxDecompressed {
		return nil, fmt.Errorf("more than %d bytes once decompressed", maxDecompressed)
	}
	return out, nil
}

func init() { codecs[CompressionZstd] = zstdCodec{} }
