package share

import (
	"bytes"
	"compress/flate"
	"io"
)

// flateCodec is Codec with compress/flate, as a native caller has it.
type flateCodec struct{}

func (flateCodec) Deflate(data []byte) ([]byte, error) {
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	w.Write(data)
	err = w.Close()
	return z.Bytes(), err
}

func (flateCodec) Inflate(z []byte, max int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), int64(max)+1))
}
