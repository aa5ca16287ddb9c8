package client

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// TestExpBackoffGrowsAndCaps checks expBackoff against KIP-580's formula
// with Kafka's defaults (retry.backoff.ms=100, retry.backoff.max.ms=1000):
// 100·2^n ms ±20 %, never above 1000 ms, and flat when the cap is not above
// the start.
func TestExpBackoffGrowsAndCaps(t *testing.T) {
	rnd := sim.NewRand(7)
	const initial, maxB = 100 * time.Millisecond, time.Second
	for n := range 12 {
		base := min(initial<<n, maxB)
		for range 200 {
			d := expBackoff(initial, maxB, n, rnd)
			lo, hi := base*8/10, min(base*12/10, maxB)
			if d < lo || d > hi {
				t.Fatalf("backoff after %d failures = %v, want within [%v, %v]", n, d, lo, hi)
			}
		}
	}
	if d := expBackoff(initial, 50*time.Millisecond, 5, rnd); d != initial {
		t.Errorf("retry.backoff.max.ms below retry.backoff.ms: backoff %v, want a flat %v", d, initial)
	}
	a, b := sim.NewRand(3), sim.NewRand(3)
	for n := range 8 {
		if x, y := expBackoff(initial, maxB, n, a), expBackoff(initial, maxB, n, b); x != y {
			t.Fatalf("same seed, different jitter after %d failures: %v and %v", n, x, y)
		}
	}
}
