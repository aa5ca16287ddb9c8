package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// workerResult is one speed-family run in Chromium's engine worker.
type workerResult struct {
	playResult
	Storage       string `json:"storage"` // the worker's storage: "opfs" or "memory"
	StorageReason string `json:"storage_reason"`
	Calls         int    `json:"calls"`
}

// playInWorker plays scenario in the engine worker of the engine-only page
// of a fresh browser (so its memory is its own); files puts broker logs on
// the files backend (OPFS), as the sandbox does. PeakBytes is the size of
// the worker's wasm memory at the end (it never shrinks).
func playInWorker(cfg config, url, scenarioName, file string, files bool) workerResult {
	fail := func(err error) workerResult { return workerResult{playResult: playResult{Err: err.Error()}} }
	scenario, err := os.ReadFile(file)
	if err != nil {
		return fail(err)
	}
	if files {
		if scenario, err = withFiles(scenario); err != nil {
			return fail(err)
		}
	}
	ctx, stop, err := browser(cfg.chromium)
	if err != nil {
		return fail(err)
	}
	defer stop()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/bench/index.html")); err != nil {
		return fail(err)
	}
	if err := waitJS(ctx, "the engine-only page", `!!globalThis.speedBench`, 30*time.Second); err != nil {
		return fail(err)
	}
	rctx, cancel := context.WithTimeout(ctx, cfg.budget+2*time.Minute) // one call may run long past the budget
	defer cancel()
	if cfg.cpuprofile != "" {
		storage := "memory"
		if files {
			storage = "files"
		}
		stopProfile, err := startWorkerProfile(ctx, profileFile(cfg.cpuprofile, scenarioName, storage), cfg.log)
		if err != nil {
			return fail(err)
		}
		defer func() {
			if err := stopProfile(); err != nil {
				cfg.progress("%v", err)
			}
		}()
	}
	expr := fmt.Sprintf(`speedBench.play(%s, %d, %d, %d)`, scenario, cfg.sim.Microseconds(), chunk.Microseconds(), cfg.budget.Milliseconds())
	r, err := chromedp.Run(rctx, chromedp.Evaluate[workerResult](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fail(fmt.Errorf("speed: playing %s in Chromium: %v", file, err))
	}
	if r.Err == "" {
		if n, err := inWorker(ctx, wasmMemoryBytes); err != nil {
			r.Err = "speed: the worker's wasm memory: " + err.Error()
		} else {
			r.PeakBytes = n
		}
	}
	return r
}

// withFiles sets cluster.storage to "files" in a scenario.
func withFiles(scenario []byte) ([]byte, error) {
	var sc map[string]any
	if err := json.Unmarshal(scenario, &sc); err != nil {
		return nil, err
	}
	cl, _ := sc["cluster"].(map[string]any)
	if cl == nil {
		cl = map[string]any{}
	}
	cl["storage"] = "files"
	sc["cluster"] = cl
	return json.Marshal(sc)
}

// inWorker runs an action in the page's dedicated worker (the engine's).
func inWorker[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	var zero T
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return zero, err
	}
	for _, t := range targets {
		if t.Type != "worker" {
			continue
		}
		wctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(t.TargetID))
		defer cancel()
		return chromedp.Run(wctx, a)
	}
	return zero, fmt.Errorf("speed: no worker among the browser's %d targets", len(targets))
}

// wasmMemoryBytes finds every WebAssembly.Memory of the target's heap
// (Runtime.queryObjects) and returns their total size.
func wasmMemoryBytes(ctx context.Context, t *chromedp.Target) (int64, error) {
	proto, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "WebAssembly.Memory.prototype", ObjectGroup: "speed"})
	if err != nil {
		return 0, err
	}
	defer cdp.Call(ctx, t, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "speed"})
	objs, err := cdp.Call(ctx, t, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: "speed"})
	if err != nil {
		return 0, err
	}
	sum, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: `function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }`,
		ObjectID:            objs.Objects.ObjectID,
		ReturnByValue:       new(true),
	})
	if err != nil {
		return 0, err
	}
	var n int64
	if err := json.Unmarshal([]byte(sum.Result.Value), &n); err != nil {
		return 0, fmt.Errorf("speed: memory sum %s: %v", sum.Result.Value, err)
	}
	return n, nil
}
