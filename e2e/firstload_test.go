package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
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
// engine.wasm together, compressed as the browser receives them. Issue 12's
// target, met (2026-12-07) by sending engine.wasm to Chromium in the dcz
// encoding, compressed against ui.wasm (wasm/precompress/dcz.go): about
// 2.38 MB with zstd -22.
const firstLoadBudget = 2_500_000

// brotliBudget is the same ceiling for a browser without Compression
// Dictionary Transport, which gets both files in brotli: 2.686 MB after the
// third session of 2026-12-07, 2.750 MB after the fourth's features (share
// groups in the engine +50 KB, lessons 17 and 18, Compare, the builder's
// hook, the wire listener's events) less its size work (cold packages
// without inlining, the lessons' English bodies fetched on opening). Issue
// 12 asks 2.5 MB and is not met for these browsers (BENCHMARKS.md lists what
// is left and what each remaining option costs); this keeps it from growing.
// 2.797 MB after the fifth session: DeleteTopics (+15 KB of engine), the
// outside clients' counters, and the client_* ops in engine.wasm (+18 KB),
// so that a session with real clients replays in the page (Share from an
// attached page, lesson 19's recorded solution); the dcz first load went
// down meanwhile (2.386 MB). 2.800 MB after the lesson texts' code spans.
// 2.807–2.813 MB after the seventh session: followers' fetch sessions
// (KIP-227) and the produce path's action queue (+9 KB of engine), the
// events call's newest (brotli moves ±3 KB with unrelated layout changes).
const brotliBudget = 2_816_000

// TestFirstLoadSize opens the page on an empty profile and adds up the
// bytes of the two wasm files as they travel to Chromium's own requests:
// ui.wasm in brotli, engine.wasm in dcz against ui.wasm (Compression
// Dictionary Transport; brotli is the fallback of other browsers, and the
// test fails if Chromium got it). It fails if the two together exceed
// firstLoadBudget. Bytes, not time: the time to the lesson list is only
// logged (timings belong in the speed benchmark).
//
// Two witnesses: the server counts the body bytes it writes for each file,
// and Chromium reports what it received: for ui.wasm Network.loadingFinished
// encodedDataLength (body plus response headers); for engine.wasm, which
// the engine worker fetches out of the page's DevTools session's sight, the
// worker's Resource Timing entry (encodedBodySize, and contentEncoding),
// which it sends with its ready message. Each is checked against the
// server's count, and the budget is held to the server's.
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
	readyMS, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.now()`))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !seen.done("ui.wasm") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	worker, err := chromedp.Run(ctx, chromedp.Evaluate[engineDownload](`brokerlab.engine.ready.then(m => m.download || {})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}

	served.mu.Lock()
	seen.mu.Lock()
	defer served.mu.Unlock()
	defer seen.mu.Unlock()
	want := map[string]string{"ui.wasm": "br", "engine.wasm": "dcz"}
	var total int64
	for _, name := range []string{"ui.wasm", "engine.wasm"} {
		n, ok := served.bytes["/"+name]
		if !ok {
			t.Errorf("the server sent no %s", name)
			continue
		}
		if enc := served.enc["/"+name]; enc != want[name] {
			t.Errorf("%s went out with Content-Encoding %q, want %s", name, enc, want[name])
		}
		total += n
		line := fmt.Sprintf("%-11s %9d bytes %-3s sent", name, n, served.enc["/"+name])
		if got, ok := seen.got[name]; ok {
			line += fmt.Sprintf(", %9.0f received by Chromium with headers", got)
			if d := got - float64(n); d < 0 || d > 2048 {
				t.Errorf("%s: Chromium received %.0f bytes, the server sent a %d byte body; they should differ by the headers only", name, got, n)
			}
		}
		if name == "engine.wasm" {
			line += fmt.Sprintf(", %d body bytes (%s) by the worker's Resource Timing; %d HEAD requests for it until the dictionary was offered", worker.Encoded, worker.Encoding, served.heads["/"+name])
			if worker.Encoded != n {
				t.Errorf("engine.wasm: the worker's Resource Timing saw a %d byte body, the server sent %d", worker.Encoded, n)
			}
			if worker.Encoding != "" && worker.Encoding != want[name] {
				t.Errorf("engine.wasm: the worker's Resource Timing saw content encoding %q, want %s", worker.Encoding, want[name])
			}
		}
		t.Log(line)
	}
	if _, ok := seen.got["ui.wasm"]; !ok {
		t.Error("Chromium reported no finished load of ui.wasm")
	}
	t.Logf("both wasm files: %d bytes (%.2f MB) of a %d budget; lesson list after %.0f ms, engine ready by %.0f ms (logged, not asserted)", total, float64(total)/1e6, firstLoadBudget, ms, readyMS)
	if total > firstLoadBudget {
		t.Errorf("first load: ui.wasm + engine.wasm = %d bytes, over the %d byte budget by %d", total, firstLoadBudget, total-firstLoadBudget)
	}
	if len(errs) > 0 {
		t.Errorf("the page logged %d errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// TestFirstLoadBrotliSize adds up what a browser without Compression
// Dictionary Transport gets: both wasm files in brotli, as the server sends
// them (no browser needed: the bytes are the server's). It fails if the two
// together exceed brotliBudget.
func TestFirstLoadBrotliSize(t *testing.T) {
	srv, _ := startServer(t)
	var br int64
	for _, name := range []string{"ui.wasm", "engine.wasm"} {
		n, enc, err := download(srv.URL+"/"+name, "gzip, deflate, br")
		if err != nil {
			t.Fatal(err)
		}
		if enc != "br" {
			t.Errorf("%s went out to a brotli-only browser with Content-Encoding %q, want br", name, enc)
		}
		t.Logf("%-11s %9d bytes br", name, n)
		br += n
	}
	t.Logf("both wasm files in brotli: %d bytes (%.2f MB) of a %d budget; issue 12's target is 2,500,000", br, float64(br)/1e6, brotliBudget)
	if br > brotliBudget {
		t.Errorf("first load in brotli: ui.wasm + engine.wasm = %d bytes, over the %d byte budget by %d", br, brotliBudget, br-brotliBudget)
	}
}

// download GETs url with the given Accept-Encoding and returns the body's
// length as sent (not decoded) and its Content-Encoding.
func download(url, accept string) (int64, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Accept-Encoding", accept)
	resp, err := http.DefaultTransport.RoundTrip(req) // the transport decodes nothing it did not ask for
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return n, resp.Header.Get("Content-Encoding"), err
}

// engineDownload is the engine worker's Resource Timing of engine.wasm
// (static/engine-worker.js).
type engineDownload struct {
	Encoded  int64  `json:"encoded_body_size"`
	Encoding string `json:"content_encoding"`
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
