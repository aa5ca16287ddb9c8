package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tearScript cuts the named broker's first segment file of topic in the
// OPFS store, 7 bytes short of its end (inside the last batch), the way a
// write interrupted by a power loss leaves it. It runs on a page of the same
// origin after the app's tab has gone, so no worker holds the files. Each
// pool slot file starts with a header record naming its path (see
// static/opfs-pool.js): [magic][flags][len][checksum][path].
const tearScript = `(async (broker, topic) => {
  const HEADER = 4096, MAGIC = 0x31534c42;
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('brokerlab');
  const found = [];
  for await (const [name, h] of dir.entries()) {
    if (!/^slot-\d{5}\.bin$/.test(name)) continue;
    const file = await h.getFile();
    const head = new DataView(await file.slice(0, 16).arrayBuffer());
    if (file.size < 16 || head.getUint32(0, true) !== MAGIC) continue;
    const len = head.getUint32(8, true);
    const path = new TextDecoder().decode(await file.slice(16, 16 + len).arrayBuffer());
    if (new RegExp('^broker-' + broker + '/' + topic + '-\\d+/\\d{20}\\.log$').test(path) && file.size - HEADER > 100) {
      found.push({path, h, size: file.size - HEADER});
    }
  }
  found.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (found.length === 0) return 'no segment of broker ' + broker + ' holds data';
  const f = found[0];
  for (let i = 0; ; i++) {
    try {
      const w = await f.h.createWritable({keepExistingData: true});
      await w.truncate(HEADER + f.size - 7);
      await w.close();
      return 'cut ' + f.path + ' from ' + f.size + ' to ' + (f.size - 7);
    } catch (e) {
      if (i > 50) return 'cannot cut ' + f.path + ': ' + e;
      await new Promise((r) => setTimeout(r, 100)); // the closed tab's worker may still hold it
    }
  }
})`

// tearAndReload: the torn-write button on a stopped broker, then a real
// tear of the store between two page loads: the next page replays the journal,
// finds the file that lost bytes and says which, and the broker recovers
// from it when restarted.
func tearAndReload(t *testing.T, ctx context.Context, url string) {
	// Kill broker 1's process: its page cache is written back, so its
	// segment files hold bytes on disk. Then tear its last writes in the
	// simulation (the button), and close the page.
	selectOption(t, ctx, "#fault-broker", "1")
	click(t, ctx, "#fault-crash")
	must(t, ctx, "10-torn-failed", waitJS(ctx, "brokers 1 and 2 down", `document.querySelectorAll("#cluster-svg .node.broker.down").length === 2`, 20*time.Second))
	click(t, ctx, "#fault-torn")
	must(t, ctx, "10-torn-failed", waitJS(ctx, "the torn write in the event log", `document.querySelector("#log").textContent.includes("a torn write: broker-1/orders-")`, 20*time.Second))
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/no-app-here")); err != nil {
		t.Fatal(err)
	}
	cut, err := chromedp.Run(ctx, chromedp.Evaluate[string](tearScript+`(1, "orders")`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(cut, "cut ") {
		t.Fatalf("tearing the store: %q %v", cut, err)
	}
	t.Log("torn write:", cut)

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#sandbox")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "10-torn-failed", waitJS(ctx, "the note naming the torn file",
		`(document.querySelector("#note")||{textContent:""}).textContent.includes("lost bytes") && document.querySelector("#note").textContent.includes("broker 1 orders-")`, time.Minute))
	shot(t, ctx, "10-torn-write-found")

	selectOption(t, ctx, "#fault-broker", "1")
	click(t, ctx, "#fault-restart")
	click(t, ctx, "#play")
	must(t, ctx, "10-torn-failed", waitJS(ctx, "a log_recovered event",
		`[...document.querySelector("#log-kind").options].some(o => o.value === "log_recovered")`, 30*time.Second))
	click(t, ctx, "#play")
	selectOption(t, ctx, "#log-kind", "log_recovered")
	must(t, ctx, "10-torn-failed", waitJS(ctx, "broker 1 recovering the torn file",
		fmt.Sprintf(`document.querySelector("#log").textContent.includes(%q)`, "broker 1 recovered orders-"), 10*time.Second))
	shot(t, ctx, "10-torn-write-recovered")
}
