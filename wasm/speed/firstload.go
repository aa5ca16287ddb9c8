package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// loadResult is what the first visit of a fresh profile costs.
type loadResult struct {
	Files         []loadedFile
	LessonsMS     float64 // navigation → the lesson list's first "open" button
	EngineReadyMS float64 // navigation → the header says the engine is ready
}

// loadedFile is one wasm file of the first visit: what Chromium's Resource
// Timing saw (in the page for ui.wasm, in the engine worker for
// engine.wasm) and what the server wrote.
type loadedFile struct {
	Name   string
	Timing resourceTiming
	Wire   send
}

// resourceTiming is a PerformanceResourceTiming's sizes.
type resourceTiming struct {
	Transfer int64 `json:"transfer"` // headers + encoded body
	Body     int64 `json:"body"`     // encoded (brotli, dcz) body
	Decoded  int64 `json:"decoded"`
}

// timingOf reads the Resource Timing sizes of a file in the current context.
func timingOf(name string) chromedp.Action[resourceTiming] {
	return chromedp.Evaluate[resourceTiming](fmt.Sprintf(`(() => {
  const e = performance.getEntriesByType("resource").find(e => e.name.endsWith("/" + %q));
  return e ? { transfer: e.transferSize, body: e.encodedBodySize, decoded: e.decodedBodySize } : { transfer: 0, body: 0, decoded: 0 };
})()`, name))
}

// loadWatch records, from the first byte of the document, when the lesson
// list and the engine become ready (performance.now(): ms since navigation).
const loadWatch = `(() => {
  const t = globalThis.__speedLoad = {};
  const check = () => {
    if (!t.lessons && document.querySelector('button[id^="open-"]')) t.lessons = performance.now();
    if (!t.engine && document.querySelector('#engine-status[data-state="ready"]')) t.engine = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`

// firstLoad opens the playground on a fresh profile (ui.wasm comes as
// brotli, engine.wasm as dcz against ui.wasm: Chromium offers dictionaries
// on loopback too) and measures the bytes of ui.wasm and engine.wasm and the time to an
// interactive lesson list. The worker's own requests do not reach the
// page's Network domain, so the sizes come from Resource Timing, read over
// CDP in the page and in the worker, checked against what the server wrote.
func firstLoad(cfg config, url string, w *wire) (*loadResult, error) {
	ctx, stop, err := browser(cfg.chromium)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: loadWatch})
		return chromedp.Void{}, err
	}); err != nil {
		return nil, err
	}
	w.reset()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/")); err != nil {
		return nil, err
	}
	if err := waitJS(ctx, "the lesson list and the engine", `!!(globalThis.__speedLoad && __speedLoad.lessons && __speedLoad.engine)`, 2*time.Minute); err != nil {
		return nil, err
	}
	times, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`__speedLoad`))
	if err != nil {
		return nil, err
	}
	r := &loadResult{LessonsMS: times["lessons"], EngineReadyMS: times["engine"]}
	ui, err := chromedp.Run(ctx, timingOf("ui.wasm"))
	if err != nil {
		return nil, err
	}
	eng, err := inWorker(ctx, timingOf("engine.wasm"))
	if err != nil {
		return nil, err
	}
	r.Files = []loadedFile{{"ui.wasm", ui, w.get("/ui.wasm")}, {"engine.wasm", eng, w.get("/engine.wasm")}}
	return r, nil
}

// write prints the first-load table.
func (l *loadResult) write(w io.Writer) {
	fmt.Fprintln(w, "### First load (fresh profile, loopback)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| file | encoded body in Chromium | with headers | body the server wrote | encoding | Accept-Encoding |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	var body, transfer, wire int64
	for _, f := range l.Files {
		body += f.Timing.Body
		transfer += f.Timing.Transfer
		wire += f.Wire.Bytes
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", f.Name, fmtMB(f.Timing.Body), fmtMB(f.Timing.Transfer), fmtMB(f.Wire.Bytes), f.Wire.Encoding, f.Wire.AcceptEncoding)
	}
	fmt.Fprintf(w, "| both | **%s** | %s | %s | | |\n\n", fmtMB(body), fmtMB(transfer), fmtMB(wire))
	fmt.Fprintf(w, "Navigation → lesson list interactive: **%.0f ms**; → engine ready: %.0f ms.\n\n", l.LessonsMS, l.EngineReadyMS)
}

// fmtMB prints bytes in decimal megabytes, as the issue does.
func fmtMB(n int64) string {
	if n <= 0 {
		return "not seen"
	}
	return fmt.Sprintf("%.3f MB", float64(n)/1e6)
}
