package client

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/partition"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/sim"
)

func value(n int) string { return strings.Repeat("v", n) }

// TestSendBlocksOnBufferMemoryThenTimesOut: two 1 KiB batches fill a 2100
// byte buffer.memory; the third record's send() blocks, makes every batch
// sendable, and throws TimeoutException after max.block.ms; the next call
// waits behind it and times out in turn.
func TestSendBlocksOnBufferMemoryThenTimesOut(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	f.brokers[0].silent = true
	p := f.producer(t, map[string]string{"acks": "1", "batch.size": "1024", "buffer.memory": "2100", "max.block.ms": "500",
		"linger.ms": "1000", "request.timeout.ms": "5000", "delivery.timeout.ms": "20000"})
	for i := 0; i < 4; i++ {
		p.Send(msg(0, "", value(700)))
	}
	f.run(100 * ms)
	if p.Stats.Sent != 2 || p.BufferAvailable() != 2100-2048 {
		t.Fatalf("accepted %d records with %d bytes of buffer left; want 2 and %d", p.Stats.Sent, p.BufferAvailable(), 2100-2048)
	}
	if st := p.State(); st.Blocked != "buffer.memory" {
		t.Fatalf("send() should block on buffer.memory, state %+v", st)
	}
	if len(f.requests) == 0 {
		t.Fatal("an exhausted buffer should make the lingering batches sendable")
	}
	if p.Metrics()["waiting-threads"] != 1 {
		t.Error("waiting-threads should be 1 while send() blocks")
	}
	f.run(450 * ms)
	if got := p.Stats.Failed["TIMEOUT_EXCEPTION"]; got != 1 || f.count("send_timeout") != 1 {
		t.Fatalf("after max.block.ms: %d TimeoutExceptions, %d send_timeout events; want 1 and 1", got, f.count("send_timeout"))
	}
	f.run(500 * ms)
	if got := p.Stats.Failed["TIMEOUT_EXCEPTION"]; got != 2 || p.Queued() != 2 {
		t.Fatalf("the next send() should time out after its own max.block.ms: failed %d, queued %d", got, p.Queued())
	}
}

// TestBlockedSendResumesWhenMemoryFrees: an acknowledged batch returns its
// memory and the blocked send() goes on before max.block.ms.
func TestBlockedSendResumesWhenMemoryFrees(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	f.brokers[0].delay = 300 * ms
	p := f.producer(t, map[string]string{"acks": "1", "batch.size": "1024", "buffer.memory": "2100", "max.block.ms": "1000", "linger.ms": "0"})
	for i := 0; i < 3; i++ {
		p.Send(msg(0, "", value(700)))
	}
	f.run(2 * time.Second)
	if p.Stats.Acked != 3 || len(p.Stats.Failed) != 0 {
		t.Fatalf("acked %d, failed %v; want all 3 acknowledged", p.Stats.Acked, p.Stats.Failed)
	}
	wait := p.Stats.BlockedSendTime
	if wait < 250*ms || wait > 400*ms {
		t.Errorf("send() blocked %v; want about the 300 ms until the first batch was acknowledged", wait)
	}
	if p.Metrics()["bufferpool-wait-time-ns-total"] != float64(wait.Nanoseconds()) {
		t.Error("bufferpool-wait-time-ns-total should report the blocked time")
	}
}

// TestRecordTooLarge: a record over max.request.size fails at once.
func TestRecordTooLarge(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"max.request.size": "1000"})
	p.Send(msg(0, "", value(2000)))
	p.Send(msg(0, "", value(10)))
	f.run(100 * ms)
	if p.Stats.Failed["RECORD_TOO_LARGE"] != 1 || p.Stats.Acked != 1 || f.count("send_failed") != 1 {
		t.Fatalf("failed %v, acked %d; want one RECORD_TOO_LARGE and the small record acknowledged", p.Stats.Failed, p.Stats.Acked)
	}
}

