package ui

import (
	"strings"
	"sync"
	"testing"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/lessons/outcome"
)

// fakeInstances are the fake pages' other engine instances, as the
// worker's (engine-host.js): started on first use, in memory.
var fakeInstances sync.Map // *fakePlatform → map[int]*api.Engine

func (f *fakePlatform) CallBatchOn(inst int, reqs [][]byte) ([][]byte, []float64, error) {
	if inst == 0 {
		return f.CallBatch(reqs)
	}
	v, _ := fakeInstances.LoadOrStore(f, map[int]*api.Engine{})
	engines := v.(map[int]*api.Engine)
	f.mu.Lock()
	e := engines[inst]
	if e == nil {
		mem := log.NewMemStore() // the worker gives it a memory volume
		e = api.New(api.Options{Files: func() (log.Store, error) { return mem, nil }})
		engines[inst] = e
	}
	f.mu.Unlock()
	out, at := make([][]byte, len(reqs)), make([]float64, len(reqs))
	for i, r := range reqs {
		f.mu.Lock()
		out[i] = e.Call(r)
		f.mu.Unlock()
		at[i] = f.Now()
	}
	return out, at, nil
}

func (f *fakePlatform) DropInstance(inst int) {
	if v, ok := fakeInstances.Load(f); ok {
		f.mu.Lock()
		delete(v.(map[int]*api.Engine), inst)
		f.mu.Unlock()
	}
}

