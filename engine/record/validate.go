package record

import (
	"fmt"
	"math"
)

// Validate checks what the encoder cannot: offsets and deltas make sense and
// the codec is supported. A log calls it before appending. It does not
// require records (compaction may leave empty batches).
func (b *Batch) Validate() error {
	if b.BaseOffset < 0 {
		return fmt.Errorf("record: batch base offset %d is negative", b.BaseOffset)
	}
	if b.LastOffsetDelta < 0 {
		return fmt.Errorf("record: batch at offset %d: lastOffsetDelta %d is negative", b.BaseOffset, b.LastOffsetDelta)
	}
	if b.BaseOffset > math.MaxInt64-int64(b.LastOffsetDelta)-1 {
		return fmt.Errorf("record: batch at offset %d: last offset overflows int64", b.BaseOffset)
	}
	if c := b.Compression(); c != CompressionNone {
		if _, err := lookupCodec(c); err != nil {
			return fmt.Errorf("record: batch at offset %d: %v", b.BaseOffset, err)
		}
	}
	if len(b.Records) > math.MaxInt32 {
		return fmt.Errorf("record: batch at offset %d: %d records overflow int32", b.BaseOffset, len(b.Records))
	}
	prev := int32(-1)
	for i := range b.Records {
		r := &b.Records[i]
		if r.OffsetDelta <= prev || r.OffsetDelta > b.LastOffsetDelta {
			return fmt.Errorf("record: batch at offset %d: record %d has offsetDelta %d, want increasing deltas within 0..%d",
				b.BaseOffset, i, r.OffsetDelta, b.LastOffsetDelta)
		}
		prev = r.OffsetDelta
		for h := range r.Headers {
			if len(r.Headers[h].Key) > math.MaxInt32 {
				return fmt.Errorf("record: batch at offset %d: record %d header %d key too long", b.BaseOffset, i, h)
			}
		}
		if len(r.Key) > math.MaxInt32 || len(r.Value) > math.MaxInt32 {
			return fmt.Errorf("record: batch at offset %d: record %d key or value too long", b.BaseOffset, i)
		}
	}
	return nil
}
