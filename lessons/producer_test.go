package lessons

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, producerCases) }

// busy has two producers: fast batches well, slow does not.
func busy() view.Snapshot {
	return view.Snapshot{Producers: []view.ProducerSnapshot{
		{Name: "fast", Acked: 9000, Metrics: map[string]float64{"produce-latency-p99-ms": 23.04, "batch-size-avg": 45790}},
		{Name: "slow", Acked: 40, Metrics: map[string]float64{"produce-latency-p99-ms": 835.58}},
	}}
}

// acks are produce_acked events: fast acknowledges 2000 records in 2 s
// after its first batch, slow 2000 in 8 s.
func acks() []view.Event {
	ack := func(sec int64, node string, n int) view.Event {
		return view.Event{TimeUS: sec * 1_000_000, Kind: "produce_acked", Node: "producer-" + node, Data: map[string]any{"records": float64(n)}}
	}
	return []view.Event{ack(1, "fast", 100), ack(1, "slow", 10), ack(2, "fast", 1000), ack(3, "fast", 1000), ack(5, "slow", 1000), ack(9, "slow", 1000)}
}

// transfers has two topics: tx with offset 2 a copy of offset 0, and
// tx-safe with three distinct records. Producer loose (no idempotence)
// wrote tx, safe wrote tx-safe; both retried.
func transfers() view.Snapshot {
	recs := func(vals ...string) []view.RecordView {
		out := make([]view.RecordView, len(vals))
		for i, v := range vals {
			out[i] = view.RecordView{Offset: int64(i), Value: str(v)}
		}
		return out
	}
	return view.Snapshot{
		Partitions: []view.PartitionState{
			{Topic: "tx", Partition: 0, HWM: 3, Records: recs("t0", "t1", "t0")},
			{Topic: "tx-safe", Partition: 0, HWM: 3, Records: recs("t0", "t1", "t2")},
			{Topic: "empty", Partition: 0},
		},
		Producers: []view.ProducerSnapshot{{Name: "loose", Acked: 3, Retries: 1}, {Name: "safe", Acked: 3, Retries: 2}, {Name: "calm", Acked: 3}},
	}
}

var reorderEvents = []view.Event{{TimeUS: 1_000_000, Kind: "produce_reordered", Node: "producer-loose", Data: map[string]any{"topic": "tx"}}}

func producerCases() []eventCase {
	b, a, tx := busy(), acks(), transfers()
	return []eventCase{
		{"duplicate_records", `{"topic":"tx"}`, tx, nil, true, "1 duplicate among the 3 records in tx: the record at offset 2 of tx-0 repeats the one at offset 0 of tx-0"},
		{"duplicate_records", `{"topic":"tx-safe"}`, tx, nil, false, "0 of 1 duplicates among the 3 records in tx-safe"},
		{"duplicate_records", `{"topic":"empty"}`, tx, nil, false, "empty has no records yet"},
		{"clean_delivery", `{"producer":"safe","topic":"tx-safe"}`, tx, reorderEvents, true, "producer safe retried twice, and its 3 acknowledged records are on tx-safe in order, none twice"},
		{"clean_delivery", `{"producer":"safe","topic":"tx-safe","min_retries":3}`, tx, reorderEvents, false, "producer safe retried 2 of 3 times: nothing has tested it yet"},
		{"clean_delivery", `{"producer":"calm","topic":"tx-safe"}`, tx, nil, false, "producer calm retried 0 of 1 times: nothing has tested it yet"},
		{"clean_delivery", `{"producer":"loose","topic":"tx"}`, tx, reorderEvents, false, "producer loose saw 1 of its batches acknowledged out of order on tx"},
		{"clean_delivery", `{"producer":"loose","topic":"tx"}`, tx, nil, false, "1 duplicate among the 3 records in tx: the record at offset 2 of tx-0 repeats the one at offset 0 of tx-0"},
		{"clean_delivery", `{"producer":"safe","topic":"tx-safe","min_acked":4}`, tx, nil, false, "producer safe has 3 of 4 records acknowledged"},
		{"throughput_compare", `{"producer":"fast","than":"slow"}`, b, a, true, "fast acknowledged 1000 records/s, slow 250 records/s (4×); the goal is 2×"},
		{"throughput_compare", `{"producer":"fast","than":"slow","factor":5}`, b, a, false, "fast acknowledged 1000 records/s, slow 250 records/s (4×); the goal is 5×"},
		{"throughput_compare", `{"producer":"slow","than":"fast"}`, b, a, false, "slow acknowledged 250 records/s, fast 1000 records/s (0.25×); the goal is 2×"},
		{"throughput_compare", `{"producer":"fast","than":"slow","min_acked":2050}`, b, a, false, "producer slow has 2010 of 2050 records acknowledged; compare once both have enough"},
		{"throughput_compare", `{"producer":"fast","than":"slow"}`, b, a[:3], false, "producer slow has 10 of 1000 records acknowledged; compare once both have enough"},

		{"key_on_partitions", `{"topic":"t"}`, spread(), nil, true, "key user-1 is on partitions 0 and 2"},
		{"key_on_partitions", `{"topic":"t","min_partitions":3}`, spread(), nil, false, "key user-1 is only on partitions 0 and 2; the goal needs 3 partitions"},
		{"key_on_partitions", `{"topic":"orders"}`, orders(), nil, false, "each of the 2 keys in orders is on one partition only"},
		{"key_on_partitions", `{"topic":"orders","key":"user-9"}`, orders(), nil, false, "orders has no records with key user-9 yet"},
		{"key_on_partitions", `{"topic":"nope"}`, orders(), nil, false, "topic nope does not exist yet"},
		{"producer_metric", `{"producer":"fast","metric":"produce-latency-p99-ms","op":"<","value":50}`, b, nil, true, "produce-latency-p99-ms of fast is 23.04; the goal is < 50"},
		{"producer_metric", `{"producer":"slow","metric":"produce-latency-p99-ms","op":"<","value":50}`, b, nil, false, "produce-latency-p99-ms of slow is 835.58; the goal is < 50"},
		{"producer_metric", `{"producer":"slow","metric":"produce-latency-p99-ms","op":">","value":50,"min_acked":100}`, b, nil, false, "producer slow has 40 of 100 records acknowledged; its produce-latency-p99-ms counts once it has enough"},
		{"producer_metric", `{"producer":"slow","metric":"batch-size-avg","op":">","value":1}`, b, nil, false, "producer slow has not measured batch-size-avg yet"},
		{"producer_metric", `{"producer":"fast","metric":"acked","op":">=","value":9000}`, b, nil, true, "acked of fast is 9000; the goal is >= 9000"},
		{"producer_metric", `{"producer":"gone","metric":"acked","op":">=","value":1}`, b, nil, false, "producer gone is not started yet"},
	}
}

