package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// nativeBudget multiplies the budget of native runs: they are the
// reference, and they are quick once the engine is.
const nativeBudget = 4

// engines are the columns of the speed-family table, in order.
var engines = []string{"native", "wazero", "chromium", "chromium-opfs"}

// report is everything one run measured.
type report struct {
	cfg     config
	when    time.Time
	machine machine
	runs    map[string]map[string]playResult // scenario → engine → result
	storage map[string]string                // chromium engine → the worker's storage
	page    *pageResult
	load    *loadResult
	errs    []string
}

// machine says where the figures come from.
type machine struct {
	CPUs     int
	CPU      string
	Go       string
	Chromium string
	Load     string // /proc/loadavg when the run started: the machine is shared
}

// measure runs every selected part.
func measure(cfg config) *report {
	rep := &report{cfg: cfg, when: time.Now().UTC(), runs: map[string]map[string]playResult{}, storage: map[string]string{}}
	rep.machine = machine{CPUs: runtime.NumCPU(), CPU: cpuModel(), Go: runtime.Version(), Load: loadAverage()}
	chromium := cfg.selected("chromium") || cfg.selected("page") || cfg.selected("load")
	if chromium {
		rep.machine.Chromium = chromiumVersion(cfg.chromium)
	}
	wasm := filepath.Join(cfg.root, "dist", "engine.wasm")
	for _, sc := range scenarios {
		if !cfg.selected(sc) || !cfg.selected("native") && !cfg.selected("wazero") {
			continue
		}
		file := filepath.Join(cfg.root, "engine", "cluster", "testdata", "speed", sc+".json")
		for _, eng := range []string{"native", "wazero"} {
			if !cfg.selected(eng) {
				continue
			}
			cfg.progress("%s %s…", sc, eng)
			budget := cfg.budget
			if eng == "native" {
				budget *= nativeBudget // the reference the ratios divide by: let it finish
			}
			r := spawn(childJob{Engine: eng, Scenario: file, Wasm: wasm, SimUS: cfg.sim.Microseconds(), BudgetMS: budget.Milliseconds()})
			rep.record(sc, eng, r)
		}
	}
	if !chromium {
		return rep
	}
	wire := &wire{}
	url, stop, err := serve(cfg.root, wire)
	if err != nil {
		rep.errs = append(rep.errs, err.Error())
		return rep
	}
	defer stop()
	if cfg.selected("chromium") {
		for _, sc := range scenarios {
			if !cfg.selected(sc) {
				continue
			}
			file := filepath.Join(cfg.root, "engine", "cluster", "testdata", "speed", sc+".json")
			for _, eng := range []string{"chromium", "chromium-opfs"} {
				cfg.progress("%s %s…", sc, eng)
				r := playInWorker(cfg, url, sc, file, eng == "chromium-opfs")
				rep.storage[eng] = r.Storage
				rep.record(sc, eng, r.playResult)
			}
		}
	}
	if cfg.selected("load") {
		cfg.progress("first load…")
		l, err := firstLoad(cfg, url, wire)
		if err != nil {
			rep.errs = append(rep.errs, "first load: "+err.Error())
		}
		rep.load = l
	}
	if cfg.selected("page") {
		cfg.progress("sandbox page…")
		p, err := sandboxPage(cfg, url)
		if err != nil {
			rep.errs = append(rep.errs, "sandbox page: "+err.Error())
		}
		rep.page = p
	}
	return rep
}

// record keeps one run's result; a failed run is also an error line.
func (rep *report) record(sc, eng string, r playResult) {
	if rep.runs[sc] == nil {
		rep.runs[sc] = map[string]playResult{}
	}
	rep.runs[sc][eng] = r
	if r.Err != "" {
		rep.errs = append(rep.errs, fmt.Sprintf("%s %s: %s", sc, eng, r.Err))
	}
	rep.cfg.progress("  %s", describeRun(r, rep.cfg))
}

// failed reports whether any part failed (not: was slow).
func (rep *report) failed() bool { return len(rep.errs) > 0 }

// progress writes one line to the log (stderr): the table comes at the end.
func (cfg config) progress(format string, args ...any) {
	if cfg.log != nil {
		fmt.Fprintf(cfg.log, "speed: "+format+"\n", args...)
	}
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAverage is the 1, 5 and 15 minute load average of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
