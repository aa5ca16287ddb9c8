package ui

// pacer picks how much virtual time a frame advances: the wall time since
// the last frame times the speed, but no more than the engine can run in
// about frameBudgetMS. When the engine is the bottleneck the simulation runs
// slower than asked and stays smooth, instead of taking ever bigger steps.
//
// It also picks how long the driver waits between frames (frameWait): at
// every animation frame while something is about to happen, less often
// while the simulation has nothing scheduled soon.
type pacer struct {
	limitUS float64 // most virtual µs a frame may advance (0: not learnt yet)
	ratio   float64 // virtual time run / virtual time wanted, last frame
	free    bool    // the last frame's interval held no event: nothing to learn
	// msPerUS is the engine's cost of a virtual µs, a moving average over
	// the frames that ran events (0: not measured yet).
	msPerUS float64
}

// costWeight is the weight of the last frame in msPerUS: one slow frame (a
// garbage collection, the machine busy elsewhere) moves the limit a little,
// a slower engine moves it within a few frames.
const costWeight = 0.3

// frameBudgetMS is the time one frame's advance may take in the engine
// (snapshot and events come on top, at a cost that does not grow with it).
// Each frame also pays a fixed cost around the advance (the page's decode,
// layout and publish, the messages between threads: ~25 ms at 25× on a
// loaded 2-core box), during which the engine waits: with 50 ms the engine
// of the sandbox at 1,000 records/s and 25× worked 62 % of the wall time
// and played 13.0×; with 100 ms, 19.7–23.7× (make bench-speed, 2026-12-07).
// The page draws at most every renderGap anyway, so a longer frame costs
// no smoothness; a click waits for the frame in flight, at most ~0.1 s
// more, and only while the engine cannot keep up.
const frameBudgetMS = 100.0

// minRatio keeps time moving however slow the engine is: a frame runs at
// least this share of real time (the frame rate drops instead). A share of
// the time asked, as it was, grew with the speed: at 25× it asked the
// engine for 1.25× real time whatever its budget, so a slow engine took
// frames of a second and more (the page answered a click a second later)
// and ran no faster.
const minRatio = 0.05

// displayFrameMS is one animation frame of a 60 Hz display.
const displayFrameMS = 1000.0 / 60

// idleFrameMS is the longest the driver waits between frames while
// playing: the clock on screen still moves ten times a second when the
// simulation has nothing to do (an idle lesson otherwise redraws the whole
// page 60 times a second for a clock).
const idleFrameMS = 100.0

// next returns the microseconds to advance after dtMS of wall time. freeUS
// is the virtual time until the next scheduled event (-1: unknown, e.g.
// after a command). An advance that runs no event costs the engine nothing,
// so it is not cut to the learnt limit: an idle frame keeps full speed.
func (p *pacer) next(dtMS, speed float64, freeUS int64) int64 {
	if p.limitUS == 0 {
		p.limitUS = 100_000
	}
	want := max(dtMS*speed*1000, 1)
	if p.free = freeUS >= 0 && want < float64(freeUS); p.free {
		p.ratio = 1
		return int64(want)
	}
	by := max(min(want, p.limitUS), 100, min(want, dtMS*1000*minRatio))
	p.ratio = by / want
	return int64(by)
}

// note learns from a frame whose advance of byUS took ms in the engine:
// the limit is what fits frameBudgetMS at the engine's average cost of a
// virtual µs. (It was cut by a fixed share on every frame over budget and
// grown by another on frames under it: on a loaded machine one slow frame
// cut the limit for several, and 1× fell behind real time with the engine
// idle half the time.) A frame that ran no event says nothing about the
// engine's speed (a slow round trip there is the page or the machine being
// busy) and is ignored.
func (p *pacer) note(byUS int64, ms float64) {
	if p.free || byUS <= 0 {
		return
	}
	cost := max(ms, 0.01) / float64(byUS)
	if p.msPerUS == 0 {
		p.msPerUS = cost
	} else {
		p.msPerUS += costWeight * (cost - p.msPerUS)
	}
	p.limitUS = max(1000, frameBudgetMS/p.msPerUS)
}

// frameWait returns how many wall milliseconds the next frame should come
// after the last one: 0 (the next animation frame) when an event is due
// within a display frame or the next event is unknown (nextUS -1 with
// known false, e.g. after a command); otherwise until the next event would
// run at this speed, at most idleFrameMS. nextUS -1 with known true means
// nothing is scheduled at all.
func frameWait(nowUS, nextUS int64, known bool, speed float64) float64 {
	if !known || speed <= 0 {
		return 0
	}
	if nextUS < 0 {
		return idleFrameMS
	}
	untilMS := float64(nextUS-nowUS) / 1000 / speed
	if untilMS <= displayFrameMS {
		return 0
	}
	return min(untilMS, idleFrameMS)
}
