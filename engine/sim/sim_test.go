package sim

import (
	"sort"
	"testing"
	"time"
)

func TestEventsRunInTimeThenSequenceOrder(t *testing.T) {
	s := New(1)
	var got []int
	s.Schedule(2*time.Millisecond, func() { got = append(got, 3) })
	s.Schedule(time.Millisecond, func() { got = append(got, 1) })
	s.Schedule(time.Millisecond, func() { got = append(got, 2) })
	cancelled := s.Schedule(time.Millisecond, func() { got = append(got, 99) })
	cancelled.Cancel()
	s.Schedule(5*time.Millisecond, func() { got = append(got, 4) })
	if n := s.RunUntil(3 * time.Millisecond); n != 3 {
		t.Fatalf("ran %d events, want 3", n)
	}
	if s.Now() != 3*time.Millisecond {
		t.Fatalf("clock %v, want 3ms", s.Now())
	}
	if !s.Step() || s.Now() != 5*time.Millisecond {
		t.Fatalf("step should run the 5ms event")
	}
	want := []int{1, 2, 3, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if s.Step() {
		t.Fatal("nothing left to step")
	}
}

func TestRandIsSeededAndForksAreIndependent(t *testing.T) {
	a, b := NewRand(42), NewRand(42)
	for i := 0; i < 100; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed, different stream")
		}
	}
	p := NewRand(7)
	x1 := p.Fork("broker-1").Uint64()
	p.Fork("broker-2").Uint64() // forking another name does not shift broker-1
	if p.Fork("broker-1").Uint64() != x1 {
		t.Fatal("fork is not a pure function of the parent state and name")
	}
	if p.Fork("broker-1").Uint64() == p.Fork("broker-2").Uint64() {
		t.Fatal("different names gave the same stream")
	}
	for i := 0; i < 1000; i++ {
		if v := p.Intn(7); v < 0 || v >= 7 {
			t.Fatalf("Intn out of range: %d", v)
		}
		if f := p.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64 out of range: %v", f)
		}
		if j := p.Jitter(time.Millisecond); j < 0 || j > time.Millisecond {
			t.Fatalf("Jitter out of range: %v", j)
		}
	}
}

func TestNetworkKeepsLinksFIFOAndAppliesFaults(t *testing.T) {
	s := New(3)
	n := NewNetwork(s, NetworkConfig{Latency: time.Millisecond, Jitter: 5 * time.Millisecond})
	var got []int
	var resets int
	n.Register("a", func(from NodeID, msg any) {
		if _, ok := msg.(Disconnected); ok {
			resets++
		}
	})
	n.Register("b", func(from NodeID, msg any) { got = append(got, msg.(int)) })
	for i := 0; i < 50; i++ {
		n.Send("a", "b", i)
	}
	s.RunUntil(time.Second)
	for i := range got {
		if got[i] != i {
			t.Fatalf("link reordered messages despite jitter: %v", got)
		}
	}
	if len(got) != 50 {
		t.Fatalf("delivered %d of 50", len(got))
	}
	// A partition drops silently; heal restores.
	n.Partition([][]NodeID{{"a"}, {"b"}})
	n.Send("a", "b", 100)
	s.RunUntil(2 * time.Second)
	if len(got) != 50 || n.Reachable("a", "b") {
		t.Fatal("message crossed a partition")
	}
	n.Heal()
	n.Send("a", "b", 101)
	s.RunUntil(3 * time.Second)
	if got[len(got)-1] != 101 {
		t.Fatal("heal did not restore the link")
	}
	// A stopped process refuses the connection: the sender hears a reset.
	n.SetDown("b", true)
	n.Send("a", "b", 102)
	s.RunUntil(4 * time.Second)
	if resets != 1 {
		t.Fatalf("resets %d, want 1", resets)
	}
	// A powered-off host is silent.
	n.SetPoweredOff("b")
	n.Send("a", "b", 103)
	s.RunUntil(5 * time.Second)
	if resets != 1 {
		t.Fatalf("a powered-off host answered with a reset")
	}
	// Extra delay on a link.
	n.SetDown("b", false)
	n.SetLinkDelay("a", "b", 100*time.Millisecond)
	n.Send("a", "b", 104)
	s.RunUntil(5*time.Second + 50*time.Millisecond)
	if got[len(got)-1] == 104 {
		t.Fatal("link delay ignored")
	}
	s.RunUntil(6 * time.Second)
	if got[len(got)-1] != 104 {
		t.Fatal("delayed message never arrived")
	}
}

