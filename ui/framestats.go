package ui

// The per-frame breakdown the page publishes (globalThis.brokerlab.ui) while
// it plays: where a frame's wall time goes, each figure averaged per frame
// over the last statsWindowMS, so a regression shows where it is.
//
//	frame_wall_ms                 wall time from one frame to the next
//	frame_sim_ms                  simulated time a frame advanced (the pacer's choice)
//	frame_engine_ms               the frame's engine work as the driver waits for it (round trips + decode)
//	frame_advance_engine_ms       inside the engine's advance (bl_call in the worker)
//	frame_advance_round_trip_ms   the advance from posting it to its reply
//	frame_snapshot_encode_ms      inside the engine's snapshot call (building and encoding it)
//	frame_events_encode_ms        inside the engine's events calls
//	frame_worker_copy_ms          the worker copying requests in and replies out
//	frame_transfer_ms             the batch's round trip less the worker's share: messages between threads
//	frame_snapshot_decode_ms      decoding the snapshot in the page
//	frame_events_decode_ms        decoding the events in the page
//	frame_opfs_write_ms           the WASI shim's file writes during the calls (OPFS)
//	frame_opfs_sync_ms            its fd_sync calls
//	frame_opfs_other_ms           its reads, opens, stats…
//	frame_opfs_after_ms           the storage's work between calls (growing the OPFS pool)
//	frame_opfs_writes, frame_opfs_syncs   how many writes and syncs
//	frame_layout_ms               Go layout of a published frame
//	frame_render_ms, frame_build_ms       a Vugu build + DOM render, and its build part (per render)
//	frame_events                  events fetched per frame
//	frames_per_s, renders_per_s
//	ratio                         simulated seconds per wall second over the last ratioWindowMS
//	speed                         the speed asked

// statsWindowMS is the window the breakdown averages over.
const statsWindowMS = 1000.0

// ratioWindowMS is the window of the published ratio.
const ratioWindowMS = 3000.0

// publisher is the part of Platform the figures go out through.
type publisher interface{ Publish(name string, v any) }

// frameCost sums one window's frames.
type frameCost struct {
	wall, engine, advEngine, advRT, snapEncode, evEncode, copy, transfer float64
	snapDecode, evDecode, write, sync, other, after, layout, simMS       float64
	writes, syncs, events, layouts                                       int
}

type simSample struct {
	wallMS float64
	simUS  int64
}

// frameStats collects the breakdown on the driver goroutine.
type frameStats struct {
	start  float64 // wall time the window began (0: none yet)
	frames int
	sum    frameCost
	last   float64 // wall time of the last frame
	hist   []simSample
}

// frame adds one played frame: the simulated time it advanced, its engine
// work (the calls of eng's last batch, engineMS in all) and the events it
// fetched.
func (s *frameStats) frame(now float64, byUS int64, engineMS float64, eng *engineClient, events int) {
	s.sum.simMS += float64(byUS) / 1000
	if s.last > 0 && now-s.last < 250 {
		s.sum.wall += now - s.last
	} else {
		s.sum.wall += displayFrameMS
	}
	s.last = now
	s.frames++
	c := &s.sum
	c.engine += engineMS
	c.events += events
	var worker float64
	for i, m := range []string{"advance", "snapshot", "events"} {
		ct, ok := eng.Last[m]
		if !ok {
			continue
		}
		w := ct.Worker
		switch m {
		case "advance":
			c.advEngine += w.EngineMS
			c.advRT += ct.RoundTripMS
		case "snapshot":
			c.snapEncode += w.EngineMS
			c.snapDecode += ct.DecodeMS
		case "events":
			c.evEncode += w.EngineMS
			c.evDecode += ct.DecodeMS
		}
		c.copy += w.CopyMS
		c.write += w.WriteMS
		c.sync += w.SyncMS
		c.other += w.ReadMS + w.MetaMS
		c.after += w.AfterPrevMS
		c.writes += w.Writes
		c.syncs += w.Syncs
		worker += w.CallMS
		if i > 0 {
			worker += w.AfterPrevMS
		} else {
			worker += w.WaitMS
		}
	}
	c.transfer += max(0, eng.batchMS-worker)
}

