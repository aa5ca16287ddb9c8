package lessons

import (
	"strconv"
	"strings"
	"testing"
)

// The study notes this project grew from (kafka-study-notes.ko.md, kept
// outside the repository) split into points, each mapped to the lesson
// text keys that teach it ("lesson-id:key"). Issue 18 checked every point
// against Kafka 4.x; "issue18#N" names a point of its "taught nowhere"
// list. A point Brokerlab cannot teach yet says why in skip.
// TestNotesTaught fails when a key is renamed or dropped, or loses its
// Korean text, so an edit cannot silently stop teaching a point.
type notePoint struct {
	section string // the notes' ### heading
	point   string
	keys    []string
	skip    string
}

// noteSections are the notes' ### headings, in order.
var noteSections = []string{
	"apache kafka 기본 용어 정리",
	"빅데이터 파이프라인에 적합한 Kafka 의 특징",
	"Kafka 의 영속성 - 파일시스템(디스크)",
	"브로커의 역할",
	"ISR (In-Sync-Replicas)",
	"ISR 과 OSR 을 판단하는 기준",
	"acks 옵션",
	"레코드",
	"리밸런싱",
	"Consumer 주요 옵션",
	"Consumer lag",
	"프로듀서의 내부 구조",
	"Partitioner 종류",
	"kafka 순서보장",
	"멱등성 프로듀서",
	"Delivery Semantics",
}