type recordEvent struct {
	got   *[]int
	n     int
	timer Timer
}

func (e *recordEvent) Fire() { *e.got = append(*e.got, e.n) }

func TestEventsOrderWithFunctionsAndArmedTimersRearm(t *testing.T) {
	s := New(1)
	var got []int
	s.Schedule(time.Millisecond, func() { got = append(got, 1) })
	s.ScheduleEvent(time.Millisecond, &recordEvent{got: &got, n: 2})
	armed := &recordEvent{got: &got, n: 3}
	s.Arm(&armed.timer, time.Millisecond, armed)
	s.Schedule(0, func() { got = append(got, 0) })
	s.RunUntil(time.Millisecond)
	if len(got) != 4 || got[0] != 0 || got[1] != 1 || got[2] != 2 || got[3] != 3 {
		t.Fatalf("order %v, want [0 1 2 3]", got)
	}
	s.Arm(&armed.timer, 2*time.Millisecond, armed) // fired: may be armed again
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("arming a timer that is still queued should panic")
			}
		}()
		s.Arm(&armed.timer, 3*time.Millisecond, armed)
	}()
	armed.timer.Cancel()
	if s.Pending() != 0 {
		t.Fatalf("a cancelled timer is still queued: %d pending", s.Pending())
	}
	s.RunUntil(5 * time.Millisecond)
	if len(got) != 4 {
		t.Fatalf("a cancelled armed timer fired: %v", got)
	}
	s.Arm(&armed.timer, 6*time.Millisecond, armed) // cancelled: armable again
	s.RunUntil(6 * time.Millisecond)
	if len(got) != 5 || got[4] != 3 {
		t.Fatalf("re-armed timer did not fire: %v", got)
	}
}

// TestQueueMatchesSortedOrderUnderCancels checks the heap against a
// plainly sorted reference: timers at random times, many cancelled from
// anywhere in the queue, must fire in (time, sequence) order.
func TestQueueMatchesSortedOrderUnderCancels(t *testing.T) {
	s := New(1)
	r := NewRand(9)
	type entry struct {
		at  time.Duration
		seq int
	}
	var want []entry
	var got []int
	var live []*Timer
	var liveSeq []int
	cancelled := map[int]bool{}
	for i := 0; i < 5000; i++ {
		i := i
		at := time.Duration(r.Intn(200)) * time.Microsecond
		live = append(live, s.Schedule(at, func() { got = append(got, i) }))
		liveSeq = append(liveSeq, i)
		want = append(want, entry{at, i})
		if r.Intn(3) == 0 {
			k := r.Intn(len(live))
			live[k].Cancel()
			live[k].Cancel() // twice is a no-op
			cancelled[liveSeq[k]] = true
			live, liveSeq = append(live[:k], live[k+1:]...), append(liveSeq[:k], liveSeq[k+1:]...)
		}
	}
	if s.Pending() != len(live) {
		t.Fatalf("%d pending, want %d", s.Pending(), len(live))
	}
	s.RunUntil(time.Second)
	sort.SliceStable(want, func(a, b int) bool { return want[a].at < want[b].at })
	var order []int
	for _, e := range want {
		if !cancelled[e.seq] {
			order = append(order, e.seq)
		}
	}
	if len(got) != len(order) {
		t.Fatalf("%d fired, want %d", len(got), len(order))
	}
	for i := range order {
		if got[i] != order[i] {
			t.Fatalf("event %d: fired %d, want %d", i, got[i], order[i])
		}
	}
}

func TestNetworkKeepsLinksFIFOWhileReusingDeliveries(t *testing.T) {
	s := New(3)
	n := NewNetwork(s, DefaultNetworkConfig())
	var got []int
	n.Register("b", func(from NodeID, msg any) {
		got = append(got, msg.(int))
		if v := msg.(int); v < 100 {
			n.Send("a", "b", v+100) // sent while being delivered
		}
	})
	n.Register("a", func(NodeID, any) {})
	for i := 0; i < 50; i++ {
		n.Send("a", "b", i)
		s.RunUntil(s.Now() + 200*time.Microsecond)
	}
	s.RunUntil(time.Second)
	if len(got) != 100 {
		t.Fatalf("delivered %d messages, want 100", len(got))
	}
	last := -1
	for _, v := range got {
		if v < 100 {
			if v <= last {
				t.Fatalf("link reordered: %v", got)
			}
			last = v
		}
	}
	seen := map[int]bool{}
	for _, v := range got {
		if seen[v] {
			t.Fatalf("message %d delivered twice: %v", v, got)
		}
		seen[v] = true
	}
}

