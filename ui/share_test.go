package ui

import (
	"strings"
	"testing"
)

// TestShareOpensTheSameRun: Share on a sandbox with a crash makes a link;
// opening it replays the very run, paused at the shared time, and saves
// nothing over the learner's own sandbox; a broken link says why and opens
// nothing.
func TestShareOpensTheSameRun(t *testing.T) {
	p := newFake(map[string]string{}, "sandbox")
	a, env := startApp(t, p)
	crashedSandbox(t, a, env)
	handle(env, func() { a.ShareRun() })
	waitFor(t, env, "the link", func() bool { return a.Share.Open })
	env.RLock()
	link, at, saved := a.Share.Link, a.F.NowUS, p.store[sandboxKey]
	env.RUnlock()
	if !strings.HasPrefix(link, "http://127.0.0.1:8080/#shared/1.") || a.Share.Err != "" {
		t.Fatalf("link %q, error %q", link, a.Share.Err)
	}
	want := p.published("share_trace_hash")

	// Open it, as a browser that follows the link would.
	route := link[strings.Index(link, "#")+1:]
	handle(env, func() { a.navigate(route, false) })
	waitFor(t, env, "the shared run", func() bool { return a.F.NowUS == at && strings.Contains(a.RunNote, "shared run") })
	if got := p.published("opened_trace_hash"); got != want || want == "" {
		t.Errorf("shared run's trace %q, the run's %q", got, want)
	}
	if got, w := p.published("opened_snapshot"), p.published("share_snapshot"); got != w {
		t.Errorf("shared run's snapshot %q, the run's %q", got, w)
	}
	handle(env, func() { a.Apply(Cmd{Op: "heal"}) })
	waitFor(t, env, "the command", func() bool { return a.F.Journal == 4 })
	if p.load(sandboxKey) != saved {
		t.Error("acting in a shared run changed the learner's saved sandbox")
	}

	handle(env, func() { a.navigate(shareRoute+"1.AAAA"+route[len(shareRoute)+6:len(route)/2], false) })
	waitFor(t, env, "the message", func() bool { return strings.Contains(a.Err, "cannot be opened") })
	if a.Page != PageLessons || p.load(sandboxKey) != saved {
		t.Errorf("a broken link: page %q, saved sandbox changed %v", a.Page, p.load(sandboxKey) != saved)
	}
}

// TestShareLesson: a lesson's run shares as the lesson's id, version and
// step; opening it shows that lesson at that step, and goals met in it are
// not stored in the learner's progress.
func TestShareLesson(t *testing.T) {
	p := newFake(map[string]string{}, "lesson/"+"topics-partitions-records")
	a, env := startApp(t, p)
	waitFor(t, env, "the lesson", func() bool { return a.Lesson != nil && a.F.Open })
	handle(env, func() { a.GoToStep(1); a.ShowSolution() })
	waitFor(t, env, "the solution", func() bool { return a.Busy == "" && a.Lesson.Solved })
	waitFor(t, env, "time", func() bool { return a.F.NowUS > 8_000_000 })
	handle(env, func() { a.Playing = false; a.ShareRun() })
	waitFor(t, env, "the link", func() bool { return a.Share.Link != "" })
	env.RLock()
	link := a.Share.Link
	env.RUnlock()
	p.mu.Lock()
	for k := range p.store {
		if strings.HasPrefix(k, "brokerlab.goal.") {
			delete(p.store, k) // as if the learner had met none
		}
	}
	stored := len(p.store)
	p.mu.Unlock()
	handle(env, func() { a.navigate(link[strings.Index(link, "#")+1:], false) })
	waitFor(t, env, "the shared lesson", func() bool { return a.Lesson != nil && a.Lesson.Shared && a.F.Open })
	if a.Lesson.L.ID != "topics-partitions-records" || a.Lesson.Step != 1 || a.Page != PageLesson {
		t.Errorf("opened %s step %d on page %s", a.Lesson.L.ID, a.Lesson.Step, a.Page)
	}
	settle(t, a)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.store) != stored {
		t.Errorf("the shared lesson run stored %d entries (progress or a run)", len(p.store)-stored)
	}
}

func TestShareBase(t *testing.T) {
	for _, c := range []struct {
		addr, base string
		remote     bool
	}{
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/", false},
		{"http://127.0.0.1:8080/?remote", "http://127.0.0.1:8080/", true},
		{"http://127.0.0.1:8080/?x=1&remote=1", "http://127.0.0.1:8080/", true},
		{"http://127.0.0.1:8080/?remoteness", "http://127.0.0.1:8080/?remoteness", false},
	} {
		if base, remote := shareBase(c.addr); base != c.base || remote != c.remote {
			t.Errorf("shareBase(%q) = %q, %v; want %q, %v", c.addr, base, remote, c.base, c.remote)
		}
	}
}
