package partition

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// script is a random source that replays fixed draws and records each n asked.
type script struct {
	t     *testing.T
	draws []int
	asked []int
}

func (s *script) rnd(n int) int {
	s.t.Helper()
	s.asked = append(s.asked, n)
	if len(s.draws) == 0 {
		s.t.Fatalf("unexpected random draw in [0, %d)", n)
	}
	v := s.draws[0]
	s.draws = s.draws[1:]
	if v < 0 || v >= n {
		s.t.Fatalf("scripted draw %d is outside [0, %d)", v, n)
	}
	return v
}

func newBuiltIn(t *testing.T, cfg Config, s *script, full func(string, int) bool) *BuiltIn {
	t.Helper()
	b, err := NewBuiltIn(cfg, s.rnd, full)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// produce places one keyless record of size bytes and reports the append.
func produce(t *testing.T, b *BuiltIn, topic string, n int, available []int, bytes int) int {
	t.Helper()
	p, sticky := b.Partition(topic, nil, true, n, available)
	if !sticky {
		t.Fatalf("keyless record placed with sticky=false")
	}
	b.OnAppend(topic, p, bytes)
	return p
}

func TestStickySwitchesAfterBatchSize(t *testing.T) {
	s := &script{t: t, draws: []int{1, 2}}
	b := newBuiltIn(t, Config{BatchSize: 100}, s, nil)
	var got []int
	for range 6 {
		got = append(got, produce(t, b, "t", 3, []int{0, 1, 2}, 30))
	}
	// 30, 60, 90, 120 ≥ 100: the fourth append switches to available[2].
	if want := []int{1, 1, 1, 1, 2, 2}; !slices.Equal(got, want) {
		t.Fatalf("partitions %v, want %v", got, want)
	}
	if want := []int{3, 3}; !slices.Equal(s.asked, want) {
		t.Fatalf("draws asked %v, want %v", s.asked, want)
	}
	if p, produced, ok := b.Sticky("t"); !ok || p != 2 || produced != 60 {
		t.Fatalf("Sticky = %d, %d, %v; want 2, 60, true", p, produced, ok)
	}
}

func TestStickyHoldsSwitchWhileBatchNotFull(t *testing.T) {
	full := false
	s := &script{t: t, draws: []int{0, 1, 2}}
	b := newBuiltIn(t, Config{BatchSize: 100}, s, func(topic string, p int) bool { return full })
	var got []int
	for range 8 {
		got = append(got, produce(t, b, "t", 3, []int{0, 1, 2}, 30))
	}
	// No switch at 120 bytes while the batch is open; at 210 ≥ 2×100 it switches anyway.
	if want := []int{0, 0, 0, 0, 0, 0, 0, 1}; !slices.Equal(got, want) {
		t.Fatalf("partitions %v, want %v", got, want)
	}
	produce(t, b, "t", 3, []int{0, 1, 2}, 30)
	produce(t, b, "t", 3, []int{0, 1, 2}, 30)
	produce(t, b, "t", 3, []int{0, 1, 2}, 50) // 110 bytes, held back
	if p, _, _ := b.Sticky("t"); p != 1 {
		t.Fatalf("switched at 110 bytes with an open batch: sticky partition %d", p)
	}
	full = true // the batch was sent: the next keyless record completes the switch
	if p, _ := b.Partition("t", nil, true, 3, []int{0, 1, 2}); p != 2 {
		t.Fatalf("held-back switch not completed: partition %d, want 2", p)
	}
}

func TestBatchSizeZeroActsLikeOne(t *testing.T) {
	s := &script{t: t, draws: []int{0, 1, 0, 1}}
	b := newBuiltIn(t, Config{BatchSize: 0}, s, nil)
	var got []int
	for range 3 {
		got = append(got, produce(t, b, "t", 2, []int{0, 1}, 1))
	}
	if want := []int{0, 1, 0}; !slices.Equal(got, want) {
		t.Fatalf("partitions %v, want %v (a switch after every record)", got, want)
	}
}

func TestUniformOverAvailablePartitions(t *testing.T) {
	s := &script{t: t, draws: []int{1}}
	b := newBuiltIn(t, Config{BatchSize: 100}, s, nil)
	if p := produce(t, b, "t", 4, []int{0, 3}, 10); p != 3 || !slices.Equal(s.asked, []int{2}) {
		t.Fatalf("partition %d from draws in %v; want available[1] = 3 from a draw in [0,2)", p, s.asked)
	}
	// no partition has a leader: pick among all of them
	s = &script{t: t, draws: []int{2}}
	b = newBuiltIn(t, Config{BatchSize: 100}, s, nil)
	if p := produce(t, b, "t", 4, nil, 10); p != 2 || !slices.Equal(s.asked, []int{4}) {
		t.Fatalf("partition %d from draws in %v; want 2 from a draw in [0,4)", p, s.asked)
	}
}

func TestAdaptiveWeightTable(t *testing.T) {
	// Queues 0, 5, 5 → weights 6, 1, 1 → table 6, 7, 8: draws 0..5 pick
	// partition 0, draw 6 partition 1, draw 7 partition 2.
	s := &script{t: t, draws: []int{0, 5, 6, 7, 3, 0}}
	b := newBuiltIn(t, Config{BatchSize: 1, AdaptivePartitioning: true}, s, nil)
	b.UpdateLoad("t", 3, []Load{{Partition: 2, Queued: 5}, {Partition: 0}, {Partition: 1, Queued: 5}})
	var got []int
	for range 5 {
		got = append(got, produce(t, b, "t", 3, []int{0, 1, 2}, 1))
	}
	if want := []int{0, 0, 1, 2, 0}; !slices.Equal(got, want) {
		t.Fatalf("partitions %v, want %v", got, want)
	}
	if want := []int{8, 8, 8, 8, 8, 8}; !slices.Equal(s.asked, want) {
		t.Fatalf("draws asked %v, want %v", s.asked, want)
	}
}

func TestAdaptivePrefersShortQueues(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 7))
	b, err := NewBuiltIn(Config{BatchSize: 1, AdaptivePartitioning: true}, r.IntN, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.UpdateLoad("t", 4, []Load{{Partition: 0, Queued: 1}, {Partition: 1, Queued: 9}, {Partition: 2, Queued: 9}, {Partition: 3, Queued: 5}})
	// weights 9, 1, 1, 5 out of 16
	counts := make([]int, 4)
	for range 16000 {
		counts[produce(t, b, "t", 4, []int{0, 1, 2, 3}, 1)]++
	}
	if !(counts[0] > counts[3] && counts[3] > 3*counts[1] && counts[3] > 3*counts[2]) {
		t.Fatalf("counts %v do not favour the short queues (expected about 9000, 1000, 1000, 5000)", counts)
	}
	for i, want := range []int{9000, 1000, 1000, 5000} {
		if d := counts[i] - want; d < -400 || d > 400 {
			t.Errorf("partition %d chosen %d times, want about %d", i, counts[i], want)
		}
	}
}

