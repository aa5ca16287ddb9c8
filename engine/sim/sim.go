// Package sim is the deterministic discrete-event core: a virtual clock, an
// event queue ordered by (time, sequence), seeded randomness with per-node
// sub-streams, and a simulated network. Nothing here reads the wall clock.
package sim

import "time"

// Sim owns virtual time and the queue of pending events (queue.go).
type Sim struct {
	now  time.Duration
	seq  uint64
	near eventQueue    // timers due before horizon
	far  []farTimer    // timers due at or after horizon, unordered
	hor  time.Duration // the horizon
	low  time.Duration // at most the earliest far timer's time (cancelling may leave it lower)
	rand *Rand
	slab []Timer // Schedule's and ScheduleEvent's timers, allocated many at a time
}

// timerSlab is how many timers Schedule and ScheduleEvent allocate at once.
const timerSlab = 64

// newTimer returns a zeroed timer from the slab. A fired or cancelled one
// lets go of its work (step, Cancel), so that the slab, which lives while
// any of its timers is referenced, keeps no closure alive.
func (s *Sim) newTimer() *Timer {
	if len(s.slab) == cap(s.slab) {
		s.slab = make([]Timer, 0, timerSlab)
	}
	s.slab = s.slab[:len(s.slab)+1]
	t := &s.slab[len(s.slab)-1]
	t.once = true
	return t
}

// New returns a simulation at time zero whose randomness derives from seed.
func New(seed uint64) *Sim { return NewAt(seed, 0) }

// NewAt returns a simulation whose clock starts at start (which may be
// negative: the cluster boots before the scenario's time zero).
func NewAt(seed uint64, start time.Duration) *Sim {
	return &Sim{rand: NewRand(seed), now: start, hor: start + farWindow}
}

// Now is the current virtual time since the scenario started.
func (s *Sim) Now() time.Duration { return s.now }

// Rand returns a sub-stream of the seeded randomness named for its user, so
// adding randomness to one node never shifts the draws of another.
func (s *Sim) Rand(name string) *Rand { return s.rand.Fork(name) }

// Timer is a scheduled event that can be cancelled before it fires.
type Timer struct {
	at     time.Duration
	seq    uint64
	fn     func()
	ev     Event // fired instead of fn when set
	sim    *Sim  // whose queue holds it while queued
	index  int   // its place in the heap or in the far list
	queued bool
	far    bool // in the far list
	once   bool // from Schedule or ScheduleEvent: forgets its work once done
}

// Event is work scheduled with ScheduleEvent: an object that already holds
// its state fires without a closure being allocated for it.
type Event interface{ Fire() }

// Cancel stops the event from firing and takes it out of the queue at
// once (a request's timeout, cancelled when the answer comes, would
// otherwise sit in the queue for the whole timeout); cancelling twice or
// after it fired is a no-op.
func (t *Timer) Cancel() {
	if t != nil && t.queued {
		t.sim.dequeue(t)
		if t.once {
			t.fn, t.ev = nil, nil
		}
	}
}

// Queued reports whether the timer is waiting to fire.
func (t *Timer) Queued() bool { return t != nil && t.queued }

// At reports when the timer fires.
func (t *Timer) At() time.Duration { return t.at }

// Schedule runs fn at virtual time at (never earlier than now).
func (s *Sim) Schedule(at time.Duration, fn func()) *Timer {
	t := s.newTimer()
	t.fn = fn
	s.push(t, at)
	return t
}

// ScheduleEvent fires ev at virtual time at (never earlier than now). It
// orders with Schedule's events as if ev.Fire had been passed to Schedule.
func (s *Sim) ScheduleEvent(at time.Duration, ev Event) *Timer {
	t := s.newTimer()
	t.ev = ev
	s.push(t, at)
	return t
}

// Arm is ScheduleEvent on a timer the caller owns, typically a field of the
// event itself, which saves an allocation per event. The timer may be armed
// again once it has fired or been cancelled, but not while it is queued.
func (s *Sim) Arm(t *Timer, at time.Duration, ev Event) {
	if t.queued {
		panic("sim: Arm of a timer that is still queued")
	}
	t.ev = ev
	s.push(t, at)
}

// Reserve sets aside n consecutive queue positions, as if n events were
// scheduled now, and returns the first. ArmReserved queues an event at one
// of them later: it then orders exactly as if it had been scheduled at
// the time of Reserve, so a run of future events (records produced at a
// rate) can keep one timer queued at a time instead of one per event.
func (s *Sim) Reserve(n int) uint64 {
	first := s.seq + 1
	s.seq += uint64(n)
	return first
}

// ArmReserved is Arm at a queue position seq taken from Reserve (each
// position used once). at must not be earlier than now.
func (s *Sim) ArmReserved(t *Timer, at time.Duration, seq uint64, ev Event) {
	if t.queued {
		panic("sim: ArmReserved of a timer that is still queued")
	}
	if at < s.now {
		panic("sim: ArmReserved in the past")
	}
	t.ev = ev
	t.at, t.seq, t.sim = at, seq, s
	s.enqueue(t)
}

// After runs fn d after now.
func (s *Sim) After(d time.Duration, fn func()) *Timer { return s.Schedule(s.now+d, fn) }

// push queues t at at (never earlier than now) behind everything queued before.
func (s *Sim) push(t *Timer, at time.Duration) {
	if at < s.now {
		at = s.now
	}
	s.seq++
	t.at, t.seq, t.sim = at, s.seq, s
	s.enqueue(t)
}

// NextAt reports the time of the next pending event.
func (s *Sim) NextAt() (time.Duration, bool) {
	if t := s.next(); t != nil {
		return t.at, true
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

// step runs the next event; NextAt found it.
func (s *Sim) step() {
	t := s.near[0].t
	s.near.remove(0)
	s.now = t.at
	ev, fn := t.ev, t.fn
	if t.once {
		t.ev, t.fn = nil, nil
	}
	if ev != nil {
		ev.Fire()
		return
	}
	fn()
}

// Pending counts events still queued.
func (s *Sim) Pending() int { return len(s.near) + len(s.far) }
