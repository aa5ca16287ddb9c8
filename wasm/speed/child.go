package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// childEnv carries a childJob to a copy of this program: each native or
// wazero run gets a process of its own, so its peak RSS is its own.
const childEnv = "BROKERLAB_SPEED_CHILD"

// childJob is one run in a child process.
type childJob struct {
	Engine   string `json:"engine"` // "native" or "wazero"
	Scenario string `json:"scenario"`
	Wasm     string `json:"wasm"`
	SimUS    int64  `json:"sim_us"`
	BudgetMS int64  `json:"budget_ms"`
}

// runChild plays the job in env (if any) and writes its playResult to out;
// it reports whether this process was a child.
func runChild(out io.Writer) (bool, error) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		return false, nil
	}
	var job childJob
	if err := json.Unmarshal([]byte(raw), &job); err != nil {
		return true, fmt.Errorf("speed: %s: %v", childEnv, err)
	}
	scenario, err := os.ReadFile(job.Scenario)
	if err != nil {
		return true, fmt.Errorf("speed: %v", err)
	}
	var c host.Caller
	switch job.Engine {
	case "native":
		c = host.NewNative(api.Options{})
	case "wazero":
		ctx := context.Background()
		rt, err := host.Load(ctx, job.Wasm, host.DefaultCacheDir())
		if err != nil {
			return true, err
		}
		defer rt.Close()
		inst, err := rt.NewInstance(ctx)
		if err != nil {
			return true, err
		}
		defer inst.Close()
		c = inst
	default:
		return true, fmt.Errorf("speed: unknown engine %q", job.Engine)
	}
	r := play(c, scenario, time.Duration(job.SimUS)*time.Microsecond, time.Duration(job.BudgetMS)*time.Millisecond)
	return true, json.NewEncoder(out).Encode(r)
}

// spawn runs job in a child process and returns what it measured, with the
// child's peak resident set size as PeakBytes.
func spawn(job childJob) playResult {
	exe, err := os.Executable()
	if err != nil {
		return playResult{Err: err.Error()}
	}
	raw, _ := json.Marshal(job)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var r playResult
	if err != nil {
		return playResult{Err: fmt.Sprintf("speed: %s run of %s: %v", job.Engine, job.Scenario, err)}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return playResult{Err: fmt.Sprintf("speed: %s child said %.200q: %v", job.Engine, out, err)}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakBytes = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return r
}
