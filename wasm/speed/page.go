package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// The sandbox load, as a learner sets it up with the forms: topic orders
// (6 partitions, RF 3), keyed records, one group consumer.
const (
	pageCount = 100_000 // the produce form's most records per send
	pageKey   = "user-{i%1000}"
	pageValue = "order-{i}-payload-abcdefghijklmnopqrstuv"
)

// pageResult is what driving the sandbox page measured.
type pageResult struct {
	Storage string   // what the page's header says the worker's storage is
	Panels  []string // the busy panels on screen while measuring
	Windows []pageWindow
	Restore timed // reload with the sandbox saved at restoreUS
	Rewind  timed // then a rewind to restoreUS - 1 s
	Minute  timed // then the time slider to 60 s: a replay of one simulated minute
}

// pageWindow is one stretch of play at one load and speed.
type pageWindow struct {
	Name       string
	Speed      float64 // asked
	SimPerWall float64 // achieved simulated seconds per wall second
	WallS      float64
	Samples    int
	Stats      map[string]stat // every number under brokerlab.ui, per sampled frame
	Err        string          // what the page showed as an error at the end, if anything
}

// stat is one published figure over a window's sampled frames.
type stat struct{ Mean, Max, First, Last float64 }

// timed is a wait for the page to show a time.
type timed struct {
	What   string
	WallMS float64
	Done   bool
	Err    string
	// The page's own figures of the replay (brokerlab.ui.replay_ms,
	// replay_engine_ms, replay_sim_ms): where the wall time went.
	ReplayMS, ReplayEngineMS, ReplaySimMS float64
}

// pageJS is the driver's helper, installed after each page load: it fills
// fields the way the forms read them (an input event, or change for a
// select), samples brokerlab.ui at every animation frame, and times a
// click until the page shows a simulated time.
const pageJS = `globalThis.__speed = {
  set(sel, v) {
    const e = document.querySelector(sel);
    if (!e) throw new Error("no " + sel + " on the page");
    e.value = v;
    e.dispatchEvent(new Event(e.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
    return true;
  },
  ui() { return (globalThis.brokerlab && brokerlab.ui) || {}; },
  playing() { const b = document.querySelector("#play"); return !!b && b.textContent.includes("❚❚"); },
  options(sel) { return [...document.querySelector(sel).options].map(o => o.value); },
  error() {
    return [...document.querySelectorAll("#error, .form-error")].filter(e => e.getClientRects().length > 0 && e.textContent.trim() !== "").map(e => e.textContent.trim()).join(" | ");
  },
  startSampling() {
    const s = this.samples = { n: 0, sum: {}, max: {}, first: {}, last: {}, on: true };
    const tick = () => {
      if (!s.on) return;
      const u = this.ui(), now = performance.now();
      s.n++;
      for (const [k, v] of Object.entries(u)) {
        if (typeof v !== "number" || !isFinite(v)) continue;
        s.sum[k] = (s.sum[k] || 0) + v;
        s.max[k] = Math.max(s.max[k] ?? -Infinity, v);
        if (!(k in s.first)) s.first[k] = v;
        s.last[k] = v;
      }
      if (s.t0 === undefined) s.t0 = now;
      s.t1 = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return true;
  },
  stopSampling() { this.samples.on = false; return this.samples; },
  async clickUntil(sel, timeUS, budgetMS) {
    const t0 = performance.now();
    document.querySelector(sel).click();
    while (performance.now() - t0 < budgetMS) {
      await new Promise(r => setTimeout(r, 5));
      if (Number(this.ui().time_us) === timeUS) return { wall_ms: performance.now() - t0, done: true };
    }
    return { wall_ms: performance.now() - t0, done: false };
  },
  async slideUntil(timeUS, budgetMS) {
    const t0 = performance.now(), slider = document.querySelector("#rewind");
    slider.value = String(timeUS / 1000);
    slider.dispatchEvent(new Event("change", { bubbles: true }));
    while (performance.now() - t0 < budgetMS) {
      await new Promise(r => setTimeout(r, 5));
      if (Number(this.ui().time_us) === timeUS) return { wall_ms: performance.now() - t0, done: true };
    }
    return { wall_ms: performance.now() - t0, done: false };
  },
};`

