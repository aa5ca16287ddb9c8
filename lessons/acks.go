package lessons

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over what producers were promised: their measured cost, and
// whether the records they had acknowledged are still in the log.

func init() {
	register[compareParams]("producer_compare", "a producer's metric (a key of its metrics, or acked, sent or retries) compares with op to factor (default 1) times another producer's, once both producers have at least min_acked records acknowledged (default 1) and the other's value is above 0", 0, producerCompare)
	register[ackedParams]("acked_records_lost", "at least min (default 1) records the producer had acknowledged on the topic are gone from the leader's log: missing, or replaced by a record of another leader epoch", needsEvents|needsRecords, ackedRecordsLost)
	register[ackedParams]("acked_records_kept", "the producer has at least min records acknowledged on the topic and every one is in the leader's log below the high watermark, in the leader epoch that acknowledged it; with min_leader_epoch, only once the partitions' leader epoch reached it", needsEvents|needsRecords, ackedRecordsKept)
}

type compareParams struct {
	Producer string  `json:"producer"`
	Than     string  `json:"than"`
	Metric   string  `json:"metric"`
	Op       string  `json:"op"`
	Factor   float64 `json:"factor"`
	MinAcked int64   `json:"min_acked"`
}

var fcompare = map[string]func(a, b float64) bool{
	"<": func(a, b float64) bool { return a < b }, "<=": func(a, b float64) bool { return a <= b },
	">=": func(a, b float64) bool { return a >= b }, ">": func(a, b float64) bool { return a > b },
}

func (p *compareParams) validate() error {
	if p.Producer == "" || p.Than == "" {
		return errors.New("\"producer\" and \"than\" must name two producers")
	}
	if p.Producer == p.Than {
		return fmt.Errorf("\"than\" must name another producer than %q", p.Producer)
	}
	if p.Metric == "" {
		return errors.New("missing \"metric\" (e.g. produce-latency-p99-ms or acked)")
	}
	if _, ok := fcompare[p.Op]; !ok {
		return fmt.Errorf("\"op\" must be one of <, <=, >=, >; got %q", p.Op)
	}
	if p.Factor == 0 {
		p.Factor = 1
	}
	if p.Factor < 0 {
		return fmt.Errorf("\"factor\" must be positive, got %g", p.Factor)
	}
	if p.MinAcked == 0 {
		p.MinAcked = 1
	}
	if err := atLeastOne("min_acked", p.MinAcked); err != nil {
		return err
	}
	return nil
}

// producerValue reads a metric of a producer; the counters acked, sent and
// retries come from the snapshot's fields.
func producerValue(pr *view.ProducerSnapshot, metric string) (float64, bool) {
	switch metric {
	case "acked":
		return float64(pr.Acked), true
	case "sent":
		return float64(pr.Sent), true
	case "retries":
		return float64(pr.Retries), true
	}
	v, ok := pr.Metrics[metric]
	return v, ok
}

// producerCompare: metric(producer) op factor × metric(than).
func producerCompare(s view.Snapshot, _ []view.Event, p *compareParams) (bool, string) {
	a, b := findProducer(s, p.Producer), findProducer(s, p.Than)
	for _, x := range []struct {
		pr   *view.ProducerSnapshot
		name string
	}{{a, p.Producer}, {b, p.Than}} {
		if x.pr == nil {
			return false, say("producer %s is not started yet", x.name)
		}
	}
	for _, pr := range []*view.ProducerSnapshot{b, a} {
		if pr.Acked < p.MinAcked {
			return false, say("producer %s has %d of %d records acknowledged; compare once both have enough", pr.Name, pr.Acked, p.MinAcked)
		}
	}
	va, okA := producerValue(a, p.Metric)
	vb, okB := producerValue(b, p.Metric)
	switch {
	case !okA && !okB:
		return false, say("neither %s nor %s has measured %s yet", p.Producer, p.Than, p.Metric)
	case !okA:
		return false, say("producer %s has not measured %s yet", p.Producer, p.Metric)
	case !okB:
		return false, say("producer %s has not measured %s yet", p.Than, p.Metric)
	case vb <= 0:
		return false, say("%s of %s is %s; there is nothing to compare with yet", p.Metric, p.Than, num(vb))
	}
	goal := p.Op + " " + p.Than
	if p.Factor != 1 {
		goal = fmt.Sprintf("%s %s× %s", p.Op, num(p.Factor), p.Than)
	}
	detail := say("%s: %s %s, %s %s (%s× %s); the goal is %s %s", p.Metric, p.Producer, num(va), p.Than, num(vb), num(va/vb), p.Than, p.Producer, goal)
	return fcompare[p.Op](va, p.Factor*vb), detail
}

