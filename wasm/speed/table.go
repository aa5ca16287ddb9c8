package main

import (
	"fmt"
	"io"
	"strings"
)

// engineNames are the table's words for the engines.
var engineNames = map[string]string{
	"native":        "native",
	"wazero":        "wazero",
	"chromium":      "Chromium worker (memory)",
	"chromium-opfs": "Chromium worker (files on OPFS)",
}

// write prints the whole report as Markdown.
func (rep *report) write(w io.Writer) {
	m := rep.machine
	fmt.Fprintf(w, "## Speed benchmark, %s\n\n", rep.when.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Machine: %d CPUs (nproc), %s; %s", m.CPUs, m.CPU, m.Go)
	if m.Chromium != "" {
		fmt.Fprintf(w, "; %s", m.Chromium)
	}
	if m.Load != "" {
		fmt.Fprintf(w, "; load average %s at the start", m.Load)
	}
	fmt.Fprintf(w, ".\nEach run plays %s simulated (the speed family is 60 s), capped at %s of wall time (native runs, the reference, at %s).\n\n",
		fmtSim(rep.cfg.sim.Microseconds()), rep.cfg.budget, nativeBudget*rep.cfg.budget)
	if len(rep.runs) > 0 {
		rep.writeRuns(w)
	}
	if rep.load != nil {
		rep.load.write(w)
	}
	if rep.page != nil {
		rep.page.write(w)
	}
	if len(rep.errs) > 0 {
		fmt.Fprintf(w, "Errors:\n\n")
		for _, e := range rep.errs {
			fmt.Fprintf(w, "- %s\n", e)
		}
		fmt.Fprintln(w)
	}
}

// writeRuns prints the speed-family table.
func (rep *report) writeRuns(w io.Writer) {
	fmt.Fprintln(w, "### The speed family (engine/cluster/testdata/speed)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scenario | engine | wall | sim-s per wall-s | ÷ native | peak memory | events | trace hash |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, sc := range scenarios {
		runs, ok := rep.runs[sc]
		if !ok {
			continue
		}
		native, hasNative := runs["native"]
		for _, eng := range engines {
			r, ok := runs[eng]
			if !ok {
				continue
			}
			if r.Err != "" {
				fmt.Fprintf(w, "| %s | %s | failed at %s: %s | | | | | |\n", sc, engineNames[eng], fmtSim(r.ReachedUS), oneLine(r.Err))
				continue
			}
			ratio := ""
			if hasNative && native.Err == "" && eng != "native" && r.ReachedUS > 0 {
				ratio = fmtRatio(r.speedOver(native))
			}
			hash := short(r.Hash)
			if hasNative && eng != "native" && native.ReachedUS == r.ReachedUS && native.Hash != "" {
				if native.Hash == r.Hash {
					hash += " (= native)"
				} else {
					hash += " (≠ native!)"
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s | %.2f | %s | %s | %s | %s |\n", sc, engineNames[eng], fmtWall(r),
				r.simPerWall(), ratio, fmtBytes(r.PeakBytes), fmtCount(r.Events), hash)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "÷ native compares wall times over the simulated span both runs covered (a run that hit its cap is compared with native's time to the same point).")
	fmt.Fprintln(w, "Peak memory: native and wazero, the child process's max RSS; Chromium, the worker's wasm memory (Runtime.queryObjects over WebAssembly.Memory).")
	fmt.Fprintf(w, "Chromium runs advance %s of simulated time per worker call; \"files on OPFS\" is the sandbox's storage.\n\n", fmtSim(chunk.Microseconds()))
}

// describeRun is one progress line.
func describeRun(r playResult, cfg config) string {
	if r.Err != "" {
		return "failed: " + r.Err
	}
	return fmt.Sprintf("%s, %.2f sim-s/s, peak %s", fmtWall(r), r.simPerWall(), fmtBytes(r.PeakBytes))
}

// fmtWall is the wall time, or how far a run that hit its budget got.
func fmtWall(r playResult) string {
	if r.done() {
		return fmt.Sprintf("%.1f s", r.WallMS/1e3)
	}
	return fmt.Sprintf("did not finish %s in %.0f s wall (reached %s)", fmtSim(r.TargetUS), r.WallMS/1e3, fmtSim(r.ReachedUS))
}

func fmtSim(us int64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(us)/1e6), ".0") + " s"
}

// fmtRatio prints a ratio below 1 as 1/x, as the table does.
func fmtRatio(x float64) string {
	if x >= 1 {
		return fmt.Sprintf("%.2f×", x)
	}
	return fmt.Sprintf("1/%.1f", 1/x)
}

func fmtBytes(n int64) string {
	switch {
	case n <= 0:
		return "?"
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
}

func fmtCount(n int64) string {
	if n >= 10_000 {
		return fmt.Sprintf("%.0f k", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
