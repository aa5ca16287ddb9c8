package ui

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestSameView: the time and producer metrics (not drawn; some move with
// the clock) do not count as a change; anything else does.
func TestSameView(t *testing.T) {
	mk := func(timeUS int64, age, acked float64, hwm int64) view.Snapshot {
		return view.Snapshot{
			TimeUS: timeUS, Time: fmtUS(timeUS),
			Producers:  []view.ProducerSnapshot{{Name: "p1", Acked: int64(acked), Metrics: map[string]float64{"metadata-age": age, "record-send-rate": acked / float64(timeUS)}}},
			Partitions: []view.PartitionState{{Topic: "orders", HWM: hwm}},
		}
	}
	base := mk(1_000_000, 0.5, 3, 7)
	for _, c := range []struct {
		name string
		snap view.Snapshot
		same bool
	}{
		{"a later time and metadata age", mk(1_100_000, 0.6, 3, 7), true},
		{"a record acknowledged", mk(1_100_000, 0.6, 4, 7), false},
		{"the high watermark moved", mk(1_000_000, 0.5, 3, 8), false},
		{"a producer more", func() view.Snapshot {
			s := mk(1_000_000, 0.5, 3, 7)
			s.Producers = append(s.Producers, view.ProducerSnapshot{Name: "p2"})
			return s
		}(), false},
	} {
		if got := sameView(base, c.snap); got != c.same {
			t.Errorf("%s: sameView %v, want %v", c.name, got, c.same)
		}
	}
}
