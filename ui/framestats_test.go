package ui

import "testing"

// The pacer learns from the time inside the engine when the worker reports
// it, not from the round trip, which holds the page's own render.
func TestAdvanceCost(t *testing.T) {
	if got := advanceCost(CallTiming{RoundTripMS: 40}); got != 40 {
		t.Errorf("without worker figures: %v, want the round trip 40", got)
	}
	if got := advanceCost(CallTiming{RoundTripMS: 40, Worker: WorkerTiming{CallMS: 6, EngineMS: 5}}); got != 5 {
		t.Errorf("with worker figures: %v, want the engine's 5", got)
	}
}

// frameStats splits a frame's round trip into the worker's share and the
// transfer, averages over its window and gives the ratio over the last
// seconds; a rewind starts the ratio again.
func TestFrameStats(t *testing.T) {
	eng := &engineClient{Last: map[string]CallTiming{
		"advance":  {RoundTripMS: 30, Worker: WorkerTiming{CallMS: 12, EngineMS: 10, WaitMS: 1, WriteMS: 2, Writes: 1}},
		"snapshot": {RoundTripMS: 4, DecodeMS: 1.5, Worker: WorkerTiming{CallMS: 3, EngineMS: 2.5, AfterPrevMS: 0.5}},
		"events":   {RoundTripMS: 1, DecodeMS: 0.25, Worker: WorkerTiming{CallMS: 1, EngineMS: 0.5}},
	}, batchMS: 35}
	s := frameStats{last: 1000} // the frame before the window
	s.due(1000)
	for i := range 10 {
		now := 1000 + float64(i+1)*50
		s.frame(now, 25_000, 40, eng, 2)
		s.sim(now, int64(i+1)*25_000, true) // 25 ms of simulated time per 50 ms: 0.5×
	}
	if s.due(1500) {
		t.Fatal("a window of 500 ms is due")
	}
	if !s.due(2000) {
		t.Fatal("a window of 1000 ms is not due")
	}
	pub := fakePub{}
	s.publish(pub, 2000, 1)
	want := map[string]float64{
		"frame_wall_ms": 50, "frame_sim_ms": 25, "frame_engine_ms": 40, "frame_advance_engine_ms": 10, "frame_advance_round_trip_ms": 30,
		"frame_snapshot_encode_ms": 2.5, "frame_snapshot_decode_ms": 1.5, "frame_events_decode_ms": 0.25,
		"frame_opfs_write_ms": 2, "frame_opfs_writes": 1, "frame_opfs_after_ms": 0.5, "frame_events": 2,
		// 35 ms round trip less 1 (queued) + 12 + 3 + 1 (calls) + 0.5 (storage between calls)
		"frame_transfer_ms": 17.5, "ratio": 0.5, "frames_per_s": 10,
	}
	for k, v := range want {
		if got, _ := pub[k].(float64); got != v {
			t.Errorf("%s = %v, want %v", k, pub[k], v)
		}
	}
	s.sim(1550, 1000, true) // a rewind
	if r := s.ratio(); r != 0 {
		t.Errorf("ratio right after a rewind = %v, want 0", r)
	}
}

// fakePub records what is published.
type fakePub map[string]any

func (p fakePub) Publish(name string, v any) { p[name] = v }