// pageDriver drives the sandbox page of one browser tab.
type pageDriver struct {
	ctx context.Context
	cfg config
}

// sandboxPage plays the sandbox in Chromium: 1,000 records/s at 1× and at
// the first speed ≥ 20× the page offers, then a reload and a rewind that
// replay about a minute of simulated time; then, in a fresh browser,
// 10,000 records/s at 1×.
func sandboxPage(cfg config, url string) (*pageResult, error) {
	res := &pageResult{}
	err := withSandbox(cfg, url, func(d *pageDriver) error {
		prodEnd, err := d.sandbox(1000)
		if err != nil {
			return err
		}
		if res.Panels, err = d.panels(); err != nil {
			return err
		}
		res.Storage, _ = js[string](d, `(document.querySelector("#storage-mode") || {dataset: {}}).dataset.mode || "unknown"`)
		fast, err := d.fastSpeed()
		if err != nil {
			return err
		}
		for _, sp := range []string{"1×", fast} {
			w, err := d.window("1,000 records/s at "+sp, sp, prodEnd)
			if err != nil {
				return err
			}
			res.Windows = append(res.Windows, w)
		}
		res.Restore, res.Rewind, err = d.rewind()
		if err == nil && res.Rewind.Done {
			res.Minute, err = d.slide(d.restoreUS() - 1_000_000)
		}
		return err
	})
	if err != nil {
		return res, err
	}
	err = withSandbox(cfg, url, func(d *pageDriver) error {
		prodEnd, err := d.sandbox(10000)
		if err != nil {
			return err
		}
		w, err := d.window("10,000 records/s at 1×", "1×", prodEnd)
		res.Windows = append(res.Windows, w)
		return err
	})
	return res, err
}

// withSandbox opens the sandbox page in a fresh browser and runs f on it.
func withSandbox(cfg config, url string, f func(d *pageDriver) error) error {
	ctx, stop, err := browser(cfg.chromium)
	if err != nil {
		return err
	}
	defer stop()
	d := &pageDriver{ctx: ctx, cfg: cfg}
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#sandbox")); err != nil {
		return err
	}
	if err := d.load(`!!document.querySelector("#sandbox-start, #play")`); err != nil {
		return err
	}
	return f(d)
}

// load waits for the page (after a navigation or reload) and installs pageJS.
func (d *pageDriver) load(ready string) error {
	if err := waitJS(d.ctx, "the sandbox page", ready, time.Minute); err != nil {
		return err
	}
	_, err := chromedp.Run(d.ctx, chromedp.Evaluate[bool](pageJS+"; true"))
	return err
}

// js evaluates an expression and decodes its value.
func js[T any](d *pageDriver, expr string) (T, error) {
	c, cancel := context.WithTimeout(d.ctx, time.Minute)
	defer cancel()
	return chromedp.Run(c, chromedp.Evaluate[T](expr))
}

// set fills a form field.
func (d *pageDriver) set(sel, v string) error {
	_, err := js[bool](d, fmt.Sprintf(`__speed.set(%q, %q)`, sel, v))
	return err
}

// click presses a button like a learner (the mouse) and, for a button that
// sends an action, waits until the page ran it (brokerlab.ui.actions) and
// fails if the page then shows an error.
func (d *pageDriver) click(sel string) error {
	before, err := js[float64](d, `Number(__speed.ui().actions || 0)`)
	if err != nil {
		return err
	}
	c, cancel := context.WithTimeout(d.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		return fmt.Errorf("click %s: %v", sel, err)
	}
	_ = waitJS(d.ctx, "the page to run "+sel, fmt.Sprintf(`Number(__speed.ui().actions || 0) > %v`, before), 10*time.Second)
	if msg, err := js[string](d, `__speed.error()`); err != nil || msg != "" {
		return fmt.Errorf("after %s the page shows: %s (%v)", sel, msg, err)
	}
	return nil
}

