package client

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
)

const ms = time.Millisecond

// TestIdempotenceRule: on by default; silently off when not set and a
// setting conflicts; a ConfigException when explicitly on with a conflict.
func TestIdempotenceRule(t *testing.T) {
	for _, c := range []struct {
		configs map[string]string
		want    bool
		err     string
	}{
		{map[string]string{}, true, ""},
		{map[string]string{"acks": "1"}, false, ""},
		{map[string]string{"acks": "0"}, false, ""},
		{map[string]string{"retries": "0"}, false, ""},
		{map[string]string{"max.in.flight.requests.per.connection": "6"}, false, ""},
		{map[string]string{"max.in.flight.requests.per.connection": "5"}, true, ""},
		{map[string]string{"enable.idempotence": "false"}, false, ""},
		{map[string]string{"enable.idempotence": "true", "acks": "1"}, false, "acks must be all (ConfigException)"},
		{map[string]string{"enable.idempotence": "true", "retries": "0"}, false, "retries must be greater than 0"},
		{map[string]string{"enable.idempotence": "true", "max.in.flight.requests.per.connection": "6"}, false, "at most 5"},
		{map[string]string{"transactional.id": "tx", "enable.idempotence": "false"}, false, "transactional.id without also enabling idempotence"},
	} {
		cfg, err := config.Parse(config.Producer, c.configs)
		if err != nil {
			t.Fatal(err)
		}
		acks := int16(-1)
		switch cfg.String("acks") {
		case "0":
			acks = 0
		case "1":
			acks = 1
		}
		got, err := idempotence(cfg, acks)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: err %v, want %q", c.configs, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: idempotence %v, %v; want %v", c.configs, got, err, c.want)
		}
	}
}

// TestNewProducerRejectsBadConfigs: explicit idempotence with acks=1 fails
// the producer, and so do codecs the engine does not have.
func TestNewProducerRejectsBadConfigs(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	for want, configs := range map[string]map[string]string{
		"ConfigException":                   {"enable.idempotence": "true", "acks": "1"},
		"compression.type=lz4 is not":       {"compression.type": "lz4"},
		"linger.ms + request.timeout.ms":    {"delivery.timeout.ms": "1000", "request.timeout.ms": "1000", "linger.ms": "5"},
		"without also enabling idempotence": {"transactional.id": "tx", "enable.idempotence": "false"},
	} {
		cfg, err := config.Parse(config.Producer, configs)
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewProducer(ProducerOptions{Name: "bad", Config: cfg, Bootstrap: []int32{1}}, f.s, f.n, f.tr)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "client: ") {
			t.Errorf("%v: err %v, want one containing %q", configs, err, want)
		}
	}
}

// TestBatchReadinessRules is RecordAccumulator.batchReady, case by case.
func TestBatchReadinessRules(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"linger.ms": "20", "batch.size": "1000", "retry.backoff.ms": "100"})
	p.meta.topics["t"] = proto.TopicMetadata{Name: "t", Partitions: []proto.PartitionMetadata{{Index: 0, Leader: 1, LeaderEpoch: 3}}}
	p.meta.gen++
	q := p.queue(p.topic("t"), 0)
	now := 500 * ms
	mk := func(age time.Duration, bytes int) *batch {
		return &batch{tp: names.TopicPartition{Topic: "t", Partition: 0}, queue: q, records: []pending{{}}, recs: []record.Record{{}}, alloc: 1000, ratio: 1, rawBytes: bytes,
			createdAt: now - age, lastAttempt: now - age, baseSeq: -1}
	}
	retry := func(sinceAttempt time.Duration, epoch int32) *batch {
		b := mk(time.Second, 300)
		b.closed, b.wireBytes, b.attempts, b.backoff, b.lastAttempt, b.epochSent = true, 300, 1, 100*ms, now-sinceAttempt, epoch
		return b
	}
	for _, c := range []struct {
		name              string
		b                 *batch
		queued            int
		exhausted         bool
		flushing, closing bool
		ready             bool
		at                time.Duration // when waiting makes it sendable
	}{
		{name: "lingering", b: mk(5*ms, 200), queued: 1, at: now + 15*ms},
		{name: "linger.ms passed", b: mk(20*ms, 200), queued: 1, ready: true},
		{name: "full", b: mk(1*ms, 1000), queued: 1, ready: true},
		{name: "another batch behind it", b: mk(1*ms, 200), queued: 2, ready: true},
		{name: "buffer.memory exhausted", b: mk(1*ms, 200), queued: 1, exhausted: true, ready: true},
		{name: "flush in progress", b: mk(1*ms, 200), queued: 1, flushing: true, ready: true},
		{name: "closing", b: mk(1*ms, 200), queued: 1, closing: true, ready: true},
		{name: "retry backing off", b: retry(30*ms, 3), queued: 1, at: now + 70*ms},
		{name: "retry backing off while flushing", b: retry(30*ms, 3), queued: 2, flushing: true, at: now + 70*ms},
		{name: "retry after its backoff", b: retry(100*ms, 3), queued: 1, ready: true},
		{name: "retry to a new leader skips the backoff (KIP-951)", b: retry(30*ms, 2), queued: 1, ready: true},
	} {
		p.flushWait, p.closing = 0, c.closing
		if c.flushing {
			p.flushWait = 1
		}
		r := p.readiness(c.b, c.queued, now, c.exhausted)
		if r.ready != c.ready || !c.ready && r.at != c.at {
			t.Errorf("%s: ready=%v at %v; want ready=%v at %v", c.name, r.ready, r.at, c.ready, c.at)
		}
	}
	p0 := f.producer(t, map[string]string{"linger.ms": "0"})
	if r := p0.readiness(mk(0, 100), 1, now, false); !r.ready {
		t.Error("linger.ms=0: a fresh batch should be sendable at once")
	}
}