func runCases(t *testing.T, cases []eventCase) {
	t.Helper()
	for _, c := range cases {
		p := LookupPredicate(c.check)
		if p == nil {
			t.Fatalf("no predicate %q", c.check)
		}
		params, err := p.ParseParams(json.RawMessage(c.params))
		if err != nil {
			t.Errorf("%s %s: params: %v", c.check, c.params, err)
			continue
		}
		ok, detail := p.Eval(c.snap, c.evs, params)
		if ok != c.ok || detail != c.detail {
			t.Errorf("%s %s = %v, %q; want %v, %q", c.check, c.params, ok, detail, c.ok, c.detail)
		}
	}
}

func TestProducerPredicates(t *testing.T) { runCases(t, producerCases()) }

func TestProducerPredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"key_on_partitions", `{"topic":"t","min_partitions":1}`, `"min_partitions" must be at least 2, got 1`},
		{"key_on_partitions", `{}`, `missing "topic"`},
		{"duplicate_records", `{"topic":"t","min":-1}`, `"min" must be at least 1, got -1`},
		{"clean_delivery", `{"topic":"t"}`, `missing "producer"`},
		{"clean_delivery", `{"producer":"p"}`, `missing "topic"`},
		{"clean_delivery", `{"producer":"p","topic":"t","min_retries":-1}`, `"min_acked" and "min_retries" must be at least 1, got 1 and -1`},
		{"throughput_compare", `{"producer":"a"}`, `"producer" and "than" must name two producers`},
		{"throughput_compare", `{"producer":"a","than":"a"}`, `"than" must name another producer than "a"`},
		{"throughput_compare", `{"producer":"a","than":"b","factor":-1}`, `"factor" must be positive, got -1`},
		{"throughput_compare", `{"producer":"a","than":"b","min_acked":1}`, `"min_acked" must be at least 2, got 1`},
		{"producer_metric", `{"metric":"acked","op":">","value":1}`, `missing "producer"`},
		{"producer_metric", `{"producer":"p","op":">","value":1}`, `missing "metric"`},
		{"producer_metric", `{"producer":"p","metric":"acked","op":"==","value":1}`, `"op" must be one of <, <=, >=, >; got "=="`},
		{"producer_metric", `{"producer":"p","metric":"acked","op":">"}`, `missing "value"`},
		{"producer_metric", `{"producer":"p","metric":"acked","op":">","value":1,"min_acked":-1}`, `"min_acked" must be at least 1, got -1`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want %q", c.check, c.params, err, c.err)
		}
	}
}

// lessonCoverage is what a lesson must show of its CURRICULUM.md row: the
// checks its goals use, the terms its glossary defines and the facts its
// common-belief box states.
type lessonCoverage struct {
	id     string
	checks []string
	terms  []string
	right  []string // in <belief>.right
}

func checkCoverage(t *testing.T, cases []lessonCoverage) {
	t.Helper()
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		l := ByID(ls, c.id)
		if l == nil {
			t.Errorf("lesson %s is missing", c.id)
			continue
		}
		used := map[string]bool{}
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				used[g.Check] = true
			}
		}
		for _, chk := range c.checks {
			if !used[chk] {
				t.Errorf("%s has no %s goal", c.id, chk)
			}
		}
		for _, term := range c.terms {
			if !slices.Contains(l.Glossary, term) {
				t.Errorf("%s's glossary lacks %q", c.id, term)
			}
		}
		if len(c.right) > 0 {
			right := l.Text(DefaultLocale, l.CommonBelief+".right")
			for _, fact := range c.right {
				if !strings.Contains(right, fact) {
					t.Errorf("%s's common belief does not state %q: %s", c.id, fact, right)
				}
			}
		}
	}
}

// TestProducerLessonsCoverTheCurriculum checks lessons 2–4 against their
// CURRICULUM.md rows.
func TestProducerLessonsCoverTheCurriculum(t *testing.T) {
	checkCoverage(t, []lessonCoverage{
		{"batching", []string{"throughput_compare", "producer_metric", "producer_failed_with"},
			[]string{"linger-ms", "batch-size", "buffer-memory", "max-block-ms"},
			[]string{"linger.ms defaults to 5 ms", "4.0", "KIP-1030", "16384", "33554432", "60000"}},
		{"partitioners-keys", []string{"same_key_same_partition", "key_on_partitions", "event_seen"},
			[]string{"partitioner", "murmur2", "sticky-partitioning", "round-robin"},
			[]string{"never the default", "KIP-794", "murmur2", "4.0"}},
		{"ordering-idempotence", []string{"event_seen", "duplicate_records", "clean_delivery"},
			[]string{"idempotence", "in-flight-requests", "sequence-number", "retries"}, nil},
	})
}
