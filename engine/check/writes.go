package check

import (
	"fmt"
	"strings"

	"github.com/brokerlab/brokerlab/engine/names"
)

// content identifies a record by key and value; producer records are
// matched to log records this way (see duplicates). A null key differs
// from an empty one, as in Kafka.
type content struct {
	key, value string
	keyNull    bool
}

func (a Ack) content() content    { return content{a.Key, a.Value, a.KeyNull} }
func (r Record) content() content { return content{r.Key, r.Value, r.KeyNull} }
func (r Read) content() content   { return content{r.Key, r.Value, r.KeyNull} }

// keyText is the key for a detail line: null, or quoted.
func (c content) keyText() string {
	if c.keyNull {
		return "null"
	}
	return quote(c.key)
}

func (a Ack) name() string {
	return fmt.Sprintf("producer %s record #%d (key %s, value %s)", a.Producer, a.Seq, a.content().keyText(), quote(a.Value))
}

func (r *Replica) describe() string {
	if r.Leader {
		return fmt.Sprintf("broker %d (leader, epoch %d)", r.Broker, r.LeaderEpoch)
	}
	return fmt.Sprintf("broker %d (no online leader; highest HWM)", r.Broker)
}

// lostWrites finds acknowledged records that are not in the committed log
// (below the HWM of the partition's authority) at their offset. Records
// below the log start offset were deleted by retention and are not checked.
func lostWrites(h *History) ([]Violation, []Ack) {
	var out []Violation
	var lost []Ack
	where := map[names.TopicPartition]map[content][]int64{} // built lazily: where a content sits in the authority's log
	for _, a := range h.Acks {
		if a.Offset < 0 {
			continue // acks=0: no offset to check
		}
		v := Violation{Kind: LostWrite, Topic: a.Topic, Partition: a.Partition, Offset: a.Offset}
		fail := func(format string, args ...any) {
			v.Detail = fmt.Sprintf("%s acknowledged at offset %d: ", a.name(), a.Offset) + fmt.Sprintf(format, args...)
			out = append(out, v)
			lost = append(lost, a)
		}
		p := h.partition(a.Topic, a.Partition)
		var auth *Replica
		if p != nil {
			auth = p.authority()
		}
		if auth == nil {
			fail("no replica of the partition is online")
			continue
		}
		if a.Offset < auth.LogStartOffset {
			continue
		}
		rec := auth.at(a.Offset)
		elsewhere := func() string {
			k := names.TopicPartition{Topic: a.Topic, Partition: a.Partition}
			if where[k] == nil {
				idx := map[content][]int64{}
				for _, r := range auth.Records {
					if r.Offset < auth.HWM {
						idx[r.content()] = append(idx[r.content()], r.Offset)
					}
				}
				where[k] = idx
			}
			var offs []string
			for _, o := range where[k][a.content()] {
				if o != a.Offset {
					offs = append(offs, fmt.Sprint(o))
				}
			}
			if len(offs) == 0 {
				return ""
			}
			return "; the same key and value are committed at offset " + strings.Join(offs, ", ")
		}
		switch {
		case rec == nil && a.Offset >= auth.LEO:
			fail("the log of %s ends at offset %d%s", auth.describe(), auth.LEO, elsewhere())
		case rec == nil:
			fail("the log of %s has no record at that offset%s", auth.describe(), elsewhere())
		case rec.content() != a.content():
			fail("%s holds key %s, value %s there instead%s", auth.describe(), rec.content().keyText(), quote(rec.Value), elsewhere())
		case a.Offset >= auth.HWM:
			fail("it is in the log of %s but above its high watermark %d, so not committed", auth.describe(), auth.HWM)
		}
	}
	return out, lost
}

// duplicates finds producer records that a log holds more than once. A log
// record is matched to a producer record by key and value, so only
// contents that exactly one acknowledged record of the partition has are
// checked (give each record a unique value to check them all).
func duplicates(h *History) []Violation {
	byTP := map[names.TopicPartition]map[content]*Ack{}
	for i := range h.Acks {
		a := &h.Acks[i]
		k := names.TopicPartition{Topic: a.Topic, Partition: a.Partition}
		if byTP[k] == nil {
			byTP[k] = map[content]*Ack{}
		}
		if prev, seen := byTP[k][a.content()]; seen && prev != nil && (prev.Producer != a.Producer || prev.Seq != a.Seq) {
			byTP[k][a.content()] = nil // ambiguous: two producer records look alike
		} else if !seen {
			byTP[k][a.content()] = a
		}
	}
	var out []Violation
	for _, p := range h.Partitions {
		acks := byTP[names.TopicPartition{Topic: p.Topic, Partition: p.Partition}]
		if len(acks) == 0 {
			continue
		}
		reported := map[*Ack]bool{}
		for _, r := range p.Replicas {
			offsets := map[*Ack][]int64{}
			var order []*Ack
			for _, rec := range r.Records {
				a := acks[rec.content()]
				if a == nil {
					continue
				}
				if len(offsets[a]) == 1 {
					order = append(order, a)
				}
				offsets[a] = append(offsets[a], rec.Offset)
			}
			for _, a := range order {
				if reported[a] {
					continue
				}
				reported[a] = true
				offs := offsets[a]
				strs := make([]string, len(offs))
				for i, o := range offs {
					strs[i] = fmt.Sprint(o)
				}
				out = append(out, Violation{Kind: Duplicate, Topic: p.Topic, Partition: p.Partition, Offset: offs[1],
					Detail: fmt.Sprintf("%s is in broker %d's log %d times, at offsets %s", a.name(), r.Broker, len(offs), strings.Join(strs, ", "))})
			}
		}
	}
	return out
}
