package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/brokerlab/brokerlab/lessons"
)

// domText is one piece of text a learner can read: a visible text node, an
// option of a visible select, an SVG tooltip, or a title, placeholder or
// aria-label attribute; Where names its element.
type domText struct {
	Text  string `json:"text"`
	Where string `json:"where"`
}

// collectDOMText gathers the page's readable text (see domText).
const collectDOMText = `(() => {
  const out = [];
  const where = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = el.getAttribute("class");
    if (cls) s += "." + cls.trim().split(/\s+/).slice(0, 2).join(".");
    const anc = el.parentElement && el.parentElement.closest("[id]");
    if (anc && !el.id) s += " in #" + anc.id;
    return s;
  };
  const visible = el => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === "none" || st.visibility === "hidden") return false;
      if (e.hidden) return false;
    }
    return el.getClientRects().length > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const t = n.nodeValue.trim();
    const el = n.parentElement;
    if (!t || !el || el.closest("script,style,noscript,.cmd")) continue; // .cmd: a command to type, never translated
    const tip = el.closest("svg title");
    const opt = el.closest("option");
    if (tip) {
      const owner = tip.parentElement;
      if (owner && visible(owner)) out.push({text: t, where: "tooltip of " + where(owner)});
    } else if (opt) {
      const sel = opt.closest("select");
      if (sel && visible(sel)) out.push({text: t, where: where(opt) + " of " + where(sel)});
    } else if (visible(el)) {
      out.push({text: t, where: where(el)});
    }
  }
  for (const el of document.querySelectorAll("[title],[placeholder],[aria-label]")) {
    if (!visible(el)) continue;
    for (const a of ["title", "placeholder", "aria-label"]) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push({text: v.trim(), where: a + " of " + where(el)});
    }
  }
  return JSON.stringify(out);
})()`

// enWord is a run of Latin letters; each is judged with the token around it.
var enWord = regexp.MustCompile(`[A-Za-z]+`)

// kafkaWords are Kafka's own names and values, units and product names a
// Korean page keeps as they are (config values such as earliest or gzip,
// group states such as Stable).
var kafkaWords = map[string]bool{
	"Kafka": true, "Brokerlab": true, "KRaft": true, "Vugu": true, "Go": true, "Jepsen": true,
	"acks": true, "all": true, "none": true, "earliest": true, "latest": true, "null": true,
	"gzip": true, "zstd": true, "lz4": true, "snappy": true,
	"eager": true, "cooperative": true, "range": true, "roundrobin": true, "sticky": true,
	"classic": true, "consumer": true, // group.protocol values
	"implicit": true, "explicit": true, "reject": true, "release": true, // share.acknowledgement.mode values; a share consumer's answer to a poison record
	"auto": true, "sync": true, "async": true, "manual": true, "txn": true, "before": true,
	"true": true, "false": true, "delete": true, "compact": true, "murmur": true,
	"Stable": true, "Empty": true, "Dead": true, "PreparingRebalance": true, "CompletingRebalance": true,
	"COMMIT": true, "ABORT": true,
	// Kafka's APIs and client calls used as words in Korean Kafka writing
	// ("ack를 받다", "fetch해서", "poll 타임아웃")
	"ack": true, "fetch": true, "poll": true, "close": true, "flush": true, "send": true, "Produce": true, "Fetch": true, "Metadata": true, "Heartbeat": true,
	"assignor": true, "fsync": true, "kill": true, "admin": true, // admin: the admin client's node name
	// products and systems a lesson compares with
	"Java": true, "Sarama": true, "librdkafka": true, "Linux": true, "Raft": true, "Chromium": true,
	"bytes": true, // after a number: 1024 bytes
	// keys, named as printed on a keyboard
	"Tab": true, "Enter": true, "Space": true, "Home": true, "End": true, "Esc": true,
	// units
	"ms": true, "s": true, "us": true, "B": true, "KB": true, "MB": true, "GB": true, "KiB": true, "MiB": true, "p": true,
}

