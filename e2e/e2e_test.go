package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const lesson1 = "topics-partitions-records"

// TestPlayground plays lesson 1 and the sandbox by clicking, restarts the
// browser on the same profile and checks that both survived.
func TestPlayground(t *testing.T) {
	srv, wire := startServer(t)
	profile := profileDir(t)
	var errs []string

	ctx, stop := browser(t, profile, &errs)
	interactive := firstLoad(t, ctx, srv.URL, wire)
	playLesson1(t, ctx)
	frame := playSandbox(t, ctx)
	stop()

	// A new browser on the same profile: progress and the sandbox must be back.
	ctx, stop = browser(t, profile, &errs)
	defer stop()
	checkRestored(t, ctx, srv.URL)
	tearAndReload(t, ctx, srv.URL)
	checkLessonResumed(t, ctx)

	t.Logf("figures: time to interactive %.0f ms; cluster-view frame (3 brokers × 6 partitions) %s", interactive, frame)
	if len(errs) > 0 {
		t.Errorf("the page logged %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// firstLoad opens the page on an empty profile and measures what it costs.
func firstLoad(t *testing.T, ctx context.Context, url string, wire *counter) (interactiveMS float64) {
	wire.reset()
	ms := visitLessonList(t, ctx, url, "01")
	sum, lines := wire.total()
	t.Logf("first load: %s on the wire; lesson list interactive after %.0f ms", kib(sum), ms)
	for _, l := range lines {
		t.Log("   ", l)
	}
	shot(t, ctx, "01-lessons")
	return ms
}

// visitLessonList navigates to the page, waits for the lesson list and
// then for the engine (the worker loads engine.wasm in parallel, so a byte
// count taken after it covers the whole visit), and returns when the list
// became interactive, in ms since navigation. shotPrefix names the
// screenshots taken on failure.
func visitLessonList(t *testing.T, ctx context.Context, url, shotPrefix string) (interactiveMS float64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, shotPrefix+"-boot-failed", waitJS(ctx, "the lesson list", `!!document.querySelector("#open-`+lesson1+`")`, time.Minute))
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.now()`))
	if err != nil {
		t.Fatal(err)
	}
	must(t, ctx, shotPrefix+"-engine-failed", waitJS(ctx, "the engine", `document.querySelector("#engine-status").dataset.state === "ready"`, time.Minute))
	return ms
}

// playLesson1 completes lesson 1 with the produce form and the record view.
func playLesson1(t *testing.T, ctx context.Context) {
	click(t, ctx, "#open-"+lesson1)
	must(t, ctx, "02-lesson-failed", waitJS(ctx, "the lesson's partitions", `document.querySelectorAll("#cluster-svg .part").length === 3`, time.Minute))

	// Step 1: the same key twice lands in one partition.
	typeInto(t, ctx, "#produce-key", "user-1")
	click(t, ctx, "#produce-send")
	click(t, ctx, "#produce-send")
	waitGoal(t, ctx, "same-key-twice")
	click(t, ctx, "#hint")
	must(t, ctx, "", waitJS(ctx, "a hint", `!!document.querySelector(".hint")`, 5*time.Second))
	shot(t, ctx, "02-lesson-step1")

	// Step 2: many keyless records spread over partitions (sticky partitioner).
	click(t, ctx, "#next-step")
	typeInto(t, ctx, "#produce-key", "")
	typeInto(t, ctx, "#produce-value", "page-view;path=/products/item-7;session=s-42;device=mobile")
	typeInto(t, ctx, "#produce-count", "1000")
	click(t, ctx, "#produce-send")
	selectOption(t, ctx, "#speed", "10×")
	waitGoal(t, ctx, "keyless-spread")
	// Let the burst finish so the next record lands at the end of its log.
	must(t, ctx, "03-burst-failed", waitJS(ctx, "every record acknowledged", `/acked 1002 /.test(document.querySelector("#producer-p1").textContent)`, time.Minute))
	shot(t, ctx, "03-lesson-step2")

	// Step 3: a record with a header, opened.
	click(t, ctx, "#next-step")
	typeInto(t, ctx, "#produce-count", "1")
	typeInto(t, ctx, "#produce-key", "user-2")
	typeInto(t, ctx, "#produce-value", "order-paid")
	typeInto(t, ctx, "#produce-hkey", "trace-id")
	typeInto(t, ctx, "#produce-hval", "4bf92f35")
	click(t, ctx, "#produce-send")
	must(t, ctx, "04-headers-failed", waitJS(ctx, "a record with headers", `!!document.querySelector("#cluster-svg rect.rec.has-headers")`, 30*time.Second))
	click(t, ctx, "#play") // pause so the strip stays put
	settle(t, ctx)
	click(t, ctx, "#cluster-svg rect.rec.has-headers")
	must(t, ctx, "04-record-failed", waitJS(ctx, "the opened record", `(document.querySelector("#record-headers")||{}).textContent === "trace-id = 4bf92f35"`, 10*time.Second))
	waitGoal(t, ctx, "header-record") // the goal asks to open it
	shot(t, ctx, "04-lesson-record")

	// Step 4: offsets start at 0 in every partition: page back to them.
	click(t, ctx, "#next-step")
	click(t, ctx, "#log-first")
	must(t, ctx, "05-offsets-failed", waitJS(ctx, "records at offset 0", `document.querySelectorAll('#cluster-svg rect.rec[id$="-0"]').length >= 2`, 20*time.Second))
	settle(t, ctx)
	// By keyboard: focus the cluster view, the first record, Enter opens it.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#cluster-svg")), chromedp.SendKeys(chromedp.CSS("#cluster-svg"), kb.Home+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "05-keyboard-failed", waitJS(ctx, "a record opened by keyboard", `(document.querySelector("#record-offset")||{}).textContent === "0"`, 10*time.Second))
	click(t, ctx, "#close-record")
	// Open offset 0 in two partitions with the pointer.
	for _, sel := range []string{`#cluster-svg rect.rec[id^="rec-orders-0-"][id$="-0"]`, `#cluster-svg rect.rec[id^="rec-orders-1-"][id$="-0"]`} {
		click(t, ctx, sel)
		must(t, ctx, "05-offsets-failed", waitJS(ctx, "record at offset 0 opened", `(document.querySelector("#record-offset")||{}).textContent === "0"`, 10*time.Second))
	}
	waitGoal(t, ctx, "offset-zero-twice")
	shot(t, ctx, "05-lesson-offsets")
	click(t, ctx, "#log-newest")
	click(t, ctx, "#play")
	must(t, ctx, "", waitJS(ctx, "the finish button", `!!document.querySelector("#finish")`, 10*time.Second))
	shot(t, ctx, "05-lesson-done")
	click(t, ctx, "#finish")
	must(t, ctx, "05-list-failed", waitJS(ctx, "the lesson marked done", `!!document.querySelector("#lesson-card-`+lesson1+`.done")`, 10*time.Second))
}

// playSandbox builds 3 brokers × 6 partitions, runs traffic and a fault,
// and returns the render figures measured meanwhile.
func playSandbox(t *testing.T, ctx context.Context) string {
	click(t, ctx, "#nav-sandbox")
	sandboxTopic(t, ctx, "06-sandbox-failed", 6)
	typeInto(t, ctx, "#produce-key", "user-{i%9}")
	typeInto(t, ctx, "#produce-value", "v{i}")
	typeInto(t, ctx, "#produce-count", "20000")
	click(t, ctx, "#produce-send")
	click(t, ctx, "#consumer-start")
	must(t, ctx, "06-sandbox-failed", waitJS(ctx, "records on every partition", `document.querySelectorAll("#cluster-svg rect.rec").length >= 6*20`, 30*time.Second))

	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const orig = window.vuguRender; window.__js = {n: 0, ms: 0}; window.vuguRender = function () { const t = performance.now(); const r = orig.apply(this, arguments); window.__js.n++; window.__js.ms += performance.now() - t; return r; }; })()`))
	// Measure renders while the cluster runs: reset the counters first.
	r0, _ := uiNumber(ctx, "renders")
	sum0, _ := uiNumber(ctx, "render_sum_ms")
	chromedp.Do(ctx, chromedp.Sleep(4*time.Second))
	r1, _ := uiNumber(ctx, "renders")
	sum1, _ := uiNumber(ctx, "render_sum_ms")
	maxMS, _ := uiNumber(ctx, "render_max_ms")
	engineMS, _ := uiNumber(ctx, "engine_ms")
	frame := "no renders"
	if r1 > r0 {
		frame = fmt.Sprintf("build+render avg %.2f ms over %.0f renders (max %.2f ms since load); engine round trips %.1f ms/frame",
			(sum1-sum0)/(r1-r0), r1-r0, maxMS, engineMS)
	}
	click(t, ctx, "#play") // pause: time the cluster view alone
	bench, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`brokerlab.ui.benchClusterView(200)`))
	if err != nil {
		t.Fatalf("benchClusterView: %v", err)
	}
	if bench["brokers"] != 3 || bench["partitions"] != 6 {
		t.Errorf("benchClusterView ran on %v brokers × %v partitions, want 3 × 6", bench["brokers"], bench["partitions"])
	}
	frame = fmt.Sprintf("cluster view %.2f ms per frame (Go layout+markup %.2f ms) over %v frames; whole page: %s",
		bench["frame_ms"], bench["go_ms"], bench["n"], frame)
	click(t, ctx, "#play")
	t.Log("sandbox frames:", frame)
	if figs, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(Object.assign({js: window.__js, dom_nodes: document.body.querySelectorAll("*").length, svg_nodes: document.querySelectorAll("#cluster-svg *").length, log_nodes: document.querySelectorAll("#event-log *").length}, brokerlab.ui))`)); err == nil {
		t.Log("published figures:", figs)
	}
	shot(t, ctx, "06-sandbox")

	// A power loss on broker 2.
	selectOption(t, ctx, "#fault-broker", "2")
	click(t, ctx, "#fault-power")
	must(t, ctx, "07-crash-failed", waitJS(ctx, "broker 2 down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 20*time.Second))
	crashed, _ := uiNumber(ctx, "time_us")
	// Run on past the crash, so rewinding one second keeps it.
	must(t, ctx, "07-crash-failed", waitJS(ctx, "time to pass", fmt.Sprintf(`brokerlab.ui.time_us > %.0f`, crashed+1.5e6), time.Minute))
	click(t, ctx, "#play")
	shot(t, ctx, "07-sandbox-crash")

	// Rewind one second: the run is replayed from its seed.
	settle(t, ctx)
	before, _ := uiNumber(ctx, "time_us")
	click(t, ctx, "#back1")
	must(t, ctx, "07-rewind-failed", waitJS(ctx, "the rewind", fmt.Sprintf(`brokerlab.ui.time_us === %.0f`, before-1e6), 30*time.Second))
	must(t, ctx, "07-rewind-failed", waitJS(ctx, "broker 2 still down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 10*time.Second))
	return frame
}

// sandboxTopic starts a 3-broker sandbox from its form and creates topic
// orders with n partitions and replication factor 3 by typing, as a learner
// does; screen names the screenshot taken on failure.
func sandboxTopic(t *testing.T, ctx context.Context, screen string, n int) {
	t.Helper()
	must(t, ctx, screen, waitJS(ctx, "the sandbox form", `!!document.querySelector("#sandbox-start")`, time.Minute))
	selectOption(t, ctx, "#sandbox-brokers", "3")
	click(t, ctx, "#sandbox-start")
	must(t, ctx, screen, waitJS(ctx, "the sandbox cluster", `document.querySelectorAll("#cluster-svg .node.broker").length === 3`, 30*time.Second))
	typeInto(t, ctx, "#topic-name", "orders")
	typeInto(t, ctx, "#topic-partitions", fmt.Sprint(n))
	typeInto(t, ctx, "#topic-rf", "3")
	click(t, ctx, "#topic-create")
	must(t, ctx, screen, waitJS(ctx, fmt.Sprintf("%d partitions", n), fmt.Sprintf(`document.querySelectorAll("#cluster-svg .part").length === %d`, n), 30*time.Second))
}

// checkRestored reloads on the saved profile.
func checkRestored(t *testing.T, ctx context.Context, url string) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "08-reload-failed", waitJS(ctx, "lesson 1 still done", `!!document.querySelector("#lesson-card-`+lesson1+`.done")`, time.Minute))
	shot(t, ctx, "08-reload-lessons")
	click(t, ctx, "#nav-sandbox")
	must(t, ctx, "09-restore-failed", waitJS(ctx, "the sandbox restored",
		`document.querySelectorAll("#cluster-svg .part").length === 6 && document.querySelector("#cluster-svg .node.broker.down") !== null && !!document.querySelector("#note")`, time.Minute))
	must(t, ctx, "09-restore-failed", waitJS(ctx, "the disk checked against the replay",
		`document.querySelector("#note").textContent.includes("matched the replay byte for byte")`, 5*time.Second))
	shot(t, ctx, "09-reload-sandbox")
}

// checkLessonResumed opens lesson 1 again after the browser restart: it
// resumes where it was left, by replaying its commands.
func checkLessonResumed(t *testing.T, ctx context.Context) {
	click(t, ctx, "#nav-lessons")
	click(t, ctx, "#open-"+lesson1)
	must(t, ctx, "11-resume-failed", waitJS(ctx, "lesson 1 resumed",
		`(document.querySelector("#note")||{textContent:""}).textContent.startsWith("Lesson resumed") && document.querySelectorAll("#cluster-svg rect.rec").length > 0`, time.Minute))
	shot(t, ctx, "11-lesson-resumed")
}

// ---- small helpers ----

func must(t *testing.T, ctx context.Context, screen string, err error) {
	t.Helper()
	if err != nil {
		if screen != "" {
			shot(t, ctx, screen)
		}
		t.Fatal(err)
	}
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var err error
	// A frame may redraw the element between finding it and clicking it
	// (DevTools: "Could not find node with given id"); like a learner, click
	// the redrawn one.
	for range 3 {
		if err = chromedp.Do(c, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err == nil || !strings.Contains(err.Error(), "Could not find node with given id") {
			break
		}
	}
	if err != nil {
		shot(t, ctx, "click-failed")
		t.Fatalf("click %s: %v", sel, err)
	}
}

// typeInto replaces an input's text the way a learner does: select all, type.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	keys := text
	if keys == "" {
		keys = kb.Backspace
	}
	err := chromedp.Do(c,
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, sel)),
		chromedp.SendKeys(chromedp.CSS(sel), keys),
	)
	if err != nil {
		t.Fatalf("type into %s: %v", sel, err)
	}
}