var notePoints = []notePoint{
	// apache kafka 기본 용어 정리
	{noteSections[0], "ZooKeeper managed metadata (gone in 4.0: KRaft)", []string{"controller-quorum:belief.wrong", "controller-quorum:belief.right", "controller-quorum:glossary.kraft"}, ""},
	{noteSections[0], "a majority of an odd-sized ensemble must be up", []string{"controller-quorum:glossary.majority", "controller-quorum:steps.majority-down.text"}, ""},
	{noteSections[0], "broker", []string{"topics-partitions-records:glossary.broker", "controller-quorum:glossary.broker"}, ""},
	{noteSections[0], "producer and consumer", []string{"topics-partitions-records:glossary.producer", "replication-isr-hwm:glossary.consumer"}, ""},
	{noteSections[0], "topic and partition", []string{"topics-partitions-records:glossary.topic", "topics-partitions-records:glossary.partition"}, ""},
	{noteSections[0], "segment", []string{"topics-partitions-records:glossary.segment", "segments-retention:glossary.segment"}, ""},
	{noteSections[0], "record", []string{"topics-partitions-records:glossary.record"}, ""},

	// 빅데이터 파이프라인에 적합한 Kafka 의 특징
	{noteSections[1], "both sides batch: producer batches and consumer fetches (issue18#1)", []string{"batching:hints.baseline-fetch", "batching:glossary.fetch-min-bytes", "batching:glossary.fetch-max-wait-ms"}, ""},
	{noteSections[1], "partitions spread work over consumers", []string{"lag-scaling:steps.scale.text", "lag-scaling:glossary.partition"}, ""},
	{noteSections[1], "scaling out: adding brokers and reassigning partitions (issue18#2)", []string{"leader-failure:glossary.reassignment", "leader-failure:hints.back-preferred", "sandbox:steps.free.text"}, ""},
	{noteSections[1], "reading never deletes data; only retention does (issue18#3)", []string{"segments-retention:hints.retain-read"}, ""},
	{noteSections[1], "a broker failure is survived through replicas", []string{"page-cache-flush:steps.rf3.text", "page-cache-flush:hints.rf3-why"}, ""},

	// Kafka 의 영속성 - 파일시스템(디스크)
	{noteSections[2], "accumulator batches per partition", []string{"batching:glossary.accumulator", "batching:glossary.batch"}, ""},
	{noteSections[2], "batch.size and linger.ms", []string{"batching:glossary.batch-size", "batching:glossary.linger-ms", "batching:belief.right"}, ""},
	{noteSections[2], "batching spreads per-request cost; connections stay open (issue18#18)", []string{"batching:hints.baseline-connection"}, ""},
	{noteSections[2], "buffer.memory and max.block.ms", []string{"batching:glossary.buffer-memory", "batching:glossary.max-block-ms", "batching:hints.block-why"}, ""},
	{noteSections[2], "the page cache; unflushed data is lost in a crash, replication protects it", []string{"page-cache-flush:glossary.page-cache", "page-cache-flush:belief.right", "page-cache-flush:hints.rf1-why"}, ""},
	{noteSections[2], "zero-copy", []string{"page-cache-flush:glossary.zero-copy", "page-cache-flush:hints.read-why"}, ""},

	// 브로커의 역할
	{noteSections[3], "the controller elects leaders", []string{"controller-quorum:glossary.controller", "replication-isr-hwm:glossary.leader"}, ""},
	{noteSections[3], "consumer offsets live in __consumer_offsets", []string{"consumer-groups-coordinator:glossary.consumer-offsets", "consumer-groups-coordinator:belief.right"}, ""},
	{noteSections[3], "the group coordinator", []string{"consumer-groups-coordinator:glossary.group-coordinator", "consumer-groups-coordinator:hints.join-coordinator"}, ""},
	{noteSections[3], "cleanup.policy delete or compact", []string{"compaction:glossary.cleanup-policy"}, ""},
	{noteSections[3], "retention.ms, retention.bytes, log.retention.check.interval.ms", []string{"segments-retention:glossary.retention-ms", "segments-retention:glossary.retention-check-interval", "segments-retention:belief.right"}, ""},
	{noteSections[3], "the active segment: compaction skips it, time retention does not", []string{"segments-retention:belief.wrong", "segments-retention:belief.right", "compaction:hints.changelog-active"}, ""},
	{noteSections[3], "compaction keeps the latest value per key", []string{"compaction:glossary.compaction", "compaction:steps.changelog.text"}, ""},
	{noteSections[3], "a compacted topic rejects keyless records (issue18#4)", []string{"compaction:steps.keyless.text", "compaction:goals.keyless-refused", "compaction:hints.keyless-why"}, ""},
	{noteSections[3], "replication factor", []string{"acks-min-insync:glossary.replication-factor", "replication-isr-hwm:glossary.replica"}, ""},
	{noteSections[3], "storage costs data × replication factor (issue18#5)", []string{"acks-min-insync:glossary.replication-factor", "page-cache-flush:glossary.replication-factor"}, ""},
	{noteSections[3], "spreading leaders evenly: preferred leaders (issue18#6)", []string{"leader-failure:hints.back-preferred", "leader-failure:glossary.preferred-leader"}, ""},

	// ISR (In-Sync-Replicas)
	{noteSections[4], "ISR", []string{"replication-isr-hwm:glossary.isr", "acks-min-insync:glossary.isr"}, ""},
	{noteSections[4], "unclean.leader.election.enable and what it loses", []string{"leader-failure:glossary.unclean-leader-election", "leader-failure:hints.leader-lost", "leader-failure:belief.right"}, ""},
	{noteSections[4], "clean election waits: the partition goes offline", []string{"leader-failure:hints.leader-offline", "leader-failure:glossary.offline-partition"}, ""},
	{noteSections[4], "a dead-letter queue is not disaster recovery; the producer retries (issue18#7)", []string{"leader-failure:hints.leader-retry"}, ""},

	// ISR 과 OSR 을 판단하는 기준
	{noteSections[5], "replica.lag.time.max.ms (30 s)", []string{"replication-isr-hwm:glossary.replica-lag-time-max-ms", "replication-isr-hwm:steps.leave-isr.text"}, ""},
	{noteSections[5], "the high watermark is partition replication progress, not group progress", []string{"replication-isr-hwm:belief.wrong", "replication-isr-hwm:belief.right", "replication-isr-hwm:glossary.high-watermark"}, ""},
	{noteSections[5], "consumers read only up to the high watermark", []string{"replication-isr-hwm:steps.slow-follower.text", "replication-isr-hwm:hints.slow-frozen"}, ""},
	{noteSections[5], "log end offset", []string{"replication-isr-hwm:glossary.log-end-offset"}, ""},

	// acks 옵션
	{noteSections[6], "acks 0, 1 and all; -1 means all; when acks=0 fits (issue18#9)", []string{"acks-min-insync:glossary.acks", "acks-min-insync:hints.measure-why-slower"}, ""},
	{noteSections[6], "with replication factor 1 acks barely matters (issue18#8)", []string{"acks-min-insync:hints.measure-rf-one"}, ""},
	{noteSections[6], "acks=1 loses records a leader had alone", []string{"acks-min-insync:hints.two-single-copy", "leader-failure:goals.records-lost"}, ""},
	{noteSections[6], "min.insync.replicas", []string{"acks-min-insync:glossary.min-insync-replicas", "acks-min-insync:hints.one-min-isr", "acks-min-insync:glossary.not-enough-replicas"}, ""},
	{noteSections[6], "acks=all costs latency, not throughput", []string{"acks-min-insync:belief.wrong", "acks-min-insync:belief.right"}, ""},
	{noteSections[6], "acks=all with retries is at-least-once; idempotence and transactions (issue18#10)", []string{"delivery-semantics:hints.alo-producer"}, ""},

	// 레코드
	{noteSections[7], "timestamp: CreateTime or LogAppendTime", []string{"topics-partitions-records:glossary.timestamp", "topics-partitions-records:hints.header-stamps"}, ""},
	{noteSections[7], "the offset is assigned on append and never changes", []string{"topics-partitions-records:glossary.offset", "compaction:belief.right"}, ""},
	{noteSections[7], "headers", []string{"topics-partitions-records:glossary.header", "topics-partitions-records:hints.header-add"}, ""},
	{noteSections[7], "key: optional, picks the partition", []string{"topics-partitions-records:glossary.key", "topics-partitions-records:steps.keyless.text"}, ""},
	{noteSections[7], "the consumer's deserializer must match the producer's serializer (issue18#11)", []string{"topics-partitions-records:glossary.serializer", "topics-partitions-records:hints.header-serde"}, ""},

	// 리밸런싱
	{noteSections[8], "the four triggers: join, leave or crash, partitions added, subscription change", []string{"rebalancing:steps.join.text", "rebalancing:steps.crash.text", "rebalancing:steps.partitions.text", "rebalancing:steps.subscription.text", "rebalancing:glossary.rebalance"}, ""},
	{noteSections[8], "partitions can be added, never removed; keys move (issue18#12)", []string{"partitioners-keys:hints.grow-only", "partitioners-keys:hints.grow-why"}, ""},
	{noteSections[8], "onPartitionsRevoked", []string{"rebalancing:glossary.on-partitions-revoked", "rebalancing:hints.cooperative-revoked"}, ""},
	{noteSections[8], "onPartitionsAssigned and onPartitionsLost (issue18#13)", []string{"rebalancing:hints.cooperative-callbacks", "rebalancing:glossary.on-partitions-assigned", "rebalancing:glossary.on-partitions-lost"}, ""},
	{noteSections[8], "eager rebalancing stops the group; cooperative-sticky does not", []string{"rebalancing:glossary.eager-rebalance", "rebalancing:glossary.cooperative-sticky", "rebalancing:steps.cooperative.text"}, ""},
	{noteSections[8], "the coordinator does not tell ZooKeeper", []string{"consumer-groups-coordinator:belief.wrong", "consumer-groups-coordinator:belief.right"}, ""},
	{noteSections[8], "brokers assign partitions under KIP-848 (issue18#14)", []string{"rebalance-protocols:steps.kip848.text", "rebalance-protocols:glossary.consumer-protocol", "rebalance-protocols:hints.session-client-configs", "rebalance-protocols:belief.right"}, ""},

	// Consumer 주요 옵션
	{noteSections[9], "group.id is required for subscribe() (issue18#15)", []string{"consumer-groups-coordinator:glossary.group-id"}, ""},
	{noteSections[9], "auto.offset.reset earliest, latest, none, by_duration", []string{"consumer-groups-coordinator:glossary.auto-offset-reset", "segments-retention:glossary.auto-offset-reset", "consumer-groups-coordinator:steps.reset.text"}, ""},
	{noteSections[9], "enable.auto.commit and auto.commit.interval.ms", []string{"consumer-groups-coordinator:glossary.auto-commit", "delivery-semantics:belief.right"}, ""},
	{noteSections[9], "max.poll.records (500) (issue18#16)", []string{"rebalancing:glossary.max-poll-records", "rebalancing:hints.slow-records"}, ""},
	{noteSections[9], "session.timeout.ms is 45 s and heartbeat.interval.ms 3 s", []string{"rebalancing:belief.wrong", "rebalancing:belief.right", "rebalancing:glossary.session-timeout-ms", "rebalancing:glossary.heartbeat"}, ""},
	{noteSections[9], "max.poll.interval.ms", []string{"rebalancing:glossary.max-poll-interval-ms", "rebalancing:steps.slow.text"}, ""},
	{noteSections[9], "isolation.level", []string{"delivery-semantics:glossary.read-committed", "delivery-semantics:hints.eos-read"}, ""},

	// Consumer lag
	{noteSections[10], "lag = high watermark − committed offset, per partition", []string{"lag-scaling:glossary.consumer-lag", "lag-scaling:belief.wrong", "lag-scaling:belief.right"}, ""},
	{noteSections[10], "more consumers, up to the partition count", []string{"lag-scaling:steps.scale.text", "lag-scaling:steps.idle.text", "lag-scaling:hints.idle-why", "share-groups:belief.right"}, ""},
	{noteSections[10], "a holiday traffic spike as a scenario (issue18#17)", nil, "optional in issue 18; lesson 14's experiment already shows a producer outrunning one consumer"},

	// 프로듀서의 내부 구조
	{noteSections[11], "ProducerRecord has no offset until the broker appends it", []string{"topics-partitions-records:hints.header-stamps", "topics-partitions-records:glossary.record"}, ""},
	{noteSections[11], "the partitioner", []string{"partitioners-keys:glossary.partitioner"}, ""},

	// Partitioner 종류
	{noteSections[12], "round robin", []string{"partitioners-keys:glossary.round-robin", "partitioners-keys:hints.keyless-rr"}, ""},
	{noteSections[12], "UniformStickyPartitioner was never the default; the built-in partitioner", []string{"partitioners-keys:belief.wrong", "partitioners-keys:belief.right", "partitioners-keys:glossary.sticky-partitioning"}, ""},
	{noteSections[12], "keyed placement is murmur2, not hashCode", []string{"topics-partitions-records:belief.wrong", "topics-partitions-records:belief.right", "partitioners-keys:glossary.murmur2"}, ""},
	{noteSections[12], "adding partitions moves keys", []string{"partitioners-keys:steps.grow.text", "partitioners-keys:hints.grow-why"}, ""},

	// kafka 순서보장
	{noteSections[13], "ordering does not need as many partitions as consumers (issue18#19)", []string{"ordering-idempotence:belief.wrong", "ordering-idempotence:belief.right"}, ""},
	{noteSections[13], "a consumer owning two partitions keeps each in order (issue18#20)", []string{"ordering-idempotence:belief.right", "topics-partitions-records:glossary.partition"}, ""},
	{noteSections[13], "a retried batch can land after a later one; idempotence fixes it", []string{"ordering-idempotence:steps.reorder.text", "ordering-idempotence:hints.reorder-why", "ordering-idempotence:hints.idempotent-why"}, ""},

	// 멱등성 프로듀서 (empty in the notes)
	{noteSections[14], "idempotent producer: producer id and sequence numbers", []string{"ordering-idempotence:glossary.idempotence", "ordering-idempotence:glossary.producer-id", "ordering-idempotence:glossary.sequence-number"}, ""},

	// Delivery Semantics (empty in the notes)
	{noteSections[15], "at-least-once, at-most-once, exactly-once", []string{"delivery-semantics:glossary.at-least-once", "delivery-semantics:glossary.at-most-once", "delivery-semantics:glossary.exactly-once"}, ""},
}