// TestRecordBytesMatchesTheEncoder: the accumulator's size arithmetic is the
// encoder's, byte for byte.
func TestRecordBytesMatchesTheEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	str := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		return b
	}
	for i := 0; i < 500; i++ {
		m := Message{Key: str(rng.IntN(300)), Value: str(rng.IntN(20000)), KeyNull: rng.IntN(4) == 0, ValueNull: rng.IntN(8) == 0}
		for h := rng.IntN(3); h > 0; h-- {
			m.Headers = append(m.Headers, Header{Key: string(str(rng.IntN(10))), Value: str(rng.IntN(200))})
		}
		od, td := int32(rng.IntN(100000)), int64(rng.IntN(1<<30))-1<<29
		b := record.Batch{Records: []record.Record{toRecord(&m, od, td, new(byteArena))}}
		if got, want := recordBytes(&m, od, td), b.SizeInBytes()-record.HeaderSize; got != want {
			t.Fatalf("message %d: recordBytes %d, encoder %d", i, got, want)
		}
	}
}

// TestRetryBackoffIsExponentialWithJitter: retry.backoff.ms doubling up to
// retry.backoff.max.ms, each draw within ±20 %, from the seeded stream.
func TestRetryBackoffIsExponentialWithJitter(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"retry.backoff.ms": "100", "retry.backoff.max.ms": "1000"})
	q := newFakeCluster(t, 1, 1).producer(t, map[string]string{"retry.backoff.ms": "100", "retry.backoff.max.ms": "1000"})
	spread := map[time.Duration]bool{}
	for n := 0; n < 8; n++ {
		base := min(100*ms<<n, time.Second) // 100·2^n, the exponent capped where it reaches the max
		for k := 0; k < 20; k++ {
			got := p.backoffFor(n)
			lo, hi := time.Duration(float64(base)*0.8), min(time.Duration(float64(base)*1.2), time.Second)
			if got < lo-ms || got > hi {
				t.Fatalf("backoff after %d retries = %v, want %v..%v", n, got, lo, hi)
			}
			if again := q.backoffFor(n); again != got {
				t.Fatalf("same seed, different jitter: %v vs %v", got, again)
			}
			spread[got] = true
		}
	}
	if len(spread) < 20 {
		t.Errorf("only %d distinct backoffs: no jitter?", len(spread))
	}
	flat := f.producer(t, map[string]string{"retry.backoff.ms": "300", "retry.backoff.max.ms": "300"})
	if got := flat.backoffFor(5); got != 300*ms {
		t.Errorf("retry.backoff.max.ms = retry.backoff.ms: backoff %v, want a flat 300ms", got)
	}
}

// TestLatenciesStaySortedAsAcksArrive: Latencies merges new times into the
// sorted ones; the result equals sorting everything.
func TestLatenciesStaySortedAsAcksArrive(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, nil)
	rng := rand.New(rand.NewPCG(5, 6))
	var all []time.Duration
	for round := 0; round < 20; round++ {
		for i := rng.IntN(50); i > 0; i-- {
			d := time.Duration(rng.IntN(1000)) * ms
			p.Stats.latencies.add(d)
			all = append(all, d)
		}
		got := p.Latencies()
		want := slices.Sorted(slices.Values(all))
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: Latencies() = %v, want %v", round, got, want)
		}
	}
}
