package sim

import (
	"math"
	"time"
)

// The queue of pending events keeps the timers due before a horizon in a
// binary min-heap by (time, sequence), and the later ones (request
// timeouts, session and poll deadlines: seconds or minutes ahead, most of
// them cancelled or re-armed before they fire) in an unordered list, so
// that the heap stays as small as the near future. When nothing in the
// heap is due before the horizon, the horizon moves past the earliest
// pending timer and the far timers it passes join the heap. Every far
// timer is due at or after the horizon, so the heap's first timer is the
// first of all, and the order events run in is exactly (time, sequence).

// farWindow is how far past the earliest pending timer the horizon moves.
const farWindow = time.Second

// farTimer is a far list entry; its time is kept beside it so that moving
// the horizon reads the list without touching the timers.
type farTimer struct {
	at time.Duration
	t  *Timer
}

func (s *Sim) enqueue(t *Timer) {
	t.queued = true
	if t.at < s.hor {
		t.far = false
		s.near.push(t)
		return
	}
	if len(s.far) == 0 || t.at < s.low {
		s.low = t.at
	}
	t.far, t.index = true, len(s.far)
	s.far = append(s.far, farTimer{t.at, t})
}

func (s *Sim) dequeue(t *Timer) {
	if !t.far {
		s.near.remove(t.index)
		return
	}
	t.queued = false
	last := len(s.far) - 1
	if i := t.index; i != last {
		s.far[i] = s.far[last]
		s.far[i].t.index = i
	}
	s.far[last] = farTimer{}
	s.far = s.far[:last]
}

// next returns the first pending timer (in the heap), or nil.
func (s *Sim) next() *Timer {
	for len(s.near) == 0 || s.near[0].at >= s.hor {
		if len(s.far) == 0 {
			if len(s.near) == 0 {
				return nil
			}
			return s.near[0].t
		}
		s.moveHorizon()
	}
	return s.near[0].t
}

// moveHorizon sets the horizon farWindow past the earliest pending timer
// (or a lower bound of it: next calls again if that moved nothing) and
// moves the far timers due before it into the heap.
func (s *Sim) moveHorizon() {
	first := s.low
	if len(s.near) > 0 {
		first = min(first, s.near[0].at)
	}
	s.hor = first + farWindow
	kept, low := s.far[:0], time.Duration(math.MaxInt64)
	for _, f := range s.far {
		if f.at < s.hor {
			f.t.far = false
			s.near.push(f.t)
			continue
		}
		f.t.index = len(kept)
		kept = append(kept, f)
		low = min(low, f.at)
	}
	clear(s.far[len(kept):])
	s.far, s.low = kept, low
}

// eventQueue is a binary min-heap by (time, sequence) of timers, each
// knowing its index so that Cancel can remove it. An entry keeps its
// timer's time and sequence beside it, so that ordering the heap reads no
// timer. Sequences are unique, so the order events pop in does not depend
// on the heap's shape, nor on when cancelled timers leave it.
type eventQueue []heapEntry

type heapEntry struct {
	at  time.Duration
	seq uint64
	t   *Timer
}

func less(a, b *heapEntry) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (q *eventQueue) push(t *Timer) {
	t.queued = true
	*q = append(*q, heapEntry{})
	q.up(len(*q)-1, heapEntry{t.at, t.seq, t})
}

// remove takes the timer at index i out of the queue.
func (q *eventQueue) remove(i int) {
	h := *q
	n := len(h) - 1
	h[i].t.queued = false
	last := h[n]
	h[n] = heapEntry{}
	*q = h[:n]
	if i == n {
		return
	}
	if i > 0 && less(&last, &h[(i-1)/2]) {
		q.up(i, last)
	} else {
		q.down(i, last)
	}
}

// up places e, meant for index i, at or above i.
func (q eventQueue) up(i int, e heapEntry) {
	for i > 0 {
		parent := (i - 1) / 2
		if !less(&e, &q[parent]) {
			break
		}
		q[i] = q[parent]
		q[i].t.index = i
		i = parent
	}
	q[i], e.t.index = e, i
}

// down places e, meant for index i, at or below i.
func (q eventQueue) down(i int, e heapEntry) {
	n := len(q)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && less(&q[r], &q[c]) {
			c = r
		}
		if !less(&q[c], &e) {
			break
		}
		q[i] = q[c]
		q[i].t.index = i
		i = c
	}
	q[i], e.t.index = e, i
}
