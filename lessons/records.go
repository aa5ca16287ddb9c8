package lessons

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over the records a snapshot shows (snapshot {"records": true}).

func init() {
	registerFor[headerParams]("record_with_header", "a record of the topic carries a header (the named one, with the given value, if set); with opened, the learner opened such a record", needsRecords, recordWithHeader)
	registerFor[sameKeyParams]("same_key_same_partition", "some key (or the given key) appears at least min times (default 2) and all its records are in one partition; with opened, the learner opened a record of such a key", needsRecords, sameKeySamePartition)
	register[spreadParams]("records_spread", "records of the topic (all, keyed or keyless) lie on at least min_partitions partitions", needsRecords, recordsSpread)
	registerFor[offsetParams]("same_offset_in_partitions", "at least min_partitions partitions of the topic each hold a record at offset (default 0): offsets are per partition; with opened, the learner opened the record at that offset in min_partitions partitions", needsRecords, sameOffsetInPartitions)
}

type headerParams struct {
	openParam
	Topic  string  `json:"topic"`
	Header string  `json:"header"`
	Value  *string `json:"value"`
}

func (p *headerParams) validate() error {
	if p.Value != nil && p.Header == "" {
		return errors.New("\"value\" needs \"header\"")
	}
	return needTopic(p.Topic)
}

// recordWithHeader: a record of topic carries a header.
func recordWithHeader(s view.Snapshot, _ []view.Event, lr Learner, p *headerParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	n := 0
	w := witnesses{}
	found := ""
	for _, ps := range parts {
		for _, r := range ps.Records {
			n++
			for _, k := range sortedKeys(r.Headers) {
				if (p.Header == "" || k == p.Header) && (p.Value == nil || r.Headers[k] == *p.Value) {
					if found == "" {
						found = say("the record at offset %d of %s-%d has header %s=%s", r.Offset, ps.Topic, ps.Partition, k, r.Headers[k])
					}
					w.add(ps.Partition, r.Offset)
					break
				}
			}
		}
	}
	if found != "" {
		return p.openParam.check(p.Topic, w, 1, lr, found)
	}
	want := say("a header")
	if p.Header != "" {
		h := p.Header
		if p.Value != nil {
			h += "=" + *p.Value
		}
		want = say("header %s", h)
	}
	if n == 0 {
		return false, say("%s has no records yet%s", p.Topic, noRecordsHint(parts))
	}
	return false, say("none of the %s in %s has %s", plural(n, "record"), p.Topic, want)
}

type sameKeyParams struct {
	openParam
	Topic string `json:"topic"`
	Key   string `json:"key"`
	Min   int    `json:"min"`
}

func (p *sameKeyParams) validate() error {
	if p.Min == 0 {
		p.Min = 2
	}
	if p.Min < 2 {
		return fmt.Errorf("\"min\" must be at least 2, got %d", p.Min)
	}
	return needTopic(p.Topic)
}

// sameKeySamePartition: some key appears at least min times, all in one
// partition.
func sameKeySamePartition(s view.Snapshot, _ []view.Event, lr Learner, p *sameKeyParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	count := map[string]int{}
	where := map[string]map[int32]bool{}
	for _, ps := range parts {
		for _, r := range ps.Records {
			if r.Key == nil || (p.Key != "" && *r.Key != p.Key) {
				continue
			}
			k := *r.Key
			count[k]++
			if where[k] == nil {
				where[k] = map[int32]bool{}
			}
			where[k][ps.Partition] = true
		}
	}
	keys := sortedKeys(count)
	found := ""
	good := map[string]bool{}
	for _, k := range keys {
		if count[k] >= p.Min && len(where[k]) == 1 {
			if found == "" {
				found = say("key %s appears %s, all in partition %s", k, times(count[k]), partitionList(where[k]))
			}
			good[k] = true
		}
	}
	if found != "" {
		w := witnesses{}
		for _, ps := range parts {
			for _, r := range ps.Records {
				if r.Key != nil && good[*r.Key] {
					w.add(ps.Partition, r.Offset)
				}
			}
		}
		return p.openParam.check(p.Topic, w, 1, lr, found)
	}
	if p.Key != "" {
		if count[p.Key] == 0 {
			return false, say("0 of %d records with key %s found in %s%s", p.Min, p.Key, p.Topic, noRecordsHint(parts))
		}
		return false, say("%d of %d records with key %s found; they are in %s", min(count[p.Key], p.Min), p.Min, p.Key, partitionWords(where[p.Key]))
	}
	if len(keys) == 0 {
		return false, say("%s has no records with a key yet%s", p.Topic, noRecordsHint(parts))
	}
	best := keys[0]
	for _, k := range keys {
		if count[k] > count[best] {
			best = k
		}
	}
	if count[best] >= p.Min {
		return false, say("key %s appears %s but in %s", best, times(count[best]), partitionWords(where[best]))
	}
	return false, say("no key appears %s yet; the most frequent, %s, appears %s", times(p.Min), best, times(count[best]))
}

type spreadParams struct {
	Topic         string `json:"topic"`
	MinPartitions int    `json:"min_partitions"`
	Keys          string `json:"keys"` // any (default), keyed, keyless
}

