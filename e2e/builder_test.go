package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/lessons"
	"github.com/brokerlab/brokerlab/lessons/lint"
	"github.com/brokerlab/brokerlab/wasm/host"
)

// TestLessonBuilder makes a lesson entirely in the builder by clicking: a
// sandbox with a topic, "Make a lesson", three steps (the leader crashed:
// a leader election; the broker restarted: its replica back in the ISR;
// another broker crashed), each with a goal picked from the catalogue, its
// params typed, a hint and a solution recorded by playing, the goals'
// live checks turning to "holds now". The builder's own check (the lesson
// played on a second engine) passes; the downloaded zip, dropped into a
// copy of lessons/, passes the lesson tests (lint.LoadFS and lint.Verify)
// and is removed again; the share link opens the lesson in a fresh profile.
func TestLessonBuilder(t *testing.T) {
	srv, _ := startServer(t)
	var errs []string
	ctx, stop := browser(t, profileDir(t), &errs)
	defer stop()
	downloads := t.TempDir()
	if err := chromedp.FromContext(ctx).Browser.Call(ctx, cdpbrowser.CommandSetDownloadBehavior,
		&cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}, nil); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/#sandbox")); err != nil {
		t.Fatal(err)
	}
	sandboxTopic(t, ctx, "builder-failed", 1)
	setPlaying(t, ctx, true)
	must(t, ctx, "builder-failed", waitJS(ctx, "time to pass", `brokerlab.ui.time_us > 3e6`, time.Minute))
	setPlaying(t, ctx, false)

	click(t, ctx, "#make-lesson")
	must(t, ctx, "builder-failed", waitJS(ctx, "the builder", `!!brokerlab.builderReady && !!document.querySelector("#bl-add-goal-0")`, time.Minute))
	typeInto(t, ctx, "#bl-id", "crash-election")
	for field, text := range map[string]string{
		"title": "A leader crashes", "summary": "Crash a leader and watch another take over.",
		"objective": "See a leader election.", "wrong": "A crashed leader takes its partition down.",
		"right": "The controller elects a follower from the ISR.",
	} {
		typeInto(t, ctx, "#bl-"+field+"-en", text)
	}
	leader := leaderOf(t, ctx)
	other := leader%3 + 1
	steps := []struct {
		text, check string
		params      map[string]string
		goal, hint  string
		fault, rec  string
		broker      int
	}{
		{"Crash the leader of orders.", "election_seen", map[string]string{"topic": "orders"}, "A new leader was elected.", "Crash the broker that leads orders.", "#fault-power", "", leader},
		{"Bring the broker back.", "isr_rejoined", map[string]string{"topic": "orders"}, "The replica is back in the ISR.", "Restart the broker you crashed.", "#fault-restart", "", leader},
		{"Crash another broker.", "broker_state", map[string]string{"broker": fmt.Sprint(other), "state": "down"}, "The other broker is down.", "Crash a broker that does not lead.", "#fault-power", "", other},
	}
	for i, s := range steps {
		typeInto(t, ctx, fmt.Sprintf("#bl-steps-%d-text-en", i), s.text)
		click(t, ctx, fmt.Sprintf("#bl-add-goal-%d", i))
		g := fmt.Sprintf("#bl-goal-%d-0", i)
		must(t, ctx, "builder-failed", waitJS(ctx, "the goal form", fmt.Sprintf(`!!document.querySelector(%q)`, g+"-check"), 10*time.Second))
		selectOption(t, ctx, g+"-check", s.check)
		must(t, ctx, "builder-failed", waitJS(ctx, "the params form", fmt.Sprintf(`!!document.querySelector(%q)`, g+"-"+firstKey(s.params)), 10*time.Second))
		for k, v := range s.params {
			typeInto(t, ctx, g+"-"+k, v)
		}
		typeInto(t, ctx, fmt.Sprintf("#bl-steps-%d-goals-0-text-en", i), s.goal)
		click(t, ctx, fmt.Sprintf("#bl-add-hint-%d", i))
		must(t, ctx, "builder-failed", waitJS(ctx, "the hint", fmt.Sprintf(`!!document.querySelector("#bl-steps-%d-hints-0-en")`, i), 10*time.Second))
		typeInto(t, ctx, fmt.Sprintf("#bl-steps-%d-hints-0-en", i), s.hint)
		must(t, ctx, "builder-failed", waitJS(ctx, "not holding yet", fmt.Sprintf(`document.querySelector(%q).classList.contains("not-yet")`, g+"-live"), 10*time.Second))
		if i == 0 {
			scrollTo(t, ctx, g)
			captureSizes(t, ctx, "builder-goal")
		}

		click(t, ctx, fmt.Sprintf("#bl-record-%d", i))
		must(t, ctx, "builder-failed", waitJS(ctx, "recording", fmt.Sprintf(`!!document.querySelector("#bl-stop-%d")`, i), 10*time.Second))
		selectOption(t, ctx, "#fault-broker", fmt.Sprint(s.broker))
		click(t, ctx, s.fault)
		setPlaying(t, ctx, true)
		must(t, ctx, "builder-failed", waitJS(ctx, "the goal to hold", fmt.Sprintf(`document.querySelector(%q).classList.contains("holds")`, g+"-live"), 2*time.Minute))
		setPlaying(t, ctx, false)
		if i == 0 {
			scrollTo(t, ctx, g)
			captureSizes(t, ctx, "builder-holds")
		}
		click(t, ctx, fmt.Sprintf("#bl-stop-%d", i))
		must(t, ctx, "builder-failed", waitJS(ctx, "the recorded solution", fmt.Sprintf(`!!document.querySelector("#bl-solution-%d li")`, i), 10*time.Second))
	}
	scrollTo(t, ctx, "#bl-solution-2")
	captureSizes(t, ctx, "builder-recorded")

	click(t, ctx, "#bl-check")
	must(t, ctx, "builder-failed", waitJS(ctx, "the builder's check", `!!document.querySelector("#bl-verified, #bl-problems, .bl-issue")`, 3*time.Minute))
	if msg := uiString(t, ctx, `[...document.querySelectorAll("#bl-problems li, .bl-issue")].map(e => e.textContent).join("\n")`); msg != "" {
		shot(t, ctx, "builder-failed")
		t.Fatalf("the builder's check found:\n%s", msg)
	}
	scrollTo(t, ctx, "#bl-verified")
	captureSizes(t, ctx, "builder-checked")
	audit(t, ctx, axeSource(t), "the lesson builder")

	click(t, ctx, "#bl-export")
	// Named by the first lesson number free: NN-crash-election.zip.
	zipPath, err := waitFile(filepath.Join(downloads, "[0-9][0-9]-crash-election.zip"), 30*time.Second)
	must(t, ctx, "builder-failed", err)
	z, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	lessonsDir := copyLessonsDir(t)
	dropped := unzipInto(t, z, lessonsDir)
	all, err := lint.LoadFS(os.DirFS(lessonsDir), ".", "lessons")
	if err != nil {
		t.Fatalf("the exported lesson dropped into lessons/ does not load:\n%v", err)
	}
	l := lessons.ByID(all, "crash-election")
	if l == nil {
		t.Fatal("the export did not load as lesson crash-election")
	}
	fails, err := lint.Verify(func() lint.Caller { return host.NewNative(api.Options{}) }, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fails {
		t.Errorf("lesson test: %s", f)
	}
	t.Logf("exported %s (%d bytes): %d steps, lesson.json:\n%s", filepath.Base(zipPath), len(z), len(l.Steps), readFile(t, filepath.Join(dropped, "lesson.json")))
	if err := os.RemoveAll(dropped); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dropped); !os.IsNotExist(err) {
		t.Errorf("%s is still there", dropped)
	}

	// The zip opens back into the builder (to edit a lesson made earlier).
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#bl-open"), []string{zipPath})); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "builder-failed", waitJS(ctx, "the lesson opened", `document.querySelector("#bl-note").textContent.includes('Opened lesson "crash-election" (3 steps)')`, 20*time.Second))

	click(t, ctx, "#bl-share")
	must(t, ctx, "builder-failed", waitJS(ctx, "the link", `!!document.querySelector("#bl-link")`, 30*time.Second))
	link := uiString(t, ctx, `document.querySelector("#bl-link").value`)
	if !strings.HasPrefix(link, srv.URL+"/#shared/2.") {
		t.Fatalf("link %q", link)
	}
	t.Logf("share link: %d characters", len(link))
	noPageErrors(t, &errs)

	// The link plays the lesson in a fresh profile.
	var errs2 []string
	ctx2, stop2 := browser(t, profileDir(t), &errs2)
	defer stop2()
	if err := chromedp.Do(ctx2, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx2, "builder-link-failed", waitJS(ctx2, "the lesson from the link",
		`document.body.textContent.includes("A leader crashes") && document.body.textContent.includes("Crash the leader of orders.")`, 2*time.Minute))
	captureSizes(t, ctx2, "builder-link")
	noPageErrors(t, &errs2)
}

