package record

import (
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestZstdEstimateNearRealZstd: the zstd codec is a DEFLATE estimate (see
// zstdCodec); real zstd at Kafka's default level 3 (klauspost's encoder,
// used only by this test) must stay within the stated band of it, so what
// the playground shows for compression.type=zstd is what Kafka would send,
// give or take a quarter.
func TestZstdEstimateNearRealZstd(t *testing.T) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(3)))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	for _, n := range []int{10, 100, 1000, 5000} {
		raw := encodeRecords(compressible(n))
		real := len(enc.EncodeAll(raw, nil))
		est := len(zstdCodec{}.compress(nil, raw))
		ratio := float64(est) / float64(real)
		t.Logf("%5d records: %7d bytes raw, zstd level 3 %6d, estimate %6d (%.2f×)", n, len(raw), real, est, ratio)
		if ratio < 0.75 || ratio > 1.35 {
			t.Errorf("%d records: estimate %d bytes is %.2f× real zstd's %d; want within 0.75-1.35×", n, est, ratio, real)
		}
	}
}