func (p *spreadParams) validate() error {
	if err := atLeastOne("min_partitions", p.MinPartitions); err != nil {
		return err
	}
	switch p.Keys {
	case "":
		p.Keys = "any"
	case "any", "keyed", "keyless":
	default:
		return fmt.Errorf("\"keys\" must be any, keyed or keyless, got %q", p.Keys)
	}
	return needTopic(p.Topic)
}

// recordsSpread: records (all, keyed or keyless) lie on at least
// min_partitions partitions.
func recordsSpread(s view.Snapshot, _ []view.Event, p *spreadParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	on := map[int32]bool{}
	n := 0
	for _, ps := range parts {
		for _, r := range ps.Records {
			if p.Keys == "any" || (p.Keys == "keyless") == (r.Key == nil) {
				on[ps.Partition] = true
				n++
			}
		}
	}
	what := say("records")
	switch p.Keys {
	case "keyed":
		what = say("keyed records")
	case "keyless":
		what = say("keyless records")
	}
	if len(on) >= p.MinPartitions {
		return true, say("%d %s are on %s", n, what, partitionWords(on))
	}
	if n == 0 {
		return false, say("%s has no %s yet%s", p.Topic, what, noRecordsHint(parts))
	}
	return false, say("%d %s are all on %s; they need %s", n, what, partitionWords(on), plural(p.MinPartitions, "partition"))
}

type offsetParams struct {
	openParam
	Topic         string `json:"topic"`
	Offset        int64  `json:"offset"`
	MinPartitions int    `json:"min_partitions"`
}

func (p *offsetParams) validate() error {
	if p.Offset < 0 {
		return fmt.Errorf("\"offset\" must not be negative, got %d", p.Offset)
	}
	if p.MinPartitions < 2 {
		return fmt.Errorf("\"min_partitions\" must be at least 2, got %d", p.MinPartitions)
	}
	return needTopic(p.Topic)
}

// sameOffsetInPartitions: several partitions each hold a record at the same
// offset.
func sameOffsetInPartitions(s view.Snapshot, _ []view.Event, lr Learner, p *offsetParams) (bool, string) {
	parts, missing := topicPartitions(s, p.Topic)
	if missing != "" {
		return false, missing
	}
	on := map[int32]bool{}
	w := witnesses{}
	for _, ps := range parts {
		for _, r := range ps.Records {
			if r.Offset == p.Offset {
				on[ps.Partition] = true
				w.add(ps.Partition, r.Offset)
			}
		}
	}
	if len(on) >= p.MinPartitions {
		return p.openParam.check(p.Topic, w, p.MinPartitions, lr, say("offset %d exists in %s", p.Offset, partitionWords(on)))
	}
	if len(on) == 0 {
		return false, say("no partition of %s holds a record at offset %d yet%s", p.Topic, p.Offset, noRecordsHint(parts))
	}
	return false, say("offset %d exists only in %s; it needs %s", p.Offset, partitionWords(on), plural(p.MinPartitions, "partition"))
}

// topicPartitions returns the partitions of topic, or why there are none.
func topicPartitions(s view.Snapshot, topic string) ([]view.PartitionState, string) {
	var out []view.PartitionState
	for _, ps := range s.Partitions {
		if ps.Topic == topic {
			out = append(out, ps)
		}
	}
	if len(out) == 0 {
		return nil, say("topic %s does not exist yet", topic)
	}
	return out, ""
}

// noRecordsHint notes a snapshot taken without records while the log has some.
func noRecordsHint(parts []view.PartitionState) string {
	for _, ps := range parts {
		if len(ps.Records) > 0 {
			return ""
		}
	}
	for _, ps := range parts {
		if ps.HWM > ps.LogStartOffset && ps.HWM > 0 {
			return say(" (the snapshot lists no records: take it with \"records\": true)")
		}
	}
	return ""
}

func needTopic(t string) error {
	if t == "" {
		return errors.New("missing \"topic\"")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// partitionList is "0", "0 and 2" or "0, 1 and 2".
func partitionList(set map[int32]bool) string {
	ids := make([]int, 0, len(set))
	for p := range set {
		ids = append(ids, int(p))
	}
	sort.Ints(ids)
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = fmt.Sprint(id)
	}
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return say("%s and %s", strings.Join(words[:len(words)-1], ", "), words[len(words)-1])
}

// partitionWords is "partition 1" or "partitions 0 and 2".
func partitionWords(set map[int32]bool) string {
	if len(set) == 1 {
		return say("partition %s", partitionList(set))
	}
	return say("partitions %s", partitionList(set))
}

// plural is "1 record" or "3 records" in details: it says the format
// "%d record" or "%d records" (built from word, so every word passed to it
// needs both in each detail table; say_test.go checks that).
func plural(n int, word string) string {
	if n == 1 {
		return say("%d "+word, n)
	}
	return say("%d "+word+"s", n)
}

// englishPlural is plural for messages to lesson authors, always English.
func englishPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func times(n int) string {
	switch n {
	case 1:
		return say("once")
	case 2:
		return say("twice")
	}
	return say("%d times", n)
}
