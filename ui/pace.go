package ui

// pacer picks how much virtual time a frame advances: the wall time since
// the last frame times the speed, but no more than the engine can run in
// about frameBudgetMS. When the engine is the bottleneck the simulation runs
// slower than asked and stays smooth, instead of taking ever bigger steps.
type pacer struct {
	limitUS float64 // most virtual µs a frame may advance (0: not learnt yet)
	ratio   float64 // virtual time run / virtual time wanted, last frame
	capped  bool    // the last frame was cut to limitUS
}

// frameBudgetMS is the time one frame's advance may take in the engine
// (snapshot and events come on top, at a cost that does not grow with it).
const frameBudgetMS = 20.0

// minRatio keeps time moving however slow the engine is: a frame runs at
// least this share of the time asked (the frame rate drops instead).
const minRatio = 0.05

// next returns the microseconds to advance after dtMS of wall time.
func (p *pacer) next(dtMS, speed float64) int64 {
	if p.limitUS == 0 {
		p.limitUS = 100_000
	}
	want := max(dtMS*speed*1000, 1)
	by := min(want, p.limitUS)
	p.capped = by < want
	by = max(by, 100, want*minRatio)
	p.ratio = by / want
	return int64(by)
}

// note adjusts the limit after a frame's advance took ms: down when over
// budget, up when a capped frame had room to spare.
func (p *pacer) note(byUS int64, ms float64) {
	switch {
	case ms > frameBudgetMS:
		p.limitUS = max(1000, float64(byUS)*0.8)
	case p.capped && ms < frameBudgetMS*0.7:
		p.limitUS *= 1.25
	}
}