// selectOption picks an option of a <select> by its text with the arrow
// keys, as a keyboard user does.
func selectOption(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	pos, err := chromedp.Run(c, chromedp.Evaluate[[]int](fmt.Sprintf(
		`(s => [s.selectedIndex, [...s.options].findIndex(o => o.text === %q)])(document.querySelector(%q))`, text, sel)))
	if err != nil || len(pos) != 2 || pos[1] < 0 {
		t.Fatalf("select %q in %s: no such option (%v)", text, sel, err)
	}
	key := kb.ArrowDown
	if pos[1] < pos[0] {
		key = kb.ArrowUp
	}
	keys := strings.Repeat(key, max(pos[1]-pos[0], pos[0]-pos[1]))
	if err := chromedp.Do(c, chromedp.Focus(chromedp.CSS(sel))); err != nil {
		t.Fatalf("select %q in %s: %v", text, sel, err)
	}
	if keys != "" {
		if err := chromedp.Do(c, chromedp.SendKeys(chromedp.CSS(sel), keys)); err != nil {
			t.Fatalf("select %q in %s: %v", text, sel, err)
		}
	}
	got, err := chromedp.Run(c, chromedp.Evaluate[string](fmt.Sprintf(`(s => s.options[s.selectedIndex].text)(document.querySelector(%q))`, sel)))
	if err != nil || got != text {
		t.Fatalf("select %q in %s: got %q (%v)", text, sel, got, err)
	}
}

// settle waits until the page stops re-rendering (the cluster view's shapes
// are re-created by each render while time runs).
func settle(t *testing.T, ctx context.Context) {
	t.Helper()
	last := -1.0
	for range 100 {
		n, err := uiNumber(ctx, "renders")
		if err != nil {
			t.Fatal(err)
		}
		if n == last {
			return
		}
		last = n
		chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond))
	}
	t.Fatal("the page keeps re-rendering while paused")
}

func waitGoal(t *testing.T, ctx context.Context, goal string) {
	t.Helper()
	must(t, ctx, "goal-"+goal+"-failed", waitJS(ctx, "goal "+goal, `(document.querySelector("#goal-`+goal+`")||{dataset:{}}).dataset.done === "true"`, 60*time.Second))
}