func TestEqualQueuesAreUniform(t *testing.T) {
	s := &script{t: t, draws: []int{2}}
	b := newBuiltIn(t, Config{BatchSize: 1, AdaptivePartitioning: true}, s, nil)
	b.UpdateLoad("t", 3, []Load{{Partition: 0, Queued: 2}, {Partition: 1, Queued: 2}, {Partition: 2, Queued: 2}})
	if p := produce(t, b, "t", 3, []int{0, 1, 2}, 0); p != 2 || s.asked[0] != 3 {
		t.Fatalf("partition %d after draw in [0,%d); want a uniform draw over 3", p, s.asked[0])
	}
}

func TestAvailabilityTimeout(t *testing.T) {
	loads := []Load{
		{Partition: 0, Stalled: 150 * time.Millisecond},
		{Partition: 1, Stalled: 100 * time.Millisecond}, // not more than the timeout: kept
		{Partition: 2},
	}
	all := []int{0, 1, 2}

	// On: partition 0 is left out, the rest share an equal table 1, 2.
	s := &script{t: t, draws: []int{0, 1, 0}}
	b := newBuiltIn(t, Config{BatchSize: 1, AdaptivePartitioning: true, AvailabilityTimeout: 100 * time.Millisecond}, s, nil)
	b.UpdateLoad("t", 3, loads)
	got := []int{produce(t, b, "t", 3, all, 1), produce(t, b, "t", 3, all, 1)}
	if !slices.Equal(got, []int{1, 2}) || !slices.Equal(s.asked, []int{2, 2, 2}) {
		t.Fatalf("timeout on: partitions %v after draws %v; want [1 2] from [2 2 2]", got, s.asked)
	}

	// Every partition stalled: back to uniform over the available ones.
	s = &script{t: t, draws: []int{0, 0}}
	b = newBuiltIn(t, Config{BatchSize: 1, AdaptivePartitioning: true, AvailabilityTimeout: time.Millisecond}, s, nil)
	b.UpdateLoad("t", 3, loads[:2])
	if produce(t, b, "t", 3, all, 1); s.asked[0] != 3 {
		t.Fatalf("all stalled: draw in [0,%d), want uniform over 3", s.asked[0])
	}

	// 0 turns it off; so does turning adaptive partitioning off.
	for _, cfg := range []Config{
		{BatchSize: 1, AdaptivePartitioning: true},
		{BatchSize: 1, AvailabilityTimeout: time.Millisecond},
	} {
		s = &script{t: t, draws: []int{0, 0}}
		b = newBuiltIn(t, cfg, s, nil)
		b.UpdateLoad("t", 3, loads)
		if p := produce(t, b, "t", 3, all, 1); p != 0 || s.asked[0] != 3 {
			t.Fatalf("%+v: partition %d from a draw in [0,%d); want partition 0 of a uniform draw over 3", cfg, p, s.asked[0])
		}
	}
}

