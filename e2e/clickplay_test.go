package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/brokerlab/brokerlab/lessons"
)

// clickSpeed is the playback speed the click-only play picks, as a learner
// may: the lessons' waits (session timeouts, retention) are tens of
// simulated seconds. 10×, not 25×: since the page really plays at the speed
// asked (issue 12), every wall second a loaded CI box spends between two
// clicks costs 25 simulated seconds at 25×, enough to miss the moment an
// experiment needs (a join after the group is Stable, a crash mid-transaction).
const clickSpeed = "10×"

// TestClickOnly plays every lesson, step by step, only through the widgets
// the step shows: each command of the step's solution becomes clicks and
// keystrokes on visible, enabled controls (clickOps). A command without a
// reachable widget fails and names the step. After each step every goal
// must tick, no error may be on screen, and no text may hold U+FFFD.
// BROKERLAB_CLICK=<id>,<id> limits the run to some lessons.
func TestClickOnly(t *testing.T) {
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	only := map[string]bool{}
	for _, id := range strings.Split(os.Getenv("BROKERLAB_CLICK"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			only[id] = true
		}
	}
	srv, _ := startServer(t)
	// Each lesson gets a browser of its own on a fresh profile (the
	// browser's context has a deadline of a few minutes).
	play := func(t *testing.T, f func(t *testing.T, ctx context.Context)) {
		var errs []string
		ctx, stop := browser(t, profileDir(t), &errs)
		defer stop()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
			t.Fatal(err)
		}
		f(t, ctx)
		noPageErrors(t, &errs)
	}
	for _, l := range all {
		if (len(only) > 0 && !only[l.ID]) || l.Sandbox {
			continue
		}
		t.Run(l.ID, func(t *testing.T) {
			play(t, func(t *testing.T, ctx context.Context) {
				if ownClientLesson(l) {
					clickOwnClient(t, ctx, l) // ownclient_test.go: kcat in a terminal, the page attached with ?remote
					return
				}
				clickLesson(t, ctx, srv.URL, l)
			})
		})
	}
	if len(only) == 0 || only["sandbox"] {
		t.Run("sandbox", func(t *testing.T) {
			play(t, func(t *testing.T, ctx context.Context) { clickSandbox(t, ctx, srv.URL) })
		})
	}
}

// clickLesson opens lesson l afresh and plays its steps by clicking.
func clickLesson(t *testing.T, ctx context.Context, url string, l *lessons.Lesson) {
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#lesson/"+l.ID)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "click-"+l.ID+"-open", waitJS(ctx, "the lesson page", `!!document.querySelector("#lesson-title") && !!document.querySelector("#play") && (globalThis.brokerlab && brokerlab.ui && brokerlab.ui.page) === "lesson"`, time.Minute))
	if s := l.Steps[0]; len(s.Controls) > 0 && slices.Contains(s.Controls, "speed") {
		selectOption(t, ctx, "#speed", clickSpeed)
	}
	held := false // the clock is paused at a step boundary (see below)
	shareNames := map[string]bool{}
	for i, st := range l.Steps {
		where := fmt.Sprintf("%s step %d (%s)", l.ID, i+1, st.ID)
		must(t, ctx, "", waitJS(ctx, where, fmt.Sprintf(`!!document.querySelector("#step-%s.current, #step-%s[aria-current]")`, st.ID, st.ID), 10*time.Second))
		if i == 0 {
			shotSizes(t, ctx, "click-"+l.ID+"-first")
		}
		cmds, err := stepCommands(st.Solution)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		offset := int64(-1)
		for j, c := range cmds {
			now := pageTimeUS(t, ctx)
			if offset < 0 {
				offset = max(0, now-c.atUS)
			}
			if target := c.atUS + offset; target > now {
				waitTime(t, ctx, where, target)
			}
			p := &player{t: t, ctx: ctx, where: fmt.Sprintf("%s, command %d (%s)", where, j+1, c.op), resume: held}
			if c.op == "share_consumer_start" {
				shareNames[c.str("consumer")] = true
			}
			if p.awaitCrash(c) || p.awaitWorking(c, shareNames) {
				held = false
				p.resume = false
			}
			p.perform(c)
			t.Logf("%s: pressed at page time %.3f s (planned %.3f s)", p.where, float64(p.pressedUS)/1e6, float64(c.atUS+offset)/1e6)
			held = false
		}
		if held { // a step without commands: play on to its goals
			click(t, ctx, "#play")
			held = false
		}
		for _, g := range st.Goals {
			waitGoalFor(t, ctx, where, g.ID, 150*time.Second)
		}
		// Like a learner who reads the next step before acting, hold the
		// clock from the moment the goals tick until the next step's first
		// command: at the click play's speed the screenshots and checks
		// between steps would otherwise cost tens of simulated seconds (a
		// loaded box once partitioned lesson 5's consumer after it had read
		// everything, so its fetch could never fall off the log).
		held = playing(&player{t: t, ctx: ctx, where: where})
		if held {
			click(t, ctx, "#play")
		}
		leaveStep(t, ctx, l, i, where)
	}
	t.Logf("%s: every goal ticked by clicking in %.1f s", l.ID, time.Since(start).Seconds())
}

