package ui

import (
	"sync"
	"sync/atomic"
	"testing"

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
		p.note(by, 2*frameBudgetMS)
	}
	limit := p.limitUS
	if limit > 50_000 {
		t.Fatalf("limit %.0f µs after a slow burst; the test needs it low", limit)
	}
	by := p.next(100, 25, 10_000_000) // next event 10 s away
	if by != 2_500_000 || p.ratio != 1 {
		t.Fatalf("idle frame advanced %d µs (ratio %.2f), want 2500000 (100 ms × 25)", by, p.ratio)
	}
	p.note(by, 3*frameBudgetMS)
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

// browserFake is the fake platform with what the browser adds: a timer
// (After moves the fake clock on at once) and SetText. It counts the
// animation frames waited for, keeps the clock's text and checks it
// against the time the same frame publishes next (quietFrame sets the
// clock, then publishes time_us; both on the driver's goroutine).
type browserFake struct {
	*fakePlatform
	waits  atomic.Int64
	clocks atomic.Int64
	clock  atomic.Value // string
	set    string       // the clock text not yet matched with a published time
	quiet  atomic.Int64 // quiet frames checked
	wrong  atomic.Int64 // of which the clock showed another time
}

func (f *browserFake) NextFrame() float64 { f.waits.Add(1); return f.fakePlatform.NextFrame() }

func (f *browserFake) After(ms float64) <-chan struct{} {
	f.mu.Lock()
	f.now += ms
	f.mu.Unlock()
	c := make(chan struct{}, 1)
	c <- struct{}{}
	return c
}

func (f *browserFake) SetText(selector, text string) {
	if selector == clockSelector {
		f.clocks.Add(1)
		f.clock.Store(text)
		f.set = text
	}
}

func (f *browserFake) Publish(name string, v any) {
	if us, ok := v.(float64); ok && name == "time_us" && f.set != "" {
		f.quiet.Add(1)
		if f.set != fmtUS(int64(us)) {
			f.wrong.Add(1)
		}
		f.set = ""
	}
	f.fakePlatform.Publish(name, v)
}

// TestIdleLessonDrawsLess: lesson 1 left playing has an event about every
// half second of virtual time; the driver runs frames about idleFrameMS
// apart in between instead of at every animation frame, and the clock
// keeps pace with the wall clock. In the browser (a timer and SetText) it
// sleeps between frames, and a frame that changed nothing but the time
// only rewrites the clock instead of rendering the page.
func TestIdleLessonDrawsLess(t *testing.T) {
	for _, browser := range []bool{false, true} {
		fake := newFake(map[string]string{}, "lesson/topics-partitions-records")
		var p Platform = fake
		bf := &browserFake{fakePlatform: fake}
		if browser {
			p = bf
		}
		a := NewApp(p)
		env, renders := startAppOn(t, a)
		waitFor(t, env, "the lesson to open and play", func() bool { return a.Lesson != nil && a.F.Open && a.Playing })
		wall := func() float64 { fake.mu.Lock(); defer fake.mu.Unlock(); return fake.now }
		env.RLock()
		frames0, sim0 := a.Stats.Frames, a.F.NowUS
		env.RUnlock()
		wall0, waits0, renders0, clocks0 := wall(), bf.waits.Load(), renders.Load(), bf.clocks.Load()
		waitFor(t, env, "5 s of virtual time", func() bool { return a.F.NowUS >= sim0+5_000_000 })
		env.RLock()
		frames, sim := a.Stats.Frames-frames0, a.F.NowUS-sim0
		env.RUnlock()
		secs := (wall() - wall0) / 1000
		perSec := float64(frames) / secs
		rendersPerSec := float64(renders.Load()-renders0) / secs
		t.Logf("browser %v: %d frames over %.2f s of wall time (%.1f per s), %.1f renders per s; virtual time ran %.2f s",
			browser, frames, secs, perSec, rendersPerSec, float64(sim)/1e6)
		if perSec > 20 {
			t.Errorf("browser %v: %.1f frames per second while nothing happens; want about %.0f", browser, perSec, 1000/idleFrameMS)
		}
		if perSec < 5 {
			t.Errorf("browser %v: %.1f frames per second: the clock on screen stalls", browser, perSec)
		}
		if ratio := float64(sim) / 1000 / (wall() - wall0); ratio < 0.9 || ratio > 1.1 {
			t.Errorf("browser %v: virtual time ran at %.2f× the wall clock at speed 1", browser, ratio)
		}
		if !browser {
			handle(env, func() { a.Playing = false }) // the driver idles before the next app sets the locale
			continue
		}
		if waits := bf.waits.Load() - waits0; float64(waits) > 2.5*float64(frames) {
			t.Errorf("with a timer the driver waited for %d animation frames over %d frames; want about one each", waits, frames)
		}
		if rendersPerSec > 4 {
			t.Errorf("%.1f renders per second while only the clock moves; want about 1000/fullEveryMS plus one per event", rendersPerSec)
		}
		if n := bf.clocks.Load() - clocks0; float64(n) < 0.5*float64(frames) {
			t.Fatalf("the clock was set %d times over %d frames", n, frames)
		}
		// The clock shows the time of the frame that set it: each quiet
		// frame's text is checked against the time it then publishes.
		if n, bad := bf.quiet.Load(), bf.wrong.Load(); n == 0 || bad != 0 {
			t.Fatalf("of %d quiet frames, %d set a clock other than their own time (last %q)", n, bad, bf.clock.Load())
		}
		handle(env, func() { a.Playing = false })
	}
}

// startAppOn starts a (made on any platform) as startApp does and counts
// the renders asked for.
func startAppOn(t *testing.T, a *App) (vugu.EventEnv, *atomic.Int64) {
	t.Helper()
	renders := make(chan bool, 64)
	var n atomic.Int64
	env := vugu.NewEventEnvImpl(&sync.RWMutex{}, renders)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	w := &renderWatch{ch: make(chan struct{})}
	watches.Store(env, w)
	t.Cleanup(func() { watches.Delete(env) })
	go func() {
		for {
			select {
			case <-renders:
				n.Add(1)
				w.notify()
			case <-done:
				return
			}
		}
	}()
	a.Start(env)
	return env, &n
}

// renderWatch tells waiters that a render was asked for: every change the
// driver or a handler makes to what the page shows asks for one.
type renderWatch struct {
	mu sync.Mutex
	ch chan struct{} // closed at the next render
}

func (w *renderWatch) notify() {
	w.mu.Lock()
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

func (w *renderWatch) next() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ch
}

// watches maps each test app's vugu.EventEnv to its renderWatch.
var watches sync.Map
