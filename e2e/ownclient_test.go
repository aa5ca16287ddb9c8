package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/server/kafkawire"
	"github.com/brokerlab/brokerlab/static"
	"github.com/chromedp/chromedp"
)

// remoteKafka runs what make run-kafka runs, on free loopback ports: the
// engine behind the Kafka listener, and the page's server with the remote
// engine's /engine. It returns the engine, the first broker's Kafka
// address and the page's URL.
func remoteKafka(t *testing.T) (*kafkawire.Engine, string, string) {
	t.Helper()
	sc, err := scenario.Parse([]byte(kafkawire.DefaultScenario))
	if err != nil {
		t.Fatal(err)
	}
	e, err := kafkawire.NewEngine(sc, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	e.SetSource([]byte(kafkawire.DefaultScenario)) // as the server does: Share exports the session
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
	return e, ks.Addrs()[0], web.URL
}

// kcatPath finds kcat, which make test installs.
func kcatPath(t *testing.T) string {
	t.Helper()
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		skipOrFail(t, "kcat is not installed (make kcat)")
	}
	return kcat
}

// steadyKcat runs kcat -P on topic with a line every 50 ms, as the
// lesson's `while true; do printf …; done | kcat -P …` does, until stop is
// called; sent counts the lines written to it. Each line is padded to
// ~200 bytes: kcat 1.7 reads its input 1 KB at a time.
func steadyKcat(t *testing.T, kcat, addr, topic string) (sent *atomic.Int64, stop func()) {
	t.Helper()
	cmd := exec.Command(kcat, "-P", "-b", addr, "-t", topic, "-q")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sent = new(atomic.Int64)
	quit := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-quit:
				stdin.Close()
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := io.WriteString(stdin, fmt.Sprintf("kcat-%d %0200d\n", i, 0)); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		close(quit)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	}
	t.Cleanup(stop)
	return sent, stop
}

// ownClientLesson: a lesson whose steps have the learner run a real Kafka
// client in a terminal (the outside_client control).
func ownClientLesson(l *lessons.Lesson) bool {
	for _, s := range l.Steps {
		if slices.Contains(s.Controls, "outside_client") {
			return true
		}
	}
	return false
}

