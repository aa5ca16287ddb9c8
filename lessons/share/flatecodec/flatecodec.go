// Package flatecodec is share.Codec with the Go standard library's
// compress/flate, for callers that may carry it (native tools and tests,
// builder.wasm); ui.wasm uses the browser's streams instead and never
// imports this.
package flatecodec

import (
	"bytes"
	"compress/flate"
	"io"
)

// Codec deflates at the best compression and inflates at most max+1 bytes
// (one more than allowed, so the caller sees a bomb as too long).
type Codec struct{}

// Deflate compresses data as raw DEFLATE.
func (Codec) Deflate(data []byte) ([]byte, error) {
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err = w.Close()
	return z.Bytes(), err
}

// Inflate decompresses raw DEFLATE, stopping after max+1 bytes.
func (Codec) Inflate(z []byte, max int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), int64(max)+1))
}
