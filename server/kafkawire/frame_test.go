package kafkawire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func frameOf(b []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

func TestReadFrame(t *testing.T) {
	r := bytes.NewReader(append(frameOf([]byte("hello")), frameOf(nil)...))
	if got, err := ReadFrame(r, 16); err != nil || string(got) != "hello" {
		t.Fatalf("first frame: %q, %v", got, err)
	}
	if got, err := ReadFrame(r, 16); err != nil || len(got) != 0 {
		t.Fatalf("empty frame: %q, %v", got, err)
	}
	if _, err := ReadFrame(r, 16); err != io.EOF {
		t.Fatalf("after the last frame: %v, want EOF", err)
	}
	if _, err := ReadFrame(bytes.NewReader(frameOf(make([]byte, 17))), 16); err == nil {
		t.Fatal("a frame over the limit was accepted")
	}
	if _, err := ReadFrame(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xfe}), 16); err == nil {
		t.Fatal("a negative size was accepted")
	}
	if _, err := ReadFrame(bytes.NewReader(frameOf([]byte("hello"))[:6]), 16); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a cut frame: %v, want ErrUnexpectedEOF", err)
	}
}

// FuzzReadFrame: any bytes give frames within the limit or an error, never
// a panic, and a frame is exactly the bytes its prefix announced.
func FuzzReadFrame(f *testing.F) {
	f.Add(frameOf([]byte("abc")))
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff, 1, 2})
	f.Add([]byte{0, 0, 0})
	f.Add(append(frameOf([]byte{0, 18, 0, 3, 0, 0, 0, 1, 0, 1, 'x'}), 0, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		consumed := 0
		for {
			frame, err := ReadFrame(r, 1<<10)
			if err != nil {
				return
			}
			if len(frame) > 1<<10 {
				t.Fatalf("frame of %d bytes over the limit", len(frame))
			}
			if !bytes.Equal(frame, data[consumed+4:consumed+4+len(frame)]) {
				t.Fatal("frame bytes differ from the input")
			}
			consumed += 4 + len(frame)
			parseHeader(frame) // must not panic
		}
	})
}
