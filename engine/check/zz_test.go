package check

import (
	"fmt"
	"os"
	"testing"
)

func TestZZRepro(t *testing.T) {
	f := os.Getenv("REPRO")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	c, rec := runScenario(t, string(data))
	h := rec.History(c)
	res := Check(h)
	fmt.Println(res.Summary())
	for _, v := range res.Violations {
		fmt.Println(v)
	}
	for _, p := range h.Partitions {
		for _, r := range p.Replicas {
			fmt.Printf("broker %d leader=%v lso=%d leo=%d hwm=%d records=%d\n", r.Broker, r.Leader, r.LogStartOffset, r.LEO, r.HWM, len(r.Records))
		}
	}
	evs, _ := c.Trace.Since(0, 0)
	for _, e := range evs {
		switch e.Kind {
		case "became_leader", "replica_gap_skipped", "log_truncated", "broker_paused", "broker_resumed", "broker_crashed":
			fmt.Println(e.At(), e.Node, e.Kind, e.Msg)
		}
	}
}
