package check

import (
	"fmt"
	"sort"
)

// Share groups (KIP-932) promise at-least-once delivery with a bound:
// every record the share-partition start offset (SPSO) has passed was
// delivered to a member at least once or archived (rejected, or at the
// delivery limit), and no record is delivered more often than
// group.share.delivery.count.limit.

// ShareRead is a record a share consumer's poll returned.
type ShareRead struct {
	Consumer      string `json:"consumer"`
	Group         string `json:"group"`
	Topic         string `json:"topic"`
	Partition     int32  `json:"partition"`
	Offset        int64  `json:"offset"`
	DeliveryCount int    `json:"delivery_count"`
}

// The share-group kinds of violation.
const (
	// ShareSkip: a record below a share-partition's final SPSO that no
	// member of the group got and that was not archived.
	ShareSkip Kind = "share-skip"
	// ShareOverDelivered: a record delivered more often than
	// group.share.delivery.count.limit.
	ShareOverDelivered Kind = "share-over-delivered"
)

// shareEventKinds are the events checkShares reads (History.Events): where
// each share-partition started and what was archived. The frequent ones
// (acquired, acknowledged) are left out: the final SPSO comes from the
// brokers (History.ShareSPSOs).
var shareEventKinds = []string{"share_partition_initialized", "share_records_archived"}

// ShareSPSO is a share-partition's final start offset: the highest any
// broker holds, as leader or share coordinator.
type ShareSPSO struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	SPSO      int64  `json:"spso"`
}

type shareKey struct {
	group, topic string
	partition    int32
}

// checkShares runs the share-group checks on h.
func checkShares(h *History) []Violation {
	var out []Violation
	if h.ShareDeliveryLimit > 0 {
		for _, r := range h.ShareReads {
			if r.DeliveryCount > h.ShareDeliveryLimit {
				out = append(out, Violation{Kind: ShareOverDelivered, Topic: r.Topic, Partition: r.Partition, Offset: r.Offset,
					Detail: fmt.Sprintf("share group %s delivered it to %s a %dth time; group.share.delivery.count.limit is %d", r.Group, r.Consumer, r.DeliveryCount, h.ShareDeliveryLimit)})
			}
		}
	}
	start, final := map[shareKey]int64{}, map[shareKey]int64{}
	done := map[shareKey]map[int64]bool{}
	mark := func(k shareKey, off int64) {
		if done[k] == nil {
			done[k] = map[int64]bool{}
		}
		done[k][off] = true
	}
	for _, e := range h.Events {
		if e.Partition == nil {
			continue
		}
		g, _ := e.Data["group"].(string)
		k := shareKey{g, e.Topic, *e.Partition}
		switch e.Kind {
		case "share_partition_initialized":
			if from, _ := e.Data["from"].(string); from != "the persisted state" {
				if _, ok := start[k]; !ok {
					start[k] = asInt(e.Data["spso"])
				}
			}
		case "share_records_archived":
			for _, off := range asInts(e.Data["offsets"]) {
				mark(k, off)
			}
		}
	}
	for _, s := range h.ShareSPSOs {
		if k := (shareKey{s.Group, s.Topic, s.Partition}); s.SPSO > final[k] {
			final[k] = s.SPSO
		}
	}
	for _, r := range h.ShareReads {
		mark(shareKey{r.Group, r.Topic, r.Partition}, r.Offset)
	}
	keys := make([]shareKey, 0, len(start))
	for k := range start {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.group != b.group {
			return a.group < b.group
		}
		if a.topic != b.topic {
			return a.topic < b.topic
		}
		return a.partition < b.partition
	})
	for _, k := range keys {
		p := h.partition(k.topic, k.partition)
		if p == nil {
			continue
		}
		auth := p.authority()
		if auth == nil {
			continue
		}
		for off := max(start[k], auth.LogStartOffset); off < final[k]; off++ {
			if auth.at(off) == nil || done[k][off] {
				continue // no record there (a control record, compacted), or done
			}
			out = append(out, Violation{Kind: ShareSkip, Topic: k.topic, Partition: k.partition, Offset: off,
				Detail: fmt.Sprintf("share group %s's SPSO moved to %d past this record, but no member got it and it was not archived", k.group, final[k])})
		}
	}
	return out
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	}
	return 0
}

func asInts(v any) []int64 {
	switch x := v.(type) {
	case []any:
		out := make([]int64, len(x))
		for i, y := range x {
			out[i] = asInt(y)
		}
		return out
	case []int64:
		return x
	}
	return nil
}
