package ui

import (
	"strings"
	"testing"
)

// TestBranchKeepsTheOldFuture: acting after a rewind starts a branch and
// shows the old future as another branch; switching to it replays to the
// fork with its commands ahead, and the run left becomes a branch.
func TestBranchKeepsTheOldFuture(t *testing.T) {
	p := newFake(map[string]string{}, "sandbox")
	a, env := startApp(t, p)
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	handle(env, func() { a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(3), ReplicationFactor: ptr(3)}) })
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 500_000 })
	handle(env, func() { a.Apply(Cmd{Op: "broker_crash", Broker: ptr(2), Mode: "process"}) })
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 1_500_000 })
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing && a.F.Journal == 2 })
	settle(t, a)
	env.RLock()
	crashAt := a.run.Journal[1].AtUS
	env.RUnlock()

	handle(env, func() { a.Rewind(crashAt - 100_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.Redo == 1 })
	handle(env, func() { a.Apply(Cmd{Op: "broker_crash", Broker: ptr(3), Mode: "process"}) })
	waitFor(t, env, "the branch", func() bool { return len(a.F.Branches) == 1 && a.F.Redo == 0 })
	if b := a.F.Branches[0]; b.Commands != 1 || b.ForkUS != crashAt-100_000 {
		t.Errorf("branch %+v, want 1 command forking at %d", b, crashAt-100_000)
	}
	handle(env, func() { a.SwitchBranch(0) })
	waitFor(t, env, "the switch", func() bool { return a.Busy == "" && strings.Contains(a.RunNote, "Switched branch") })
	env.RLock()
	defer env.RUnlock()
	if a.F.NowUS != crashAt-100_000 || a.F.Redo != 1 || len(a.F.Branches) != 1 || a.F.Branches[0].Commands != 1 {
		t.Errorf("after the switch: now %d, redo %d, branches %+v", a.F.NowUS, a.F.Redo, a.F.Branches)
	}
	if v, _ := p.Load(sandboxKey); !strings.Contains(v, `"branches"`) {
		t.Error("the saved sandbox does not keep the branch")
	}
}
