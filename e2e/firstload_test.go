package e2e

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// firstLoadBudget is the first load's ceiling in bytes: ui.wasm and
// engine.wasm together, brotli-compressed as the browser receives them.
// Issue 12's target is 2,500,000; the build is at 2,635,272 (2026-12-07:
// 2,605,081 after the size work, then +20 KB for the engine's GC pacer,
// unrolled SHA-256 and message cells, +10 KB for the accessible cluster
// view; down from 3,150,036 and 2,756,405), so until the target is met this
// holds what was won and fails on any growth beyond a small margin (line
// numbers alone move the brotli size by ~3 KB). Lower it as bytes come off.
const firstLoadBudget = 2_650_000

// TestFirstLoadSize opens the page on an empty profile and adds up the
// bytes of the two wasm files as they travel, brotli-compressed, to
// Chromium's own requests. It fails if either arrives without brotli or if
// the two together exceed firstLoadBudget. Bytes, not time: the time to the
// lesson list is only logged (timings belong in the speed benchmark).
//
// Two witnesses: the server counts the body bytes it writes for each file,
// and Chromium reports what it received (Network.loadingFinished
// encodedDataLength, body plus response headers). The page's DevTools
// session does not see the engine worker's requests, so Chromium's figure is
// checked against the server's for ui.wasm, and the budget is held to the
// server's count for both.
func TestFirstLoadSize(t *testing.T) {
	srv, served := startServer(t)
	var errs []string
	ctx, stop := browser(t, profileDir(t), &errs)
	defer stop()

	seen := &wasmWire{url: map[network.RequestID]string{}, enc: map[string]string{}, got: map[string]float64{}}
	if err := chromedp.Listen(ctx, seen.observe); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, networkEnable()); err != nil {
		t.Fatal(err)
	}
	served.reset()
	ms := visitLessonList(t, ctx, srv.URL, "firstload")
	deadline := time.Now().Add(10 * time.Second)
	for !seen.done("ui.wasm") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}

	served.mu.Lock()
	seen.mu.Lock()
	defer served.mu.Unlock()
	defer seen.mu.Unlock()
	var total int64
	for _, name := range []string{"ui.wasm", "engine.wasm"} {
		n, ok := served.bytes["/"+name]
		if !ok {
			t.Errorf("the server sent no %s", name)
			continue
		}
		if enc := served.enc["/"+name]; enc != "br" {
			t.Errorf("%s went out with Content-Encoding %q, want br", name, enc)
		}
		total += n
		line := fmt.Sprintf("%-11s %9d bytes brotli sent", name, n)
		if got, ok := seen.got[name]; ok {
			line += fmt.Sprintf(", %9.0f received by Chromium with headers", got)
			if d := got - float64(n); d < 0 || d > 2048 {
				t.Errorf("%s: Chromium received %.0f bytes, the server sent a %d byte body; they should differ by the headers only", name, got, n)
			}
		}
		t.Log(line)
	}
	if _, ok := seen.got["ui.wasm"]; !ok {
		t.Error("Chromium reported no finished load of ui.wasm")
	}
	t.Logf("both wasm files: %d bytes (%.2f MB) of a %d budget; lesson list after %.0f ms (logged, not asserted)", total, float64(total)/1e6, firstLoadBudget, ms)
	if total > firstLoadBudget {
		t.Errorf("first load: ui.wasm + engine.wasm = %d bytes brotli, over the %d byte budget by %d", total, firstLoadBudget, total-firstLoadBudget)
	}
	if len(errs) > 0 {
		t.Errorf("the page logged %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// wasmWire collects, per wasm file name, the Content-Encoding of its
// response and the bytes Chromium received for it.
type wasmWire struct {
	mu  sync.Mutex
	url map[network.RequestID]string
	enc map[string]string
	got map[string]float64
}

func (w *wasmWire) observe(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		name := path.Base(e.Response.URL)
		if !strings.HasSuffix(name, ".wasm") {
			return
		}
		w.url[e.RequestID] = name
		w.enc[name] = fmt.Sprint(header(e.Response.Headers, "Content-Encoding"))
	case *network.EventLoadingFinished:
		if name, ok := w.url[e.RequestID]; ok {
			w.got[name] += e.EncodedDataLength
		}
	}
}

// done reports whether every named file has finished loading.
func (w *wasmWire) done(names ...string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, n := range names {
		if _, ok := w.got[n]; !ok {
			return false
		}
	}
	return true
}

// header looks a response header up case-insensitively (Chromium reports
// HTTP/1.1 names as sent).
func header(h network.Headers, name string) any {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// networkEnable turns on the Network domain's events.
func networkEnable() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		return chromedp.Void{}, err
	}
}
