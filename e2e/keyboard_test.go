package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyboard is a learner without a mouse: the focus moves only by Tab, and
// every action is a key press on the focused element. No mouse event is
// ever sent.
type keyboard struct {
	t   *testing.T
	ctx context.Context
}

// press sends keys to whatever has the focus.
func (k keyboard) press(keys ...string) {
	k.t.Helper()
	for _, key := range keys {
		if err := chromedp.Do(k.ctx, chromedp.KeyEvent(key)); err != nil {
			k.t.Fatalf("key %q: %v", key, err)
		}
	}
}

// focused reports whether the focused element matches sel.
func (k keyboard) focused(sel string) bool {
	ok, err := chromedp.Run(k.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)))
	return err == nil && ok
}

// tabTo presses Tab until sel has the focus, as a keyboard user walks the
// page; it fails when sel cannot be reached in the focus order.
func (k keyboard) tabTo(sel string) {
	k.t.Helper()
	for range 400 {
		if k.focused(sel) {
			return
		}
		k.press(kb.Tab)
	}
	shot(k.t, k.ctx, "keyboard-unreachable")
	k.t.Fatalf("%s cannot be reached with Tab", sel)
}

// activate reaches a button with Tab and presses Enter on it.
func (k keyboard) activate(sel string) { k.t.Helper(); k.tabTo(sel); k.press(kb.Enter) }

// fill reaches a text field with Tab and replaces its text.
func (k keyboard) fill(sel, text string) {
	k.t.Helper()
	k.tabTo(sel)
	// Erase what is there (End, then Backspace) and type.
	n, err := chromedp.Run(k.ctx, chromedp.Evaluate[int](fmt.Sprintf(`[...document.querySelector(%q).value].length`, sel)))
	if err != nil {
		k.t.Fatal(err)
	}
	k.press(kb.End)
	for range n {
		k.press(kb.Backspace)
	}
	for _, r := range text {
		k.press(string(r))
	}
}

