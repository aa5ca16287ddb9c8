package main

import (
	"bytes"
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// chunk is how much simulated time one advance call runs: small enough to
// stop near the wall-time budget, large enough that the per-call cost is
// noise (the page advances in frames instead; see page.go).
const chunk = time.Second

// playResult is what playing one scenario on one engine measured.
type playResult struct {
	ReachedUS int64   `json:"reached_us"` // simulated time reached
	TargetUS  int64   `json:"target_us"`  // simulated time asked for
	WallMS    float64 `json:"wall_ms"`    // open + every advance
	Events    int64   `json:"events"`     // trace events emitted
	Hash      string  `json:"hash"`       // trace hash at ReachedUS
	PeakBytes int64   `json:"peak_bytes"` // filled in by whoever can see it
	// Marks are the wall milliseconds at which each chunk ended, so two
	// runs that stopped at different times compare over the same span.
	Marks []float64 `json:"marks"`
	Err   string    `json:"err,omitempty"`
}

// done reports whether the run reached its target.
func (r playResult) done() bool { return r.Err == "" && r.ReachedUS >= r.TargetUS }

// simPerWall is simulated seconds per wall second.
func (r playResult) simPerWall() float64 {
	if r.WallMS <= 0 {
		return 0
	}
	return float64(r.ReachedUS) / 1e3 / r.WallMS
}

// wallAt is the wall time the run took to reach simulated time us (a chunk
// boundary it passed), or false.
func (r playResult) wallAt(us int64) (float64, bool) {
	i := int(us/chunk.Microseconds()) - 1
	if us%chunk.Microseconds() != 0 || i < 0 || i >= len(r.Marks) {
		return 0, false
	}
	return r.Marks[i], true
}

// speedOver is how many times faster than base r ran, over the simulated
// span both covered.
func (r playResult) speedOver(base playResult) float64 {
	span := min(r.ReachedUS, base.ReachedUS)
	a, ok1 := r.wallAt(span)
	b, ok2 := base.wallAt(span)
	if ok1 && ok2 && a > 0 {
		return b / a
	}
	if base.simPerWall() > 0 {
		return r.simPerWall() / base.simPerWall()
	}
	return 0
}

// play opens scenario on c and advances it chunk by chunk to sim (or the
// scenario's end, if earlier), stopping after the chunk that crosses budget.
func play(c host.Caller, scenario []byte, sim, budget time.Duration) playResult {
	var r playResult
	start := time.Now()
	open := append(append([]byte(`{"method":"open","params":`), bytes.TrimSpace(scenario)...), '}')
	var opened contract.OpenReply
	if err := call(c, open, &opened); err != nil {
		r.Err = err.Error()
		return r
	}
	r.TargetUS = min(sim.Microseconds(), opened.EndUS)
	for r.ReachedUS < r.TargetUS && time.Since(start) < budget {
		to := min(r.ReachedUS+chunk.Microseconds(), r.TargetUS)
		var adv contract.AdvanceReply
		if err := call(c, fmt.Appendf(nil, `{"method":"advance","params":{"to":"%dus"}}`, to), &adv); err != nil {
			r.Err = err.Error()
			break
		}
		r.ReachedUS, r.Events = adv.TimeUS, adv.Events
		r.Marks = append(r.Marks, float64(time.Since(start).Microseconds())/1e3)
	}
	r.WallMS = float64(time.Since(start).Microseconds()) / 1e3
	var h contract.TraceHashReply
	if err := call(c, []byte(`{"method":"trace_hash","params":{}}`), &h); err == nil {
		r.Hash = h.TraceHash
	}
	return r
}

// call sends one request and decodes the result of its reply into out.
func call(c host.Caller, req []byte, out any) error {
	reply, err := c.Call(req)
	if err != nil {
		return err
	}
	if err := contract.Decode(reply, out); err != nil {
		return fmt.Errorf("speed: %w", err)
	}
	return nil
}