// clickOwnClient plays lesson your-own-client as its text says: the
// server started as make run-kafka starts it, the page opened with
// ?remote, the page's forms and buttons clicked, and kcat run as the text's
// commands run it (on the test's ports).
func clickOwnClient(t *testing.T, ctx context.Context, l *lessons.Lesson) {
	start := time.Now()
	kcat := kcatPath(t)
	e, addr, url := remoteKafka(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/?remote#lesson/"+l.ID)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "click-"+l.ID+"-open", waitJS(ctx, "the lesson page", `!!document.querySelector("#lesson-title") && (globalThis.brokerlab && brokerlab.ui && brokerlab.ui.page) === "lesson"`, time.Minute))
	// Attached to the server, the page follows its cluster while it plays.
	if !playing(&player{t: t, ctx: ctx, where: l.ID}) {
		click(t, ctx, "#play")
	}
	run := func(where string, args ...string) {
		t.Helper()
		cmd := exec.Command(kcat, args...)
		if args[0] == "-P" {
			cmd.Stdin = strings.NewReader("hello\nhola\nbonjour\n")
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: kcat %s: %v\n%s", where, strings.Join(args, " "), err, out)
		}
	}
	leaderOf := func() int32 {
		leader := int32(-1)
		e.Locked(func(c *cluster.Cluster) {
			for _, b := range c.Brokers {
				if r := b.Replica(names.TopicPartition{Topic: "greetings", Partition: 0}); r != nil && r.IsLeader && !b.Down() {
					leader = b.ID()
				}
			}
		})
		return leader
	}
	var crashed int32
	var stopSteady func()
	for i, st := range l.Steps {
		where := fmt.Sprintf("%s step %d (%s)", l.ID, i+1, st.ID)
		must(t, ctx, "", waitJS(ctx, where, fmt.Sprintf(`!!document.querySelector("#step-%s.current, #step-%s[aria-current]")`, st.ID, st.ID), 10*time.Second))
		if i == 0 {
			shotSizes(t, ctx, "click-"+l.ID+"-first")
		}
		p := &player{t: t, ctx: ctx, where: where}
		act := func(raw string) {
			var c clickCmd
			if err := c.parse([]byte(raw)); err != nil {
				t.Fatal(err)
			}
			p.where = where + ", " + c.op
			p.perform(c)
		}
		switch st.ID {
		case "produce":
			act(`{"op": "create_topic", "topic": "greetings", "partitions": 1, "replication_factor": 3}`)
			// As the learner sees the partition on the page before running
			// kcat (which would otherwise auto-create it with one replica).
			must(t, ctx, "", waitJS(ctx, where+": greetings on the page", `(document.querySelector("#cluster-svg")||{textContent:""}).textContent.includes("greetings-0")`, 30*time.Second))
			run(where, "-P", "-b", addr, "-t", "greetings")
		case "consume":
			run(where, "-C", "-b", addr, "-t", "greetings", "-o", "beginning", "-e", "-q")
		case "failover":
			var sent *atomic.Int64
			sent, stopSteady = steadyKcat(t, kcat, addr, "greetings")
			for sent.Load() < 10 {
				time.Sleep(50 * time.Millisecond)
			}
			crashed = leaderOf()
			if crashed < 1 {
				t.Fatalf("%s: greetings-0 has no leader", where)
			}
			act(fmt.Sprintf(`{"op": "broker_crash", "broker": %d}`, crashed))
		case "restart":
			stopSteady()
			act(fmt.Sprintf(`{"op": "broker_restart", "broker": %d}`, crashed))
		default:
			t.Fatalf("%s: this test does not know what the step asks", where)
		}
		for _, g := range st.Goals {
			waitGoalFor(t, ctx, where, g.ID, 90*time.Second)
		}
		if st.ID == "consume" {
			shareOwnClient(t, ctx, where)
		}
		if i == len(l.Steps)-1 {
			must(t, ctx, "", waitJS(ctx, where+": the outside clients", `document.querySelectorAll("#outside-clients .client").length >= 3`, 10*time.Second))
		}
		leaveStep(t, ctx, l, i, where)
	}
	t.Logf("%s: every goal ticked with kcat and clicks in %.1f s", l.ID, time.Since(start).Seconds())
}

// shareOwnClient: Share on the attached page links the server's session
// (the scenario with kcat's requests as client_* steps) for the page's
// own engine; the link opens in another tab, without ?remote, where the
// session replays in engine.wasm — the topic, its records and kcat's
// connections — and can be rewound.
func shareOwnClient(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	click(t, ctx, "#share")
	must(t, ctx, "own-client-share-failed", waitJS(ctx, where+": the share link", `!!document.querySelector("#share-link, #share-download, #share-error")`, 30*time.Second))
	link := uiString(t, ctx, `(document.querySelector("#share-link")||{value:""}).value`)
	if link == "" || strings.Contains(link, "remote") || !strings.Contains(link, "#shared/") {
		shot(t, ctx, "own-client-share-failed")
		t.Fatalf("%s: Share on the attached page gave the link %q (%s)", where, link, uiString(t, ctx, `(document.querySelector("#share-panel")||{textContent:""}).textContent`))
	}
	click(t, ctx, "#share-close")
	tab, stop := chromedp.NewContext(ctx)
	defer stop()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	must(t, tab, "own-client-shared-failed", waitJS(tab, where+": the shared session", `!!(window.brokerlab && brokerlab.ui && brokerlab.ui.opened_trace_hash) && (document.querySelector("#run-note")||{textContent:""}).textContent.includes("shared run")`, 2*time.Minute))
	must(t, tab, "own-client-shared-failed", waitJS(tab, where+": kcat's connections replayed", `document.querySelectorAll("#outside-clients .client").length >= 4 && document.querySelectorAll("#cluster-svg rect.rec").length >= 3`, 30*time.Second))
	if n := uiString(t, tab, `String(document.querySelectorAll("#rewind, #back1").length)`); n != "2" {
		t.Fatalf("%s: the shared session in the page's own engine has no rewind (%s controls)", where, n)
	}
	shot(t, tab, "own-client-shared")
}
