package lessons

import (
	"fmt"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over the log on disk: segments, the log start offset, and
// what compaction left behind.

func init() {
	register[segmentParams]("segment_count", "the leader's log of a partition of the topic (or the given one) has at least min segments (default 2), the active one included: segment.bytes (internal.segment.bytes where set) or segment.ms rolled it", 0, segmentCount)
	register[compactedParams]("latest_values_only", "the cleaner has compacted a partition of the topic (or the given one): below its cleaner checkpoint every key appears once, and at least min_keys keys (default 1) are there", needsRecords, latestValuesOnly)
	registerFor[gapParams]("offset_gaps", "a partition of the topic (or the given one) skips at least min offsets (default 1) between its log start offset and its last record: records removed without renumbering the rest; with opened, the learner opened a record right after a skipped offset", needsRecords, offsetGaps)
	register[tombstoneParams]("tombstones_removed", "the cleaners removed at least min tombstones (default 1) of the topic, counted from log_cleaned events", needsEvents, tombstonesRemoved)
	register[readPathParams]("read_path_split", "the leader of a partition of the topic (or the given one) served at least min_bytes (default 1) by zero-copy sendfile and at least min_bytes copied through user space (TLS), as the engine's read-path model counts them", 0, readPathSplit)
	register[logStartParams]("log_start_offset", "a partition of the topic (or the given one) has a log start offset of at least min (default 1): retention or a deletion removed its oldest records", 0, logStartOffset)
}

type segmentParams struct {
	partitionParams
	Min int `json:"min"`
}

func (p *segmentParams) validate() error {
	if p.Min == 0 {
		p.Min = 2
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return p.partitionParams.validate()
}

// leaderReplica is the partition's leader replica, or nil.
func leaderReplica(ps *view.PartitionState) *view.ReplicaSnapshot {
	for i := range ps.Replicas {
		if ps.Replicas[i].Broker == ps.Leader && ps.Replicas[i].State == "leader" {
			return &ps.Replicas[i]
		}
	}
	return nil
}

// segmentCount: some selected partition's leader log has min segments.
func segmentCount(s view.Snapshot, _ []view.Event, p *segmentParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	best, name := -1, ""
	for i := range parts {
		r := leaderReplica(&parts[i])
		if r == nil {
			continue
		}
		if n := len(r.Segments); n > best {
			best, name = n, fmt.Sprintf("%s-%d", parts[i].Topic, parts[i].Partition)
		}
	}
	if best < 0 {
		return false, say("no selected partition of %s has a leader now", p.Topic)
	}
	if best >= p.Min {
		return true, say("the leader's log of %s has %s", name, plural(best, "segment"))
	}
	return false, say("the leader's log of %s has %s; the goal is %d", name, plural(best, "segment"), p.Min)
}

type logStartParams struct {
	partitionParams
	Min int64 `json:"min"`
}

func (p *logStartParams) validate() error {
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return p.partitionParams.validate()
}

// logStartOffset: some selected partition's log start offset reached min.
func logStartOffset(s view.Snapshot, _ []view.Event, p *logStartParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	best := 0
	for i := range parts {
		if parts[i].LogStartOffset > parts[best].LogStartOffset {
			best = i
		}
	}
	ps := parts[best]
	detail := say("the log of %s-%d starts at offset %d (log end %d)", ps.Topic, ps.Partition, ps.LogStartOffset, ps.HWM)
	if r := leaderReplica(&ps); r != nil {
		detail = say("the log of %s-%d starts at offset %d (log end %d)", ps.Topic, ps.Partition, ps.LogStartOffset, r.LEO)
	}
	if ps.LogStartOffset >= p.Min {
		return true, detail
	}
	return false, say("%s; the goal is %d or more", detail, p.Min)
}

type compactedParams struct {
	partitionParams
	MinKeys int `json:"min_keys"`
}

func (p *compactedParams) validate() error {
	if p.MinKeys == 0 {
		p.MinKeys = 1
	}
	if err := atLeastOne("min_keys", p.MinKeys); err != nil {
		return err
	}
	return p.partitionParams.validate()
}

// latestValuesOnly: some selected partition was cleaned, and its cleaned
// section holds each key once.
func latestValuesOnly(s view.Snapshot, _ []view.Event, p *compactedParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	why := say("the cleaner has not compacted %s yet", p.Topic)
	for i := range parts {
		ps := &parts[i]
		r := leaderReplica(ps)
		if r == nil || r.Storage == nil || r.Storage.Cleaner == nil || r.Storage.Cleaner.Cleanings == 0 {
			continue
		}
		cp := r.Storage.Cleaner.Checkpoint
		count := map[string]int{}
		for _, rec := range ps.Records {
			if rec.Offset < cp && rec.Key != nil {
				count[*rec.Key]++
			}
		}
		name := fmt.Sprintf("%s-%d", ps.Topic, ps.Partition)
		if len(ps.Records) == 0 {
			why = say("the snapshot lists no records of %s (take it with \"records\": true)", name)
			continue
		}
		repeated := ""
		for _, k := range sortedKeys(count) {
			if count[k] > 1 && repeated == "" {
				repeated = k
			}
		}
		switch {
		case repeated != "":
			why = say("key %s still appears %s below the cleaner checkpoint %d of %s", repeated, times(count[repeated]), cp, name)
		case len(count) < p.MinKeys:
			why = say("%s below the cleaner checkpoint %d of %s; the goal needs %d", plural(len(count), "key"), cp, name, p.MinKeys)
		default:
			return true, say("below the cleaner checkpoint %d of %s each of %s appears once", cp, name, plural(len(count), "key"))
		}
	}
	return false, why
}

type gapParams struct {
	openParam
	partitionParams
	Min int64 `json:"min"`
}

func (p *gapParams) validate() error {
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return p.partitionParams.validate()
}

// offsetGaps: the offsets of a selected partition's records skip some.
func offsetGaps(s view.Snapshot, _ []view.Event, lr Learner, p *gapParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	var best int64 = -1
	bestWords := ""
	afterGap := witnesses{}
	for _, ps := range parts {
		if len(ps.Records) < 2 {
			continue
		}
		// Compaction does not move the log start offset: records removed
		// before the first one kept are skipped offsets too.
		prev := min(ps.LogStartOffset, ps.Records[0].Offset) - 1
		for _, r := range ps.Records {
			if r.Offset > prev+1 {
				afterGap.add(ps.Partition, r.Offset)
			}
			prev = r.Offset
		}
		first, last := min(ps.LogStartOffset, ps.Records[0].Offset), ps.Records[len(ps.Records)-1].Offset
		skipped := last - first + 1 - int64(len(ps.Records))
		if skipped > best {
			best = skipped
			bestWords = say("%s-%d holds %s between offsets %d and %d: %s skipped", ps.Topic, ps.Partition, plural(len(ps.Records), "record"), first, last, plural(int(skipped), "offset"))
		}
	}
	switch {
	case best < 0:
		return false, say("no selected partition of %s holds two records yet%s", p.Topic, noRecordsHint(parts))
	case best >= p.Min:
		return p.openParam.check(p.Topic, afterGap, 1, lr, bestWords)
	}
	return false, say("%s; the goal is %d", bestWords, p.Min)
}

type tombstoneParams struct {
	Topic string `json:"topic"`
	Min   int64  `json:"min"`
}

func (p *tombstoneParams) validate() error {
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return needTopic(p.Topic)
}

// tombstonesRemoved: cleanings of the topic removed tombstones.
func tombstonesRemoved(_ view.Snapshot, evs []view.Event, p *tombstoneParams) (bool, string) {
	var n, cleanings int64
	for _, e := range evs {
		if e.Kind != "log_cleaned" || e.Topic != p.Topic {
			continue
		}
		cleanings++
		d, _ := typed[evdata.LogCleaned](e)
		n += d.TombstonesRemoved
	}
	if n >= p.Min {
		return true, say("%s of %s removed %s", plural(int(cleanings), "cleaning"), p.Topic, plural(int(n), "tombstone"))
	}
	return false, say("%s of %s removed %d of %d tombstones", plural(int(cleanings), "cleaning"), p.Topic, n, p.Min)
}

type readPathParams struct {
	partitionParams
	MinBytes int64 `json:"min_bytes"`
}

func (p *readPathParams) validate() error {
	if p.MinBytes == 0 {
		p.MinBytes = 1
	}
	if err := atLeastOne("min_bytes", p.MinBytes); err != nil {
		return err
	}
	return p.partitionParams.validate()
}

// readPathSplit: a leader served bytes both ways, zero-copy and copied.
func readPathSplit(s view.Snapshot, _ []view.Event, p *readPathParams) (bool, string) {
	parts, missing := p.partitions(s)
	if missing != "" {
		return false, missing
	}
	why := say("no leader of %s has served a fetch yet", p.Topic)
	for i := range parts {
		r := leaderReplica(&parts[i])
		if r == nil || r.Storage == nil || r.Storage.ReadPath == nil {
			continue
		}
		rp := r.Storage.ReadPath
		why = say("the leader of %s-%d (broker %d) sent %d bytes zero-copy and %d bytes copied for TLS, using %s ms of read-path CPU (a model)",
			parts[i].Topic, parts[i].Partition, r.Broker, rp.BytesSentZeroCopy, rp.BytesSentCopied, fmt.Sprintf("%.3g", rp.CPUBusyMs))
		if rp.BytesSentZeroCopy >= p.MinBytes && rp.BytesSentCopied >= p.MinBytes {
			return true, why
		}
	}
	return false, say("%s; the goal needs %d bytes each way", why, p.MinBytes)
}