// layout adds the Go layout of one published frame.
func (s *frameStats) layout(ms float64) {
	s.sum.layout += ms
	s.sum.layouts++
}

// sim records the simulation time reached at wall time now, for the ratio;
// a jump back (a rewind) or a pause starts the window again.
func (s *frameStats) sim(now float64, us int64, playing bool) {
	if !playing || (len(s.hist) > 0 && us < s.hist[len(s.hist)-1].simUS) {
		s.hist = s.hist[:0]
		if !playing {
			s.last = 0
			return
		}
	}
	s.hist = append(s.hist, simSample{now, us})
	drop := 0
	for drop < len(s.hist)-2 && now-s.hist[drop+1].wallMS >= ratioWindowMS {
		drop++
	}
	s.hist = append(s.hist[:0], s.hist[drop:]...)
}

// ratio is the simulated seconds per wall second over the window.
func (s *frameStats) ratio() float64 {
	if len(s.hist) < 2 {
		return 0
	}
	a, b := s.hist[0], s.hist[len(s.hist)-1]
	if b.wallMS <= a.wallMS {
		return 0
	}
	return float64(b.simUS-a.simUS) / 1000 / (b.wallMS - a.wallMS)
}

// due reports whether the window is over at now (it starts one if none).
func (s *frameStats) due(now float64) bool {
	if s.start == 0 {
		s.start = now
		return false
	}
	return now-s.start >= statsWindowMS
}

// publish puts the window's averages on the page and starts the next window.
func (s *frameStats) publish(p publisher, now, speed float64) {
	n := float64(max(s.frames, 1))
	c := s.sum
	avg := func(name string, v float64) { p.Publish(name, v/n) }
	avg("frame_wall_ms", c.wall)
	avg("frame_sim_ms", c.simMS)
	avg("frame_engine_ms", c.engine)
	avg("frame_advance_engine_ms", c.advEngine)
	avg("frame_advance_round_trip_ms", c.advRT)
	avg("frame_snapshot_encode_ms", c.snapEncode)
	avg("frame_events_encode_ms", c.evEncode)
	avg("frame_worker_copy_ms", c.copy)
	avg("frame_transfer_ms", c.transfer)
	avg("frame_snapshot_decode_ms", c.snapDecode)
	avg("frame_events_decode_ms", c.evDecode)
	avg("frame_opfs_write_ms", c.write)
	avg("frame_opfs_sync_ms", c.sync)
	avg("frame_opfs_other_ms", c.other)
	avg("frame_opfs_after_ms", c.after)
	avg("frame_opfs_writes", float64(c.writes))
	avg("frame_opfs_syncs", float64(c.syncs))
	avg("frame_events", float64(c.events))
	p.Publish("frame_layout_ms", c.layout/float64(max(c.layouts, 1)))
	p.Publish("frames_per_s", float64(s.frames)*1000/(now-s.start))
	p.Publish("ratio", s.ratio())
	p.Publish("speed", speed)
	s.start, s.frames, s.sum = now, 0, frameCost{}
}

// renderStats averages the Vugu renders over the window (render goroutine).
type renderStats struct {
	start, sum, build float64
	n                 int
}

func (r *renderStats) add(p publisher, now, ms, buildMS float64) {
	if r.start == 0 {
		r.start = now
	}
	r.n++
	r.sum += ms
	r.build += buildMS
	if now-r.start >= statsWindowMS {
		p.Publish("frame_render_ms", r.sum/float64(r.n))
		p.Publish("frame_build_ms", r.build/float64(r.n))
		p.Publish("renders_per_s", float64(r.n)*1000/(now-r.start))
		*r = renderStats{start: now}
	}
}