// num prints a measurement with at most two decimals.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

type ackedParams struct {
	Producer       string `json:"producer"`
	Topic          string `json:"topic"`
	Min            int64  `json:"min"`
	MinLeaderEpoch int32  `json:"min_leader_epoch"`
}

func (p *ackedParams) validate() error {
	if p.Producer == "" {
		return errors.New("missing \"producer\"")
	}
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	if p.MinLeaderEpoch < 0 {
		return fmt.Errorf("\"min_leader_epoch\" must not be negative, got %d", p.MinLeaderEpoch)
	}
	return needTopic(p.Topic)
}

// ackedBatch is a run of records a producer had acknowledged, with the
// leader epoch of the broker that appended them (-1 when unknown).
type ackedBatch struct {
	partition int32
	base, n   int64
	epoch     int32
}

// ackedBatches reads the producer's acknowledged batches on topic from its
// produce_acked events; the leader epoch comes from the latest matching
// appended event before the ack. Two records at the same offset in the same
// leader epoch are the same record (KIP-101), so the epoch tells a kept
// record from one written there by a later leader.
func ackedBatches(evs []view.Event, producer, topic string) []ackedBatch {
	type where struct {
		part    int32
		base, n int64
	}
	appended := map[where]int32{}
	node := "producer-" + producer
	var out []ackedBatch
	for _, e := range evs {
		switch {
		case e.Kind == "appended" && e.Topic == topic && e.Partition != nil:
			base, _ := dataInt(e.Data, "base_offset")
			n, _ := dataInt(e.Data, "records")
			if epoch, ok := dataInt(e.Data, "leader_epoch"); ok {
				appended[where{*e.Partition, base, n}] = int32(epoch)
			}
		case e.Kind == "produce_acked" && e.Node == node && dataString(e.Data, "topic") == topic:
			part, _ := dataInt(e.Data, "partition")
			base, ok := dataInt(e.Data, "base_offset")
			n, _ := dataInt(e.Data, "records")
			if !ok || base < 0 || n < 1 {
				continue // acks=0: no offset to check
			}
			epoch, known := appended[where{int32(part), base, n}]
			if !known {
				epoch = -1
			}
			out = append(out, ackedBatch{int32(part), base, n, epoch})
		}
	}
	return out
}

// ackAudit is what became of a producer's acknowledged records.
type ackAudit struct {
	acked, kept, uncommitted, unknown int64
	lost                              map[int32][]int64 // partition → offsets
	lostAnyEpoch                      map[int32]bool    // a lost offset holds a record of another epoch
	offline                           []string          // partitions with acked records and no leader
	minEpoch                          int32             // lowest leader epoch among those partitions
}

func auditAcks(s view.Snapshot, evs []view.Event, producer, topic string) (ackAudit, string) {
	a := ackAudit{lost: map[int32][]int64{}, lostAnyEpoch: map[int32]bool{}, minEpoch: -1}
	parts, missing := topicPartitions(s, topic)
	if missing != "" {
		return a, missing
	}
	byPart := map[int32]*view.PartitionState{}
	for i := range parts {
		byPart[parts[i].Partition] = &parts[i]
	}
	index := map[int32]map[int64]*view.RecordView{}
	for _, b := range ackedBatches(evs, producer, topic) {
		a.acked += b.n
		ps := byPart[b.partition]
		if ps == nil || !hasLiveLeader(ps) {
			name := fmt.Sprintf("%s-%d", topic, b.partition)
			if !containsString(a.offline, name) {
				a.offline = append(a.offline, name)
			}
			a.unknown += b.n
			continue
		}
		if a.minEpoch < 0 || ps.LeaderEpoch < a.minEpoch {
			a.minEpoch = ps.LeaderEpoch
		}
		if len(ps.Records) == 0 && leaderLEO(ps) > ps.LogStartOffset {
			return a, say("the snapshot lists no records of %s-%d (take it with \"records\": true)", topic, ps.Partition)
		}
		idx := index[b.partition]
		if idx == nil {
			idx = map[int64]*view.RecordView{}
			for i := range ps.Records {
				idx[ps.Records[i].Offset] = &ps.Records[i]
			}
			index[b.partition] = idx
		}
		first := ps.LogStartOffset
		if len(ps.Records) > 0 && ps.Records[0].Offset > first {
			first = ps.Records[0].Offset // older records are not in the snapshot
		}
		for o := b.base; o < b.base+b.n; o++ {
			r := idx[o]
			switch {
			case o < first:
				a.unknown++ // deleted by retention, or beyond the snapshot's record cap
			case r == nil || (b.epoch >= 0 && r.LeaderEpoch != b.epoch):
				a.lost[b.partition] = append(a.lost[b.partition], o)
				if r != nil {
					a.lostAnyEpoch[b.partition] = true
				}
			case o >= ps.HWM:
				a.uncommitted++
			default:
				a.kept++
			}
		}
	}
	return a, ""
}

