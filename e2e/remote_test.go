package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/server/kafkawire"
	"github.com/brokerlab/brokerlab/static"
	"github.com/chromedp/chromedp"
)

// TestRemoteEngineKcat: the page attached to the server's engine (?remote)
// shows the records kcat (a real librdkafka client) produces on the log
// strip; the learner crashes the partition's leader from the page while
// kcat keeps producing, and kcat's records go on landing on the new leader.
func TestRemoteEngineKcat(t *testing.T) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		skipOrFail(t, "kcat is not installed (make kcat)")
	}
	sc, err := scenario.Parse([]byte(kafkawire.DefaultScenario))
	if err != nil {
		t.Fatal(err)
	}
	e, err := kafkawire.NewEngine(sc, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := kafkawire.Listen(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ks.Serve()
	t.Cleanup(ks.Close)
	mux := http.NewServeMux()
	mux.Handle("/engine", e.Handler())
	mux.Handle("/", handler.New(handler.Config{Static: static.FS, Dist: os.DirFS(distDir(t)), Logf: t.Logf}))
	web := httptest.NewServer(mux)
	t.Cleanup(web.Close)

	// orders has three replicas, so a crashed leader has successors (an
	// auto-created topic would have default.replication.factor=1).
	if err := e.Apply([]byte(`{"op": "create_topic", "topic": "orders", "partitions": 1, "replication_factor": 3}`)); err != nil {
		t.Fatal(err)
	}
	// kcat produces a line every 50 ms until the test ends.
	cmd := exec.Command(kcat, "-P", "-b", ks.Addrs()[0], "-t", "orders", "-q")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var sent atomic.Int64
	stop := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				stdin.Close()
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := io.WriteString(stdin, fmt.Sprintf("kcat-%d\n", i)); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	t.Cleanup(func() {
		close(stop)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})

	var errs []string
	ctx, cancel := browser(t, profileDir(t), &errs)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(web.URL+"/?remote#sandbox")); err != nil {
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
