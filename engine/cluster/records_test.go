package cluster

import "testing"

// TestSnapshotRecordsFrom pages a 3,000-record log back to its first
// offsets: the snapshot must carry offsets 0..23, not the newest records
// (a strip paged to « showed a bar with no record cells when only the
// newest were sent).
func TestSnapshotRecordsFrom(t *testing.T) {
	c, _ := runJSON(t, `{"seed": 3, "cluster": {"brokers": 1},
 "steps": [
  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 1},
  {"at": "0s", "op": "producer_start", "producer": "p", "configs": {"linger.ms": "5"}},
  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 3000, "rate": "20000/s", "value": "v{i}"},
  {"at": "2s", "op": "end"}]}`)
	offsets := func(from *int64) (first, last int64, n int) {
		p := c.Snapshot(SnapshotOptions{Records: true, MaxRecords: 24, RecordsFrom: from}).Partitions[0]
		if len(p.Records) == 0 {
			return -1, -1, 0
		}
		return p.Records[0].Offset, p.Records[len(p.Records)-1].Offset, len(p.Records)
	}
	at := func(o int64) *int64 { return &o }
	for _, tc := range []struct {
		name           string
		from           *int64
		first, last, n int64
	}{
		{"newest", nil, 2976, 2999, 24},
		{"from 0", at(0), 0, 23, 24},
		{"from the middle of a batch", at(1001), 1001, 1024, 24},
		{"past the end gives the newest", at(2990), 2976, 2999, 24},
	} {
		first, last, n := offsets(tc.from)
		if first != tc.first || last != tc.last || int64(n) != tc.n {
			t.Errorf("%s: offsets %d..%d (%d records), want %d..%d (%d)", tc.name, first, last, n, tc.first, tc.last, tc.n)
		}
	}
}
