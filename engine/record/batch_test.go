package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// handBuilt is a two-record batch laid out byte by byte from the v2 format
// description, with its crc left zero; handBatch is the same batch as a value.
func handBuilt() []byte {
	b := []byte{
		0, 0, 0, 0, 0, 0, 0, 42, // baseOffset 42
		0, 0, 0, 72, // batchLength: 84 bytes in all minus the 12 of offset+length
		0, 0, 0, 7, // partitionLeaderEpoch 7
		2,          // magic
		0, 0, 0, 0, // crc, computed below
		0x00, 0x18, // attributes: LogAppendTime (bit 3) | transactional (bit 4)
		0, 0, 0, 1, // lastOffsetDelta 1
		0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // baseTimestamp 1700000000000
		0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x05, // maxTimestamp 1700000000005
		0, 0, 0, 0, 0, 0, 0x03, 0xe8, // producerId 1000
		0, 3, // producerEpoch 3
		0, 0, 0, 10, // baseSequence 10
		0, 0, 0, 2, // records count 2
		// record 0: body of 10 bytes
		0x14,      // length 10 (zigzag 20)
		0x00,      // attributes
		0x00,      // timestampDelta 0
		0x00,      // offsetDelta 0
		0x02, 'k', // key "k"
		0x01,      // value null (-1)
		0x02,      // 1 header
		0x02, 'h', // header key "h"
		0x00, // header value empty
		// record 1: body of 11 bytes
		0x16,                          // length 11
		0x00,                          // attributes
		0x0a,                          // timestampDelta 5
		0x02,                          // offsetDelta 1
		0x01,                          // key null
		0x0a, 'h', 'e', 'l', 'l', 'o', // value "hello"
		0x00, // no headers
	}
	binary.BigEndian.PutUint32(b[17:], crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)))
	return b
}

func handBatch() *Batch {
	return &Batch{
		BaseOffset: 42, PartitionLeaderEpoch: 7, Attributes: 0x18, LastOffsetDelta: 1,
		BaseTimestamp: 1700000000000, MaxTimestamp: 1700000000005,
		ProducerID: 1000, ProducerEpoch: 3, BaseSequence: 10,
		Records: []Record{
			{OffsetDelta: 0, Key: []byte("k"), Headers: []Header{{Key: "h", Value: []byte{}}}},
			{OffsetDelta: 1, TimestampDelta: 5, Value: []byte("hello")},
		},
	}
}

func TestEncodeMatchesHandBuiltLayout(t *testing.T) {
	want := handBuilt()
	if len(want) != 84 {
		t.Fatalf("hand-built batch is %d bytes, the comments say 84", len(want))
	}
	b := handBatch()
	got := b.Encode()
	if !bytes.Equal(got, want) {
		t.Fatalf("Encode:\n got % x\nwant % x", got, want)
	}
	if n := b.SizeInBytes(); n != len(want) {
		t.Errorf("SizeInBytes = %d, want %d", n, len(want))
	}
	dec, n, err := Decode(append(want, 0xee, 0xff)) // trailing bytes belong to the next batch
	if err != nil || n != len(want) {
		t.Fatalf("Decode = %d, %v", n, err)
	}
	if !reflect.DeepEqual(dec, b) {
		t.Fatalf("Decode = %+v, want %+v", dec, b)
	}
	if dec.TimestampType() != LogAppendTime || !dec.IsTransactional() || dec.IsControl() || dec.Compression() != CompressionNone {
		t.Errorf("attribute helpers: %v %v %v %v", dec.TimestampType(), dec.IsTransactional(), dec.IsControl(), dec.Compression())
	}
	if dec.LastOffset() != 43 || dec.NextOffset() != 44 || dec.NumRecords() != 2 {
		t.Errorf("offsets: last %d next %d n %d", dec.LastOffset(), dec.NextOffset(), dec.NumRecords())
	}
	if ts := dec.RecordTimestamp(0); ts != 1700000000005 {
		t.Errorf("LogAppendTime record timestamp = %d, want the batch max", ts)
	}
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 2000; i++ {
		b := randomBatch(rng, 12)
		prefix := []byte("prefix")
		enc := b.AppendTo(append([]byte(nil), prefix...))
		if !bytes.HasPrefix(enc, prefix) {
			t.Fatal("AppendTo clobbered dst")
		}
		enc = enc[len(prefix):]
		if len(enc) != b.SizeInBytes() {
			t.Fatalf("batch %d: SizeInBytes %d, encoded %d", i, b.SizeInBytes(), len(enc))
		}
		dec, n, err := Decode(enc)
		if err != nil || n != len(enc) {
			t.Fatalf("batch %d: Decode = %d, %v", i, n, err)
		}
		if !reflect.DeepEqual(dec, b) {
			t.Fatalf("batch %d: round trip differs:\n got %+v\nwant %+v", i, dec, b)
		}
		info, err := PeekInfo(enc)
		if err != nil || info.BaseOffset != b.BaseOffset || info.LastOffset != b.LastOffset() ||
			info.Size != len(enc) || info.MaxTimestamp != b.MaxTimestamp || int(info.NumRecords) != len(b.Records) ||
			info.PartitionLeaderEpoch != b.PartitionLeaderEpoch {
			t.Fatalf("batch %d: PeekInfo = %+v, %v", i, info, err)
		}
	}
}