// TestExplicitPartitionWaitsForMetadata: send() to a partition the
// metadata does not have yet waits (waitOnMetadata) and either goes on once
// it appears or fails after max.block.ms.
func TestExplicitPartitionWaitsForMetadata(t *testing.T) {
	f := newFakeCluster(t, 1, 3)
	p := f.producer(t, map[string]string{"max.block.ms": "1000", "retry.backoff.ms": "100", "linger.ms": "0"})
	p.Send(msg(5, "", "x"))
	f.run(300 * ms)
	if p.State().Blocked != "metadata" || p.Stats.Sent != 0 {
		t.Fatalf("send() to partition 5 of 3 should wait for metadata, state %+v", p.State())
	}
	f.partitions = 6
	f.run(300 * ms)
	if p.Stats.Acked != 1 || p.AckedRecords()[0].Partition != 5 {
		t.Fatalf("acked %v; want the record on partition 5 once it appeared", p.AckedRecords())
	}
	p.Send(msg(9, "", "y"))
	f.run(1100 * ms)
	if p.Stats.Failed["TIMEOUT_EXCEPTION"] != 1 {
		t.Fatalf("partition 9 never appears: want a TimeoutException, failed %v", p.Stats.Failed)
	}
	for _, e := range f.events {
		if e.Kind == "send_timeout" && !strings.Contains(e.Msg, "Partition 9 of topic t with partition count 6 is not present in metadata after 1000 ms") {
			t.Errorf("send_timeout says %q", e.Msg)
		}
	}
}

// TestMetadataMaxAgeRefreshRemapsKeys: metadata.max.age.ms refreshes the
// producer's metadata without any error; keys then hash over the new
// partition count.
func TestMetadataMaxAgeRefreshRemapsKeys(t *testing.T) {
	f := newFakeCluster(t, 2, 3)
	p := f.producer(t, map[string]string{"metadata.max.age.ms": "1000", "linger.ms": "0"})
	keys := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace"}
	for _, k := range keys {
		p.Send(msg(-1, k, "before"))
	}
	f.run(200 * ms)
	f.partitions = 6
	f.run(1500 * ms)
	if f.count("producer_metadata") != 1 {
		t.Fatalf("%d producer_metadata events; want one for 3 → 6 partitions", f.count("producer_metadata"))
	}
	for _, k := range keys {
		p.Send(msg(-1, k, "after"))
	}
	f.run(200 * ms)
	moved := 0
	for _, a := range p.AckedRecords() {
		n := 3
		if a.Value == "after" {
			n = 6
		}
		if want := partition.ForKey([]byte(a.Key), n); int(a.Partition) != want {
			t.Errorf("key %s (%s) on partition %d, want murmur2 over %d partitions = %d", a.Key, a.Value, a.Partition, n, want)
		}
		if a.Value == "after" && partition.ForKey([]byte(a.Key), 3) != int(a.Partition) {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no key moved after adding partitions; the test keys should show it")
	}
}

// TestInFlightLimitPerBroker: at most max.in.flight.requests.per.connection
// produce requests wait for one broker; each request carries one batch per
// partition; the rest go when answers come.
func TestInFlightLimitPerBroker(t *testing.T) {
	f := newFakeCluster(t, 1, 12)
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "0"})
	f.warmUp(p)
	f.brokers[0].delay = 500 * ms
	for i := 0; i < 12; i++ {
		f.sendAt(p, time.Duration(i)*10*time.Microsecond, msg(int32(i), "", "x")) // one at a time: no batching at one instant
	}
	f.run(100 * ms)
	st := p.State()
	if len(f.requests) != 5 || len(st.InFlight) != 1 || st.InFlight[0].Requests != 5 {
		t.Fatalf("%d requests sent, in flight %+v; want 5 to broker 1", len(f.requests), st.InFlight)
	}
	queued := 0
	for _, ps := range st.Partitions {
		queued += len(ps.Queued)
	}
	if queued != 7 {
		t.Fatalf("%d batches queued, want 7", queued)
	}
	f.run(500 * ms)
	if len(f.requests) != 6 || len(f.requests[5].batches) != 7 {
		t.Fatalf("after the answers: %d requests, the last with %d batches; want 6 and 7 (one per partition)", len(f.requests), len(f.requests[len(f.requests)-1].batches))
	}
	f.run(time.Second)
	if p.Stats.Acked != 13 || p.Metrics()["records-per-request-avg"] != 13.0/7 {
		t.Errorf("acked %d, records-per-request-avg %v; want 13 and 13/7 (the warm-up, 5 alone, 7 together)", p.Stats.Acked, p.Metrics()["records-per-request-avg"])
	}
}

