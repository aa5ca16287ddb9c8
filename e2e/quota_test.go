package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// setQuota overrides the site's storage quota (nil: back to the default).
func setQuota(ctx context.Context, origin string, bytes *float64) error {
	return chromedp.Do(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, storage.OverrideQuotaForOrigin, storage.OverrideQuotaForOriginParams{Origin: origin, QuotaSize: bytes})
		return chromedp.Void{}, err
	}))
}

// TestStorageQuotaFull fills the site's browser storage under a running
// sandbox: records already on disk stay, the page says in plain words which
// broker cannot write and why, and a reload still restores the sandbox.
func TestStorageQuotaFull(t *testing.T) {
	url, ctx, errs := openPage(t, "/#sandbox")
	must(t, ctx, "q1-failed", waitJS(ctx, "OPFS storage", `document.querySelector("#storage-mode").textContent === "opfs"`, 30*time.Second))
	must(t, ctx, "q1-failed", waitJS(ctx, "the sandbox form", `!!document.querySelector("#sandbox-start")`, 30*time.Second))
	selectOption(t, ctx, "#sandbox-brokers", "1")
	click(t, ctx, "#sandbox-start")
	must(t, ctx, "q1-failed", waitJS(ctx, "the sandbox cluster", `document.querySelectorAll("#cluster-svg .node.broker").length === 1`, 30*time.Second))
	typeInto(t, ctx, "#topic-name", "orders")
	typeInto(t, ctx, "#topic-partitions", "1")
	typeInto(t, ctx, "#topic-rf", "1")
	click(t, ctx, "#topic-create")
	must(t, ctx, "q1-failed", waitJS(ctx, "the topic", `document.querySelectorAll("#cluster-svg .part").length === 1`, 30*time.Second))
	typeInto(t, ctx, "#produce-count", "300")
	click(t, ctx, "#produce-send")
	must(t, ctx, "q1-failed", waitJS(ctx, "300 records", `brokerlab.ui.time_us > 600000`, 30*time.Second))

	// Write them to disk (a killed process's page cache is written back),
	// then let the disk fill up: the quota is what is used now plus 4 KB.
	selectOption(t, ctx, "#fault-broker", "1")
	click(t, ctx, "#fault-crash")
	must(t, ctx, "q1-failed", waitJS(ctx, "broker 1 down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 20*time.Second))
	click(t, ctx, "#fault-restart")
	must(t, ctx, "q1-failed", waitJS(ctx, "broker 1 up", `document.querySelector("#cluster-svg .node.broker.down") === null`, 20*time.Second))
	used, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`navigator.storage.estimate().then(e => e.usage)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	quota := used + 4096
	if err := setQuota(ctx, url, &quota); err != nil {
		t.Fatalf("overriding the quota: %v", err)
	}
	defer setQuota(ctx, url, nil)
	// 5,000 records of ~600 bytes: megabytes, past any capacity the
	// browser hands out ahead of writes.
	// (set at once: typing 600 keys re-renders the page 600 times)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(el => { el.value = "x".repeat(600) + "{i}"; el.dispatchEvent(new Event("input", {bubbles: true})); })(document.querySelector("#produce-value"))`)); err != nil {
		t.Fatal(err)
	}
	typeInto(t, ctx, "#produce-count", "5000")
	click(t, ctx, "#produce-send")
	selectOption(t, ctx, "#speed", "100×")
	// The kernel-like write-back (30 s of virtual time) hits the full disk.
	must(t, ctx, "q2-failed", waitJS(ctx, "the disk-full alert",
		`(document.querySelector("#disk-alert")||{textContent:""}).textContent.includes("Broker 1 cannot write to disk")`, 3*time.Minute))
	alert, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#disk-alert").textContent`))
	t.Log("alert:", alert)
	if !strings.Contains(alert, "quota") || !strings.Contains(strings.ToLower(alert), "no space") {
		t.Errorf("the alert does not say the quota is full: %q", alert)
	}
	card, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#cluster-svg .node.broker").textContent`))
	if !strings.Contains(card, "disk full") {
		t.Errorf("broker card %q does not say its disk is full", card)
	}
	click(t, ctx, "#play")
	shot(t, ctx, "q2-quota-full")

	// A reload replays the journal; what was on disk before the quota ran
	// out is compared with the replay.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "q3-failed", waitJS(ctx, "the restored sandbox", `(document.querySelector("#note")||{textContent:""}).textContent.includes("restored")`, 2*time.Minute))
	note, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#note").textContent`))
	t.Log("after reload:", note)
	// The replay meets the same quota (the files match) or, with room now,
	// writes what the earlier page could not: never a cut.
	if !strings.Contains(note, "matched the replay") && !strings.Contains(note, "ran out of browser storage") {
		t.Errorf("after a full disk the reload should keep or rebuild the files, not cut them: %q", note)
	}
	shot(t, ctx, "q3-quota-reload")
	noPageErrors(t, errs)
}