type chainEvent struct {
	s     *Sim
	got   *[]int
	seq   uint64
	next  int
	timer Timer
}

// Fire records its step and arms the next at its reserved position.
func (e *chainEvent) Fire() {
	*e.got = append(*e.got, 10+e.next)
	if e.next++; e.next < 3 {
		e.s.ArmReserved(&e.timer, time.Duration(e.next)*time.Millisecond, e.seq+uint64(e.next), e)
	}
}

func TestReservedPositionsOrderAsIfScheduledAtReserve(t *testing.T) {
	s := New(1)
	var got []int
	s.Schedule(time.Millisecond, func() { got = append(got, 1) }) // before the reservation
	e := &chainEvent{s: s, got: &got}
	e.seq = s.Reserve(3)
	s.ArmReserved(&e.timer, 0, e.seq, e)
	s.Schedule(time.Millisecond, func() { got = append(got, 2) }) // after it
	s.Schedule(2*time.Millisecond, func() { got = append(got, 3) })
	s.RunUntil(time.Second)
	want := []int{10, 1, 11, 2, 12, 3}
	if len(got) != len(want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

// TestQueueMatchesReferenceAcrossTheHorizon interleaves scheduling (a few
// ms, seconds or a minute ahead: both sides of the heap's horizon),
// cancelling and running; the events must fire in the order of a plainly
// sorted list of every timer not cancelled.
func TestQueueMatchesReferenceAcrossTheHorizon(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		queueAgainstReference(t, seed)
	}
}

func queueAgainstReference(t *testing.T, seed uint64) {
	s := NewAt(seed, -5*time.Second)
	r := NewRand(seed + 4)
	type entry struct {
		at time.Duration
		id int
	}
	var all []entry
	var got []int
	fired, cancelled := map[int]bool{}, map[int]bool{}
	timers := map[int]*Timer{}
	spans := []time.Duration{2 * time.Millisecond, 3 * time.Second, time.Minute}
	id := 0
	for i := 0; i < 30000; i++ {
		switch r.Intn(4) {
		case 0, 1:
			id++
			n := id
			at := s.Now() + time.Duration(r.Intn(int(spans[r.Intn(len(spans))]/time.Microsecond)))*time.Microsecond
			timers[n] = s.Schedule(at, func() { got, fired[n] = append(got, n), true })
			all = append(all, entry{at, n})
		case 2:
			if n := 1 + r.Intn(id+1); n <= id && !fired[n] && !cancelled[n] {
				timers[n].Cancel()
				cancelled[n] = true
			}
		case 3:
			s.RunUntil(s.Now() + time.Duration(r.Intn(20000))*time.Microsecond)
		}
	}
	s.RunUntil(s.Now() + time.Hour)
	if s.Pending() != 0 {
		t.Fatalf("seed %d: %d timers still pending", seed, s.Pending())
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].at != all[b].at {
			return all[a].at < all[b].at
		}
		return all[a].id < all[b].id
	})
	var want []int
	for _, e := range all {
		if !cancelled[e.id] {
			want = append(want, e.id)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("seed %d: %d fired, want %d", seed, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("seed %d, event %d: timer %d fired, want %d", seed, i, got[i], want[i])
		}
	}
}

type benchEvent struct {
	s       *Sim
	r       *Rand
	timer   Timer
	timeout *Timer
}

// Fire re-arms itself a little later, leaves behind a poll deadline five
// minutes ahead, and cancels the previous request's timeout and arms a new one.
func (e *benchEvent) Fire() {
	e.timeout.Cancel()
	e.timeout = e.s.After(30*time.Second, func() {})
	if e.r.Intn(8) == 0 {
		e.s.After(5*time.Minute, func() {})
	}
	e.s.Arm(&e.timer, e.s.Now()+time.Duration(100+e.r.Intn(900))*time.Microsecond, e)
}

// BenchmarkQueue runs the engine's timer pattern: 50 chains of near events,
// each with a request timeout that is cancelled, and a growing set of
// deadlines minutes ahead that never fire.
func BenchmarkQueue(b *testing.B) {
	s := New(1)
	r := NewRand(2)
	for i := 0; i < 50; i++ {
		e := &benchEvent{s: s, r: r}
		s.Arm(&e.timer, time.Duration(i)*time.Microsecond, e)
	}
	for b.Loop() {
		s.RunUntil(s.Now() + time.Millisecond)
	}
	b.ReportMetric(float64(s.Pending()), "pending")
}
