package ui

import (
	"fmt"
	"github.com/brokerlab/brokerlab/lessons/share/flatecodec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/log/logtest"
	"github.com/vugu/vugu"
)

// fakePlatform runs the real engine natively behind the Platform the UI
// uses in the browser; its clock moves one frame per NextFrame.
type fakePlatform struct {
	mu     sync.Mutex
	eng    *api.Engine
	store  map[string]string
	disk   log.Store // the files backend (OPFS in the browser)
	onHash func(string)
	hash   string
	now    float64
	files  map[string][]byte // what Fetch serves
	pub    map[string]any    // what the page published
}

func newFake(store map[string]string, hash string) *fakePlatform {
	return newFakeOn(store, hash, log.NewMemStore())
}

// newFakeOn is a page on an existing disk: a reload keeps localStorage
// (store) and the files backend (disk).
func newFakeOn(store map[string]string, hash string, disk log.Store) *fakePlatform {
	files := func() (log.Store, error) { return disk, nil }
	return &fakePlatform{eng: api.New(api.Options{Files: files}), store: store, disk: disk, hash: hash}
}

func (f *fakePlatform) Call(req []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.eng.Call(req), nil
}

func (f *fakePlatform) CallBatch(reqs [][]byte) ([][]byte, []float64, error) {
	out, at := make([][]byte, len(reqs)), make([]float64, len(reqs))
	for i, r := range reqs {
		out[i], _ = f.Call(r)
		at[i] = f.Now()
	}
	return out, at, nil
}

func (f *fakePlatform) Load(k string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.store[k]
	return v, ok
}

func (f *fakePlatform) Store(k, v string) { f.mu.Lock(); f.store[k] = v; f.mu.Unlock() }
func (f *fakePlatform) Remove(k string)   { f.mu.Lock(); delete(f.store, k); f.mu.Unlock() }
func (f *fakePlatform) Now() float64      { f.mu.Lock(); defer f.mu.Unlock(); f.now += 0.01; return f.now }
func (f *fakePlatform) NextFrame() float64 {
	runtime.Gosched() // let the test goroutine in
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now += 1000.0 / 60
	return f.now
}
func (f *fakePlatform) Publish(name string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pub == nil {
		f.pub = map[string]any{}
	}
	f.pub[name] = v
}

// published is a string the page published ("" if none).
func (f *fakePlatform) published(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, _ := f.pub[name].(string)
	return s
}

// load reads a localStorage entry.
func (f *fakePlatform) load(k string) string { v, _ := f.Load(k); return v }
func (f *fakePlatform) Hash() string         { return f.hash }
func (f *fakePlatform) Language() string     { return "en-US" }
func (f *fakePlatform) OnHashChange(cb func(string)) {
	f.mu.Lock()
	f.onHash = cb
	f.mu.Unlock()
}
func (f *fakePlatform) SetLang(string) {}
func (f *fakePlatform) Fetch(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if data, ok := f.files[path]; ok {
		return data, nil
	}
	return nil, fmt.Errorf("fake: %s: 404", path)
}
func (f *fakePlatform) SetHash(h string) { f.mu.Lock(); f.hash = h; f.mu.Unlock() }
func (f *fakePlatform) Address() string  { return "http://127.0.0.1:8080/" }

// Deflate and Inflate are compress/flate's, as the browser's streams.
func (f *fakePlatform) Deflate(data []byte) ([]byte, error) { return flatecodec.Codec{}.Deflate(data) }

func (f *fakePlatform) Inflate(z []byte, max int) ([]byte, error) {
	return flatecodec.Codec{}.Inflate(z, max)
}
func (f *fakePlatform) Copy(text string) {
	f.mu.Lock()
	f.store["clipboard"] = text
	f.mu.Unlock()
}
func (f *fakePlatform) Download(name string, data []byte) {
	f.mu.Lock()
	f.store["download:"+name] = string(data)
	f.mu.Unlock()
}

// startApp starts an App on a fake platform, with a render loop that only
// counts renders.
func startApp(t *testing.T, p *fakePlatform) (*App, vugu.EventEnv) {
	t.Helper()
	a := NewApp(p)
	env, _ := startAppOn(t, a)
	return a, env
}

