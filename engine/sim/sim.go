// Package sim is the deterministic discrete-event core: a virtual clock, an
// event queue ordered by (time, sequence), seeded randomness with per-node
// sub-streams, and a simulated network. Nothing here reads the wall clock.
package sim

import (
	"container/heap"
	"time"
)

// Sim owns virtual time and the queue of pending events.
type Sim struct {
	now   time.Duration
	seq   uint64
	queue eventQueue
	rand  *Rand
}

// New returns a simulation at time zero whose randomness derives from seed.
func New(seed uint64) *Sim { return &Sim{rand: NewRand(seed)} }

// NewAt returns a simulation whose clock starts at start (which may be
// negative: the cluster boots before the scenario's time zero).
func NewAt(seed uint64, start time.Duration) *Sim { return &Sim{rand: NewRand(seed), now: start} }

// Now is the current virtual time since the scenario started.
func (s *Sim) Now() time.Duration { return s.now }

// Rand returns a sub-stream of the seeded randomness named for its user, so
// adding randomness to one node never shifts the draws of another.
func (s *Sim) Rand(name string) *Rand { return s.rand.Fork(name) }

// Timer is a scheduled event that can be cancelled before it fires.
type Timer struct {
	at        time.Duration
	seq       uint64
	fn        func()
	index     int
	cancelled bool
}

// Cancel stops the event from firing; cancelling twice or after it fired is a no-op.
func (t *Timer) Cancel() {
	if t != nil {
		t.cancelled = true
	}
}

// At reports when the timer fires.
func (t *Timer) At() time.Duration { return t.at }

// Schedule runs fn at virtual time at (never earlier than now).
func (s *Sim) Schedule(at time.Duration, fn func()) *Timer {
	if at < s.now {
		at = s.now
	}
	s.seq++
	t := &Timer{at: at, seq: s.seq, fn: fn}
	heap.Push(&s.queue, t)
	return t
}

// After runs fn d after now.
func (s *Sim) After(d time.Duration, fn func()) *Timer { return s.Schedule(s.now+d, fn) }

// NextAt reports the time of the next pending event.
func (s *Sim) NextAt() (time.Duration, bool) {
	for len(s.queue) > 0 {
		if t := s.queue[0]; t.cancelled {
			heap.Pop(&s.queue)
			continue
		}
		return s.queue[0].at, true
	}
	return 0, false
}

// RunUntil runs every event due at or before t in (time, sequence) order,
// then sets the clock to t. It returns how many events ran.
func (s *Sim) RunUntil(t time.Duration) int {
	n := 0
	for {
		at, ok := s.NextAt()
		if !ok || at > t {
			break
		}
		s.step()
		n++
	}
	if t > s.now {
		s.now = t
	}
	return n
}

// Step runs the next pending event (and every other event at that same
// instant), advancing the clock to it. It reports false when nothing is pending.
func (s *Sim) Step() bool {
	at, ok := s.NextAt()
	if !ok {
		return false
	}
	s.RunUntil(at)
	return true
}

func (s *Sim) step() {
	t := heap.Pop(&s.queue).(*Timer)
	s.now = t.at
	t.fn()
}

// Pending counts events still queued (cancelled ones included until popped).
func (s *Sim) Pending() int { return len(s.queue) }

type eventQueue []*Timer

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i]; q[i].index = i; q[j].index = j }
func (q *eventQueue) Push(x any)   { t := x.(*Timer); t.index = len(*q); *q = append(*q, t) }
func (q *eventQueue) Pop() any {
	old := *q
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return t
}