// identChar may be part of a name-like token: linger.ms, orders-0, acks=all,
// NOT_ENOUGH_REPLICAS, user-{i%9}.
func identChar(r byte) bool {
	return r == '.' || r == '_' || r == '-' || r == '{' || r == '}' || r == '%' || r == '=' || r == '#' ||
		r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// englishIn returns the English interface words of s: the Latin words
// that are none of Kafka's names (a token with a dot, underscore, hyphen,
// brace, = or digit — config keys, error codes, event kinds, names like
// orders-0; an ALL-CAPS or CamelCase word — codes, API and exception
// names; a call like poll()), units, kafkaWords, or names of the scenario.
func englishIn(s string, names map[string]bool) []string {
	var bad []string
	for _, m := range enWord.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		start, end := m[0], m[1]
		for start > 0 && identChar(s[start-1]) {
			start--
		}
		for end < len(s) && identChar(s[end]) {
			end++
		}
		tok := strings.Trim(s[start:end], ".-=#%")
		switch {
		case inGloss(s, m[0]):
		case len(w) == 1, kafkaWords[w], names[tok], names[w]:
		case strings.ContainsAny(tok, "._-{}=#%0123456789"):
		case strings.HasPrefix(s[end:], "("): // a call: poll(), abs(hashCode(…))
		case w == strings.ToUpper(w):
		case hasInnerUpper(w):
		default:
			bad = append(bad, w)
		}
	}
	return bad
}

// gloss is a parenthesised English original right after a Korean term or
// an acronym, as Korean technical writing gives it: 지연 시간(latency),
// HWM(high watermark), 로그 끝 오프셋(LEO, log end offset).
var gloss = regexp.MustCompile(`[\p{Hangul}A-Z]\(([^()가-힣]*)\)`)

// inGloss: byte i of s lies inside a gloss.
func inGloss(s string, i int) bool {
	for _, m := range gloss.FindAllStringSubmatchIndex(s, -1) {
		if i >= m[2] && i < m[3] {
			return true
		}
	}
	return false
}

// hasInnerUpper: an upper-case letter after the first (JoinGroup, KRaft).
func hasInnerUpper(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// scenarioNames are the words of every string in the lessons' scenarios
// and solutions (topics, clients, groups, keys, values): the scenario's
// names and record data, not interface text.
func scenarioNames(t *testing.T) map[string]bool {
	ls, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			if key == "note" {
				return
			}
			for _, f := range strings.FieldsFunc(x, func(r rune) bool { return r > 127 || !identChar(byte(r)) }) {
				names[strings.Trim(f, ".-=#%")] = true
			}
		case []any:
			for _, el := range x {
				walk(key, el)
			}
		case map[string]any:
			for k, el := range x {
				walk(k, el)
			}
		}
	}
	for _, l := range ls {
		for _, raw := range append([]json.RawMessage{l.Scenario}, l.Solution...) {
			var v any
			if json.Unmarshal(raw, &v) == nil {
				walk("", v)
			}
		}
	}
	return names
}

// checkKorean collects the page's text and reports English interface words
// and U+FFFD, each string once with its element.
func checkKorean(t *testing.T, ctx context.Context, page string, names map[string]bool, seen map[string]bool) {
	t.Helper()
	js, err := chromedp.Run(ctx, chromedp.Evaluate[string](collectDOMText))
	if err != nil {
		t.Fatalf("%s: collecting the text: %v", page, err)
	}
	var texts []domText
	if err := json.Unmarshal([]byte(js), &texts); err != nil {
		t.Fatal(err)
	}
	if len(texts) < 10 {
		t.Errorf("%s: only %d texts on the page", page, len(texts))
	}
	var bad []string
	for _, x := range texts {
		if strings.ContainsRune(x.Text, '\uFFFD') {
			bad = append(bad, fmt.Sprintf("U+FFFD in %q at %s", x.Text, x.Where))
			continue
		}
		if strings.HasPrefix(x.Where, "option") && strings.Contains(x.Where, "#locale") {
			continue // each language is named in itself
		}
		if strings.Contains(x.Where, "#log-kind") || strings.HasPrefix(x.Where, "span.kind") {
			continue // event kinds are the trace's identifiers (appended, group_state_changed)
		}
		words := englishIn(x.Text, names)
		if len(words) == 0 {
			continue
		}
		key := x.Where + "|" + x.Text
		if seen[key] {
			continue
		}
		seen[key] = true
		bad = append(bad, fmt.Sprintf("%q at %s: %v", clip(x.Text), x.Where, words))
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s: %s", page, b)
	}
}