func TestNotesTaught(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Lesson{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	perSection := map[string]int{}
	issue := map[string]bool{}
	for _, p := range notePoints {
		perSection[p.section]++
		if i := strings.Index(p.point, "issue18#"); i >= 0 {
			issue[strings.TrimRight(p.point[i:], ")")] = true
		}
		if len(p.keys) == 0 && p.skip == "" {
			t.Errorf("%s / %s: no keys and no reason", p.section, p.point)
		}
		for _, k := range p.keys {
			id, key, ok := strings.Cut(k, ":")
			l := byID[id]
			if !ok || l == nil {
				t.Errorf("%s / %s: %q names no lesson", p.section, p.point, k)
				continue
			}
			for _, loc := range []string{DefaultLocale, "ko"} {
				if s := l.texts[loc][key]; strings.TrimSpace(s) == "" {
					t.Errorf("%s / %s: lesson %s has no %s text %q", p.section, p.point, id, loc, key)
				}
			}
		}
	}
	for _, s := range noteSections {
		if perSection[s] == 0 {
			t.Errorf("section %q maps to no point", s)
		}
	}
	for n := 1; n <= 20; n++ {
		if k := "issue18#" + strconv.Itoa(n); !issue[k] {
			t.Errorf("%s is in no point", k)
		}
	}
	t.Logf("%d points in %d sections", len(notePoints), len(noteSections))
}