// sandbox starts a fresh 3-broker sandbox from the start form, creates
// orders, sends pageCount keyed records at rate and starts one consumer. It
// returns the simulated time at which the records run out.
func (d *pageDriver) sandbox(rate int) (prodEndUS int64, err error) {
	steps := []struct{ sel, val string }{
		{"#sandbox-brokers", "3"}, {"!#sandbox-start", ""},
		{"?" + `document.querySelectorAll("#cluster-svg .node.broker").length === 3 && !!document.querySelector("#topic-create")`, ""},
		{"#topic-name", "orders"}, {"#topic-partitions", "6"}, {"#topic-rf", "3"}, {"!#topic-create", ""},
		{"?" + `document.querySelectorAll("#cluster-svg .part").length === 6`, ""},
		{"#produce-key", pageKey}, {"#produce-value", pageValue}, {"#produce-count", strconv.Itoa(pageCount)},
		{"#produce-rate", strconv.Itoa(rate)}, {"!#produce-send", ""},
		{"#consumer-group", "g1"}, {"#consumer-reset", "earliest"}, {"#consumer-topics", "orders"}, {"!#consumer-start", ""},
	}
	if err := d.load(`!!document.querySelector("#sandbox-start")`); err != nil {
		return 0, err
	}
	var sentAt float64
	for _, s := range steps {
		switch {
		case strings.HasPrefix(s.sel, "!"):
			err = d.click(s.sel[1:])
			if s.sel == "!#produce-send" {
				sentAt, _ = js[float64](d, `Number(__speed.ui().time_us || 0)`)
			}
		case strings.HasPrefix(s.sel, "?"):
			err = waitJS(d.ctx, s.sel[1:], s.sel[1:], time.Minute)
		default:
			err = d.set(s.sel, s.val)
		}
		if err != nil {
			return 0, fmt.Errorf("setting up the sandbox at %d records/s: %v", rate, err)
		}
	}
	return int64(sentAt) + int64(pageCount)*1_000_000/int64(rate), nil
}

// panels lists the busy views on screen (the measurement wants them all).
func (d *pageDriver) panels() ([]string, error) {
	var out []string
	for _, p := range []struct{ sel, name string }{{"#cluster-svg", "cluster view"}, {"#plot", "plot"}, {"#event-log", "event log"}} {
		ok, err := js[bool](d, fmt.Sprintf(`(e => !!e && e.getClientRects().length > 0)(document.querySelector(%q))`, p.sel))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("the %s is not on screen", p.name)
		}
		out = append(out, p.name)
	}
	return out, nil
}

// fastSpeed is the page's 20× speed or, without one, the next faster.
func (d *pageDriver) fastSpeed() (string, error) {
	opts, err := js[[]string](d, `__speed.options("#speed")`)
	if err != nil {
		return "", err
	}
	best, bestX := "", 0.0
	for _, o := range opts {
		x, err := strconv.ParseFloat(strings.TrimSuffix(o, "×"), 64)
		if err == nil && x >= 20 && (best == "" || x < bestX) {
			best, bestX = o, x
		}
	}
	if best == "" {
		return "", fmt.Errorf("the speed menu offers nothing ≥ 20× (%v)", opts)
	}
	return best, nil
}