func clip(s string) string {
	if r := []rune(s); len(r) > 160 {
		return string(r[:160]) + "…"
	}
	return s
}

// TestKoreanDOM: with the page in Korean, the lesson list, the first step
// of every lesson and a running sandbox show no English interface word —
// only Kafka's names, the scenario's names, record data and numbers — and
// no U+FFFD.
func TestKoreanDOM(t *testing.T) {
	names := scenarioNames(t)
	for _, n := range []string{"orders", "p1", "c1", "g1"} { // the sandbox's names below
		names[n] = true
	}
	ls, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, ctx, errs := openPage(t, "/")
	must(t, ctx, "kodom-failed", waitJS(ctx, "the lesson list", `!!document.querySelector("#open-`+lesson1+`")`, time.Minute))
	selectOption(t, ctx, "#locale", "한국어")
	must(t, ctx, "kodom-failed", waitJS(ctx, "the Korean interface", `document.documentElement.lang === "ko" && document.querySelector("#nav-lessons")?.textContent === "레슨"`, 10*time.Second))
	seen := map[string]bool{}
	checkKorean(t, ctx, "lesson list", names, seen)

	for _, l := range ls {
		if l.ID == "sandbox" {
			continue // the sandbox is checked below, with traffic
		}
		chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "lesson/`+l.ID+`"`))
		must(t, ctx, "kodom-"+l.ID, waitJS(ctx, "lesson "+l.ID, `!!document.querySelector("#lesson-title") && document.querySelectorAll("#cluster-svg .node.broker").length > 0 && document.querySelectorAll("#log li").length > 0`, time.Minute))
		checkKorean(t, ctx, "lesson "+l.ID, names, seen)
	}

	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "sandbox"`))
	must(t, ctx, "kodom-sandbox", waitJS(ctx, "the sandbox form", `!!document.querySelector("#sandbox-start")`, 20*time.Second))
	click(t, ctx, "#sandbox-start")
	must(t, ctx, "kodom-sandbox", waitJS(ctx, "the sandbox cluster", `document.querySelectorAll("#cluster-svg .node.broker").length >= 3`, 30*time.Second))
	typeInto(t, ctx, "#topic-name", "orders")
	typeInto(t, ctx, "#topic-partitions", "3")
	click(t, ctx, "#topic-create")
	must(t, ctx, "kodom-sandbox", waitJS(ctx, "the topic", `document.querySelectorAll("#cluster-svg .part").length === 3`, 30*time.Second))
	typeInto(t, ctx, "#producer-name", "p1")
	click(t, ctx, "#producer-start")
	typeInto(t, ctx, "#produce-key", "user-{i%9}")
	typeInto(t, ctx, "#produce-value", "v{i}")
	typeInto(t, ctx, "#produce-count", "2000")
	click(t, ctx, "#produce-send")
	typeInto(t, ctx, "#consumer-name", "c1")
	typeInto(t, ctx, "#consumer-group", "g1")
	click(t, ctx, "#consumer-start")
	if waitJS(ctx, "the consumer", `!!document.querySelector("#consumer-c1")`, 10*time.Second) != nil {
		// A click that landed while a frame re-rendered the form (once on
		// a loaded CI box): the consumer never started. Press once more.
		click(t, ctx, "#consumer-start")
	}
	must(t, ctx, "kodom-sandbox", waitJS(ctx, "records read", `document.querySelectorAll("#cluster-svg rect.rec").length >= 30 && document.querySelector("#log")?.textContent.includes("c1")`, 45*time.Second))
	chromedp.Do(ctx, chromedp.Sleep(2*time.Second))
	shot(t, ctx, "kodom-sandbox")
	checkKorean(t, ctx, "sandbox", names, seen)
	noPageErrors(t, errs)
}
