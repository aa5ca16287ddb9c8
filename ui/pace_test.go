package ui

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vugu/vugu"
)

// TestPacerSlowsToBudget: an engine that needs 1 ms per virtual ms ends up
// advancing about frameBudgetMS per frame, whatever the speed asked (above the minRatio floor).
func TestPacerSlowsToBudget(t *testing.T) {
	var p pacer
	engine := func(byUS int64) float64 { return 5 + float64(byUS)/1000 }
	for range 200 {
		by := p.next(16, 10, -1)
		p.note(by, engine(by))
	}
	by := p.next(16, 10, -1)
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
		by := p.next(16, 2, -1)
		p.note(by, 1)
	}
	if by := p.next(16, 2, -1); by != 32000 {
		t.Fatalf("advanced %d µs, want 32000 (16 ms × 2)", by)
	}
}

// TestPacerIdleIntervalIsFree: with the limit learnt low during a burst, a
// frame whose interval holds no event still advances dt × speed (the clock
// keeps its speed while nothing happens), and a slow round trip on such a
// frame (a busy page, not a slow engine) does not lower the limit.
func TestPacerIdleIntervalIsFree(t *testing.T) {
	var p pacer
	for range 50 { // a burst: every frame over budget
		by := p.next(16, 25, -1)
		p.note(by, 40)
	}
	limit := p.limitUS
	if limit > 50_000 {
		t.Fatalf("limit %.0f µs after a slow burst; the test needs it low", limit)
	}
	by := p.next(100, 25, 10_000_000) // next event 10 s away
	if by != 2_500_000 || p.ratio != 1 {
		t.Fatalf("idle frame advanced %d µs (ratio %.2f), want 2500000 (100 ms × 25)", by, p.ratio)
	}
	p.note(by, 60)
	if p.limitUS != limit {
		t.Fatalf("an idle frame moved the limit from %.0f to %.0f µs", limit, p.limitUS)
	}
	// An event inside the interval: the limit applies again.
	if by := p.next(100, 25, 1_000_000); float64(by) > max(limit, 2_500_000*minRatio) {
		t.Fatalf("a frame with an event advanced %d µs past the limit %.0f", by, limit)
	}
}

func TestFrameWait(t *testing.T) {
	for _, c := range []struct {
		name          string
		now, next     int64
		known         bool
		speed, wantMS float64
	}{
		{"unknown next event (after a command)", 0, 5_000_000, false, 1, 0},
		{"event within a display frame", 0, 10_000, true, 1, 0},
		{"event 50 ms away", 1_000_000, 1_050_000, true, 1, 50},
		{"event 50 ms away at 10×: 5 ms of wall time", 0, 50_000, true, 10, 0},
		{"event 2 s away: the clock still redraws", 0, 2_000_000, true, 1, idleFrameMS},
		{"event 2 s away at 25×: 80 ms", 0, 2_000_000, true, 25, 80},
		{"nothing scheduled", 0, -1, true, 1, idleFrameMS},
		{"overdue event", 500_000, 400_000, true, 1, 0},
	} {
		if got := frameWait(c.now, c.next, c.known, c.speed); got != c.wantMS {
			t.Errorf("%s: wait %.1f ms, want %.1f", c.name, got, c.wantMS)
		}
	}
}

// timedFake is the fake platform with a timer, as the browser has: After
// moves the fake clock on at once. It counts animation frames waited for.
type timedFake struct {
	*fakePlatform
	waits atomic.Int64
}

func (f *timedFake) NextFrame() float64 { f.waits.Add(1); return f.fakePlatform.NextFrame() }

func (f *timedFake) After(ms float64) <-chan time.Time {
	f.mu.Lock()
	f.now += ms
	f.mu.Unlock()
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}

// TestIdleLessonDrawsLess: lesson 1 left playing has an event about every
// half second of virtual time; the driver draws about idleFrameMS apart
// in between instead of at every animation frame, and the clock keeps
// pace with the wall clock. With a timer it sleeps between frames instead
// of waking at every animation frame.
func TestIdleLessonDrawsLess(t *testing.T) {
	for _, timer := range []bool{false, true} {
		fake := newFake(map[string]string{}, "lesson/topics-partitions-records")
		var p Platform = fake
		tf := &timedFake{fakePlatform: fake}
		if timer {
			p = tf
		}
		a := NewApp(p)
		env := startAppOn(t, a)
		waitFor(t, env, "the lesson to open and play", func() bool { return a.Lesson != nil && a.F.Open && a.Playing })
		wall := func() float64 { fake.mu.Lock(); defer fake.mu.Unlock(); return fake.now }
		env.RLock()
		frames0, sim0 := a.Stats.Frames, a.F.NowUS
		env.RUnlock()
		wall0, waits0 := wall(), tf.waits.Load()
		waitFor(t, env, "5 s of virtual time", func() bool { return a.F.NowUS >= sim0+5_000_000 })
		env.RLock()
		frames, sim := a.Stats.Frames-frames0, a.F.NowUS-sim0
		env.RUnlock()
		secs := (wall() - wall0) / 1000
		perSec := float64(frames) / secs
		t.Logf("timer %v: %d frames over %.2f s of wall time (%.1f per s); virtual time ran %.2f s", timer, frames, secs, perSec, float64(sim)/1e6)
		if perSec > 20 {
			t.Errorf("timer %v: %.1f frames per second while nothing happens; want about %.0f", timer, perSec, 1000/idleFrameMS)
		}
		if perSec < 5 {
			t.Errorf("timer %v: %.1f frames per second: the clock on screen stalls", timer, perSec)
		}
		if ratio := float64(sim) / 1000 / (wall() - wall0); ratio < 0.9 || ratio > 1.1 {
			t.Errorf("timer %v: virtual time ran at %.2f× the wall clock at speed 1", timer, ratio)
		}
		if waits := tf.waits.Load() - waits0; timer && float64(waits) > 2.5*float64(frames) {
			t.Errorf("with a timer the driver waited for %d animation frames over %d frames; want about one each", waits, frames)
		}
		handle(env, func() { a.Playing = false })
	}
}

// startAppOn starts a (made on any platform) as startApp does.
func startAppOn(t *testing.T, a *App) vugu.EventEnv {
	t.Helper()
	renders := make(chan bool, 64)
	env := vugu.NewEventEnvImpl(&sync.RWMutex{}, renders)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		for {
			select {
			case <-renders:
			case <-done:
				return
			}
		}
	}()
	a.Start(env)
	return env
}