// leaveStep ends step i once its goals ticked: no error and no broken
// text on the page, then Next — or, after the last step, the screenshots
// and Finish.
func leaveStep(t *testing.T, ctx context.Context, l *lessons.Lesson, i int, where string) {
	t.Helper()
	(&player{t: t, ctx: ctx, where: where}).noErrors()
	noReplacementChars(t, ctx, where)
	if i == len(l.Steps)-1 {
		shotSizes(t, ctx, "click-"+l.ID+"-last")
		click(t, ctx, "#finish")
	} else {
		click(t, ctx, "#next-step")
	}
}

// clickSandbox plays the sandbox by clicking: a cluster, a topic, a stream
// of records, a consumer, a broker crash and its restart.
func clickSandbox(t *testing.T, ctx context.Context, url string) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#sandbox")); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "click-sandbox-open", waitJS(ctx, "the sandbox setup", `!!document.querySelector("#sandbox-start, #play")`, time.Minute))
	shotSizes(t, ctx, "click-sandbox-first")
	p := &player{t: t, ctx: ctx, where: "sandbox"}
	if p.visible("#sandbox-start") == "" {
		click(t, ctx, "#sandbox-start")
	}
	must(t, ctx, "click-sandbox-open", waitJS(ctx, "the sandbox cluster", `!!document.querySelector("#play") && !!document.querySelector("#topic-create")`, time.Minute))
	selectOption(t, ctx, "#speed", "5×")
	for _, raw := range []string{
		`{"op": "create_topic", "topic": "orders", "partitions": 6, "replication_factor": 3}`,
		`{"op": "produce", "producer": "learner", "topic": "orders", "key": "user-{i%50}", "value": "order-{i}", "count": 3000, "rate": "200/s"}`,
		`{"op": "consumer_start", "consumer": "c1", "topics": ["orders"], "configs": {"group.id": "g1", "auto.offset.reset": "earliest"}}`,
		`{"op": "broker_crash", "broker": 2}`,
		`{"op": "broker_restart", "broker": 2}`,
	} {
		var c clickCmd
		if err := c.parse([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		p.where = "sandbox, " + c.op
		p.perform(c)
		waitTime(t, ctx, "sandbox", pageTimeUS(t, ctx)+2_000_000)
	}
	must(t, ctx, "click-sandbox-consume", waitJS(ctx, "c1 consuming", `/[1-9]/.test((document.querySelector("#consumer-c1")||{textContent:""}).textContent)`, 2*time.Minute))
	noReplacementChars(t, ctx, "sandbox")
	shotSizes(t, ctx, "click-sandbox-last")
}

// clickCmd is one solution command, decoded.
type clickCmd struct {
	op   string
	atUS int64
	m    map[string]any
}

func (c *clickCmd) parse(raw []byte) error {
	if err := json.Unmarshal(raw, &c.m); err != nil {
		return err
	}
	c.op, _ = c.m["op"].(string)
	if at, _ := c.m["at"].(string); at != "" {
		d, err := time.ParseDuration(at)
		if err != nil {
			return fmt.Errorf("at %q: %v", at, err)
		}
		c.atUS = d.Microseconds()
	}
	return nil
}

func (c clickCmd) str(k string) string {
	switch v := c.m[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func (c clickCmd) has(k string) bool { _, ok := c.m[k]; return ok }

func (c clickCmd) strs(k string) []string {
	var out []string
	if vs, ok := c.m[k].([]any); ok {
		for _, v := range vs {
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

// configs returns the command's configs as sorted "key=value" lines,
// without the keys in skip.
func (c clickCmd) configs(skip ...string) (map[string]string, string) {
	cfg := map[string]string{}
	if m, ok := c.m["configs"].(map[string]any); ok {
		for k, v := range m {
			cfg[k] = fmt.Sprint(v)
		}
	}
	var lines []string
	for k, v := range cfg {
		if !slices.Contains(skip, k) {
			lines = append(lines, k+"="+v)
		}
	}
	sort.Strings(lines)
	return cfg, strings.Join(lines, "\n")
}

// stepCommands decodes a step's solution. Two link faults at one time
// that are each other's reverse are one click with "both ways" ticked.
func stepCommands(raws []json.RawMessage) ([]clickCmd, error) {
	var out []clickCmd
	for i, r := range raws {
		var c clickCmd
		if err := c.parse(r); err != nil {
			return nil, fmt.Errorf("solution command %d: %v", i+1, err)
		}
		if n := len(out); n > 0 && c.op == "link_fault" && out[n-1].op == "link_fault" {
			prev := out[n-1]
			if prev.atUS == c.atUS && prev.str("from") == c.str("to") && prev.str("to") == c.str("from") &&
				prev.str("drop") == c.str("drop") && prev.str("delay") == c.str("delay") {
				prev.m["both"] = true
				continue
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// player performs one command through the page's widgets.
type player struct {
	t      *testing.T
	ctx    context.Context
	where  string
	resume bool // the clock was held at the step boundary: play on after the action

	pressedUS int64 // the page's clock when the command's button was pressed
}

// awaitWorking, before c crashes a share consumer at once, plays on until
// the clients panel says it is processing, i.e. holds acquired records —
// lesson 18's "crash slow while it holds records" (crashed between two
// polls, it holds none and no lock runs out). It reports whether it
// pressed play.
func (p *player) awaitWorking(c clickCmd, share map[string]bool) bool {
	p.t.Helper()
	if c.op != "consumer_crash" || !share[c.str("consumer")] || (c.str("mode") != "" && c.str("mode") != "now") {
		return false
	}
	working := fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.includes("· processing")`, "#consumer-"+c.str("consumer"))
	return p.playUntil(working, "share consumer "+c.str("consumer")+" to hold records")
}

// playUntil, unless the page's JavaScript condition cond holds already,
// plays on until it does (a minute at most) and reports whether it
// pressed play.
func (p *player) playUntil(cond, what string) bool {
	p.t.Helper()
	now, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](cond))
	if err != nil || now {
		return false
	}
	pressed := false
	if !playing(p) {
		click(p.t, p.ctx, "#play")
		pressed = true
	}
	from := pageTimeUS(p.t, p.ctx)
	must(p.t, p.ctx, "", waitJS(p.ctx, p.where+": "+what, cond, time.Minute))
	p.t.Logf("%s: waited for %s from page time %.3f s to %.3f s", p.where, what, float64(from)/1e6, float64(pageTimeUS(p.t, p.ctx))/1e6)
	return pressed
}

// awaitCrash, before c starts a consumer again under a name that is still
// running (its crash was armed for its next commit or poll and has not
// struck yet), plays on until the page no longer lists it, as a learner
// told "crash it …, then start it again" waits to see it crash. (On a
// loaded box the clicks land seconds of simulated time apart from the
// solution's: starting early replaces the old process at once, crash now,
// and lesson 15's duplicates or losses may not happen.) It reports whether
// it pressed play.
func (p *player) awaitCrash(c clickCmd) bool {
	p.t.Helper()
	if c.op != "consumer_start" && c.op != "share_consumer_start" {
		return false
	}
	name := c.str("consumer")
	gone := fmt.Sprintf(`![...((document.querySelector("#target-consumer") || {}).options || [])].some(o => o.text === %q)`, name)
	if armed, _ := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector("#consumer-%s .crash-armed")`, name))); armed {
		shot(p.t, p.ctx, "click-crash-armed-"+name) // the clients panel says the crash is armed
	}
	return p.playUntil(gone, "consumer "+name+" to crash")
}

// perform does what a careful learner does for one command: pause the
// clock, fill in the form, press its button, wait until the page has run
// the action, see that no error came back, and play on. (Filling a form
// takes the browser a second or two; at the click play's speed that would
// be tens of simulated seconds between two clicks of one experiment.)
func (p *player) perform(c clickCmd) {
	p.t.Helper()
	op := clickOps[c.op]
	if op == nil {
		shot(p.t, p.ctx, "click-noop")
		p.t.Fatalf("%s: the command has no widget in the page", p.where)
	}
	playingNow := p.visible("#play") == "" && playing(p)
	wasPlaying := p.resume || playingNow
	if playingNow {
		click(p.t, p.ctx, "#play")
	}
	if btn := op(p, c); btn != "" {
		p.press(btn)
	}
	p.pressedUS = pageTimeUS(p.t, p.ctx)
	p.noErrors()
	if wasPlaying && !playing(p) {
		click(p.t, p.ctx, "#play")
	}
}

// press clicks a button that sends an action to the engine and waits
// until the page's driver has run it (brokerlab.ui.actions counts them).
func (p *player) press(sel string) {
	p.t.Helper()
	p.reach(sel)
	n, err := uiNumber(p.ctx, "actions")
	if err != nil {
		p.t.Fatal(err)
	}
	click(p.t, p.ctx, sel)
	// A form's own check answers without an action: noErrors sees it.
	ran := fmt.Sprintf(`Number((globalThis.brokerlab && brokerlab.ui && brokerlab.ui.actions) || 0) > %v`, n)
	if waitJS(p.ctx, "the page to run "+sel, ran, 10*time.Second) == nil {
		return
	}
	// No action and no error shown: the press was lost (seen on a loaded
	// box: lesson 15's crash never happened and its goal waited in vain).
	// A learner would press again.
	shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("#error, .form-error")].some(e => e.getClientRects().length > 0 && e.textContent.trim() !== "")`))
	if !shown {
		p.t.Logf("%s: %s ran no action within 10 s; pressing again", p.where, sel)
		p.reach(sel)
		click(p.t, p.ctx, sel)
		_ = waitJS(p.ctx, "the page to run "+sel, ran, 20*time.Second)
	}
}

// visibleJS says why an element cannot be used by a learner ("" = it can).
const visibleJS = `(sel => {
  const e = document.querySelector(sel);
  if (!e) return "missing";
  if (e.disabled) return "disabled";
  const st = getComputedStyle(e);
  if (st.display === "none" || st.visibility === "hidden") return "hidden";
  const r = e.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return "hidden (no size)";
  return "";
})`

func (p *player) visible(sel string) string {
	why, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](visibleJS+"("+strconv.Quote(sel)+")"))
	if err != nil {
		return err.Error()
	}
	return why
}

// reach fails unless sel is a visible, enabled widget within a few
// seconds (a learner waits for a panel that appears with what they just
// started).
func (p *player) reach(sel string) {
	p.t.Helper()
	why := p.visible(sel)
	for deadline := time.Now().Add(8 * time.Second); why != "" && time.Now().Before(deadline); why = p.visible(sel) {
		chromedp.Do(p.ctx, chromedp.Sleep(100*time.Millisecond))
	}
	if why != "" {
		shot(p.t, p.ctx, "click-unreachable")
		p.t.Fatalf("%s: no reachable widget: %s is %s", p.where, sel, why)
	}
}

func (p *player) click(sel string) { p.t.Helper(); p.reach(sel); click(p.t, p.ctx, sel) }

func (p *player) typ(sel, text string) {
	p.t.Helper()
	p.reach(sel)
	typeInto(p.t, p.ctx, sel, text)
}

// typeLines types text with newlines into a textarea.
func (p *player) typeLines(sel, text string) {
	p.t.Helper()
	p.reach(sel)
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, sel))); err != nil {
		p.t.Fatalf("%s: %v", p.where, err)
	}
	keys := strings.ReplaceAll(text, "\n", kb.Enter)
	if keys == "" {
		keys = kb.Backspace
	}
	if err := chromedp.Do(p.ctx, chromedp.SendKeys(chromedp.CSS(sel), keys)); err != nil {
		p.t.Fatalf("%s: type into %s: %v", p.where, sel, err)
	}
}

func (p *player) pick(sel, text string) {
	p.t.Helper()
	p.reach(sel)
	// An option for what was just started appears with the next frame.
	_ = waitJS(p.ctx, "option "+text, fmt.Sprintf(`[...document.querySelector(%q).options].some(o => o.text === %q)`, sel, text), 8*time.Second)
	selectOption(p.t, p.ctx, sel, text)
}

// check sets a checkbox to on by clicking it if needed.
func (p *player) check(sel string, on bool) {
	p.t.Helper()
	p.reach(sel)
	cur, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).checked`, sel)))
	if err != nil {
		p.t.Fatalf("%s: %v", p.where, err)
	}
	if cur != on {
		click(p.t, p.ctx, sel)
	}
}

// noErrors fails if an error is on screen: the page banner or a form's.
func (p *player) noErrors() {
	p.t.Helper()
	msg, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#error, .form-error")].filter(e => e.getClientRects().length > 0 && e.textContent.trim() !== "").map(e => e.textContent.trim()).join(" | ")`))
	if err != nil {
		p.t.Fatalf("%s: %v", p.where, err)
	}
	if msg != "" {
		shot(p.t, p.ctx, "click-error")
		p.t.Fatalf("%s: the page shows an error: %s", p.where, msg)
	}
}

// clickOps turns each scenario op into what a learner does in the page.
var clickOps = map[string]func(p *player, c clickCmd) string{
	"produce": func(p *player, c clickCmd) string {
		if p.visible("#produce-producer") == "" {
			p.pick("#produce-producer", c.str("producer"))
		}
		p.pick("#produce-topic", c.str("topic"))
		p.typ("#produce-key", c.str("key"))
		if v, ok := c.m["value"]; ok && v == nil {
			p.check("#produce-tombstone", true)
		} else {
			if p.visible("#produce-tombstone") == "" {
				p.check("#produce-tombstone", false)
			}
			p.typ("#produce-value", c.str("value"))
		}
		hk, hv := "", ""
		if h, ok := c.m["headers"].(map[string]any); ok {
			if len(h) > 1 {
				p.t.Fatalf("%s: the form takes one header, the command has %d", p.where, len(h))
			}
			for k, v := range h {
				hk, hv = k, fmt.Sprint(v)
			}
		}
		p.typ("#produce-hkey", hk)
		if hk != "" {
			p.typ("#produce-hval", hv)
		}
		p.typ("#produce-partition", c.str("partition"))
		count := c.str("count")
		if count == "" {
			count = "1"
		}
		p.typ("#produce-count", count)
		p.typ("#produce-rate", strings.TrimSuffix(c.str("rate"), "/s"))
		return "#produce-send"
	},
	"producer_start": func(p *player, c clickCmd) string {
		p.typ("#producer-name", c.str("producer"))
		_, lines := c.configs()
		p.typeLines("#producer-configs", lines)
		return "#producer-start"
	},
	"producer_flush": func(p *player, c clickCmd) string { return "#flush-" + c.str("producer") },
	"producer_close": func(p *player, c clickCmd) string { return "#close-producer-" + c.str("producer") },
	// A transactional producer's calls: its buttons in the clients panel.
	"init_transactions":  func(p *player, c clickCmd) string { return "#txn-init-" + c.str("producer") },
	"begin_transaction":  func(p *player, c clickCmd) string { return "#txn-begin-" + c.str("producer") },
	"commit_transaction": func(p *player, c clickCmd) string { return "#txn-commit-" + c.str("producer") },
	"abort_transaction":  func(p *player, c clickCmd) string { return "#txn-abort-" + c.str("producer") },
	"send_offsets": func(p *player, c clickCmd) string {
		p.typ("#txn-group", c.str("group"))
		p.typ("#txn-topic", c.str("topic"))
		p.typ("#txn-partition", c.str("partition"))
		p.typ("#txn-offset", c.str("offset"))
		return "#txn-offsets-" + c.str("producer")
	},
	"add_partitions": func(p *player, c clickCmd) string {
		p.pick("#addparts-topic", c.str("topic"))
		p.typ("#addparts-count", c.str("partitions"))
		return "#addparts-send"
	},
	"create_topic": func(p *player, c clickCmd) string {
		if c.has("configs") {
			p.t.Fatalf("%s: the topic form takes no configs", p.where)
		}
		p.typ("#topic-name", c.str("topic"))
		p.typ("#topic-partitions", c.str("partitions"))
		rf := c.str("replication_factor")
		if rf == "" {
			rf = "1"
		}
		p.typ("#topic-rf", rf)
		return "#topic-create"
	},
	"consumer_start": func(p *player, c clickCmd) string {
		cfg, lines := c.configs("group.id", "auto.offset.reset")
		p.typ("#consumer-name", c.str("consumer"))
		group := c.str("group")
		if group == "" {
			group = cfg["group.id"]
		}
		p.typ("#consumer-group", group)
		reset := cfg["auto.offset.reset"]
		if reset == "" {
			reset = "latest" // Kafka's default
		}
		p.pick("#consumer-reset", reset)
		p.typ("#consumer-topics", strings.Join(c.strs("topics"), ","))
		if group != "" {
			delay := c.str("delay")
			if delay == "" {
				delay = c.str("process")
			}
			ms := ""
			if delay != "" {
				d, err := time.ParseDuration(delay)
				if err != nil {
					p.t.Fatalf("%s: delay %q: %v", p.where, delay, err)
				}
				ms = strconv.FormatInt(d.Milliseconds(), 10)
			}
			p.typ("#consumer-process", ms)
			mode := c.str("mode")
			if mode == "" {
				mode = c.str("commit")
			}
			if mode == "" {
				mode = "auto"
			}
			p.pick("#consumer-commit", mode)
			if mode == "txn" {
				p.typ("#consumer-output", c.str("topic"))
			}
		} else if c.has("delay") || c.has("mode") {
			p.t.Fatalf("%s: a consumer without a group takes no processing time or commit strategy", p.where)
		}
		p.typeLines("#consumer-configs", lines)
		return "#consumer-start"
	},
	// A share consumer (KIP-932): the share-consumer form.
	"share_consumer_start": func(p *player, c clickCmd) string {
		cfg, lines := c.configs("share.acknowledgement.mode")
		if len(lines) > 0 || c.has("max_records") || c.has("renew") {
			p.t.Fatalf("%s: the share-consumer form takes no other configs, max_records or renew", p.where)
		}
		p.typ("#share-name", c.str("consumer"))
		p.typ("#share-group", c.str("group"))
		p.typ("#share-topics", strings.Join(c.strs("topics"), ","))
		mode := cfg["share.acknowledgement.mode"]
		if mode == "" {
			mode = "implicit"
		}
		p.pick("#share-mode", mode)
		ms := "0"
		if d := c.str("process"); d != "" {
			pd, err := time.ParseDuration(d)
			if err != nil {
				p.t.Fatalf("%s: process %q: %v", p.where, d, err)
			}
			ms = strconv.FormatInt(pd.Milliseconds(), 10)
		}
		p.typ("#share-process", ms)
		p.typ("#share-poison", c.str("poison"))
		if c.str("poison") != "" {
			p.pick("#share-onpoison", c.str("on_poison"))
		}
		return "#share-start"
	},
	"consumer_crash": func(p *player, c clickCmd) string {
		p.pick("#target-consumer", c.str("consumer"))
		mode := c.str("mode")
		if mode == "" {
			mode = "now"
		}
		p.pick("#crash-mode", mode)
		return "#consumer-crash"
	},
	"subscribe": func(p *player, c clickCmd) string {
		p.pick("#target-consumer", c.str("consumer"))
		p.typ("#subscribe-topics", strings.Join(c.strs("topics"), ","))
		return "#subscribe-send"
	},
	"consumer_close": func(p *player, c clickCmd) string { return "#close-consumer-" + c.str("consumer") },
	"commit":         func(p *player, c clickCmd) string { return "#commit-" + c.str("consumer") },
	"broker_crash": func(p *player, c clickCmd) string {
		p.pick("#fault-broker", c.str("broker"))
		if c.str("mode") == "power" {
			return "#fault-power"
		}
		return "#fault-crash"
	},
	"broker_restart": func(p *player, c clickCmd) string { p.pick("#fault-broker", c.str("broker")); return "#fault-restart" },
	"delete_topic":   func(p *player, c clickCmd) string { p.pick("#deltopic-topic", c.str("topic")); return "#deltopic-send" },
	"broker_pause":   func(p *player, c clickCmd) string { p.pick("#fault-broker", c.str("broker")); return "#fault-pause" },
	"broker_resume":  func(p *player, c clickCmd) string { p.pick("#fault-broker", c.str("broker")); return "#fault-resume" },
	"disk_fault": func(p *player, c clickCmd) string {
		if m := c.str("mode"); m != "" && m != "torn_tail" {
			p.t.Fatalf("%s: the page tears a segment's tail only, not %q", p.where, m)
		}
		p.pick("#fault-broker", c.str("broker"))
		return "#fault-torn"
	},
	"preferred_election": func(p *player, c clickCmd) string { return "#preferred-election" },
	"update_features": func(p *player, c clickCmd) string {
		if c.str("level") == "0" {
			return "#elr-off"
		}
		return "#elr-on"
	},
	"controller_crash": func(p *player, c clickCmd) string {
		p.pick("#fault-controller", c.str("controller"))
		return "#controller-crash"
	},
	"controller_restart": func(p *player, c clickCmd) string {
		p.pick("#fault-controller", c.str("controller"))
		return "#controller-restart"
	},
	"network_partition": func(p *player, c clickCmd) string {
		nodes := c.strs("isolate")
		if len(nodes) != 1 {
			p.t.Fatalf("%s: the page isolates one node; the command splits %v", p.where, c.m)
		}
		p.pick("#isolate-node", nodes[0])
		return "#fault-isolate"
	},
	"link_fault": func(p *player, c clickCmd) string {
		p.pick("#link-from", c.str("from"))
		p.pick("#link-to", c.str("to"))
		drop := "0"
		if d, ok := c.m["drop"].(float64); ok {
			drop = strconv.FormatFloat(math.Round(d*1e4)/1e2, 'f', -1, 64) // the form takes percent
		}
		p.typ("#link-drop", drop)
		delay := "0"
		if d := c.str("delay"); d != "" {
			dd, err := time.ParseDuration(d)
			if err != nil {
				p.t.Fatalf("%s: delay %q: %v", p.where, d, err)
			}
			delay = strconv.FormatInt(dd.Milliseconds(), 10)
		}
		p.typ("#link-delay", delay)
		p.check("#link-both", c.str("both") == "true")
		return "#link-send"
	},
	"heal": func(p *player, c clickCmd) string { return "#fault-heal" },
	"open_record": func(p *player, c clickCmd) string {
		// A learner opens the record the goal points at: where the page's
		// timing put it ("… for example the one at offset 7 of orders-2"),
		// which may differ from the scripted run's.
		topic, part, off := c.str("topic"), c.str("partition"), c.str("offset")
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			hint, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#goals li:not([data-done=true]) .goal-detail")].map(e => e.textContent).join("\n")`))
			if m := namedRecord.FindStringSubmatch(hint); err == nil && m != nil {
				off, topic, part = m[1], m[2], m[3]
				break
			}
			chromedp.Do(p.ctx, chromedp.Sleep(200*time.Millisecond))
		}
		c.m["offset"] = off
		id := fmt.Sprintf("rec-%s-%s-%s", topic, part, off)
		sel := "#" + cssEscape(id)
		wasPlaying := p.resume || p.visible("#play") == "" && playing(p)
		if wasPlaying {
			p.click("#play")
		}
		settle(p.t, p.ctx)
		if p.visible(sel) != "" {
			p.click("#log-first")
			settle(p.t, p.ctx)
			for range 200 {
				if p.visible(sel) == "" || p.visible("#log-newer") != "" {
					break
				}
				p.click("#log-newer")
				settle(p.t, p.ctx)
			}
		}
		p.click(sel)
		must(p.t, p.ctx, "click-record", waitJS(p.ctx, "the opened record", fmt.Sprintf(`(document.querySelector("#record-offset")||{}).textContent === %q`, c.str("offset")), 10*time.Second))
		if p.visible("#log-newest") == "" {
			p.click("#log-newest")
		}
		if wasPlaying {
			p.click("#play")
		}
		return ""
	},
}

// namedRecord finds the record a goal's detail asks to open.
var namedRecord = regexp.MustCompile(`for example the one at offset (\d+) of (.+)-(\d+)`)

// playing reports whether the clock runs (the play button offers pause).
func playing(p *player) bool {
	on, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!!document.querySelector("#play") && document.querySelector("#play").textContent.includes("❚❚")`))
	return err == nil && on
}

// cssEscape escapes an element id for a CSS selector.
func cssEscape(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, `\%x `, r)
		}
	}
	s := b.String()
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = fmt.Sprintf(`\3%c %s`, s[0], s[1:])
	}
	return s
}

// pageTimeUS is the virtual time the page shows.
func pageTimeUS(t *testing.T, ctx context.Context) int64 {
	t.Helper()
	v, err := uiNumber(ctx, "time_us")
	if err != nil {
		t.Fatal(err)
	}
	return int64(v)
}

// waitTime waits until the page's clock reaches us, pressing play if the
// clock stands.
func waitTime(t *testing.T, ctx context.Context, where string, us int64) {
	t.Helper()
	p := &player{t: t, ctx: ctx, where: where}
	if !playing(p) {
		p.click("#play")
	}
	must(t, ctx, "click-time", waitJS(ctx, fmt.Sprintf("%s: the clock to reach %.3f s", where, float64(us)/1e6),
		fmt.Sprintf(`Number((globalThis.brokerlab && brokerlab.ui && brokerlab.ui.time_us) || 0) >= %d`, us), 3*time.Minute))
}

// waitGoalFor waits for a goal to tick, pressing play if the clock stands,
// and says what the goal saw last when it does not.
func waitGoalFor(t *testing.T, ctx context.Context, where, goal string, timeout time.Duration) {
	t.Helper()
	p := &player{t: t, ctx: ctx, where: where}
	if !playing(p) {
		p.click("#play")
	}
	sel := "#goal-" + goal
	if err := waitJS(ctx, "goal "+goal, fmt.Sprintf(`(document.querySelector(%q)||{dataset:{}}).dataset.done === "true"`, sel), timeout); err != nil {
		shot(t, ctx, "click-goal-"+goal)
		detail, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q)||{textContent:"(no such goal on screen)"}).textContent`, sel)))
		log, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#event-log li")].map(e => e.textContent.replace(/\s+/g, " ").trim()).filter((s, i, all) => i < 12 || !/segment_deleted|became_leader|broker_/.test(s)).slice(0, 40).join("\n")`))
		t.Fatalf("%s: goal %s did not tick: %s (%v)\nthe event log's newest lines:\n%s", where, goal, strings.TrimSpace(detail), err, log)
	}
}

