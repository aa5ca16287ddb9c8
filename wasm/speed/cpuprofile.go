package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// profileInterval is V8's sampling interval for -cpuprofile, in µs (its
// default is 1000): a 1k run of a few seconds then gives tens of
// thousands of samples.
const profileInterval = 100

// startWorkerProfile starts V8's CPU profiler (CDP Profiler) in the page's
// engine worker. stop ends it and writes the profile as a .cpuprofile
// (Chrome DevTools' format) to file, and a summary of self time by
// function to log.
func startWorkerProfile(ctx context.Context, file string, log io.Writer) (stop func() error, err error) {
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return nil, err
	}
	var wctx context.Context
	var cancel context.CancelFunc
	for _, t := range targets {
		if t.Type == "worker" {
			wctx, cancel = chromedp.NewContext(ctx, chromedp.WithTargetID(t.TargetID))
			break
		}
	}
	if wctx == nil {
		return nil, fmt.Errorf("speed: no worker among the browser's %d targets to profile", len(targets))
	}
	call := func(f func(ctx context.Context, t *chromedp.Target) error) error {
		_, err := chromedp.Run(wctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			return chromedp.Void{}, f(ctx, t)
		})
		return err
	}
	err = call(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: profileInterval}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, profiler.Start, cdp.Empty{})
		return err
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("speed: starting the worker's profiler: %v", err)
	}
	return func() error {
		defer cancel()
		var prof *profiler.Profile
		err := call(func(ctx context.Context, t *chromedp.Target) error {
			r, err := cdp.Call(ctx, t, profiler.Stop, cdp.Empty{})
			prof = r.Profile
			return err
		})
		if err != nil {
			return fmt.Errorf("speed: stopping the worker's profiler: %v", err)
		}
		if prof == nil {
			return fmt.Errorf("speed: the worker's profiler returned no profile")
		}
		b, err := json.Marshal(prof)
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "speed: wrote %s; self time by function:\n", file)
		summarizeProfile(prof, 30, log)
		return nil
	}, nil
}

// profileFile is where the profile of one run goes: -cpuprofile's name
// with the scenario and storage before the extension (p.cpuprofile →
// p-1k-memory.cpuprofile).
func profileFile(base, scenario, storage string) string {
	ext := filepath.Ext(base)
	return strings.TrimSuffix(base, ext) + "-" + scenario + "-" + storage + cmp.Or(ext, ".cpuprofile")
}

// summarizeProfile writes the top functions of prof by self samples
// (samples whose top frame is the function), with their share of the
// samples. Counting samples, not the time between them, keeps a thread
// the machine's load descheduled from charging the wait to whatever it
// ran last.
func summarizeProfile(prof *profiler.Profile, top int, w io.Writer) {
	name := map[int64]string{}
	for _, n := range prof.Nodes {
		f := n.CallFrame.FunctionName
		if f == "" {
			f = "(anonymous)"
		}
		if u := n.CallFrame.URL; u != "" && !strings.HasPrefix(u, "wasm://") {
			f += " " + filepath.Base(u)
		}
		name[n.ID] = f
	}
	self := map[string]int{}
	for _, id := range prof.Samples {
		self[name[id]]++
	}
	type row struct {
		name    string
		samples int
	}
	var rows []row
	for n, c := range self {
		rows = append(rows, row{n, c})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(b.samples, a.samples), strings.Compare(a.name, b.name)) })
	total := max(len(prof.Samples), 1)
	fmt.Fprintf(w, "  %d samples over %.0f ms\n", len(prof.Samples), (prof.EndTime-prof.StartTime)/1000)
	for i, r := range rows {
		if i == top {
			break
		}
		fmt.Fprintf(w, "  %5.1f%% %7d  %s\n", 100*float64(r.samples)/float64(total), r.samples, r.name)
	}
}