// waitFor checks cond under the read lock after every render (every change
// to what the page shows asks for one) until it holds, for up to a minute.
func waitFor(t *testing.T, env vugu.EventEnv, what string, cond func() bool) {
	t.Helper()
	w, ok := watches.Load(env)
	if !ok {
		t.Fatalf("waitFor %s: the app was not started by startAppOn", what)
	}
	timeout := time.After(60 * time.Second)
	for {
		next := w.(*renderWatch).next()
		env.RLock()
		ok := cond()
		env.RUnlock()
		if ok {
			return
		}
		select {
		case <-next:
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settle waits until the driver has run every action queued so far and
// published their frames; it must not be called under the render lock.
func settle(t *testing.T, a *App) {
	t.Helper()
	if err := a.Await(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// handle runs f like a DOM event handler: under the write lock.
func handle(env vugu.EventEnv, f func()) {
	env.Lock()
	f()
	env.UnlockRender()
}

// TestLessonOneByForms plays lesson 1 through the same handlers the buttons
// call, and checks the goals tick and are stored.
func TestLessonOneByForms(t *testing.T) {
	store := map[string]string{}
	a, env := startApp(t, newFake(store, "lesson/topics-partitions-records"))
	waitFor(t, env, "the lesson to open", func() bool { return a.Lesson != nil && a.F.Open && len(a.F.Snap.Partitions) == 3 })

	handle(env, func() { a.Forms.Key = "user-1"; a.Produce(); a.Produce() })
	waitFor(t, env, "same-key-twice", func() bool { return a.GoalDone("same-key-twice") })
	if a.GoalDone("keyless-spread") {
		t.Fatal("a goal of step 2 ticked while on step 1")
	}

	handle(env, func() {
		a.GoToStep(1)
		a.Speed = 10
		a.Forms = Forms{Value: "page-view;path=/products/item-7;session=s-42;device=mobile", Count: "1000"}
		a.Produce()
	})
	waitFor(t, env, "keyless-spread", func() bool { return a.GoalDone("keyless-spread") })

	handle(env, func() {
		a.GoToStep(2)
		a.Forms = Forms{Key: "user-2", Value: "paid", HKey: "trace-id", HVal: "abc", Count: "1"}
		a.Produce()
	})
	// The goal asks the learner to open the record with the header.
	var withHeader string
	waitFor(t, env, "the record with a header on the strips", func() bool {
		for id, r := range a.F.Layout.Records {
			if len(r.Record.Headers) > 0 {
				withHeader = id
			}
		}
		return withHeader != ""
	})
	if a.GoalDone("header-record") {
		t.Fatal("header-record ticked before the record was opened")
	}
	handle(env, func() { a.OpenRecord(withHeader) })
	waitFor(t, env, "header-record", func() bool { return a.GoalDone("header-record") })

	// Step 4: open offset 0 in two partitions, on the first page of the strips.
	handle(env, func() { a.GoToStep(3); a.PageLog("first") })
	var zeros []string
	waitFor(t, env, "offset 0 on the strips", func() bool {
		zeros = zeros[:0]
		for id, r := range a.F.Layout.Records {
			if r.Record.Offset == 0 {
				zeros = append(zeros, id)
			}
		}
		return len(zeros) >= 2
	})
	if a.GoalDone("offset-zero-twice") {
		t.Fatal("offset-zero-twice ticked on arrival")
	}
	handle(env, func() { a.OpenRecord(zeros[0]); a.OpenRecord(zeros[1]) })
	waitFor(t, env, "offset-zero-twice", func() bool { return a.GoalDone("offset-zero-twice") })
	waitFor(t, env, "the lesson done", a.LessonDone)
	for _, g := range []string{"same-key-twice", "keyless-spread", "header-record", "offset-zero-twice"} {
		if store[progressKey("topics-partitions-records", g)] != "1" {
			t.Errorf("goal %s is not stored", g)
		}
	}
}

// traceHash asks the engine for its trace hash, on the driver goroutine
// (between two of its actions, so no frame is half done).
func traceHash(t *testing.T, a *App) (string, int64) {
	t.Helper()
	var r contract.TraceHashReply
	if err := a.Await(func() error { return a.eng.call("trace_hash", nil, &r) }); err != nil {
		t.Fatal(err)
	}
	return r.TraceHash, r.TimeUS
}

// TestRewindAndRestoreAreExact: a sandbox run, rewound and replayed to the
// same time, and restored from storage by a new app, has the same trace.
func TestRewindAndRestoreAreExact(t *testing.T) {
	store := map[string]string{}
	pa := newFake(store, "sandbox")
	a, env := startApp(t, pa)
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	handle(env, func() {
		a.Forms.NewTopic, a.Forms.NewPartitions, a.Forms.NewRF = "orders", "6", "3"
		a.CreateTopic()
		a.Forms.Key, a.Forms.Value, a.Forms.Count = "k{i%5}", "v{i}", "300"
		a.Produce()
		a.StartConsumer()
	})
	waitFor(t, env, "records and a consumer", func() bool { return a.F.NowUS > 1_500_000 && len(a.F.Snap.Consumers) == 1 })
	handle(env, func() { a.Forms.Broker = "2"; a.Fault("power") })
	waitFor(t, env, "broker 2 down", func() bool { return a.F.NowUS > 2_500_000 && a.F.Snap.Brokers[1].State == "down" })
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing && a.F.Journal == 4 })
	hash, at := traceHash(t, a)

	// Replaying the journal from the seed to the same time gives the same
	// trace as the run played frame by frame.
	handle(env, func() { a.Rewind(at) })
	waitFor(t, env, "the replay", func() bool { return a.Busy == "" && a.F.NowUS == at && a.F.Version > 0 })
	if h, _ := traceHash(t, a); h != hash {
		t.Fatalf("replayed trace %s, played %s", h, hash)
	}

	handle(env, func() { a.Rewind(at / 3) })
	waitFor(t, env, "the rewind", func() bool { return a.Busy == "" && a.F.NowUS == at/3 })
	if h, _ := traceHash(t, a); h == hash {
		t.Fatal("rewinding did not change the trace")
	}
	// Rewinding keeps the commands after the target as the redo, and the
	// slider keeps the old end.
	env.RLock()
	kept, redo, end := a.F.Journal, a.F.Redo, a.F.RedoEndUS
	env.RUnlock()
	if kept >= 4 || kept+redo != 4 || end != at {
		t.Fatalf("after rewinding to %d µs: %d entries kept, %d in the redo, redo end %d µs; want fewer than 4, the rest ahead, end %d", at/3, kept, redo, end, at)
	}
	// Going forward into the redo (the slider dragged right) re-applies
	// the commands at their times: the very same run.
	handle(env, func() { a.Forward(at) })
	waitFor(t, env, "the forward replay", func() bool { return a.Busy == "" && a.F.NowUS == at })
	if h, _ := traceHash(t, a); h != hash {
		t.Fatalf("trace after rewind and forward %s, played %s", h, hash)
	}
	env.RLock()
	kept, redo, end = a.F.Journal, a.F.Redo, a.F.RedoEndUS
	env.RUnlock()
	if kept != 4 || redo != 0 || end != 0 {
		t.Fatalf("after going forward: %d entries, %d in the redo, end %d", kept, redo, end)
	}
	// Rewinding again, then a new command, discards the redo.
	handle(env, func() { a.Rewind(at / 3) })
	waitFor(t, env, "the second rewind", func() bool { return a.Busy == "" && a.F.NowUS == at/3 && a.F.Redo > 0 })
	handle(env, func() { a.Apply(Cmd{Op: "heal"}) })
	waitFor(t, env, "the redo dropped", func() bool { return a.F.Redo == 0 && a.F.RedoEndUS == 0 })
	handle(env, func() { a.Rewind(at) })
	waitFor(t, env, "the replay", func() bool { return a.Busy == "" && a.F.NowUS == at })

	// Restore: a new app on the same storage, before the rewind dropped the
	// journal's tail, would reproduce the run; here it reproduces the replay.
	h1, _ := traceHash(t, a)
	b, envB := startApp(t, newFakeOn(store, "sandbox", pa.disk))
	waitFor(t, envB, "the restored sandbox", func() bool { return b.F.Open && b.Busy == "" && b.F.NowUS == at })
	if h2, _ := traceHash(t, b); h2 != h1 {
		t.Fatalf("restored trace %s, saved run %s", h2, h1)
	}
	envB.RLock()
	note := b.Note
	envB.RUnlock()
	if !strings.Contains(note, "matched the replay byte for byte") {
		t.Fatalf("the restore note does not say the disk was checked: %q", note)
	}
}

// TestReloadRecoversATornSegment: the page closes, a segment file on disk
// loses its tail; the next page replays the journal, finds the cut, says
// so, and the broker recovers from it (journaled, so a rewind keeps it).
func TestReloadRecoversATornSegment(t *testing.T) {
	store := map[string]string{}
	pa := newFake(store, "sandbox")
	a, env := flushingSandbox(t, pa, 3, 30)
	waitFor(t, env, "records flushed", func() bool { return a.F.NowUS > 1_500_000 })
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	settle(t, a) // the last frame's writes are done

	name := "broker-3/t-0/00000000000000000000.log"
	f, err := pa.disk.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	size, _ := f.Size()
	if size < 100 {
		t.Fatalf("%s holds %d bytes: nothing was written back", name, size)
	}
	f.Truncate(size - 9)
	f.Close()

	b, envB := startApp(t, newFakeOn(store, "sandbox", pa.disk))
	waitFor(t, envB, "the restored sandbox", func() bool { return b.F.Open && b.Busy == "" && b.Note != "" })
	envB.RLock()
	note, journal := b.Note, b.F.Journal
	envB.RUnlock()
	if !strings.Contains(note, "lost bytes") || !strings.Contains(note, "broker 3 t-0/00000000000000000000.log kept") {
		t.Fatalf("note %q", note)
	}
	if journal != 2 {
		t.Fatalf("journal has %d entries; want the learner's one and the disk fault", journal)
	}
	handle(envB, func() { b.Playing = true; b.Do(func() error { return nil }) })
	waitFor(t, envB, "broker 3 recovered", func() bool {
		for _, e := range b.F.Events {
			if e.Kind == "log_recovered" && e.Node == "broker-3" {
				return true
			}
		}
		return false
	})
}

// TestSandboxVoters: the start form's voter count builds a quorum, and a
// sandbox saved before the form had the field (no cluster.controllers)
// restores with one controller.
func TestSandboxVoters(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "sandbox"))
	handle(env, func() { a.Sandbox.Brokers = 1; a.SetSandboxControllers("3"); a.StartSandbox() })
	waitFor(t, env, "a 3-voter sandbox", func() bool { return a.F.Open && len(a.F.Snap.Quorum) == 3 })

	old := `{"scenario":{"cluster":{"brokers":2},"seed":7,"steps":[]},"journal":[],"time_us":0}`
	b, envB := startApp(t, newFake(map[string]string{sandboxKey: old}, "sandbox"))
	waitFor(t, envB, "the old sandbox restored", func() bool { return b.F.Open && b.Busy == "" && len(b.F.Snap.Brokers) == 2 })
	envB.RLock()
	defer envB.RUnlock()
	if n := len(b.F.Snap.Quorum); n > 1 || b.F.Snap.Controller.ID != 1 {
		t.Errorf("the old sandbox has %d voters, controller %d; want one", n, b.F.Snap.Controller.ID)
	}
}

// TestDiskFullShowsAnAlert: when the disk refuses writes the page says
// which broker and why, and the alert goes once writes work again.
func TestDiskFullShowsAnAlert(t *testing.T) {
	disk := logtest.NewFullStore()
	full := disk.Full
	p := newFakeOn(map[string]string{}, "sandbox", disk)
	a, env := flushingSandbox(t, p, 1, 500)
	waitFor(t, env, "records on disk", func() bool { return a.F.NowUS > 500_000 })
	if a.DiskAlert() != "" {
		t.Fatalf("an alert before the disk filled: %q", a.DiskAlert())
	}
	full.Store(true)
	waitFor(t, env, "the alert", func() bool { return strings.Contains(a.DiskAlert(), "Broker 1 cannot write to disk (t-0: ") })
	full.Store(false)
	waitFor(t, env, "the alert gone", func() bool { return a.DiskAlert() == "" })
}

// flushingSandbox starts a sandbox of brokers brokers with topic t (one
// partition on every broker, flush.messages=1, so every record reaches the
// disk) and a producer sending count records at 100/s.
func flushingSandbox(t *testing.T, p *fakePlatform, brokers, count int) (*App, vugu.EventEnv) {
	t.Helper()
	a, env := startApp(t, p)
	handle(env, func() { a.Sandbox.Brokers = brokers; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == brokers })
	handle(env, func() {
		a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(1), ReplicationFactor: ptr(brokers), Configs: map[string]string{"flush.messages": "1"}},
			Cmd{Op: "producer_start", Producer: "p"},
			Cmd{Op: "produce", Producer: "p", Topic: "t", Count: ptr(count), Rate: "100/s", Value: ptr("v{i}")})
	})
	return a, env
}

