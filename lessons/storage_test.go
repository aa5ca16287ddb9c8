package lessons

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

func init() { moreCases = append(moreCases, storageCases) }

// logs is topic logs: partition 0 rolled three segments and lost its first
// to retention; partition 1 has one segment and no leader replica listed.
func logs() view.Snapshot {
	return view.Snapshot{Partitions: []view.PartitionState{
		{Topic: "logs", Partition: 0, Leader: 1, HWM: 40, LogStartOffset: 14, Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 40,
			Segments: []view.Segment{{BaseOffset: 14, NextOffset: 27}, {BaseOffset: 27, NextOffset: 40, Active: true}}}}},
		{Topic: "logs", Partition: 1, Leader: 2, HWM: 5, Replicas: []view.ReplicaSnapshot{{Broker: 2, State: "leader", LEO: 5,
			Segments: []view.Segment{{BaseOffset: 0, NextOffset: 5, Active: true}}}}},
		{Topic: "gone", Partition: 0, Leader: -1, Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "offline"}}},
	}}
}

// changelog is a compacted topic: partition 0 was cleaned below offset 4
// and holds k1@1, k0@3 there (then k0@4, k1@5); partition 1 was cleaned
// below 3 but still shows k0 twice there; topic fresh was never cleaned.
func changelog() view.Snapshot {
	k := func(off int64, key string) view.RecordView {
		return view.RecordView{Offset: off, Key: str(key), Value: str("v")}
	}
	cleaned := func(cp int64) []view.ReplicaSnapshot {
		return []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 6, Storage: &view.ReplicaStorage{CleanupPolicy: "compact",
			Cleaner: &view.CleanerState{Checkpoint: cp, Cleanings: 1}}}}
	}
	return view.Snapshot{Partitions: []view.PartitionState{
		{Topic: "c", Partition: 0, Leader: 1, HWM: 6, Replicas: cleaned(4), Records: []view.RecordView{k(1, "k1"), k(3, "k0"), k(4, "k0"), k(5, "k1")}},
		{Topic: "c", Partition: 1, Leader: 1, HWM: 3, Replicas: cleaned(3), Records: []view.RecordView{k(0, "k0"), k(1, "k0"), k(2, "k2")}},
		{Topic: "fresh", Partition: 0, Leader: 1, HWM: 2, Replicas: []view.ReplicaSnapshot{{Broker: 1, State: "leader", LEO: 2}},
			Records: []view.RecordView{k(0, "k0"), k(1, "k0")}},
	}}
}

var cleanedEvents = []view.Event{
	{TimeUS: 1_000_000, Kind: "log_cleaned", Topic: "c", Data: map[string]any{"tombstones_removed": float64(0)}},
	{TimeUS: 7_000_000, Kind: "log_cleaned", Topic: "c", Data: map[string]any{"tombstones_removed": float64(1)}},
}

// served: the leader of s-0 served followers zero-copy and consumers over
// TLS; the leader of plain-0 only zero-copy; quiet-0 served nothing.
func served() view.Snapshot {
	leader := func(rp *view.ReadPath) []view.ReplicaSnapshot {
		return []view.ReplicaSnapshot{{Broker: 2, State: "leader", Storage: &view.ReplicaStorage{ReadPath: rp}}}
	}
	return view.Snapshot{Partitions: []view.PartitionState{
		{Topic: "s", Leader: 2, Replicas: leader(&view.ReadPath{BytesSentZeroCopy: 16980, BytesSentCopied: 16980, CPUBusyMs: 0.0178})},
		{Topic: "plain", Leader: 2, Replicas: leader(&view.ReadPath{BytesSentZeroCopy: 33960, CPUBusyMs: 0.0017})},
		{Topic: "quiet", Leader: 2, Replicas: leader(nil)},
	}}
}

