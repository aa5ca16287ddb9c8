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
	capped  bool    // the last frame was cut to limitUS
	free    bool    // the last frame's interval held no event: nothing to learn
}

// frameBudgetMS is the time one frame's advance may take in the engine
// (snapshot and events come on top, at a cost that does not grow with it).
// Each frame also pays a fixed cost around the advance (the page's decode,
// layout and publish, the messages between threads: 10-25 ms on a loaded
// 2-core box), during which the engine waits: a budget of 20 ms left the
// engine idle half the time when it was the bottleneck. The page draws at
// most every renderGap anyway, so a longer frame costs no smoothness.
const frameBudgetMS = 50.0

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
		p.capped, p.ratio = false, 1
		return int64(want)
	}
	by := min(want, p.limitUS)
	p.capped = by < want
	by = max(by, 100, min(want, dtMS*1000*minRatio))
	p.ratio = by / want
	return int64(by)
}

// note adjusts the limit after a frame's advance took ms: down when over
// budget, up when a capped frame had room to spare. A frame that ran no
// event says nothing about the engine's speed (a slow round trip there is
// the page or the machine being busy) and is ignored.
func (p *pacer) note(byUS int64, ms float64) {
	if p.free {
		return
	}
	switch {
	case ms > frameBudgetMS:
		// Down to what fits the budget at this frame's cost, at once
		// (a frame ten times over budget took ten frames to come back).
		p.limitUS = max(1000, float64(byUS)*min(0.8, frameBudgetMS/ms))
	case p.capped && ms < frameBudgetMS*0.7:
		p.limitUS *= 1.25
	}
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
