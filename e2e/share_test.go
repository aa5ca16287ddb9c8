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

// TestShareLink makes a sandbox run with records and a broker crash by
// clicking, shares it, and opens the link in a fresh browser profile: the
// run there is the very same (trace hash and snapshot at the shared time).
// A corrupt link shows its message and leaves the saved sandbox untouched.
func TestShareLink(t *testing.T) {
	srv, _ := startServer(t)
	var errs []string
	ctx, stop := browser(t, profileDir(t), &errs)
	defer stop()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/#sandbox")); err != nil {
		t.Fatal(err)
	}
	sandboxTopic(t, ctx, "share-failed", 3)
	typeInto(t, ctx, "#produce-key", "user-{i%5}")
	typeInto(t, ctx, "#produce-count", "300")
	click(t, ctx, "#produce-send")
	must(t, ctx, "share-failed", waitJS(ctx, "records", `document.querySelectorAll("#cluster-svg rect.rec").length >= 30`, 30*time.Second))
	selectOption(t, ctx, "#fault-broker", "2")
	click(t, ctx, "#fault-power")
	must(t, ctx, "share-failed", waitJS(ctx, "broker 2 down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 20*time.Second))
	crashed, _ := uiNumber(ctx, "time_us")
	must(t, ctx, "share-failed", waitJS(ctx, "time to pass", fmt.Sprintf(`brokerlab.ui.time_us > %.0f`, crashed+1e6), time.Minute))
	click(t, ctx, "#play")
	settle(t, ctx)

	click(t, ctx, "#share")
	must(t, ctx, "share-failed", waitJS(ctx, "the link", `!!document.querySelector("#share-link") && !!brokerlab.ui.share_trace_hash`, 30*time.Second))
	link := uiString(t, ctx, `document.querySelector("#share-link").value`)
	hash, snap := uiString(t, ctx, "brokerlab.ui.share_trace_hash"), uiString(t, ctx, "brokerlab.ui.share_snapshot")
	size := uiString(t, ctx, `document.querySelector("#share-size").textContent`)
	t.Logf("share link: %d characters (%s)", len(link), size)
	if !strings.HasPrefix(link, srv.URL+"/#shared/1.") {
		t.Fatalf("link %q", link)
	}
	captureSizes(t, ctx, "share-panel")
	saved := uiString(t, ctx, `localStorage.getItem("brokerlab.sandbox")`)

	// A fresh profile follows the link.
	ctx2, stop2 := browser(t, profileDir(t), &errs)
	defer stop2()
	if err := chromedp.Do(ctx2, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx2, "share-open-failed", waitJS(ctx2, "the shared run", `!!(window.brokerlab && brokerlab.ui && brokerlab.ui.opened_trace_hash) && (document.querySelector("#run-note")||{textContent:""}).textContent.includes("shared run")`, 2*time.Minute))
	if got := uiString(t, ctx2, "brokerlab.ui.opened_trace_hash"); got != hash {
		t.Errorf("the shared run's trace hash %s, the run's %s", got, hash)
	}
	if got := uiString(t, ctx2, "brokerlab.ui.opened_snapshot"); got != snap {
		t.Errorf("the shared run's snapshot %s, the run's %s", got, snap)
	}
	must(t, ctx2, "share-open-failed", waitJS(ctx2, "broker 2 down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 20*time.Second))
	captureSizes(t, ctx2, "share-opened")

	// The keyboard shortcuts, on the shared run: ? lists them, k plays.
	if err := chromedp.Do(ctx2, chromedp.KeyEvent("?")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx2, "keys-failed", waitJS(ctx2, "the shortcut list", `!!document.querySelector("#keys-help")`, 10*time.Second))
	captureSizes(t, ctx2, "keys-help")
	if err := chromedp.Do(ctx2, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("k")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx2, "keys-failed", waitJS(ctx2, "k to play", `!document.querySelector("#keys-help") && brokerlab.ui.time_us > `+fmt.Sprint(int64(0))+` && document.querySelector("#play").textContent.includes("Pause")`, 10*time.Second))

	// A corrupt link on the first profile: a message, the sandbox kept.
	bad := link[:strings.Index(link, "#")] + "#shared/1.AAAA" + link[len(link)/2:]
	if err := chromedp.Do(ctx, chromedp.Navigate(bad)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "share-bad-failed", waitJS(ctx, "the message", `(document.querySelector("#error")||{textContent:""}).textContent.includes("cannot be opened")`, time.Minute))
	shot(t, ctx, "share-bad-link")
	if got := uiString(t, ctx, `localStorage.getItem("brokerlab.sandbox")`); got != saved || saved == "" {
		t.Errorf("the corrupt link changed the saved sandbox (%d bytes before, %d after)", len(saved), len(got))
	}
	noPageErrors(t, &errs)
}

// uiString evaluates a JavaScript expression that gives a string.
func uiString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}