// noReplacementChars fails if the page's text or titles hold U+FFFD: a
// multi-byte character cut somewhere between the engine and the DOM.
func noReplacementChars(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (n.data.includes("\uFFFD")) out.push(n.data.slice(0, 120));
  for (const e of document.querySelectorAll("[title], [aria-label], [placeholder]"))
    for (const a of ["title", "aria-label", "placeholder"]) { const v = e.getAttribute(a); if (v && v.includes("\uFFFD")) out.push(a + ": " + v.slice(0, 120)); }
  return out;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		shot(t, ctx, "click-fffd")
		t.Errorf("%s: U+FFFD in the page: %q", where, bad)
	}
}

// shotSizes saves what the learner sees (the viewport, not the whole page)
// at 1280×800 and at 390×844, and goes back to 1280×800.
func shotSizes(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	noReplacementChars(t, ctx, "screenshot "+name)
	// Pause meanwhile: at the click-play's speed the shots would otherwise
	// cost tens of simulated seconds between two of the learner's clicks.
	p := &player{t: t, ctx: ctx, where: name}
	if p.visible("#play") == "" && playing(p) {
		click(t, ctx, "#play")
		defer click(t, ctx, "#play")
	}
	captureSizes(t, ctx, name)
}

// captureSizes saves screenshots of the page as it is at 390×844 (mobile)
// and 1280×800, and leaves it at 1280×800.
func captureSizes(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, sz := range []struct {
		w, h   int64
		mobile bool
		tag    string
	}{{390, 844, true, "390"}, {1280, 800, false, "1280"}} {
		opts := []chromedp.EmulateViewportOption{}
		if sz.mobile {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateScale(1))
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h, opts...)); err != nil {
			t.Fatal(err)
		}
		chromedp.Do(ctx, chromedp.Sleep(400*time.Millisecond))
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			continue
		}
		if err := os.WriteFile(screensDir(t)+"/"+name+"-"+sz.tag+".png", buf, 0o644); err != nil {
			t.Error(err)
		}
	}
}