func leaderLEO(ps *view.PartitionState) int64 {
	for _, r := range ps.Replicas {
		if r.Broker == ps.Leader && r.State == "leader" {
			return r.LEO
		}
	}
	return -1
}

func hasLiveLeader(ps *view.PartitionState) bool {
	for _, r := range ps.Replicas {
		if r.Broker == ps.Leader && r.State == "leader" {
			return true
		}
	}
	return false
}

func (a ackAudit) lostCount() int64 {
	n := int64(0)
	for _, offs := range a.lost {
		n += int64(len(offs))
	}
	return n
}

// lostWords names the lost records: "offsets 200–1199 of ledger-0".
func (a ackAudit) lostWords(topic string) string {
	parts := make([]int, 0, len(a.lost))
	for p := range a.lost {
		parts = append(parts, int(p))
	}
	sort.Ints(parts)
	var out []string
	for _, p := range parts {
		offs := a.lost[int32(p)]
		sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
		why := say("the log ends before them or skips them")
		if a.lostAnyEpoch[int32(p)] {
			why = say("the leader's log now holds other records there")
		}
		if len(offs) > 1 {
			out = append(out, say("offsets %s of %s-%d (%s)", ranges(offs), topic, p, why))
		} else {
			out = append(out, say("offset %s of %s-%d (%s)", ranges(offs), topic, p, why))
		}
	}
	return strings.Join(out, "; ")
}

// ranges prints sorted offsets as "3, 7–9, 12".
func ranges(offs []int64) string {
	var out []string
	for i := 0; i < len(offs); {
		j := i
		for j+1 < len(offs) && offs[j+1] == offs[j]+1 {
			j++
		}
		if j == i {
			out = append(out, fmt.Sprint(offs[i]))
		} else {
			out = append(out, fmt.Sprintf("%d–%d", offs[i], offs[j]))
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}

// ackedRecordsLost: at least min acknowledged records are gone.
func ackedRecordsLost(s view.Snapshot, evs []view.Event, p *ackedParams) (bool, string) {
	a, missing := auditAcks(s, evs, p.Producer, p.Topic)
	if missing != "" {
		return false, missing
	}
	if a.acked == 0 {
		return false, say("producer %s has no records acknowledged on %s yet", p.Producer, p.Topic)
	}
	lost := a.lostCount()
	if lost >= p.Min {
		return true, say("%d of the %d records %s had acknowledged are lost: %s", lost, a.acked, p.Producer, a.lostWords(p.Topic))
	}
	detail := say("%d of the %d records %s had acknowledged are lost", lost, a.acked, p.Producer)
	if len(a.offline) > 0 {
		detail += say("; %s has no leader, so its log cannot be checked now", strings.Join(a.offline, ", "))
	}
	return false, detail
}

// ackedRecordsKept: every acknowledged record is committed in the log.
func ackedRecordsKept(s view.Snapshot, evs []view.Event, p *ackedParams) (bool, string) {
	a, missing := auditAcks(s, evs, p.Producer, p.Topic)
	if missing != "" {
		return false, missing
	}
	switch lost := a.lostCount(); {
	case a.acked < p.Min:
		return false, say("producer %s has %d of %d records acknowledged on %s", p.Producer, a.acked, p.Min, p.Topic)
	case len(a.offline) > 0:
		return false, say("%s has no leader, so its log cannot be checked now", strings.Join(a.offline, ", "))
	case lost > 0:
		return false, say("%d of the %d records %s had acknowledged are lost: %s", lost, a.acked, p.Producer, a.lostWords(p.Topic))
	case a.uncommitted > 0:
		return false, say("%d of the %d acknowledged records are in the leader's log but above its high watermark", a.uncommitted, a.acked)
	case a.minEpoch < p.MinLeaderEpoch:
		return false, say("all %d acknowledged records are there, but %s is still in leader epoch %d: no leader change yet", a.acked, p.Topic, a.minEpoch)
	}
	detail := say("all %d records %s had acknowledged on %s are in the log", a.acked, p.Producer, p.Topic)
	if a.unknown > 0 {
		detail += say(" (%d below the log start or the snapshot's records were not checked)", a.unknown)
	}
	return true, detail
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
