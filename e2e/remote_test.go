package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/chromedp/chromedp"
)

// TestRemoteEngineKcat: the page attached to the server's engine (?remote)
// shows the records kcat (a real librdkafka client) produces on the log
// strip; the learner crashes the partition's leader from the page while
// kcat keeps producing, and kcat's records go on landing on the new leader.
func TestRemoteEngineKcat(t *testing.T) {
	kcat := kcatPath(t)
	e, addr, url := remoteKafka(t)
	// orders has three replicas, so a crashed leader has successors (an
	// auto-created topic would have default.replication.factor=1).
	if err := e.Apply([]byte(`{"op": "create_topic", "topic": "orders", "partitions": 1, "replication_factor": 3}`)); err != nil {
		t.Fatal(err)
	}
	// kcat produces a line every 50 ms until the test ends.
	sent, _ := steadyKcat(t, kcat, addr, "orders")

	var errs []string
	ctx, cancel := browser(t, profileDir(t), &errs)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url+"/?remote#sandbox")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "remote-failed", waitJS(ctx, "the sandbox", `!!document.querySelector("#sandbox-start, #play")`, time.Minute))
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#sandbox-start")`)); ok {
		click(t, ctx, "#sandbox-start")
	}
	must(t, ctx, "remote-failed", waitJS(ctx, "the server's three brokers", `document.querySelectorAll("#cluster-svg .node.broker").length === 3`, 30*time.Second))
	must(t, ctx, "remote-failed", waitJS(ctx, "kcat's records on the log strip", `document.querySelectorAll("#cluster-svg rect.rec").length >= 5`, 30*time.Second))
	shot(t, ctx, "remote-kcat")

	leader := int32(-1)
	e.Locked(func(c *cluster.Cluster) {
		for _, b := range c.Brokers {
			if r := b.Replica(names.TopicPartition{Topic: "orders", Partition: 0}); r != nil && r.IsLeader {
				leader = b.ID()
			}
		}
	})
	if leader < 1 {
		t.Fatal("orders-0 has no leader")
	}
	selectOption(t, ctx, "#fault-broker", strconv.Itoa(int(leader)))
	click(t, ctx, "#fault-crash")
	must(t, ctx, "remote-crash-failed", waitJS(ctx, "the leader down", `document.querySelector("#cluster-svg .node.broker.down") !== null`, 20*time.Second))
	down := false
	e.Locked(func(c *cluster.Cluster) { down = c.Broker(int(leader)).Down() })
	if !down {
		t.Fatalf("broker %d is not down in the server's engine after the page crashed it", leader)
	}

	// kcat carries on: its records land on the new leader.
	atCrash := sent.Load()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var end int64
		e.Locked(func(c *cluster.Cluster) {
			for _, b := range c.Brokers {
				if r := b.Replica(names.TopicPartition{Topic: "orders", Partition: 0}); r != nil && r.IsLeader && !b.Down() {
					end = r.LEO()
				}
			}
		})
		if end > atCrash {
			t.Logf("kcat sent %d lines, %d before the crash; the new leader's log ends at %d", sent.Load(), atCrash, end)
			break
		}
		if time.Now().After(deadline) {
			shot(t, ctx, "remote-after-crash-failed")
			t.Fatalf("the new leader's log ends at %d: kcat's records after the crash (%d sent before it) do not land", end, atCrash)
		}
		time.Sleep(100 * time.Millisecond)
	}
	shot(t, ctx, "remote-crash")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "remote-crash-phone")
	noPageErrors(t, &errs)
}
