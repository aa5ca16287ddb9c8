package lessons

import (
	"errors"
	"fmt"
	"time"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over one producer's own measurements: batching, latency and
// throughput as its metrics show them.

func init() {
	register[throughputParams]("throughput_compare", "a producer acknowledged records at least factor (default 2) times as fast as another, each rate measured over its own produce_acked events (records after the first acknowledgement per second until the last), once both have min_acked records acknowledged (default 1000)", needsEvents, throughputCompare)
	register[keySplitParams]("key_on_partitions", "some key of the topic (or the given key) has records on at least min_partitions partitions (default 2): keys ignored by the partitioner, or moved by added partitions", needsRecords, keyOnPartitions)
	registerFor[dupParams]("duplicate_records", "at least min (default 1) records of the topic repeat the key and value of an earlier record: a retry written twice; with opened, the learner opened one of the copies", needsRecords, duplicateRecords)
	register[cleanParams]("clean_delivery", "the producer retried at least min_retries times (default 1) and has at least min_acked records acknowledged (default 1), yet reported no reordering (produce_reordered) and the topic holds no record twice", needsEvents|needsRecords, cleanDelivery)
	register[metricParams]("producer_metric", "a producer's metric (a key of its metrics, or acked, sent or retries) compares with op to value, once the producer has at least min_acked records acknowledged (default 1)", 0, producerMetric)
}

type metricParams struct {
	Producer string   `json:"producer"`
	Metric   string   `json:"metric"`
	Op       string   `json:"op"`
	Value    *float64 `json:"value"`
	MinAcked int64    `json:"min_acked"`
}

func (p *metricParams) validate() error {
	if p.Producer == "" {
		return errors.New("missing \"producer\"")
	}
	if p.Metric == "" {
		return errors.New("missing \"metric\" (e.g. produce-latency-p99-ms or batch-size-avg)")
	}
	if _, ok := fcompare[p.Op]; !ok {
		return fmt.Errorf("\"op\" must be one of <, <=, >=, >; got %q", p.Op)
	}
	if p.Value == nil {
		return errors.New("missing \"value\" (the number to compare with)")
	}
	if p.MinAcked == 0 {
		p.MinAcked = 1
	}
	if err := atLeastOne("min_acked", p.MinAcked); err != nil {
		return err
	}
	return nil
}

// producerMetric: metric(producer) op value.
func producerMetric(s view.Snapshot, _ []view.Event, p *metricParams) (bool, string) {
	pr := findProducer(s, p.Producer)
	if pr == nil {
		return false, say("producer %s is not started yet", p.Producer)
	}
	if pr.Acked < p.MinAcked {
		return false, say("producer %s has %d of %d records acknowledged; its %s counts once it has enough", pr.Name, pr.Acked, p.MinAcked, p.Metric)
	}
	v, ok := producerValue(pr, p.Metric)
	if !ok {
		return false, say("producer %s has not measured %s yet", pr.Name, p.Metric)
	}
	return fcompare[p.Op](v, *p.Value), say("%s of %s is %s; the goal is %s %s", p.Metric, pr.Name, num(v), p.Op, num(*p.Value))
}

type throughputParams struct {
	Producer string  `json:"producer"`
	Than     string  `json:"than"`
	Factor   float64 `json:"factor"`
	MinAcked int64   `json:"min_acked"`
}

func (p *throughputParams) validate() error {
	if p.Producer == "" || p.Than == "" {
		return errors.New("\"producer\" and \"than\" must name two producers")
	}
	if p.Producer == p.Than {
		return fmt.Errorf("\"than\" must name another producer than %q", p.Producer)
	}
	if p.Factor == 0 {
		p.Factor = 2
	}
	if p.Factor < 0 {
		return fmt.Errorf("\"factor\" must be positive, got %g", p.Factor)
	}
	if p.MinAcked == 0 {
		p.MinAcked = 1000
	}
	if p.MinAcked < 2 {
		return fmt.Errorf("\"min_acked\" must be at least 2, got %d", p.MinAcked)
	}
	return nil
}

// ackRate is a producer's acknowledged records per second: the records
// acknowledged after its first produce_acked event, over the time from
// that event to its last. It measures what the producer achieved while it
// sent, whenever that was, so two producers can be compared one after the
// other as well as side by side.
type ackRate struct {
	acked       int64
	first, last time.Duration
	perSec      float64
}

func ackRateOf(evs []view.Event, producer string) ackRate {
	var r ackRate
	node := "producer-" + producer
	var firstN int64
	for _, e := range evs {
		if e.Kind != "produce_acked" || e.Node != node {
			continue
		}
		n, _ := dataInt(e.Data, "records")
		if r.acked == 0 {
			r.first, firstN = e.At(), n
		}
		r.acked += n
		r.last = e.At()
	}
	if span := r.last - r.first; span > 0 {
		r.perSec = float64(r.acked-firstN) / span.Seconds()
	}
	return r
}

// throughputCompare: ackRate(producer) ≥ factor × ackRate(than).
func throughputCompare(_ view.Snapshot, evs []view.Event, p *throughputParams) (bool, string) {
	a, b := ackRateOf(evs, p.Producer), ackRateOf(evs, p.Than)
	for _, x := range []struct {
		r    ackRate
		name string
	}{{b, p.Than}, {a, p.Producer}} {
		if x.r.acked < p.MinAcked {
			return false, say("producer %s has %d of %d records acknowledged; compare once both have enough", x.name, x.r.acked, p.MinAcked)
		}
	}
	if b.perSec <= 0 || a.perSec <= 0 {
		return false, say("every acknowledgement came at one instant; there is no rate to compare yet")
	}
	detail := say("%s acknowledged %s records/s, %s %s records/s (%s×); the goal is %s×", p.Producer, num(a.perSec), p.Than, num(b.perSec), num(a.perSec/b.perSec), num(p.Factor))
	return a.perSec >= p.Factor*b.perSec, detail
}

type keySplitParams struct {
	Topic         string `json:"topic"`
	Key           string `json:"key"`
	MinPartitions int    `json:"min_partitions"`
}

func (p *keySplitParams) validate() error {
	if p.MinPartitions == 0 {
		p.MinPartitions = 2
	}
	if p.MinPartitions < 2 {
		return fmt.Errorf("\"min_partitions\" must be at least 2, got %d", p.MinPartitions)
	}
	return needTopic(p.Topic)
}

// keyOnPartitions: some key's records lie on several partitions.
func keyOnPartitions(s view.Snapshot, _ []view.Event, p *keySplitParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	where := map[string]map[int32]bool{}
	for _, ps := range parts {
		for _, r := range ps.Records {
			if r.Key == nil || (p.Key != "" && *r.Key != p.Key) {
				continue
			}
			if where[*r.Key] == nil {
				where[*r.Key] = map[int32]bool{}
			}
			where[*r.Key][ps.Partition] = true
		}
	}
	keys := sortedKeys(where)
	best := ""
	for _, k := range keys {
		if best == "" || len(where[k]) > len(where[best]) {
			best = k
		}
	}
	switch {
	case best == "" && p.Key != "":
		return false, say("%s has no records with key %s yet%s", p.Topic, p.Key, noRecordsHint(parts))
	case best == "":
		return false, say("%s has no records with a key yet%s", p.Topic, noRecordsHint(parts))
	case len(where[best]) >= p.MinPartitions:
		return true, say("key %s is on %s", best, partitionWords(where[best]))
	case p.Key != "" || len(where[best]) > 1:
		return false, say("key %s is only on %s; the goal needs %s", best, partitionWords(where[best]), plural(p.MinPartitions, "partition"))
	}
	if len(keys) == 1 {
		return false, say("key %s is on %s only", best, partitionWords(where[best]))
	}
	return false, say("each of the %s in %s is on one partition only", plural(len(keys), "key"), p.Topic)
}

type dupParams struct {
	openParam
	Topic string `json:"topic"`
	Min   int    `json:"min"`
}

func (p *dupParams) validate() error {
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return needTopic(p.Topic)
}

// duplicates counts the records of parts that repeat the key and value of
// an earlier one, and names the first.
func duplicates(parts []view.PartitionState) (n, records int, first string, copies witnesses) {
	type kv struct{ key, value string }
	type at struct {
		p int32
		o int64
	}
	seen := map[kv]string{}
	firstAt := map[kv]at{}
	copies = witnesses{}
	for _, ps := range parts {
		for _, r := range ps.Records {
			records++
			k := kv{"\x00", "\x00"}
			if r.Key != nil {
				k.key = *r.Key
			}
			if r.Value != nil {
				k.value = *r.Value
			}
			where := say("offset %d of %s-%d", r.Offset, ps.Topic, ps.Partition)
			if was, dup := seen[k]; dup {
				n++
				if first == "" {
					first = say("the record at %s repeats the one at %s", where, was)
				}
				copies.add(ps.Partition, r.Offset)
				copies.add(firstAt[k].p, firstAt[k].o)
				continue
			}
			seen[k] = where
			firstAt[k] = at{ps.Partition, r.Offset}
		}
	}
	return n, records, first, copies
}

// duplicateRecords: the topic holds records written twice.
func duplicateRecords(s view.Snapshot, _ []view.Event, lr Learner, p *dupParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	n, records, first, copies := duplicates(parts)
	switch {
	case records == 0:
		return false, say("%s has no records yet%s", p.Topic, noRecordsHint(parts))
	case n >= p.Min:
		return p.openParam.check(p.Topic, copies, 1, lr, say("%s among the %s in %s: %s", plural(n, "duplicate"), plural(records, "record"), p.Topic, first))
	}
	return false, say("%d of %d duplicates among the %s in %s", n, p.Min, plural(records, "record"), p.Topic)
}

type cleanParams struct {
	Producer   string `json:"producer"`
	Topic      string `json:"topic"`
	MinAcked   int64  `json:"min_acked"`
	MinRetries int64  `json:"min_retries"`
}

func (p *cleanParams) validate() error {
	if p.Producer == "" {
		return errors.New("missing \"producer\"")
	}
	if p.MinAcked == 0 {
		p.MinAcked = 1
	}
	if p.MinRetries == 0 {
		p.MinRetries = 1
	}
	if p.MinAcked < 1 || p.MinRetries < 1 {
		return fmt.Errorf("\"min_acked\" and \"min_retries\" must be at least 1, got %d and %d", p.MinAcked, p.MinRetries)
	}
	return needTopic(p.Topic)
}

// cleanDelivery: retries happened, yet nothing was reordered or duplicated.
func cleanDelivery(s view.Snapshot, evs []view.Event, p *cleanParams) (bool, string) {
	pr := findProducer(s, p.Producer)
	if pr == nil {
		return false, say("producer %s is not started yet", p.Producer)
	}
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	reordered := 0
	for _, e := range evs {
		if e.Kind != "produce_reordered" || e.Node != "producer-"+p.Producer {
			continue
		}
		if d, _ := typed[evdata.ProduceReordered](e); d.Topic == p.Topic {
			reordered++
		}
	}
	dups, records, first, _ := duplicates(parts)
	switch {
	case pr.Acked < p.MinAcked:
		return false, say("producer %s has %d of %d records acknowledged", pr.Name, pr.Acked, p.MinAcked)
	case pr.Retries < p.MinRetries:
		return false, say("producer %s retried %d of %d times: nothing has tested it yet", pr.Name, pr.Retries, p.MinRetries)
	case reordered > 0:
		return false, say("producer %s saw %d of its batches acknowledged out of order on %s", pr.Name, reordered, p.Topic)
	case dups > 0:
		return false, say("%s among the %s in %s: %s", plural(dups, "duplicate"), plural(records, "record"), p.Topic, first)
	}
	return true, say("producer %s retried %s, and its %d acknowledged records are on %s in order, none twice", pr.Name, times(int(pr.Retries)), pr.Acked, p.Topic)
}