// scrollTo scrolls the builder's panel to an element.
func scrollTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: "center"})`, sel))); err != nil {
		t.Fatalf("scroll to %s: %v", sel, err)
	}
}

// setPlaying plays or pauses the page with its Play/Pause button.
func setPlaying(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	const isPlaying = `document.querySelector("#play").textContent.includes("Pause")`
	if now := uiString(t, ctx, `String(`+isPlaying+`)`) == "true"; now != on {
		click(t, ctx, "#play")
	}
	want := isPlaying
	if !on {
		want = "!" + isPlaying
	}
	must(t, ctx, "builder-failed", waitJS(ctx, "play or pause", want, 10*time.Second))
	if !on {
		settle(t, ctx)
	}
}

func firstKey(m map[string]string) string {
	for _, k := range []string{"topic", "broker"} {
		if _, ok := m[k]; ok {
			return k
		}
	}
	return ""
}

// leaderOf asks the page's engine which broker leads orders-0.
func leaderOf(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`brokerlab.engine.request("snapshot", {}).then(r => r.result.partitions.find(p => p.topic === "orders").leader)`, chromedp.EvalAwaitPromise))
	if err != nil || n < 1 {
		t.Fatalf("the leader of orders: %d, %v", n, err)
	}
	return n
}

// waitFile waits for a finished download matching pattern and returns its path.
func waitFile(pattern string, timeout time.Duration) (string, error) {
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			if st, err := os.Stat(path); err == nil && st.Size() > 0 {
				return path, nil
			}
		}
	}
	return "", fmt.Errorf("no download %s after %v", pattern, timeout)
}

// copyLessonsDir copies the repository's lesson folders into a temp dir:
// the lessons/ an exported lesson is dropped into.
func copyLessonsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "lessons")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if _, err := os.Stat(filepath.Join(src, e.Name(), "lesson.json")); !e.IsDir() || err != nil {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(src, e.Name()))
		if err := os.MkdirAll(filepath.Join(dir, e.Name()), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(src, e.Name(), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, e.Name(), f.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// unzipInto writes the zip's files under dir and returns the folder they
// are in.
func unzipInto(t *testing.T, z []byte, dir string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	folder := ""
	for _, f := range zr.File {
		if strings.Contains(f.Name, "..") || filepath.IsAbs(f.Name) {
			t.Fatalf("zip entry %q", f.Name)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		folder = filepath.Dir(p)
	}
	return folder
}

func readFile(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
