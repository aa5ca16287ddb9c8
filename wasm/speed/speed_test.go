package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/internal/headless"
)

// TestMain lets the test binary be the child process of native and wazero
// runs, as the command is.
func TestMain(m *testing.M) {
	if child, err := runChild(os.Stdout); child {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestQuick plays the quick mode of 1k natively and under wazero (and in
// Chromium's engine worker when the browser tests run): every run reaches
// its 10 simulated seconds with the same trace hash, and the table says so.
// The wall-time cap is far away: this checks the benchmark, not the speed.
func TestQuick(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "dist", "engine.wasm")); err != nil {
		t.Skip("dist/engine.wasm is missing: run make build first")
	}
	only := "1k,native,wazero"
	_, noBrowser := os.Stat(headless.Chromium)
	if noBrowser == nil && os.Getenv("BROKERLAB_E2E") != "" {
		only += ",chromium"
	}
	sel, err := selector(only, "")
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cfg := config{root: root, sim: 10 * time.Second, budget: 10 * time.Minute, window: time.Second, quick: true,
		chromium: headless.Chromium, selected: sel, log: &log}
	rep := measure(cfg)
	if rep.failed() {
		t.Fatalf("errors: %v\nlog:\n%s", rep.errs, log.String())
	}
	runs := rep.runs["1k"]
	native := runs["native"]
	want := []string{"native", "wazero"}
	if strings.Contains(only, "chromium") {
		want = append(want, "chromium", "chromium-opfs")
	}
	for _, eng := range want {
		r, ok := runs[eng]
		if !ok {
			t.Fatalf("no %s run", eng)
		}
		if r.ReachedUS != 10_000_000 || !r.done() {
			t.Errorf("%s reached %d µs of 10 s", eng, r.ReachedUS)
		}
		if r.Hash == "" || r.Hash != native.Hash {
			t.Errorf("%s trace hash %q, native %q", eng, r.Hash, native.Hash)
		}
		if r.PeakBytes <= 0 || r.Events <= 0 {
			t.Errorf("%s: peak %d bytes, %d events", eng, r.PeakBytes, r.Events)
		}
	}
	var out bytes.Buffer
	rep.write(&out)
	for _, s := range []string{"| 1k | native |", "| 1k | wazero |", "(= native)", "Machine: "} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("the table lacks %q:\n%s", s, out.String())
		}
	}
	t.Logf("\n%s", out.String())
}

func TestSelector(t *testing.T) {
	for _, c := range []struct {
		only, skip string
		in, out    []string
	}{
		{"", "", append(scenarios, parts...), nil},
		{"1k,10k", "", []string{"1k", "10k", "native", "page"}, []string{"50k"}},
		{"", "50k,page", []string{"1k", "10k", "chromium"}, []string{"50k", "page"}},
		{"load", "", []string{"load", "1k"}, []string{"native", "wazero", "chromium", "page"}},
		{"1k,native", "native", []string{"1k"}, []string{"native", "10k", "wazero"}},
	} {
		sel, err := selector(c.only, c.skip)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range c.in {
			if !sel(n) {
				t.Errorf("-only %q -skip %q leaves out %s", c.only, c.skip, n)
			}
		}
		for _, n := range c.out {
			if sel(n) {
				t.Errorf("-only %q -skip %q keeps %s", c.only, c.skip, n)
			}
		}
	}
	if _, err := selector("2k", ""); err == nil {
		t.Error("-only 2k: no error")
	}
}

// TestSpeedOver compares a run that hit its cap with the native run over
// the span both covered.
func TestSpeedOver(t *testing.T) {
	native := playResult{ReachedUS: 4_000_000, TargetUS: 4_000_000, WallMS: 400, Marks: []float64{50, 100, 200, 400}}
	capped := playResult{ReachedUS: 2_000_000, TargetUS: 4_000_000, WallMS: 1000, Marks: []float64{400, 1000}}
	if got := capped.speedOver(native); got != 0.1 {
		t.Errorf("capped run: %v× native, want 0.1× (1000 ms against native's 100 ms to 2 s)", got)
	}
	if got := native.speedOver(native); got != 1 {
		t.Errorf("native over itself: %v", got)
	}
	odd := playResult{ReachedUS: 1_500_000, WallMS: 300}
	if got := odd.speedOver(native); got != 0.5 {
		t.Errorf("no common mark: %v, want the ratio of the overall rates 0.5", got)
	}
}