// TestMaxRequestSizeLimitsADrain: a drain stops adding batches before a
// request would pass max.request.size.
func TestMaxRequestSizeLimitsADrain(t *testing.T) {
	f := newFakeCluster(t, 1, 6)
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "100", "batch.size": "2000", "max.request.size": "5000"})
	f.run(10 * ms)
	for i := 0; i < 6; i++ {
		p.Send(msg(int32(i), "", value(1500)))
	}
	f.run(time.Second)
	if len(f.requests) != 2 {
		t.Fatalf("%d requests, want 2 of 3 batches each", len(f.requests))
	}
	for _, r := range f.requests {
		if r.bytes > 5000 || len(r.batches) != 3 {
			t.Errorf("a request of %d bytes with %d batches; want 3 batches under 5000 bytes", r.bytes, len(r.batches))
		}
	}
}

// TestDeliveryTimeoutExpiresBatchesWithoutLeader: with no leader a batch
// waits, metadata is asked for at most once per retry.backoff.ms, and the
// batch fails after delivery.timeout.ms.
func TestDeliveryTimeoutExpiresBatchesWithoutLeader(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	f.leader = func(int32) int32 { return -1 }
	metadata := 0
	inner := f.brokers[0].ep
	f.n.Register(inner.ID, func(from sim.NodeID, m any) {
		if req, ok := inner.Deliver(from, m); ok {
			if _, isMeta := req.Body.(proto.MetadataRequest); isMeta {
				metadata++
			}
			f.handle(f.brokers[0], from, req)
		}
	})
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "0", "request.timeout.ms": "1000", "delivery.timeout.ms": "1500", "retry.backoff.ms": "100"})
	p.Send(msg(0, "", "x"))
	f.run(1400 * ms)
	if p.Stats.Failed["TIMEOUT_EXCEPTION"] != 0 || p.Queued() != 1 {
		t.Fatalf("before delivery.timeout.ms: failed %v queued %d", p.Stats.Failed, p.Queued())
	}
	f.run(200 * ms)
	if p.Stats.Failed["TIMEOUT_EXCEPTION"] != 1 || p.Queued() != 0 {
		t.Fatalf("after delivery.timeout.ms: failed %v queued %d; want the batch expired", p.Stats.Failed, p.Queued())
	}
	if metadata < 5 || metadata > 18 {
		t.Errorf("%d metadata requests in 1.6 s; want one per retry.backoff.ms or so", metadata)
	}
	found := false
	for _, e := range f.events {
		found = found || e.Kind == "produce_failed" && strings.Contains(e.Msg, "Expiring 1 record(s) for t-0")
	}
	if !found {
		t.Error("no produce_failed event with Kafka's expiry message")
	}
}

