package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/names"
)

// inconsistentReplicas compares every pair of replicas of a partition at
// the offsets below both their high watermarks: committed records must be
// identical (key, value and the leader epoch that wrote them).
func inconsistentReplicas(parts []Partition) []Violation {
	var out []Violation
	for _, p := range parts {
		for i := range p.Replicas {
			for j := i + 1; j < len(p.Replicas); j++ {
				a, b := &p.Replicas[i], &p.Replicas[j]
				if len(a.Records) == 0 && len(b.Records) == 0 {
					continue
				}
				lo := max(a.LogStartOffset, b.LogStartOffset)
				hi := min(a.HWM, b.HWM, a.LEO, b.LEO)
				first, n := int64(-1), 0
				var ra, rb *Record
				for o := lo; o < hi; o++ {
					x, y := a.at(o), b.at(o)
					if x == nil && y == nil || x != nil && y != nil && *x == *y {
						continue
					}
					if n == 0 {
						first, ra, rb = o, x, y
					}
					n++
				}
				if n == 0 {
					continue
				}
				out = append(out, Violation{Kind: InconsistentOffsets, Topic: p.Topic, Partition: p.Partition, Offset: first,
					Detail: fmt.Sprintf("brokers %d and %d disagree below both high watermarks (%d and %d): at offset %d broker %d has %s, broker %d has %s; %d offsets differ",
						a.Broker, b.Broker, a.HWM, b.HWM, first, a.Broker, describeRecord(ra), b.Broker, describeRecord(rb), n)})
			}
		}
	}
	return out
}

func describeRecord(r *Record) string {
	if r == nil {
		return "no record"
	}
	return fmt.Sprintf("key %s, value %s (leader epoch %d)", r.content().keyText(), quote(r.Value), r.LeaderEpoch)
}

// inconsistentReads reports offsets at which consumers (or one consumer,
// twice) read different records, or read a record the partition's final
// log does not hold there.
func inconsistentReads(h *History) []Violation {
	type seen struct {
		consumer string
		c        content
	}
	first := map[names.TopicPartition]map[int64]seen{}
	flagged := map[names.TopicPartition]map[int64]bool{}
	var out []Violation
	flag := func(rd Read, detail string) {
		k := names.TopicPartition{Topic: rd.Topic, Partition: rd.Partition}
		if flagged[k] == nil {
			flagged[k] = map[int64]bool{}
		}
		if flagged[k][rd.Offset] {
			return
		}
		flagged[k][rd.Offset] = true
		out = append(out, Violation{Kind: InconsistentOffsets, Topic: rd.Topic, Partition: rd.Partition, Offset: rd.Offset, Detail: detail})
	}
	auths := map[names.TopicPartition]*Replica{}
	for i := range h.Partitions {
		auths[names.TopicPartition{Topic: h.Partitions[i].Topic, Partition: h.Partitions[i].Partition}] = h.Partitions[i].authority()
	}
	for _, rd := range h.Reads {
		k := names.TopicPartition{Topic: rd.Topic, Partition: rd.Partition}
		c := rd.content()
		if first[k] == nil {
			first[k] = map[int64]seen{}
		}
		if s, ok := first[k][rd.Offset]; !ok {
			first[k][rd.Offset] = seen{rd.Consumer, c}
		} else if s.c != c {
			flag(rd, fmt.Sprintf("consumer %s read key %s, value %s at offset %d, but consumer %s read key %s, value %s there",
				rd.Consumer, c.keyText(), quote(rd.Value), rd.Offset, s.consumer, s.c.keyText(), quote(s.c.value)))
			continue
		}
		auth := auths[k]
		if auth == nil || rd.Offset < auth.LogStartOffset {
			continue
		}
		if rd.Offset >= auth.LEO {
			flag(rd, fmt.Sprintf("consumer %s read key %s, value %s at offset %d, but the final log of %s ends at offset %d",
				rd.Consumer, c.keyText(), quote(rd.Value), rd.Offset, auth.describe(), auth.LEO))
			continue
		}
		if rec := auth.at(rd.Offset); rec == nil || rec.content() != c {
			flag(rd, fmt.Sprintf("consumer %s read key %s, value %s at offset %d, but the final log of %s has %s there",
				rd.Consumer, c.keyText(), quote(rd.Value), rd.Offset, auth.describe(), describeRecord(rec)))
		}
	}
	return out
}

