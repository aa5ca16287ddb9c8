package builder

import (
	"bytes"
	"compress/flate"
	"io"

	lb "github.com/brokerlab/brokerlab/lessons/builder"
	"github.com/brokerlab/brokerlab/lessons/share"
)

// flateCodec is share.Codec with compress/flate: builder.wasm may carry
// DEFLATE (ui.wasm uses the browser's instead).
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

// ShareCode is the share link's text (after "#shared/") of a run that
// carries the draft's lesson: opened, it plays the lesson from its start.
func ShareCode(d *lb.Draft) (string, error) {
	b, err := d.Bundle()
	if err != nil {
		return "", err
	}
	return share.Encode(share.Run{Bundle: b, Journal: nil, View: share.View{Follow: true}}, flateCodec{})
}