// TestFlushSendsAtOnceAndBlocksLaterCalls: flush() makes lingering batches
// sendable and the application thread waits in it until they are done.
func TestFlushSendsAtOnceAndBlocksLaterCalls(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	f.brokers[0].delay = 50 * ms
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "10000"})
	for i := 0; i < 3; i++ {
		p.Send(msg(0, "", "x"))
	}
	f.run(100 * ms)
	if len(f.requests) != 0 {
		t.Fatal("linger.ms=10000 should hold the batch")
	}
	p.Flush()
	p.Send(msg(0, "", "after-flush"))
	f.run(20 * ms)
	if len(f.requests) != 1 || p.Stats.Sent != 3 {
		t.Fatalf("flush: %d requests, %d records accepted; want the batch sent and the next send() waiting", len(f.requests), p.Stats.Sent)
	}
	f.run(100 * ms)
	if f.count("producer_flushed") != 1 || p.Stats.Sent != 4 {
		t.Fatalf("flush returned %d times, %d records accepted; want 1 and 4", f.count("producer_flushed"), p.Stats.Sent)
	}
}

// TestCloseSendsEverythingThenRejects: close() sends what lingers, waits
// for the answers, and later sends fail.
func TestCloseSendsEverythingThenRejects(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"linger.ms": "10000"})
	p.Send(msg(0, "", "a"))
	p.Send(msg(0, "", "b"))
	p.Close()
	p.Send(msg(0, "", "late"))
	f.run(time.Second)
	if !p.Closed() || p.Stats.Acked != 2 || p.Stats.Failed["ILLEGAL_STATE_EXCEPTION"] != 1 || f.count("producer_closed") != 1 {
		t.Fatalf("closed %v, acked %d, failed %v; want closed, 2 acknowledged, the late send rejected", p.Closed(), p.Stats.Acked, p.Stats.Failed)
	}
}

// TestRetriedBatchGoesBackToTheHead: without idempotence a retried batch is
// put first in its queue (ahead of c, which waited for an in-flight slot)
// and waits retry.backoff.ms; b, sent after it, lands before it (the
// reordering of lesson 4).
func TestRetriedBatchGoesBackToTheHead(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	first := true
	f.answer = func(_ *fakeBroker, _ names.TopicPartition, bt *record.Batch) proto.ErrorCode {
		if first && string(bt.Records[0].Value) == "a" {
			first = false
			return proto.NotLeaderOrFollower
		}
		return proto.None
	}
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "0", "retry.backoff.ms": "100", "retry.backoff.max.ms": "100",
		"max.in.flight.requests.per.connection": "2"})
	f.warmUp(p)
	for i, v := range []string{"a", "b", "c"} {
		f.sendAt(p, time.Duration(i)*10*time.Microsecond, msg(0, "", v))
	}
	f.run(time.Second)
	var order []string
	for _, bt := range f.brokers[0].logs[0][1:] { // after the warm-up
		for _, r := range bt.Records {
			order = append(order, string(r.Value))
		}
	}
	if strings.Join(order, ",") != "b,a,c" || p.Stats.Reordered != 1 || f.count("produce_reordered") != 1 {
		t.Fatalf("log order %v, reordered %d; want b,a,c with a's reordering reported once", order, p.Stats.Reordered)
	}
	var retryAt, ackAt time.Duration
	for _, e := range f.events {
		if e.Kind == "produce_retry" {
			retryAt = e.At()
		}
		if e.Kind == "produce_acked" && e.Data["base_offset"] == float64(2) {
			ackAt = e.At()
		}
	}
	if ackAt-retryAt < 100*ms {
		t.Errorf("retried %v after the failure; want at least retry.backoff.ms", ackAt-retryAt)
	}
}