func storageCases() []eventCase {
	l, c, rp := logs(), changelog(), served()
	return []eventCase{
		{"read_path_split", `{"topic":"s"}`, rp, nil, true, "the leader of s-0 (broker 2) sent 16980 bytes zero-copy and 16980 bytes copied for TLS, using 0.0178 ms of read-path CPU (a model)"},
		{"read_path_split", `{"topic":"s","min_bytes":20000}`, rp, nil, false, "the leader of s-0 (broker 2) sent 16980 bytes zero-copy and 16980 bytes copied for TLS, using 0.0178 ms of read-path CPU (a model); the goal needs 20000 bytes each way"},
		{"read_path_split", `{"topic":"plain"}`, rp, nil, false, "the leader of plain-0 (broker 2) sent 33960 bytes zero-copy and 0 bytes copied for TLS, using 0.0017 ms of read-path CPU (a model); the goal needs 1 bytes each way"},
		{"read_path_split", `{"topic":"quiet"}`, rp, nil, false, "no leader of quiet has served a fetch yet; the goal needs 1 bytes each way"},
		{"latest_values_only", `{"topic":"c"}`, c, nil, true, "below the cleaner checkpoint 4 of c-0 each of 2 keys appears once"},
		{"latest_values_only", `{"topic":"c","partition":1}`, c, nil, false, "key k0 still appears twice below the cleaner checkpoint 3 of c-1"},
		{"latest_values_only", `{"topic":"c","partition":0,"min_keys":3}`, c, nil, false, "2 keys below the cleaner checkpoint 4 of c-0; the goal needs 3"},
		{"latest_values_only", `{"topic":"fresh"}`, c, nil, false, "the cleaner has not compacted fresh yet"},
		// Offset 0 was compacted away but the log still starts there: a gap.
		{"offset_gaps", `{"topic":"c","partition":0}`, c, nil, true, "c-0 holds 4 records between offsets 0 and 5: 2 offsets skipped"},
		{"offset_gaps", `{"topic":"c","min":3}`, c, nil, false, "c-0 holds 4 records between offsets 0 and 5: 2 offsets skipped; the goal is 3"},
		{"offset_gaps", `{"topic":"c","partition":0,"opened":true}`, c, nil, false, "c-0 holds 4 records between offsets 0 and 5: 2 offsets skipped; now open such a record in the record panel, for example the one at offset 1 of c-0"},
		{"offset_gaps", `{"topic":"fresh"}`, c, nil, false, "fresh-0 holds 2 records between offsets 0 and 1: 0 offsets skipped; the goal is 1"},
		{"offset_gaps", `{"topic":"logs"}`, l, nil, false, `no selected partition of logs holds two records yet (the snapshot lists no records: take it with "records": true)`},
		{"tombstones_removed", `{"topic":"c"}`, c, cleanedEvents, true, "2 cleanings of c removed 1 tombstone"},
		{"tombstones_removed", `{"topic":"c"}`, c, cleanedEvents[:1], false, "1 cleaning of c removed 0 of 1 tombstones"},
		{"segment_count", `{"topic":"logs"}`, l, nil, true, "the leader's log of logs-0 has 2 segments"},
		{"segment_count", `{"topic":"logs","partition":1}`, l, nil, false, "the leader's log of logs-1 has 1 segment; the goal is 2"},
		{"segment_count", `{"topic":"gone"}`, l, nil, false, "no selected partition of gone has a leader now"},
		{"log_start_offset", `{"topic":"logs"}`, l, nil, true, "the log of logs-0 starts at offset 14 (log end 40)"},
		{"log_start_offset", `{"topic":"logs","min":20}`, l, nil, false, "the log of logs-0 starts at offset 14 (log end 40); the goal is 20 or more"},
		{"log_start_offset", `{"topic":"logs","partition":1}`, l, nil, false, "the log of logs-1 starts at offset 0 (log end 5); the goal is 1 or more"},
		{"log_start_offset", `{"topic":"nope"}`, l, nil, false, "topic nope does not exist yet"},
	}
}

func TestStoragePredicates(t *testing.T) { runCases(t, storageCases()) }

func TestStoragePredicateParams(t *testing.T) {
	for _, c := range []struct{ check, params, err string }{
		{"segment_count", `{"topic":"t","min":-1}`, `"min" must be at least 1, got -1`},
		{"segment_count", `{"min":2}`, `missing "topic"`},
		{"latest_values_only", `{"topic":"t","min_keys":-1}`, `"min_keys" must be at least 1, got -1`},
		{"offset_gaps", `{"topic":"t","min":-1}`, `"min" must be at least 1, got -1`},
		{"tombstones_removed", `{}`, `missing "topic"`},
		{"read_path_split", `{"topic":"t","min_bytes":-1}`, `"min_bytes" must be at least 1, got -1`},
		{"log_start_offset", `{"topic":"t","partition":-1}`, `"partition" must not be negative, got -1`},
		{"log_start_offset", `{"topic":"t","min":-5}`, `"min" must be at least 1, got -5`},
	} {
		_, err := LookupPredicate(c.check).ParseParams(json.RawMessage(c.params))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %s: err = %v, want %q", c.check, c.params, err, c.err)
		}
	}
}

// TestStorageLessonsCoverTheCurriculum checks lessons 5–7 against their
// CURRICULUM.md rows (checkCoverage is in producer_test.go).
func TestStorageLessonsCoverTheCurriculum(t *testing.T) {
	checkCoverage(t, []lessonCoverage{
		{"segments-retention", []string{"segment_count", "log_start_offset", "event_seen"},
			[]string{"segment", "active-segment", "retention-ms", "log-start-offset", "auto-offset-reset"},
			[]string{"active segment too", "Only compaction", "1073741824", "604800000", "300000"}},
		{"compaction", []string{"latest_values_only", "offset_gaps", "tombstones_removed"},
			[]string{"compaction", "tombstone", "delete-retention-ms", "dirty-ratio"},
			[]string{"never renumbers offsets", "86400000"}},
		{"page-cache-flush", []string{"acked_records_lost", "acked_records_kept", "read_path_split"},
			[]string{"page-cache", "fsync", "zero-copy", "replication-factor"},
			[]string{"does not fsync", "replication", "9223372036854775807"}},
	})
}
