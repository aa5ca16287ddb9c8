package record

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// Encodings worked out by hand from Kafka's zigzag rules.
func TestVarintKnownEncodings(t *testing.T) {
	for _, tc := range []struct {
		v    int32
		want []byte
	}{
		{0, []byte{0x00}},
		{-1, []byte{0x01}},
		{1, []byte{0x02}},
		{63, []byte{0x7e}},
		{-64, []byte{0x7f}},
		{64, []byte{0x80, 0x01}},
		{300, []byte{0xd8, 0x04}},
		{math.MaxInt32, []byte{0xfe, 0xff, 0xff, 0xff, 0x0f}},
		{math.MinInt32, []byte{0xff, 0xff, 0xff, 0xff, 0x0f}},
	} {
		got := appendVarint(nil, tc.v)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("appendVarint(%d) = % x, want % x", tc.v, got, tc.want)
		}
		if n := varintSize(tc.v); n != len(tc.want) {
			t.Errorf("varintSize(%d) = %d, want %d", tc.v, n, len(tc.want))
		}
		v, n, err := readVarint(tc.want)
		if err != nil || v != tc.v || n != len(tc.want) {
			t.Errorf("readVarint(% x) = %d, %d, %v; want %d, %d, nil", tc.want, v, n, err, tc.v, len(tc.want))
		}
	}
	long := appendVarlong(nil, math.MinInt64)
	if want := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}; !bytes.Equal(long, want) {
		t.Errorf("appendVarlong(MinInt64) = % x, want % x", long, want)
	}
}

func TestVarintRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		v32 := int32(rng.Uint32()) >> (rng.IntN(32))
		b := appendVarint(nil, v32)
		got, n, err := readVarint(b)
		if err != nil || got != v32 || n != len(b) || n != varintSize(v32) {
			t.Fatalf("varint %d: got %d, %d, %v from % x", v32, got, n, err, b)
		}
		v64 := int64(rng.Uint64()) >> (rng.IntN(64))
		b = appendVarlong(nil, v64)
		got64, n, err := readVarlong(b)
		if err != nil || got64 != v64 || n != len(b) || n != varlongSize(v64) {
			t.Fatalf("varlong %d: got %d, %d, %v from % x", v64, got64, n, err, b)
		}
	}
}

func TestVarintRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		long bool
		want error
	}{
		{"empty", nil, false, errVarintShort},
		{"unterminated", []byte{0x80, 0x80}, false, errVarintShort},
		{"overlong zero", []byte{0x80, 0x00}, false, errVarintNotMinimal},
		{"six bytes for int32", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, false, errVarintTooLong},
		{"33 bits", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, false, errVarintTooLong},
		{"65 bits", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03}, true, errVarintTooLong},
		{"eleven bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, true, errVarintTooLong},
	} {
		var err error
		if tc.long {
			_, _, err = readVarlong(tc.in)
		} else {
			_, _, err = readVarint(tc.in)
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