// TestAdaptivePartitioningAvoidsASlowBroker: the sender's ready pass feeds
// queue lengths to the built-in partitioner, which then sends fewer keyless
// records to partitions led by a slow broker.
func TestAdaptivePartitioningAvoidsASlowBroker(t *testing.T) {
	share := func(adaptive string) float64 {
		f := newFakeCluster(t, 2, 4) // partitions 0 and 2 on broker 1, 1 and 3 on broker 2
		f.brokers[0].delay = 80 * ms
		p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "5", "batch.size": "400", "partitioner.adaptive.partitioning.enable": adaptive})
		for i := 0; i < 3000; i++ {
			f.s.Schedule(time.Duration(i)*500*time.Microsecond+10*ms, func() { p.Send(msg(-1, "", value(50))) })
		}
		f.run(5 * time.Second)
		slow := 0
		for _, a := range p.AckedRecords() {
			if a.Partition%2 == 0 {
				slow++
			}
		}
		if p.Stats.Acked != 3000 {
			t.Fatalf("adaptive=%s: acked %d of 3000", adaptive, p.Stats.Acked)
		}
		return float64(slow) / 3000
	}
	off, on := share("false"), share("true")
	if on > off-0.1 || on > 0.4 {
		t.Errorf("slow broker's share: %.2f adaptive, %.2f uniform; adaptive should send clearly less there", on, off)
	}
	t.Logf("slow broker's share of keyless records: uniform %.2f, adaptive %.2f", off, on)
}

// TestCompressionEstimateLetsBatchesGrow is Kafka's CompressionRatioEstimator:
// the estimate starts at 1.0 and creeps down by 0.005 per compressed batch,
// so batches of repetitive records come to hold several times batch.size
// of raw bytes, while batches on the wire stay near batch.size.
func TestCompressionEstimateLetsBatchesGrow(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"acks": "1", "compression.type": "zstd", "batch.size": "2048", "linger.ms": "1000"})
	for i := 0; i < 40000; i++ {
		m := msg(0, "", fmt.Sprintf("user=u%d event=page_view page=/products/%d n=%d", i%100, i%37, i))
		f.s.Schedule(10*ms+time.Duration(i)*50*time.Microsecond, func() { p.Send(m) })
	}
	f.run(4 * time.Second)
	if p.Stats.Acked != 40000 {
		t.Fatalf("acked %d of 40000", p.Stats.Acked)
	}
	var first, last []*record.Batch
	for _, bt := range f.brokers[0].logs[0] {
		if len(first) < 5 {
			first = append(first, bt)
		}
		last = append(last, bt)
	}
	last = last[len(last)-5:]
	raw := func(bs []*record.Batch) (records, wire int) {
		for _, bt := range bs {
			records += bt.NumRecords()
			wire += bt.SizeInBytes()
		}
		return records / len(bs), wire / len(bs)
	}
	r0, _ := raw(first)
	r1, w1 := raw(last)
	est := p.ratioFor("t")
	if est > 0.6 || r1 < 3*r0 || w1 > 2048 {
		t.Fatalf("estimate %.3f; records per batch %d at first, %d at last (%d bytes on the wire); want the estimate well below 1 and batches 3× fuller within batch.size", est, r0, r1, w1)
	}
	t.Logf("ratio estimate %.3f; records per batch %d → %d; last batches %d bytes compressed", est, r0, r1, w1)
}

// TestSendCopiesKeyAndValue: send() keeps its own copy of the key and
// value, whether it appends the record at once or has to wait (here for
// the first metadata), so the caller may reuse its buffer as soon as
// send() returns.
func TestSendCopiesKeyAndValue(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"acks": "1", "linger.ms": "0"})
	buf := make([]byte, 4)
	send := func(v string) {
		copy(buf, v)
		p.Send(Message{Topic: "t", Partition: 0, Key: buf[:2], Value: buf})
		copy(buf, "zzzz") // the caller reuses its buffer
	}
	send("aaaa") // blocks on metadata
	send("bbbb") // waits behind it
	f.run(100 * ms)
	send("cccc") // appended at once
	send("dddd")
	f.run(100 * ms)
	var got []string
	for _, a := range p.AckedRecords() {
		got = append(got, a.Key+"/"+a.Value)
	}
	if want := "aa/aaaa bb/bbbb cc/cccc dd/dddd"; strings.Join(got, " ") != want {
		t.Fatalf("acknowledged %v; want %s", got, want)
	}
}
