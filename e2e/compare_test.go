package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCompare makes a sandbox run by clicking — records on three
// partitions with replication factor 1, a power loss on broker 2, its
// restart — rewinds to before the power loss and crashes the broker's
// process there instead (a branch: the old future is kept), redoes the old
// future by switching to it and running on, then opens Compare: both runs
// replay to the fork, one play button moves both, and the outcome diff
// says the power loss lost acknowledged records and the process crash
// lost none (Kafka relies on replication, not fsync).
func TestCompare(t *testing.T) {
	srv, _ := startServer(t)
	var errs []string
	ctx, stop := browser(t, profileDir(t), &errs)
	defer stop()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/#sandbox")); err != nil {
		t.Fatal(err)
	}
	const screen = "compare-failed"
	must(t, ctx, screen, waitJS(ctx, "the sandbox form", `!!document.querySelector("#sandbox-start")`, time.Minute))
	selectOption(t, ctx, "#sandbox-brokers", "3")
	click(t, ctx, "#sandbox-start")
	must(t, ctx, screen, waitJS(ctx, "the sandbox cluster", `document.querySelectorAll("#cluster-svg .node.broker").length === 3`, 30*time.Second))
	typeInto(t, ctx, "#topic-name", "orders")
	typeInto(t, ctx, "#topic-partitions", "3")
	typeInto(t, ctx, "#topic-rf", "1")
	click(t, ctx, "#topic-create")
	must(t, ctx, screen, waitJS(ctx, "3 partitions", `document.querySelectorAll("#cluster-svg .part").length === 3`, 30*time.Second))
	typeInto(t, ctx, "#produce-key", "user-{i%5}")
	typeInto(t, ctx, "#produce-count", "300")
	typeInto(t, ctx, "#produce-rate", "60")
	click(t, ctx, "#produce-send")
	must(t, ctx, screen, waitJS(ctx, "records", `document.querySelectorAll("#cluster-svg rect.rec").length >= 30 && brokerlab.ui.time_us > 2e6`, 30*time.Second))

	// Run A: a power loss on broker 3 (it leads orders-1, which has
	// records), given while paused, then its restart.
	selectOption(t, ctx, "#fault-broker", "3")
	fault := func(button string, down bool) float64 {
		t.Helper()
		click(t, ctx, button)
		must(t, ctx, screen, waitJS(ctx, button, fmt.Sprintf(`(document.querySelector("#cluster-svg .node.broker.down") !== null) === %v`, down), 20*time.Second))
		at, _ := uiNumber(ctx, "time_us")
		return at
	}
	runFor := func(us float64) {
		t.Helper()
		from, _ := uiNumber(ctx, "time_us")
		must(t, ctx, screen, waitJS(ctx, "time to pass", fmt.Sprintf(`brokerlab.ui.time_us > %.0f`, from+us), time.Minute))
	}
	click(t, ctx, "#play") // pause
	settle(t, ctx)
	powerAt := uiNumberT(t, ctx, "time_us")
	fault("#fault-power", true)
	click(t, ctx, "#play")
	runFor(1e6)
	fault("#fault-restart", false)
	runFor(1.5e6)
	click(t, ctx, "#play") // pause
	settle(t, ctx)
	endA, _ := uiNumber(ctx, "time_us")

	// Rewind to before the power loss (the slider, as a drag ends) and act
	// there: a process crash instead. The old future becomes a branch.
	forkMS := (int64(powerAt/1000) - 300) / 10 * 10 // the slider's step is 10 ms
	slide := func(ms int64) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(el => { el.value = "%d"; el.dispatchEvent(new Event("change", {bubbles: true})); })(document.querySelector("#rewind"))`, ms))); err != nil {
			t.Fatal(err)
		}
	}
	slide(forkMS)
	must(t, ctx, screen, waitJS(ctx, "the rewind", fmt.Sprintf(`brokerlab.ui.time_us === %d && !!document.querySelector("#redo-info")`, forkMS*1000), 30*time.Second))
	click(t, ctx, "#play")
	fault("#fault-crash", true)
	runFor(1e6)
	fault("#fault-restart", false)
	runFor(1.5e6)
	click(t, ctx, "#play")
	settle(t, ctx)
	must(t, ctx, screen, waitJS(ctx, "the branch", `!!document.querySelector("#branch-0") && !!document.querySelector("#compare-0")`, 10*time.Second))

	// Redo the old future: switch to it and run it to its end.
	click(t, ctx, "#branch-0")
	must(t, ctx, screen, waitJS(ctx, "the switch", `(document.querySelector("#run-note")||{textContent:""}).textContent.includes("Switched branch")`, 30*time.Second))
	slide(int64(endA / 1000))
	must(t, ctx, screen, waitJS(ctx, "the redo", fmt.Sprintf(`brokerlab.ui.time_us >= %.0f`, endA-10_000), 30*time.Second))
	settle(t, ctx)

	// Compare the run (power loss) with the branch (process crash).
	click(t, ctx, "#compare-0")
	must(t, ctx, screen, waitJS(ctx, "compare", fmt.Sprintf(`!!document.querySelector("#compare-summary") && brokerlab.ui.time_us < %.0f && brokerlab.ui.compare_b_time_us === brokerlab.ui.time_us`, powerAt), 30*time.Second))
	if n := uiString(t, ctx, `String(document.querySelectorAll("#compare-a .node.broker").length + "," + document.querySelectorAll("#compare-b .node.broker").length)`); n != "3,3" {
		t.Errorf("brokers in the two views: %s, want 3,3", n)
	}
	// One clock: play moves both.
	click(t, ctx, "#play")
	must(t, ctx, screen, waitJS(ctx, "both runs past the crash", fmt.Sprintf(`brokerlab.ui.compare_b_time_us > %.0f && document.querySelectorAll("#compare-a .node.broker.down").length === 1 && document.querySelectorAll("#compare-b .node.broker.down").length === 1`, powerAt), time.Minute))
	must(t, ctx, screen, waitJS(ctx, "both runs to the end", fmt.Sprintf(`brokerlab.ui.time_us > %.0f`, endA), time.Minute))
	t.Logf("while comparing: engine round trips %.1f ms per frame (both engines), last render %.1f ms",
		uiNumberT(t, ctx, "engine_ms"), uiNumberT(t, ctx, "render_ms"))
	click(t, ctx, "#play")
	settle(t, ctx)
	a, b := uiNumberT(t, ctx, "time_us"), uiNumberT(t, ctx, "compare_b_time_us")
	if a != b {
		t.Errorf("after play: run A at %.0f µs, branch B at %.0f µs", a, b)
	}
	summary := uiString(t, ctx, `document.querySelector("#compare-summary").textContent`)
	lostA := uiString(t, ctx, `document.querySelector("#compare-row-lost td.a").textContent`)
	lostB := uiString(t, ctx, `document.querySelector("#compare-row-lost td.b").textContent`)
	t.Logf("compare: %s (lost %s vs %s); engines' memory %.1f MB and %.1f MB", summary, lostA, lostB,
		uiNumberT(t, ctx, "compare_memory_a")/(1<<20), uiNumberT(t, ctx, "compare_memory_b")/(1<<20))
	if n, err := strconv.Atoi(lostA); err != nil || n == 0 || lostB != "0" {
		t.Errorf("lost records: %q under the power loss, %q under the process crash; want some and 0", lostA, lostB)
	}
	if !strings.Contains(summary, "Acknowledged records lost") {
		t.Errorf("the summary %q does not name the lost records", summary)
	}
	if m := uiNumberT(t, ctx, "compare_memory_b"); m < 1<<20 {
		t.Errorf("the second engine's memory: %.0f bytes", m)
	}
	shot(t, ctx, "compare")
	audit(t, ctx, axeSource(t), "compare")
	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#compare").scrollIntoView(true)`))
	captureSizes(t, ctx, "compare")
	// The phone stacks the two views: the whole page at 390 px.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateScale(1))); err != nil {
		t.Fatal(err)
	}
	if w := uiString(t, ctx, `String(document.querySelector("#compare-b").getBoundingClientRect().top > document.querySelector("#compare-a").getBoundingClientRect().bottom)`); w != "true" {
		t.Error("at 390 px the two cluster views are not stacked")
	}
	shot(t, ctx, "compare-390-page")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "#compare-close")
	must(t, ctx, screen, waitJS(ctx, "compare closed", `!document.querySelector("#compare") && !!document.querySelector("#cluster-svg") && !!document.querySelector("#what-if")`, 10*time.Second))
	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	captureSizes(t, ctx, "compare-closed")
	noPageErrors(t, &errs)
}

func uiNumberT(t *testing.T, ctx context.Context, name string) float64 {
	t.Helper()
	v, err := uiNumber(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