// window plays at speed for the configured wall time (or until the records
// run out at prodEndUS) and samples the published figures every frame.
func (d *pageDriver) window(name, speed string, prodEndUS int64) (pageWindow, error) {
	w := pageWindow{Name: name}
	w.Speed, _ = strconv.ParseFloat(strings.TrimSuffix(speed, "×"), 64)
	if err := d.set("#speed", speed); err != nil {
		return w, err
	}
	if playing, err := js[bool](d, `__speed.playing()`); err != nil {
		return w, err
	} else if !playing {
		if err := d.click("#play"); err != nil {
			return w, err
		}
	}
	chromedp.Do(d.ctx, chromedp.Sleep(500*time.Millisecond)) // let the pacer see the new speed
	if _, err := js[bool](d, `__speed.startSampling()`); err != nil {
		return w, err
	}
	start := time.Now()
	for time.Since(start) < d.cfg.window {
		chromedp.Do(d.ctx, chromedp.Sleep(200*time.Millisecond))
		if now, err := js[float64](d, `Number(__speed.ui().time_us || 0)`); err == nil && int64(now) >= prodEndUS {
			break
		}
	}
	var s struct {
		N                     int
		Sum, Max, First, Last map[string]float64
		T0, T1                float64
	}
	raw, err := js[json.RawMessage](d, `__speed.stopSampling()`)
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	if err != nil {
		return w, err
	}
	w.Samples, w.WallS, w.Stats = s.N, (s.T1-s.T0)/1e3, map[string]stat{}
	for k, sum := range s.Sum {
		w.Stats[k] = stat{Mean: sum / float64(s.N), Max: s.Max[k], First: s.First[k], Last: s.Last[k]}
	}
	if t, ok := w.Stats["time_us"]; ok && w.WallS > 0 {
		w.SimPerWall = (t.Last - t.First) / 1e6 / w.WallS
	}
	w.Err, _ = js[string](d, `__speed.error()`)
	d.cfg.progress("  %s: %.3f sim-s per wall-s over %.1f s (%d frames sampled)", name, w.SimPerWall, w.WallS, w.Samples)
	return w, nil
}

// restoreUS is where the saved sandbox is put back: a minute of simulated
// time (ten seconds in quick mode) plus one second, so that the rewind
// by one second replays a minute from the seed.
func (d *pageDriver) restoreUS() int64 {
	if d.cfg.quick {
		return 11_000_000
	}
	return 61_000_000
}

// rewind saves the running sandbox as if it had reached restoreUS (the
// page keeps its run in localStorage: scenario, journal, time; only the
// time is changed), reloads, times the replay the page does to come back,
// then presses "back 1 s" and times that replay; each wait is capped at
// twice the run budget. The page publishes no way
// to jump ahead, and playing a minute at today's speed takes many minutes.
//
// The page replays to the later of the saved time and the time its files
// on OPFS reflect (their clock record): when the windows before already
// played past restoreUS, the reload comes back there, so the reload waits
// for any time from restoreUS on and the rewind goes one second back from
// the time shown.
func (d *pageDriver) rewind() (restore, rewind timed, err error) {
	target, budget := d.restoreUS(), 2*d.cfg.budget
	restore = timed{What: fmt.Sprintf("reload at %s (replays %s from the seed)", fmtSim(target), fmtSim(target))}
	rewind = timed{What: fmt.Sprintf("rewind to %s (replays %s from the seed)", fmtSim(target-1_000_000), fmtSim(target-1_000_000))}
	if playing, err := js[bool](d, `__speed.playing()`); err != nil {
		return restore, rewind, err
	} else if playing {
		if err := d.click("#play"); err != nil { // pausing saves the run
			return restore, rewind, err
		}
	}
	chromedp.Do(d.ctx, chromedp.Sleep(time.Second))
	ok, err := js[bool](d, fmt.Sprintf(`(() => {
  const sv = JSON.parse(localStorage.getItem("brokerlab.sandbox") || "null");
  if (!sv || !sv.journal || sv.journal.length < 3) return false;
  sv.time_us = %d;
  delete sv.redo; delete sv.redo_end_us;
  localStorage.setItem("brokerlab.sandbox", JSON.stringify(sv));
  return true;
})()`, target))
	if err != nil || !ok {
		return restore, rewind, fmt.Errorf("the saved sandbox (localStorage brokerlab.sandbox) is not there or has no journal (%v)", err)
	}
	start := time.Now()
	if err := chromedp.Do(d.ctx, chromedp.Reload()); err != nil {
		return restore, rewind, err
	}
	shown := fmt.Sprintf(`!!globalThis.brokerlab && !!brokerlab.ui && brokerlab.ui.time_us >= %d`, target)
	if err := waitJS(d.ctx, "the restored sandbox", shown, budget); err != nil {
		restore.WallMS = float64(time.Since(start).Milliseconds())
		restore.Err = fmt.Sprintf("did not show %s within %s", fmtSim(target), budget)
		rewind.Err = "not measured (the reload did not finish)"
		return restore, rewind, nil
	}
	restore.WallMS, restore.Done = float64(time.Since(start).Milliseconds()), true
	if err := d.load(shown); err != nil {
		return restore, rewind, err
	}
	_ = waitJS(d.ctx, "the restore to finish", `!document.querySelector(".bl-busy")`, budget)
	if shownUS, err := js[float64](d, `Number(__speed.ui().time_us)`); err == nil && int64(shownUS) != target {
		target = int64(shownUS)
		restore.What = fmt.Sprintf("reload at %s (the files on OPFS were at %s: replays %s from the seed)", fmtSim(d.restoreUS()), fmtSim(target), fmtSim(target))
		rewind.What = fmt.Sprintf("rewind to %s (replays %s from the seed)", fmtSim(target-1_000_000), fmtSim(target-1_000_000))
	}
	d.replayFigures(&restore)
	c, cancel := context.WithTimeout(d.ctx, budget+time.Minute)
	defer cancel()
	r, err := chromedp.Run(c, chromedp.Evaluate[struct {
		WallMS float64 `json:"wall_ms"`
		Done   bool    `json:"done"`
	}](fmt.Sprintf(`__speed.clickUntil("#back1", %d, %d)`, target-1_000_000, budget.Milliseconds()), chromedp.EvalAwaitPromise))
	if err != nil {
		return restore, rewind, err
	}
	rewind.WallMS, rewind.Done = r.WallMS, r.Done
	if !r.Done {
		rewind.Err = fmt.Sprintf("did not show %s within %s", fmtSim(target-1_000_000), budget)
	} else {
		_ = waitJS(d.ctx, "the rewind to finish", `!document.querySelector(".bl-busy")`, budget)
		d.replayFigures(&rewind)
	}
	return restore, rewind, nil
}

