package cluster

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestDataDriven plays the replication scripts in testdata/dd with the
// golden runner (golden_test.go). Commands, besides run and apply:
//
//	scenario                  input: scenario JSON; builds the cluster (time 0)
//	events [kinds=a,b] [since=last|all] [data=off]
//	                          events since the previous "events" (or all), one per line
//	snapshot [partition=t-0]  leader, epoch, ISR, HWM (ELR and last known leader when set) and every replica's offsets
//	producers                 each producer's sent / acked / failed by error name
//	consumers                 each consumer's count, positions and lag
//	brokers                   each broker: up or down, fenced (the controller's word), broker epoch
//	records partition=t-0 broker=N   one replica's log
//	files broker=N            the broker's files in the Store, with sizes
//	quorum [controller=N] [from=N]
//	                          each KRaft voter: role, epoch, LEO, HWM, images, log from N
//
//	request <Kind> to=broker-N [timeout=5s]
//	                          input: request JSON; a raw client sends it and prints the answer
//
// go test ./engine/cluster -run DataDriven -args -rewrite regenerates the outputs.
func TestDataDriven(t *testing.T) { ddSuite.run(t) }

var ddSuite = goldenSuite{
	dir:   "dd",
	setup: "scenario",
	commands: goldenCommands(map[string]goldenCmd{
		"scenario":  ddScenario,
		"events":    goldenEvents(ddEventData),
		"snapshot":  ddSnapshot,
		"producers": ddProducers,
		"consumers": ddConsumers,
		"brokers":   ddBrokers,
		"quorum":    ddQuorum,
		"files":     ddFiles, // datadriven_delete_test.go
		"request":   ddRequest,
		"txn":       ddTxn, // datadriven_txn_test.go
		// datadriven_rebalance_test.go
		"rebalance-watch": ddRebalanceWatch,
		"rebalance":       ddRebalance,
		"group":           ddGroup,
		"share":           ddShare, // datadriven_share_test.go
		"records": goldenRecords(func(rec view.RecordView) string {
			return fmt.Sprintf("epoch=%d", rec.LeaderEpoch)
		}),
	}),
}

func ddScenario(g *goldenState, c goldenCase) string {
	if err := g.build(c); err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("ok: %d brokers, %d controllers, now %v", len(g.c.Brokers), len(g.c.Controllers), g.c.Now())
}

// ddEventData is " {k=v ...}" with the event's flat data in key order
// (nested maps left out), unless data=off.
func ddEventData(e view.Event, args map[string]string) string {
	if args["data"] == "off" || len(e.Data) == 0 {
		return ""
	}
	keys := make([]string, 0, len(e.Data))
	for k, v := range e.Data {
		if _, nested := v.(map[string]any); nested {
			continue
		}
		if _, nested := v.(map[string]string); nested {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return ""
	}
	sort.Strings(keys)
	kv := make([]string, 0, len(keys))
	for _, k := range keys {
		kv = append(kv, fmt.Sprintf("%s=%v", k, e.Data[k]))
	}
	return " {" + strings.Join(kv, " ") + "}"
}

func ddSnapshot(g *goldenState, c goldenCase) string {
	partition := c.args["partition"]
	s := g.c.Snapshot(SnapshotOptions{})
	var b strings.Builder
	for _, p := range s.Partitions {
		name := fmt.Sprintf("%s-%d", p.Topic, p.Partition)
		if partition != "" && name != partition {
			continue
		}
		fmt.Fprintf(&b, "%s leader=%d epoch=%d isr=%v hwm=%d", name, p.Leader, p.LeaderEpoch, p.ISR, p.HWM)
		if len(p.ELR) > 0 {
			fmt.Fprintf(&b, " elr=%v", p.ELR)
		}
		if p.LastKnownLeader != nil {
			fmt.Fprintf(&b, " last_known_leader=%d", *p.LastKnownLeader)
		}
		b.WriteString("\n")
		for _, r := range p.Replicas {
			var eps []string
			for _, e := range r.Epochs {
				eps = append(eps, fmt.Sprintf("%d@%d", e.Epoch, e.StartOffset))
			}
			sync := ""
			if r.InSync {
				sync = " in-sync"
			}
			fmt.Fprintf(&b, "  broker %d %s leo=%d hwm=%d%s epochs=[%s]\n", r.Broker, r.State, r.LEO, r.HWM, sync, strings.Join(eps, " "))
		}
	}
	if b.Len() == 0 {
		return "(no such partition)"
	}
	return b.String()
}

func ddBrokers(g *goldenState, _ goldenCase) string {
	var b strings.Builder
	for _, br := range g.c.Snapshot(SnapshotOptions{}).Brokers {
		fenced := "unfenced"
		if br.Fenced {
			fenced = "fenced"
		}
		fmt.Fprintf(&b, "broker %d %s %s epoch=%d\n", br.ID, br.State, fenced, br.BrokerEpoch)
	}
	return b.String()
}

func ddProducers(g *goldenState, _ goldenCase) string {
	var b strings.Builder
	for _, name := range sortedKeys(g.c.Producers) {
		p := g.c.Producers[name]
		var failed []string
		for _, code := range sortedKeys(p.Stats.Failed) {
			failed = append(failed, fmt.Sprintf("%s=%d", code, p.Stats.Failed[code]))
		}
		fmt.Fprintf(&b, "%s sent=%d acked=%d queued=%d failed={%s}\n", name, p.Stats.Sent, p.Stats.Acked, p.Queued(), strings.Join(failed, " "))
	}
	return b.String()
}
