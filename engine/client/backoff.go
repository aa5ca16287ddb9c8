package client

import (
	"math"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// expBackoff is Kafka's ExponentialBackoff(initial, 2, maxB, jitter 0.2)
// .backoff(n) (KIP-580): initial·2^n, at most maxB, times a random factor in
// [0.8, 1.2) drawn from rnd (a seeded stream of the simulation), floored to
// whole milliseconds and capped at maxB again. With maxB ≤ initial it is
// initial, without jitter, as in Kafka.
func expBackoff(initial, maxB time.Duration, n int, rnd *sim.Rand) time.Duration {
	initialMs, maxMs := float64(initial.Milliseconds()), float64(maxB.Milliseconds())
	if maxMs <= initialMs {
		return initial
	}
	expMax := math.Log(maxMs/max(initialMs, 1)) / math.Log(2)
	term := initialMs * math.Pow(2, min(float64(n), expMax))
	ms := math.Floor(term * (0.8 + 0.4*rnd.Float64()))
	return time.Duration(min(ms, maxMs)) * time.Millisecond
}