// choose reaches a <select> with Tab and moves through its options with the
// arrow keys until text is chosen.
func (k keyboard) choose(sel, text string) {
	k.t.Helper()
	k.tabTo(sel)
	for range 20 {
		got, err := chromedp.Run(k.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(s => s.options[s.selectedIndex].text)(document.querySelector(%q))`, sel)))
		if err == nil && got == text {
			return
		}
		k.press(kb.ArrowDown)
	}
	k.t.Fatalf("%s: no option %q reached with the arrow keys", sel, text)
}

// shots saves screenshots at 1280×800 and 390×844 without touching the
// page (shotSizes pauses with the mouse).
func (k keyboard) shots(name string) { k.t.Helper(); captureSizes(k.t, k.ctx, name) }

// cursor is the record the cluster view's keyboard cursor is on.
func (k keyboard) cursor() string {
	id, _ := chromedp.Run(k.ctx, chromedp.Evaluate[string](`document.querySelector("#cluster-svg").getAttribute("aria-activedescendant") || ""`))
	return id
}

// TestKeyboardLesson1 completes lesson 1 with the keyboard alone, from the
// lesson list to the finish, opening records from the log strips with the
// arrow keys and Enter.
func TestKeyboardLesson1(t *testing.T) {
	_, ctx, errs := openPage(t, "/")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	k := keyboard{t, ctx}
	t.Cleanup(func() {
		if t.Failed() {
			noPageErrors(t, errs)
		}
	})
	must(t, ctx, "keyboard-list", waitJS(ctx, "the lesson list", `!!document.querySelector("#open-`+lesson1+`")`, time.Minute))
	must(t, ctx, "keyboard-list", waitJS(ctx, "the engine", `document.querySelector("#engine-status").dataset.state === "ready"`, time.Minute))
	k.activate("#open-" + lesson1)
	must(t, ctx, "keyboard-lesson", waitJS(ctx, "the lesson's partitions", `document.querySelectorAll("#cluster-svg .part").length === 3`, time.Minute))
	// The skip link shows when it has the focus and takes it to the view.
	k.tabTo("#skip-link")
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#skip-link").getBoundingClientRect().top >= 0`)); !ok {
		t.Error("the skip link has the focus but is off screen")
	}
	k.shots("keyboard-skip-link")
	k.press(kb.Enter)
	if waitJS(ctx, "the focus on the cluster view", `document.activeElement === document.querySelector("#cluster-svg")`, 5*time.Second) != nil {
		t.Error("the skip link did not move the focus to the cluster view")
	}

	// Step 1: the same key twice.
	k.fill("#produce-key", "user-1")
	k.activate("#produce-send")
	k.press(kb.Enter) // the button keeps the focus: once more
	waitGoal(t, ctx, "same-key-twice")

	// Step 2: keyless records, faster.
	k.activate("#next-step")
	k.fill("#produce-key", "")
	k.fill("#produce-count", "1000")
	k.activate("#produce-send")
	k.choose("#speed", "10×")
	waitGoal(t, ctx, "keyless-spread")
	must(t, ctx, "keyboard-burst", waitJS(ctx, "every record acknowledged", `/acked 1002 /.test(document.querySelector("#producer-p1").textContent)`, time.Minute))

	// Step 3: a record with a header, opened from its strip.
	k.activate("#next-step")
	k.fill("#produce-count", "1")
	k.fill("#produce-key", "user-2")
	k.fill("#produce-value", "order-paid")
	k.fill("#produce-hkey", "trace-id")
	k.fill("#produce-hval", "4bf92f35")
	k.activate("#produce-send")
	must(t, ctx, "keyboard-headers", waitJS(ctx, "a record with headers", `!!document.querySelector("#cluster-svg rect.rec.has-headers")`, 30*time.Second))
	k.activate("#play") // pause: the strip stays put
	settle(t, ctx)
	target, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#cluster-svg rect.rec.has-headers").id`))
	if err != nil {
		t.Fatal(err)
	}
	k.tabTo("#cluster-svg")
	k.walkTo(target)
	k.press(kb.Enter)
	must(t, ctx, "keyboard-record", waitJS(ctx, "the opened record", `(document.querySelector("#record-headers")||{}).textContent === "trace-id = 4bf92f35"`, 10*time.Second))
	waitGoal(t, ctx, "header-record")
	// What a screen reader hears: the record under the cursor by its offset,
	// key and commit state, and the cluster as a list beside the SVG (each
	// partition a named group, its replicas list items with LEO and lag).
	heard, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const cell = document.getElementById(document.querySelector("#cluster-svg").getAttribute("aria-activedescendant"));
		const part = [...document.querySelectorAll('#cluster-outline [role="group"]')].find(g => /^orders-\d+: leader broker \d+, epoch \d+, ISR [\d ]+, high watermark \d+$/.test(g.getAttribute("aria-label")));
		const reps = part ? [...part.querySelectorAll("ul li")].map(li => li.textContent) : [];
		return [cell && cell.querySelector("title").textContent, part && part.getAttribute("aria-label"), reps.join(" | ")].join("\n");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	replica := regexp.MustCompile(`^broker \d+ \((leader|follower)(, out of sync)?\): log end offset \d+, lag \d+$`)
	lines := strings.Split(heard, "\n")
	ok := len(lines) == 3 && strings.Contains(lines[0], "key user-2 · committed") && lines[1] != "" && strings.Contains(lines[2], "(leader): log end offset")
	for _, r := range strings.Split(lines[len(lines)-1], " | ") {
		ok = ok && replica.MatchString(r)
	}
	if !ok {
		t.Errorf("a screen reader hears:\n%s\nwant the record's key and commit state, a partition group and its replicas with LEO and lag", heard)
	}

	// Step 4: offset 0 in two partitions.
	k.activate("#next-step")
	k.activate("#log-first")
	must(t, ctx, "keyboard-offsets", waitJS(ctx, "records at offset 0", `document.querySelectorAll('#cluster-svg rect.rec[id$="-0"]').length >= 2`, 20*time.Second))
	settle(t, ctx)
	k.tabTo("#cluster-svg")
	k.walkTo("rec-orders-0-0")
	k.press(kb.Enter)
	must(t, ctx, "keyboard-offsets", waitJS(ctx, "offset 0 of orders-0 opened", `(document.querySelector("#record-offset")||{}).textContent === "0"`, 10*time.Second))
	k.tabTo("#cluster-svg")
	k.walkTo("rec-orders-1-0")
	k.press(kb.Enter)
	waitGoal(t, ctx, "offset-zero-twice")
	k.shots("keyboard-lesson1")
	k.activate("#log-newest")
	k.activate("#play")
	must(t, ctx, "keyboard-finish", waitJS(ctx, "the finish button", `!!document.querySelector("#finish")`, 10*time.Second))
	k.activate("#finish")
	must(t, ctx, "keyboard-done", waitJS(ctx, "the lesson marked done", `!!document.querySelector("#lesson-card-`+lesson1+`.done")`, 10*time.Second))
	noPageErrors(t, errs)
}

// walkTo moves the cluster view's cursor to the record cell id with the
// arrow keys: up or down to its partition, then along the strip.
func (k keyboard) walkTo(id string) {
	k.t.Helper()
	if k.cursor() == "" {
		k.press(kb.Home) // the first key puts the cursor on a record
	}
	for range 200 {
		cur := k.cursor()
		if cur == id {
			return
		}
		var key string
		switch cp, ip := cellPartition(cur), cellPartition(id); {
		case cp < ip:
			key = kb.ArrowDown
		case cp > ip:
			key = kb.ArrowUp
		case cellOffset(cur) < cellOffset(id):
			key = kb.ArrowRight
		default:
			key = kb.ArrowLeft
		}
		k.press(key)
	}
	k.t.Fatalf("the cursor did not reach %s with the arrow keys (it is on %s)", id, k.cursor())
}

// cellPartition and cellOffset read a record cell's id, rec-<topic>-<p>-<o>
// (the topic of this test has no dash).
func cellPartition(id string) int { var p, o int; fmt.Sscanf(lastTwo(id), "%d-%d", &p, &o); return p }
func cellOffset(id string) int    { var p, o int; fmt.Sscanf(lastTwo(id), "%d-%d", &p, &o); return o }

func lastTwo(id string) string {
	dashes := 0
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '-' {
			if dashes++; dashes == 2 {
				return id[i+1:]
			}
		}
	}
	return id
}