func TestNilVersusEmpty(t *testing.T) {
	b := NewBatch(0,
		Record{Key: nil, Value: []byte{}},
		Record{Key: []byte{}, Value: nil, Headers: []Header{{Key: "", Value: nil}, {Key: "e", Value: []byte{}}}},
	)
	dec, _, err := Decode(b.Encode())
	if err != nil {
		t.Fatal(err)
	}
	r0, r1 := dec.Records[0], dec.Records[1]
	if r0.Key != nil || r0.Value == nil || len(r0.Value) != 0 {
		t.Errorf("record 0: key %#v value %#v, want nil key and empty value", r0.Key, r0.Value)
	}
	if r1.Key == nil || len(r1.Key) != 0 || r1.Value != nil {
		t.Errorf("record 1: key %#v value %#v, want empty key and nil value", r1.Key, r1.Value)
	}
	if h := r1.Headers; h[0].Value != nil || h[1].Value == nil || len(h[1].Value) != 0 {
		t.Errorf("headers %#v: want a null then an empty value", h)
	}
}

func TestDecodeDetectsEveryCorruptByte(t *testing.T) {
	enc := handBuilt()
	for pos := range enc {
		for _, mask := range []byte{0x01, 0x80} {
			b := append([]byte(nil), enc...)
			b[pos] ^= mask
			dec, _, err := Decode(b)
			switch {
			case pos < 8 || (pos >= 12 && pos < 16):
				// baseOffset and partitionLeaderEpoch are outside the CRC, as in
				// Kafka (the broker rewrites them without recomputing it).
				if err != nil {
					t.Errorf("byte %d ^ %#x: %v, want a valid batch with another offset/epoch", pos, mask, err)
				} else if dec.BaseOffset == 42 && dec.PartitionLeaderEpoch == 7 {
					t.Errorf("byte %d ^ %#x: decoded the unchanged values", pos, mask)
				}
			case err == nil:
				t.Errorf("byte %d ^ %#x: corruption not detected", pos, mask)
			case !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated):
				t.Errorf("byte %d ^ %#x: error %v is neither corrupt nor truncated", pos, mask, err)
			}
		}
	}
}

func TestDecodeTruncated(t *testing.T) {
	enc := handBuilt()
	for n := 0; n < len(enc); n++ {
		_, _, err := Decode(enc[:n])
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("prefix of %d bytes: err = %v, want ErrTruncated", n, err)
		}
	}
}

func TestDecodeNamesTheProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(b []byte) []byte
		kind error
		want string
	}{
		{"magic", func(b []byte) []byte { b[16] = 1; return b }, ErrCorrupt, "magic 1"},
		{"crc", func(b []byte) []byte { b[70]++; return b }, ErrCorrupt, "crc mismatch"},
		{"short length", func(b []byte) []byte { binary.BigEndian.PutUint32(b[8:], 10); return b }, ErrCorrupt, "below the minimum"},
		{"negative count", func(b []byte) []byte { binary.BigEndian.PutUint32(b[57:], 0xffffffff); fixCRC(b); return b }, ErrCorrupt, "negative records count"},
		{"count too big", func(b []byte) []byte { binary.BigEndian.PutUint32(b[57:], 1<<30); fixCRC(b); return b }, ErrCorrupt, "cannot fit"},
		{"count too small", func(b []byte) []byte { binary.BigEndian.PutUint32(b[57:], 1); fixCRC(b); return b }, ErrCorrupt, "left over after 1 records"},
		{"record attributes", func(b []byte) []byte { b[62] = 1; fixCRC(b); return b }, ErrCorrupt, "record 0: record attributes"},
		{"null header key", func(b []byte) []byte { b[69] = 0x01; fixCRC(b); return b }, ErrCorrupt, "header key length -1"},
		{"key past end", func(b []byte) []byte { b[65] = 0x7e; fixCRC(b); return b }, ErrCorrupt, "key length 63 runs past"},
		{"snappy", func(b []byte) []byte { b[22] |= 2; fixCRC(b); return b }, ErrUnsupported, "snappy is not supported"},
		{"codec 6", func(b []byte) []byte { b[22] |= 6; fixCRC(b); return b }, ErrUnsupported, "unknown compression type 6"},
	} {
		_, _, err := Decode(tc.edit(handBuilt()))
		if !errors.Is(err, tc.kind) || err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "record: ") {
			t.Errorf("%s: err = %v, want %v containing %q", tc.name, err, tc.kind, tc.want)
		}
	}
}

func TestPeekHeader(t *testing.T) {
	enc := handBuilt()
	base, length, err := PeekHeader(enc)
	if err != nil || base != 42 || length != 72 {
		t.Fatalf("PeekHeader = %d, %d, %v", base, length, err)
	}
	if _, _, err := PeekHeader(enc[:16]); !errors.Is(err, ErrTruncated) {
		t.Errorf("16 bytes: %v, want ErrTruncated", err)
	}
	if _, err := PeekInfo(enc[:60]); !errors.Is(err, ErrTruncated) {
		t.Errorf("PeekInfo on 60 bytes: %v, want ErrTruncated", err)
	}
	zero := make([]byte, 61)
	if _, _, err := PeekHeader(zero); !errors.Is(err, ErrCorrupt) {
		t.Errorf("zeros: %v, want ErrCorrupt", err)
	}
}

func TestNewBatchAndValidate(t *testing.T) {
	b := NewBatch(1000, Record{TimestampDelta: 3}, Record{TimestampDelta: 9}, Record{TimestampDelta: 1})
	if b.LastOffsetDelta != 2 || b.MaxTimestamp != 1009 || b.ProducerID != NoProducerID || b.Records[2].OffsetDelta != 2 {
		t.Fatalf("NewBatch = %+v", b)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := *b
	bad.Records = append([]Record(nil), b.Records...)
	bad.Records[1].OffsetDelta = 0
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "record 1 has offsetDelta 0") {
		t.Errorf("non-increasing deltas: %v", err)
	}
	bad = *b
	bad.Attributes = MakeAttributes(CompressionLZ4, CreateTime, false, false)
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "lz4") {
		t.Errorf("lz4: %v", err)
	}
	if err := NewBatch(0).Validate(); err == nil {
		t.Error("a batch with no records and lastOffsetDelta -1 validated")
	}
	if a := MakeAttributes(CompressionLZ4, LogAppendTime, true, true); a != 0x3b {
		t.Errorf("MakeAttributes = %#x, want 0x3b", a)
	}
}