// TestLessonIsNotSavedAsTheSandbox: the page switches to the sandbox
// before the driver opens the sandbox's run; a save in between (a frame
// published meanwhile) must not store the lesson's run as the sandbox.
func TestLessonIsNotSavedAsTheSandbox(t *testing.T) {
	store := map[string]string{}
	a, env := startApp(t, newFake(store, "lesson/topics-partitions-records"))
	waitFor(t, env, "the lesson", func() bool { return a.F.Open && a.Lesson != nil })
	handle(env, func() { a.Playing = false })
	if err := a.Await(func() error {
		a.update(func() { a.Page = PageSandbox }) // what Go("sandbox") does under the lock
		a.saveSandbox(true)                       // a frame published before enterPage runs
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, saved := store[sandboxKey]; saved {
		t.Fatal("the lesson's run was saved as the sandbox")
	}
}

// TestHistoryNavigation: the browser's back and forward buttons (a fragment
// change the app did not make) open that page; the page already open is
// left alone.
func TestHistoryNavigation(t *testing.T) {
	p := newFake(map[string]string{}, "lessons")
	a, env := startApp(t, p)
	handle(env, func() { a.Go("lesson/topics-partitions-records") })
	waitFor(t, env, "the lesson", func() bool { return a.Page == PageLesson && a.F.Open && a.Lesson != nil })
	if p.Hash() != "lesson/topics-partitions-records" {
		t.Fatalf("hash %q after Go", p.Hash())
	}
	p.mu.Lock()
	back := p.onHash
	p.mu.Unlock()
	back("lessons") // the back button
	waitFor(t, env, "the lesson list", func() bool { return a.Page == PageLessons && !a.F.Open })
	back("lesson/topics-partitions-records") // forward
	waitFor(t, env, "the lesson again", func() bool { return a.Page == PageLesson && a.F.Open && a.Lesson != nil })
	handle(env, func() { a.Speed = 5 })
	back("lesson/topics-partitions-records") // a second event for the same entry
	settle(t, a)                             // whatever it queued has run
	env.RLock()
	speed := a.Speed
	env.RUnlock()
	if speed != 5 {
		t.Fatal("a repeated fragment event reopened the page")
	}
}

// TestLessonResumesAfterReload: a lesson's commands are saved; a new page
// replays them to the same moment (same trace), and Restart lesson forgets
// them.
func TestLessonResumesAfterReload(t *testing.T) {
	store := map[string]string{}
	const route = "lesson/topics-partitions-records"
	a, env := startApp(t, newFake(store, route))
	waitFor(t, env, "the lesson's topic", func() bool { return a.F.Open && a.Lesson != nil && len(a.TopicNames()) > 0 })
	handle(env, func() { a.Forms.Key, a.Forms.Count = "user-1", "5"; a.Produce() })
	waitFor(t, env, "records sent", func() bool {
		if a.Err != "" {
			t.Errorf("error: %s", a.Err)
			return true
		}
		return a.F.Journal == 1 && a.F.NowUS > 800_000
	})
	handle(env, func() { a.Playing = false; a.Do(func() error { return nil }) })
	waitFor(t, env, "the pause", func() bool { return !a.Playing })
	if err := a.Await(func() error { a.saveSandbox(true); return nil }); err != nil {
		t.Fatal(err)
	}
	hash, at := traceHash(t, a)

	b, envB := startApp(t, newFake(store, route))
	waitFor(t, envB, "the resumed lesson", func() bool { return b.F.Open && b.Busy == "" && b.Note == T("status.resumed") })
	handle(envB, func() { b.Playing = false; b.Do(func() error { return nil }) })
	waitFor(t, envB, "the pause", func() bool { return !b.Playing })
	if h, now := traceHash(t, b); now < at {
		t.Fatalf("resumed at %d µs, saved at %d", now, at)
	} else if now == at && h != hash {
		t.Fatalf("resumed trace %s, saved %s", h, hash)
	}
	handle(envB, func() { b.RestartLesson() })
	waitFor(t, envB, "the restart", func() bool { return b.F.Journal == 0 })
	if err := b.Await(func() error { b.saveSandbox(true); return nil }); err != nil { // the restarted run is saved too
		t.Fatal(err)
	}
	c, envC := startApp(t, newFake(store, route))
	waitFor(t, envC, "a fresh lesson", func() bool { return c.F.Open && c.Lesson != nil })
	envC.RLock()
	defer envC.RUnlock()
	if c.Note != "" || c.F.Journal != 0 {
		t.Fatalf("after a restart the lesson resumed anyway: note %q, %d commands", c.Note, c.F.Journal)
	}
}
