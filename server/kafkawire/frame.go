package kafkawire

import (
	"encoding/binary"
	"fmt"
	"io"
)

// MaxFrame is the largest request a connection accepts: Kafka's
// socket.request.max.bytes (100 MiB). A larger size prefix is refused
// before anything is allocated, as Kafka's broker closes the connection
// with InvalidReceiveException.
const MaxFrame = 100 << 20

// ReadFrame reads one size-prefixed frame (a 4-byte big-endian length and
// that many bytes) from r. A negative or too large length is an error
// before any allocation; a stream that ends inside a frame is
// io.ErrUnexpectedEOF; one that ends between frames is io.EOF.
func ReadFrame(r io.Reader, max int) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := int32(binary.BigEndian.Uint32(size[:]))
	if n < 0 || int64(n) > int64(max) {
		return nil, fmt.Errorf("kafkawire: frame size %d is outside 0..%d (socket.request.max.bytes)", n, max)
	}
	// Grow as bytes arrive, so a client announcing a large frame and
	// sending little costs little.
	buf := make([]byte, 0, min(int(n), 64<<10))
	for len(buf) < int(n) {
		chunk := min(int(n)-len(buf), 1<<20)
		if cap(buf)-len(buf) < chunk {
			buf = append(buf, make([]byte, chunk)...)[:len(buf)]
		}
		m, err := io.ReadFull(r, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+m]
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	return buf, nil
}

// header is a request's header (v1, or v2 for flexible versions).
type header struct {
	key, version int16
	correlation  int32
	clientID     string
	body         []byte // the request body after the header
}

// parseHeader reads the fixed part of a request header; the tagged fields
// of a flexible header are skipped by the caller, which knows whether the
// version is flexible.
func parseHeader(frame []byte) (header, error) {
	if len(frame) < 10 {
		return header{}, fmt.Errorf("kafkawire: a request of %d bytes is shorter than a request header", len(frame))
	}
	h := header{
		key:         int16(binary.BigEndian.Uint16(frame[0:])),
		version:     int16(binary.BigEndian.Uint16(frame[2:])),
		correlation: int32(binary.BigEndian.Uint32(frame[4:])),
	}
	n := int16(binary.BigEndian.Uint16(frame[8:]))
	rest := frame[10:]
	if n > 0 {
		if int(n) > len(rest) {
			return header{}, fmt.Errorf("kafkawire: client id of %d bytes overruns the %d-byte request", n, len(frame))
		}
		h.clientID, rest = string(rest[:n]), rest[n:]
	} else if n < -1 {
		return header{}, fmt.Errorf("kafkawire: client id length %d", n)
	}
	h.body = rest
	return h, nil
}