// TestCompareBranches: a run with acks=1 under lesson 10's crashes,
// rewound to after the topic's creation; acting there (acks=all, clean
// elections) starts a branch; the old future is redone by switching to it;
// Compare replays both from the fork in two engines, one clock moves both,
// and the outcome diff names the records acks=1 lost and acks=all kept.
func TestCompareBranches(t *testing.T) {
	p := newFake(map[string]string{}, "sandbox")
	a, env := startApp(t, p)
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	at := func(us int64, cmds ...Cmd) {
		t.Helper()
		if err := a.Await(func() error {
			if err := a.run.RunTo(us); err != nil {
				return err
			}
			return a.run.Apply(cmds...)
		}); err != nil {
			t.Fatal(err)
		}
	}
	topic := func(us int64, configs map[string]string) {
		at(us, Cmd{Op: "create_topic", Topic: "ledger", Partitions: ptr(1), ReplicationFactor: ptr(3), Configs: configs})
	}
	topic(100_000, map[string]string{"unclean.leader.election.enable": "true"})
	if err := a.Await(func() error { return a.run.Refresh(true, false) }); err != nil {
		t.Fatal(err)
	}
	env.RLock()
	var leader int
	for _, ps := range a.run.Snap.Partitions {
		if ps.Topic == "ledger" {
			leader = int(ps.Leader)
		}
	}
	env.RUnlock()
	var followers []int
	for b := 1; b <= 3; b++ {
		if b != leader {
			followers = append(followers, b)
		}
	}
	crashes := func(acks string) {
		at(200_000, Cmd{Op: "producer_start", Producer: "p", Configs: map[string]string{"acks": acks}})
		at(1_000_000, Cmd{Op: "produce", Producer: "p", Topic: "ledger", Count: ptr(1200), Rate: "20/s", Value: ptr("entry-{i}")})
		at(5_000_000, Cmd{Op: "broker_crash", Broker: ptr(followers[0])})
		at(6_000_000, Cmd{Op: "broker_crash", Broker: ptr(followers[1])})
		at(45_000_000, Cmd{Op: "broker_crash", Broker: ptr(leader)})
		at(60_000_000, Cmd{Op: "broker_restart", Broker: ptr(followers[0])})
		if err := a.Await(func() error { return a.run.RunTo(70_000_000) }); err != nil {
			t.Fatal(err)
		}
	}
	crashes("1")
	handle(env, func() { a.Rewind(50_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.NowUS == 50_000 && a.F.Redo == 7 })
	topic(50_000, map[string]string{"min.insync.replicas": "2"})
	crashes("all")
	settle(t, a)
	waitFor(t, env, "the branch", func() bool { return len(a.F.Branches) == 1 })
	// Redo the old future: switch to it and run it to its end.
	handle(env, func() { a.SwitchBranch(0) })
	waitFor(t, env, "the switch", func() bool { return a.Busy == "" && a.F.NowUS == 50_000 && a.F.Redo == 7 })
	handle(env, func() { a.Forward(70_000_000) })
	waitFor(t, env, "the redo", func() bool { return a.Busy == "" && a.F.NowUS == 70_000_000 && a.F.Redo == 0 })

	handle(env, func() { a.CompareBranch(0) })
	waitFor(t, env, "compare", func() bool { return a.Busy == "" && a.F.Cmp != nil && a.F.NowUS == 50_000 })
	if got := a.F.Cmp.LabelA; got != "This run: create_topic topic=ledger partitions=1 replication_factor=3 configs unclean.leader.election.enable=true" {
		t.Errorf("label A %q", got)
	}
	if got := a.F.Cmp.LabelB; got != "Other branch: create_topic topic=ledger partitions=1 replication_factor=3 configs min.insync.replicas=2" {
		t.Errorf("label B %q", got)
	}
	// One clock: playing moves both.
	handle(env, func() { a.Speed = 100; a.TogglePlay() })
	waitFor(t, env, "both to advance", func() bool { return a.F.NowUS > 2_000_000 })
	handle(env, func() { a.TogglePlay() })
	settle(t, a)
	if err := a.Await(func() error {
		if a.cmp.b.NowUS != a.run.NowUS {
			t.Errorf("after play: A at %d, B at %d", a.run.NowUS, a.cmp.b.NowUS)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	handle(env, func() { a.Forward(70_000_000) })
	waitFor(t, env, "the end", func() bool { return a.Busy == "" && a.F.NowUS == 70_000_000 && a.F.Cmp != nil })
	env.RLock()
	rows := a.F.Cmp.Rows
	env.RUnlock()
	t.Logf("diff: %+v", rows)
	lost := rows[1]
	if lost.Figure != outcome.Lost || lost.A == 0 || lost.B != 0 || !lost.Differs {
		t.Errorf("lost row %+v: want acks=1 to lose records and acks=all none", lost)
	}
	env.RLock()
	sum, body := summary(a.F.Cmp.Rows), a.F.Cmp.Body.HTML
	env.RUnlock()
	t.Logf("summary: %s", sum)
	if !strings.Contains(body, sum) || !strings.Contains(body, `id="cmp-b-node-broker-1"`) || !strings.Contains(body, `id="node-broker-1"`) {
		t.Errorf("the view lacks the summary or one of the cluster views")
	}
	// Back one second: both replay; closing drops the second engine.
	handle(env, func() { a.Rewind(69_000_000) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.NowUS == 69_000_000 })
	settle(t, a)
	if err := a.Await(func() error {
		if a.cmp.b.NowUS != 69_000_000 {
			t.Errorf("after the rewind B is at %d", a.cmp.b.NowUS)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	handle(env, func() { a.CloseCompare() })
	waitFor(t, env, "closed", func() bool { return a.F.Cmp == nil })
}

// TestWhatIf: "What if…" keeps the run as it is; the next command starts
// another branch and Compare opens at once with both: the one with the
// producer acknowledges records, the one without does not.
func TestWhatIf(t *testing.T) {
	p := newFake(map[string]string{}, "sandbox")
	a, env := startApp(t, p)
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	if err := a.Await(func() error {
		return a.run.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(3), ReplicationFactor: ptr(3)})
	}); err != nil {
		t.Fatal(err)
	}
	handle(env, func() { a.WhatIf() })
	handle(env, func() {
		a.Apply(Cmd{Op: "producer_start", Producer: "p"}, Cmd{Op: "produce", Producer: "p", Topic: "t", Count: ptr(100), Rate: "100/s"})
	})
	waitFor(t, env, "compare", func() bool { return a.F.Cmp != nil && len(a.F.Branches) == 1 })
	if got := a.F.Cmp.LabelB; got != "Other branch" {
		t.Errorf("label B %q, want the fallback (no commands of its own)", got)
	}
	handle(env, func() { a.Speed = 100; a.TogglePlay() })
	waitFor(t, env, "records", func() bool { return a.F.Cmp != nil && len(a.F.Cmp.Rows) > 0 && a.F.Cmp.Rows[0].A >= 100 })
	handle(env, func() { a.TogglePlay() })
	settle(t, a)
	env.RLock()
	defer env.RUnlock()
	if r := a.F.Cmp.Rows[0]; r.Figure != outcome.Acked || r.B != 0 || !r.Differs {
		t.Errorf("acked row %+v: want records with the producer and none without", r)
	}
}
