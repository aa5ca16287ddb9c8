package simtest

import (
	"fmt"
	"os"
	"testing"

	"github.com/brokerlab/brokerlab/engine/check"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

func TestZZExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	mode := Safe
	if os.Getenv("EXPLORE") == "unsafe" {
		mode = Unsafe
	}
	stats := map[string]int{}
	for seed := uint64(1); seed <= 300; seed++ {
		p := NewPlan(seed, mode)
		s, _ := scenario.Parse(p.Scenario())
		c, _ := cluster.New(s, nil)
		rec := check.Watch(c)
		c.Sim.RunUntil(s.End)
		h := rec.History(c)
		res := check.Check(h)
		committed := int64(0)
		unconv := ""
		for _, part := range h.Partitions {
			var lead *check.Replica
			for i := range part.Replicas {
				if part.Replicas[i].Leader {
					lead = &part.Replicas[i]
				}
			}
			if lead == nil {
				unconv += fmt.Sprintf(" %s-%d:noleader", part.Topic, part.Partition)
				continue
			}
			committed += lead.HWM - lead.LogStartOffset
			if len(part.Replicas) != 3 {
				unconv += fmt.Sprintf(" %s-%d:replicas=%d", part.Topic, part.Partition, len(part.Replicas))
			}
			for _, r := range part.Replicas {
				if r.LEO != lead.LEO || r.HWM != lead.HWM {
					unconv += fmt.Sprintf(" %s-%d:b%d leo=%d hwm=%d vs %d/%d", part.Topic, part.Partition, r.Broker, r.LEO, r.HWM, lead.LEO, lead.HWM)
				}
			}
		}
		sent, failed := int64(0), map[string]int64{}
		for _, pr := range c.Producers {
			sent += pr.Stats.Sent
			for k, v := range pr.Stats.Failed {
				failed[k] += v
				stats["fail:"+k] += int(v)
			}
		}
		if int64(res.Read) != committed {
			unconv += fmt.Sprintf(" read=%d committed=%d", res.Read, committed)
		}
		if unconv != "" {
			stats["unconverged"]++
		}
		if res.Acked < int(sent) {
			stats["not all acked"]++
		}
		if !res.OK() {
			stats["violations"]++
		}
		fmt.Printf("seed %d: sent %d acked %d read %d failed %v %s%s\n", seed, sent, res.Acked, res.Read, failed, res.Summary(), unconv)
	}
	fmt.Println(stats)
}

func TestZZDump(t *testing.T) {
	v := os.Getenv("DUMPSEED")
	if v == "" {
		t.Skip()
	}
	var seed uint64
	fmt.Sscan(v, &seed)
	mode := Safe
	if os.Getenv("MODE") == "unsafe" {
		mode = Unsafe
	}
	p := NewPlan(seed, mode)
	fmt.Printf("%s", p.Scenario())
	s, _ := scenario.Parse(p.Scenario())
	c, _ := cluster.New(s, nil)
	skip := map[string]bool{"appended": true, "hwm_advanced": true, "consumed": true, "produce_acked": true}
	if os.Getenv("ALL") != "" {
		skip = map[string]bool{}
	}
	c.Trace.SetSink(func(line []byte) {
		for k := range skip {
			if contains(line, `"kind":"`+k+`"`) {
				return
			}
		}
		fmt.Println(string(line))
	})
	c.Sim.RunUntil(s.End)
}

func contains(b []byte, s string) bool { return len(s) > 0 && indexOf(string(b), s) >= 0 }
func indexOf(a, b string) int {
	for i := 0; i+len(b) <= len(a); i++ {
		if a[i:i+len(b)] == b {
			return i
		}
	}
	return -1
}

func TestZZNoGuard(t *testing.T) {
	if os.Getenv("NOGUARD") == "" {
		t.Skip()
	}
	lost, powered := 0, 0
	for seed := uint64(1); seed <= 2000; seed++ {
		p := NewPlan(seed, Safe)
		if p.Fsync {
			continue
		}
		hasPower := false
		for _, s := range p.Steps {
			if s.Mode == "power" {
				hasPower = true
			}
		}
		if !hasPower {
			continue
		}
		powered++
		p.Fsync = true // disables the guard only
		o, g, err := run(p)
		if err != nil || g >= 0 {
			t.Fatal(err, g)
		}
		if o.Failed() {
			lost++
			if lost <= 2 {
				fmt.Println(o.Report("x"))
			}
		}
	}
	fmt.Println("unguarded power-loss plans:", powered, "failed:", lost)
}
