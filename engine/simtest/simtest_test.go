package simtest

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

var soak = flag.Bool("soak", false, "run 20,000 schedules per mode instead of 2,000 (or set BROKERLAB_SOAK=1)")

// seeds returns the seeds to run: the one in BROKERLAB_SEED, or n of them
// (n×10 when soaking).
func seeds(t *testing.T, n int) []uint64 {
	if s := os.Getenv("BROKERLAB_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("BROKERLAB_SEED=%q is not a seed", s)
		}
		return []uint64{seed}
	}
	if *soak || os.Getenv("BROKERLAB_SOAK") == "1" {
		n *= 10
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

// runAll runs seeds on every core and returns the outcomes in seed order.
func runAll(t *testing.T, mode Mode, ss []uint64) []Outcome {
	out := make([]Outcome, len(ss))
	errs := make([]error, len(ss))
	var wg sync.WaitGroup
	next := make(chan int)
	workers := min(len(ss), max(1, runtime.GOMAXPROCS(0)))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = Run(ss[i], mode)
			}
		}()
	}
	for i := range ss {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("seed %d: %v", ss[i], err)
		}
	}
	return out
}

// TestSafe runs acks=all, min.insync.replicas=2, clean-election schedules:
// none may lose an acknowledged write or break any other check.
func TestSafe(t *testing.T) {
	ss := seeds(t, 2000)
	start := time.Now()
	outs := runAll(t, Safe, ss)
	failed, downgraded := 0, 0
	for _, o := range outs {
		downgraded += len(o.Downgraded)
		if len(ss) == 1 {
			t.Log(o.Report("TestSafe"))
		}
		if !o.Failed() {
			continue
		}
		failed++
		if failed <= 3 {
			t.Errorf("%s", o.Report("TestSafe"))
		} else {
			t.Errorf("seed %d (safe): %s", o.Seed, o.Result.Summary())
		}
	}
	t.Logf("%d safe schedules in %v: %d failed, %d power losses run as process crashes (last in-sync replica)", len(ss), time.Since(start).Round(time.Millisecond), failed, downgraded)
}

// TestUnsafe runs acks=1 / unclean-election schedules. They may lose
// acknowledged writes — and over many seeds some must, or the checker
// (or the fault schedules) would be vacuous.
func TestUnsafe(t *testing.T) {
	ss := seeds(t, 300)
	outs := runAll(t, Unsafe, ss)
	lost := 0
	for _, o := range outs {
		if len(ss) == 1 {
			t.Log(o.Report("TestUnsafe"))
		}
		if o.Lost() {
			lost++
		}
		if o.Failed() {
			t.Errorf("%s", o.Report("TestUnsafe"))
		}
	}
	t.Logf("%d of %d unsafe schedules lost acknowledged writes", lost, len(ss))
	if len(ss) > 1 && lost < len(ss)/50 {
		t.Fatalf("only %d of %d unsafe schedules lost acknowledged writes; the checker or the faults are too weak", lost, len(ss))
	}
}

// TestSameSeedSameTrace runs seeds twice: the traces must hash the same.
func TestSameSeedSameTrace(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		for _, mode := range []Mode{Safe, Unsafe} {
			a, err := Run(seed, mode)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Run(seed, mode)
			if err != nil {
				t.Fatal(err)
			}
			if a.TraceHash != b.TraceHash || a.Events != b.Events || string(a.Scenario) != string(b.Scenario) {
				t.Errorf("seed %d %s: two runs differ: %s/%d vs %s/%d events", seed, mode, a.TraceHash, a.Events, b.TraceHash, b.Events)
			}
		}
	}
}

func TestPlansDiffer(t *testing.T) {
	a, b := NewPlan(1, Safe), NewPlan(2, Safe)
	if string(a.Scenario()) == string(b.Scenario()) {
		t.Fatal("seeds 1 and 2 made the same plan")
	}
}

// TestELRSchedules runs Safe plans that hold the ELR episode (elr.go):
// none may lose a write, and with ELR on some must elect an eligible
// leader replica, or the schedule no longer shows what KIP-966 changes.
func TestELRSchedules(t *testing.T) {
	var ss []uint64
	for seed := uint64(1); len(ss) < 12 && seed < 2000; seed++ {
		if p := NewPlan(seed, Safe); p.ELR && p.Cluster["features"] == nil {
			ss = append(ss, seed)
		}
	}
	elected := 0
	for _, o := range runAll(t, Safe, ss) {
		if o.Failed() {
			t.Errorf("%s", o.Report("TestELRSchedules"))
		}
		elected += o.ELRElections
	}
	t.Logf("%d ELR schedules elected %d eligible leader replicas", len(ss), elected)
	if elected == 0 {
		t.Errorf("no ELR member was elected in %d ELR schedules (seeds %v)", len(ss), ss)
	}
}

// TestGroupSchedules runs plans with a consumer group (group.go), a dozen
// per rebalance protocol and mode: none may break a check (two members
// owning a partition at one member epoch among them), and in each
// protocol some partition must move from one live member to another, or
// the plans no longer exercise CheckOwners.
func TestGroupSchedules(t *testing.T) {
	for _, proto := range []string{"consumer", "eager", "cooperative-sticky"} {
		for _, mode := range []Mode{Safe, Unsafe} {
			var ss []uint64
			for seed := uint64(1); len(ss) < 12 && seed < 2000; seed++ {
				if NewPlan(seed, mode).GroupProtocol == proto {
					ss = append(ss, seed)
				}
			}
			revoked := 0
			for _, o := range runAll(t, mode, ss) {
				if o.Failed() {
					t.Errorf("%s", o.Report("TestGroupSchedules"))
				}
				revoked += o.Revocations
			}
			t.Logf("%s, %s: %d schedules revoked %d times", proto, mode, len(ss), revoked)
			if revoked == 0 {
				t.Errorf("%s, %s: no partition moved between live members in %d schedules (seeds %v)", proto, mode, len(ss), ss)
			}
		}
	}
}