// polls checks each consumer's offsets per partition: they must go up
// (nonmonotonic-poll) and may not jump over records that the final log
// commits (poll-skip). The first read is compared with the position the
// consumer started from (its first position_reset event), if known;
// records below the final log start offset were deleted by retention and
// do not count as skipped. Members of a consumer group are left out: when
// a partition comes back to one it resumes at the group's committed offset,
// behind or past what it read before (at-least-once by design).
func polls(h *History) []Violation {
	type ck struct {
		consumer string
		names.TopicPartition
	}
	starts := map[ck]int64{}
	member := map[string]bool{}
	for _, e := range h.Events {
		if e.Kind == "partitions_assigned" {
			member[strings.TrimPrefix(e.Node, "consumer-")] = true
		}
	}
	for _, e := range h.Events {
		if e.Kind != "position_reset" || !strings.HasPrefix(e.Node, "consumer-") {
			continue
		}
		topic, _ := e.Data["topic"].(string)
		part, ok1 := num(e.Data["partition"])
		off, ok2 := num(e.Data["offset"])
		k := ck{strings.TrimPrefix(e.Node, "consumer-"), names.TopicPartition{Topic: topic, Partition: int32(part)}}
		if _, seen := starts[k]; !seen && ok1 && ok2 && topic != "" {
			starts[k] = off
		}
	}
	auths := map[names.TopicPartition]*Replica{}
	for i := range h.Partitions {
		auths[names.TopicPartition{Topic: h.Partitions[i].Topic, Partition: h.Partitions[i].Partition}] = h.Partitions[i].authority()
	}
	last := map[ck]int64{}
	var out []Violation
	for _, rd := range h.Reads {
		if member[rd.Consumer] {
			continue
		}
		k := ck{rd.Consumer, names.TopicPartition{Topic: rd.Topic, Partition: rd.Partition}}
		prev, ok := last[k]
		if !ok {
			start, known := starts[k]
			if !known {
				start = rd.Offset
			}
			prev = start - 1
		}
		last[k] = rd.Offset
		if rd.Offset <= prev && ok {
			out = append(out, Violation{Kind: NonmonotonicPoll, Topic: rd.Topic, Partition: rd.Partition, Offset: rd.Offset,
				Detail: fmt.Sprintf("consumer %s read offset %d after offset %d", rd.Consumer, rd.Offset, prev)})
			continue
		}
		if rd.Offset <= prev+1 {
			continue
		}
		auth := auths[k.TopicPartition]
		if auth == nil {
			continue
		}
		if n, lo, hi := committedBetween(auth, prev+1, rd.Offset); n > 0 {
			what := fmt.Sprintf("went from offset %d to %d", prev, rd.Offset)
			if !ok {
				what = fmt.Sprintf("started at offset %d but first read offset %d", prev+1, rd.Offset)
			}
			out = append(out, Violation{Kind: PollSkip, Topic: rd.Topic, Partition: rd.Partition, Offset: lo,
				Detail: fmt.Sprintf("consumer %s %s, skipping %d committed records (offsets %d–%d)", rd.Consumer, what, n, lo, hi)})
		}
	}
	return out
}

// committedBetween counts the authority's committed records with offsets
// in [from, to) and at or above its log start, with the first and last.
func committedBetween(r *Replica, from, to int64) (n int, lo, hi int64) {
	from = max(from, r.LogStartOffset)
	to = min(to, r.HWM)
	i := sort.Search(len(r.Records), func(i int) bool { return r.Records[i].Offset >= from })
	for ; i < len(r.Records) && r.Records[i].Offset < to; i++ {
		if n == 0 {
			lo = r.Records[i].Offset
		}
		hi = r.Records[i].Offset
		n++
	}
	return n, lo, hi
}

// num reads a number from event data, decoded from JSON or not.
func num(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		return int64(x), true
	case interface{ Int64() (int64, error) }:
		n, err := x.Int64()
		return n, err == nil
	}
	return 0, false
}
