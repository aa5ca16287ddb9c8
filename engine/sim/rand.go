package sim

import "time"

// Rand is a small seeded PRNG (SplitMix64). It is deliberately ours: the
// stream for a seed must never change with a Go release.
type Rand struct{ state uint64 }

// NewRand returns a generator seeded with seed.
func NewRand(seed uint64) *Rand { return &Rand{state: seed} }

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Fork derives an independent stream for name without consuming from r.
func (r *Rand) Fork(name string) *Rand {
	h := uint64(14695981039346656037) // FNV-1a over the name, mixed with the parent state.
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	child := &Rand{state: r.state ^ h}
	child.Uint64()
	return child
}

// Int63n returns a uniform value in [0, n); n must be positive.
func (r *Rand) Int63n(n int64) int64 {
	if n <= 0 {
		panic("sim: Int63n with n <= 0")
	}
	max := uint64(1<<63 - 1)
	limit := max - max%uint64(n)
	for {
		v := r.Uint64() >> 1
		if v < limit {
			return int64(v % uint64(n))
		}
	}
}

// Intn returns a uniform int in [0, n).
func (r *Rand) Intn(n int) int { return int(r.Int63n(int64(n))) }

// Float64 returns a uniform value in [0, 1).
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// Jitter returns a uniform duration in [0, d].
func (r *Rand) Jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(r.Int63n(int64(d) + 1))
}
