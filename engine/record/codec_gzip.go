package record

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"
)

// gzipLevel is Kafka's compression.gzip.level default (-1: java.util.zip's
// Deflater.DEFAULT_COMPRESSION, which is level 6). A fixed level keeps the
// output deterministic.
const gzipLevel = 6

// gzipCodec is compression.type=gzip: the records section as one gzip
// member. Go writes no timestamp or name in the header, so the same records
// always give the same bytes.
type gzipCodec struct{}

var gzipWriters = sync.Pool{New: func() any {
	w, err := gzip.NewWriterLevel(io.Discard, gzipLevel)
	if err != nil {
		panic("record: gzip level " + err.Error())
	}
	return w
}}

func (gzipCodec) compress(dst, src []byte) []byte {
	return memoCompress(CompressionGzip, dst, src, func(dst, src []byte) []byte {
		w := gzipWriters.Get().(*gzip.Writer)
		defer gzipWriters.Put(w)
		return streamInto(dst, w, src, "gzip")
	})
}

func (gzipCodec) decompress(src []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	// Read one byte past the limit to tell "exactly at the limit" from "over it".
	out, err := io.ReadAll(io.LimitReader(r, maxDecompressed+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxDecompressed {
		return nil, fmt.Errorf("more than %d bytes once decompressed", maxDecompressed)
	}
	return out, nil
}

// resettableWriter is a pooled compressor: gzip's and flate's writers.
type resettableWriter interface {
	Reset(io.Writer)
	io.WriteCloser
}

// streamInto compresses src with w after dst and returns the extended
// slice. Writing into memory cannot fail, so an error is a bug: it panics
// naming what (the codec) was written.
func streamInto(dst []byte, w resettableWriter, src []byte, what string) []byte {
	buf := bytes.NewBuffer(dst)
	w.Reset(buf)
	if _, err := w.Write(src); err != nil {
		panic("record: " + what + " into memory: " + err.Error())
	}
	if err := w.Close(); err != nil {
		panic("record: " + what + " into memory: " + err.Error())
	}
	return buf.Bytes()
}