func TestKeyedRecords(t *testing.T) {
	s := &script{t: t}
	b := newBuiltIn(t, DefaultConfig(), s, nil)
	if p, sticky := b.Partition("t", []byte("21"), false, 50, []int{1}); p != 40 || sticky {
		t.Fatalf("keyed: %d, %v; want ForKey = 40 over all partitions, not sticky", p, sticky)
	}
	// an empty key is a key: it is hashed, not placed stickily
	if p, sticky := b.Partition("t", []byte{}, false, 50, nil); p != ForKey(nil, 50) || sticky {
		t.Fatalf("empty key: %d, %v", p, sticky)
	}
	if len(s.asked) != 0 {
		t.Fatalf("keyed records drew random numbers: %v", s.asked)
	}

	s = &script{t: t, draws: []int{0}}
	cfg := DefaultConfig()
	cfg.IgnoreKeys = true
	b = newBuiltIn(t, cfg, s, nil)
	if p, sticky := b.Partition("t", []byte("21"), false, 50, []int{7}); p != 7 || !sticky {
		t.Fatalf("partitioner.ignore.keys: %d, %v; want the sticky partition 7", p, sticky)
	}
}

func TestOnAppendIgnoresOtherPartitions(t *testing.T) {
	s := &script{t: t, draws: []int{0}}
	b := newBuiltIn(t, Config{BatchSize: 10}, s, nil)
	produce(t, b, "t", 2, []int{0, 1}, 1)
	b.OnAppend("t", 1, 100)     // not the sticky partition
	b.OnAppend("other", 0, 100) // no keyless record yet
	if p, produced, _ := b.Sticky("t"); p != 0 || produced != 1 {
		t.Fatalf("Sticky = %d, %d; want 0, 1", p, produced)
	}
	if _, _, ok := b.Sticky("other"); ok {
		t.Fatal("Sticky reports a partition for a topic without keyless records")
	}
}

func TestNewBuiltInValidates(t *testing.T) {
	rnd := func(n int) int { return 0 }
	for _, c := range []struct {
		cfg  Config
		rnd  func(int) int
		want string
	}{
		{Config{BatchSize: -1}, rnd, "batch.size"},
		{Config{BatchSize: 1, AvailabilityTimeout: -time.Millisecond}, rnd, "partitioner.availability.timeout.ms"},
		{DefaultConfig(), nil, "random source"},
	} {
		_, err := NewBuiltIn(c.cfg, c.rnd, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "partition: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewBuiltIn(%+v) error %v, want one about %s", c.cfg, err, c.want)
		}
	}
}

func TestSameSeedSameChoices(t *testing.T) {
	run := func() []int {
		r := rand.New(rand.NewPCG(9, 9))
		b, _ := NewBuiltIn(DefaultConfig(), r.IntN, nil)
		var out []int
		for i := range 2000 {
			if i%100 == 0 {
				b.UpdateLoad("t", 6, []Load{{Partition: 0, Queued: i % 7}, {Partition: 2, Queued: 1}, {Partition: 5, Queued: 3}})
			}
			out = append(out, produce(t, b, "t", 6, []int{0, 2, 5}, 1000))
		}
		return out
	}
	if a, b := run(), run(); !slices.Equal(a, b) {
		t.Fatal("the same seed gave different partitions")
	}
}

func TestRoundRobin(t *testing.T) {
	rr := NewRoundRobin()
	var got []int
	for i := range 5 {
		p, sticky := rr.Partition("a", []byte{byte(i)}, false, 4, []int{0, 2, 3})
		if sticky {
			t.Fatal("round robin reported sticky")
		}
		got = append(got, p)
	}
	if want := []int{0, 2, 3, 0, 2}; !slices.Equal(got, want) {
		t.Fatalf("topic a: %v, want %v", got, want)
	}
	// topics count separately; with no available partition it cycles over all
	got = got[:0]
	for range 5 {
		p, _ := rr.Partition("b", nil, true, 3, nil)
		got = append(got, p)
	}
	if want := []int{0, 1, 2, 0, 1}; !slices.Equal(got, want) {
		t.Fatalf("topic b: %v, want %v", got, want)
	}
	if p, _ := rr.Partition("a", nil, true, 4, []int{0, 2, 3}); p != 3 {
		t.Fatalf("topic a resumed at %d, want 3", p)
	}
}
