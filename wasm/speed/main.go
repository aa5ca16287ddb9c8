// Command speed is issue 12's speed benchmark: in one run it plays the
// speed family (engine/cluster/testdata/speed: 3 brokers, RF 3, a group
// consumer, 1k/10k/50k keyed records/s for 60 simulated seconds) natively,
// under wazero and in headless Chromium's engine worker, drives the
// sandbox page in Chromium, measures the first load, and prints one
// Markdown table for BENCHMARKS.md. `make bench-speed` runs it:
//
//	go run ./wasm/speed [-quick] [-only 1k,10k] [-skip 50k,page] [-budget 30s]
//
// -only and -skip take scenario names (1k, 10k, 50k) and part names
// (native, wazero, chromium, page, load).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/internal/headless"
)

func main() {
	if child, err := runChild(os.Stdout); child {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// scenarios and parts are what -only and -skip choose from.
var (
	scenarios = []string{"1k", "10k", "50k"}
	parts     = []string{"native", "wazero", "chromium", "page", "load"}
)

// config is the parsed command line.
type config struct {
	root       string        // module root
	sim        time.Duration // simulated time per speed-family run
	budget     time.Duration // wall-time cap per run
	window     time.Duration // wall time per sandbox-page measurement
	quick      bool
	chromium   string // the browser binary
	cpuprofile string // where to write V8 CPU profiles of the Chromium worker runs ("" = none)
	selected   func(name string) bool
	log        io.Writer // progress lines
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("speed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "smoke run: 10 simulated seconds per scenario, short page windows")
	only := fs.String("only", "", "run only these scenarios and parts (comma-separated: "+strings.Join(append(slices.Clone(scenarios), parts...), ",")+")")
	skip := fs.String("skip", "", "skip these scenarios and parts")
	budget := fs.Duration("budget", 30*time.Second, "wall-time cap of one engine run (it reports how far it got; native runs get 4×, page reload and rewind 2×)")
	window := fs.Duration("window", 10*time.Second, "wall time of each sandbox-page measurement")
	chromium := fs.String("chromium", headless.Chromium, "the Chromium binary")
	cpuprofile := fs.String("cpuprofile", "", "write a V8 CPU profile (.cpuprofile) of each Chromium worker run to this name + -scenario-storage, and print its top functions by self time")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	sel, err := selector(*only, *skip)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cfg := config{root: root, sim: 60 * time.Second, budget: *budget, window: *window, quick: *quick,
		chromium: *chromium, cpuprofile: *cpuprofile, selected: sel, log: stderr}
	if *quick {
		cfg.sim, cfg.window = 10*time.Second, min(cfg.window, 3*time.Second)
	}
	rep := measure(cfg)
	rep.write(stdout)
	if rep.failed() {
		return 1
	}
	return 0
}

// selector turns -only and -skip into a predicate over scenario and part
// names; a name neither list knows is an error.
func selector(only, skip string) (func(string) bool, error) {
	split := func(s string) (map[string]bool, error) {
		m := map[string]bool{}
		for _, n := range strings.Split(s, ",") {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			if !slices.Contains(scenarios, n) && !slices.Contains(parts, n) {
				return nil, fmt.Errorf("speed: unknown name %q (known: %s, %s)", n, strings.Join(scenarios, ","), strings.Join(parts, ","))
			}
			m[n] = true
		}
		return m, nil
	}
	o, err := split(only)
	if err != nil {
		return nil, err
	}
	s, err := split(skip)
	if err != nil {
		return nil, err
	}
	// -only may name scenarios, parts or both: a kind it leaves out stays whole.
	onlyScen, onlyPart := false, false
	for n := range o {
		onlyScen = onlyScen || slices.Contains(scenarios, n)
		onlyPart = onlyPart || slices.Contains(parts, n)
	}
	return func(n string) bool {
		if s[n] {
			return false
		}
		if slices.Contains(scenarios, n) && onlyScen || slices.Contains(parts, n) && onlyPart {
			return o[n]
		}
		return true
	}, nil
}

// moduleRoot is the nearest folder at or above the working directory that
// holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("speed: no go.mod at or above the working directory")
		}
		dir = parent
	}
}