// slide moves the time slider to toUS (the rewind's first second of the
// minute: restoreUS - 1 s, i.e. one simulated minute) and times the replay
// from the seed until the page shows it. The rewind before replayed more than
// that when the run had played past restoreUS (see rewind); this one is the
// issue's figure: a rewind that replays 60 simulated seconds.
func (d *pageDriver) slide(toUS int64) (timed, error) {
	t := timed{What: fmt.Sprintf("time slider to %s (replays %s from the seed)", fmtSim(toUS), fmtSim(toUS))}
	budget := 2 * d.cfg.budget
	c, cancel := context.WithTimeout(d.ctx, budget+time.Minute)
	defer cancel()
	r, err := chromedp.Run(c, chromedp.Evaluate[struct {
		WallMS float64 `json:"wall_ms"`
		Done   bool    `json:"done"`
	}](fmt.Sprintf(`__speed.slideUntil(%d, %d)`, toUS, budget.Milliseconds()), chromedp.EvalAwaitPromise))
	if err != nil {
		return t, err
	}
	t.WallMS, t.Done = r.WallMS, r.Done
	if !r.Done {
		t.Err = fmt.Sprintf("did not show %s within %s", fmtSim(toUS), budget)
		return t, nil
	}
	_ = waitJS(d.ctx, "the rewind to finish", `!document.querySelector(".bl-busy")`, budget)
	d.replayFigures(&t)
	return t, nil
}

// replayFigures reads what the page says its last replay cost.
func (d *pageDriver) replayFigures(t *timed) {
	f, err := js[[]float64](d, `["replay_ms", "replay_engine_ms", "replay_sim_ms"].map(k => Number(__speed.ui()[k] || 0))`)
	if err == nil && len(f) == 3 {
		t.ReplayMS, t.ReplayEngineMS, t.ReplaySimMS = f[0], f[1], f[2]
	}
}
