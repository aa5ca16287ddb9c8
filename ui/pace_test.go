package ui

import "testing"

// TestPacerSlowsToBudget: an engine that needs 1 ms per virtual ms ends up
// advancing about frameBudgetMS per frame, whatever the speed asked (above the minRatio floor).
func TestPacerSlowsToBudget(t *testing.T) {
	var p pacer
	engine := func(byUS int64) float64 { return 5 + float64(byUS)/1000 }
	for range 200 {
		by := p.next(16, 10)
		p.note(by, engine(by))
	}
	by := p.next(16, 10)
	if ms := engine(by); ms > frameBudgetMS*1.05 || ms < frameBudgetMS*0.5 {
		t.Fatalf("after settling a frame takes %.1f ms of engine time (advancing %d µs); budget %.0f ms", ms, by, frameBudgetMS)
	}
	if p.ratio >= 1 {
		t.Fatalf("ratio %.2f: a slow engine cannot keep up with 10×", p.ratio)
	}
}

// TestPacerKeepsSpeed: a fast engine advances exactly dt × speed.
func TestPacerKeepsSpeed(t *testing.T) {
	var p pacer
	for range 50 {
		by := p.next(16, 2)
		p.note(by, 1)
	}
	if by := p.next(16, 2); by != 32000 {
		t.Fatalf("advanced %d µs, want 32000 (16 ms × 2)", by)
	}
}
