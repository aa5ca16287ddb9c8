package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/brokerlab/brokerlab/lessons"
)

// axeVersion is the axe-core the Makefile fetches (make axe).
const axeVersion = "4.14.1"

// axeTags are the rules run: WCAG 2.0/2.1 A and AA, and axe's best
// practices (landmarks, heading order, a main region).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// axeSource reads axe.min.js (make axe puts it under .cache/).
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("BROKERLAB_AXE")
	if path == "" {
		path = filepath.Join("..", ".cache", "axe-core-"+axeVersion, "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		skipOrFail(t, "e2e: axe-core is missing (%v): run make axe", err)
	}
	return string(b)
}

// axeViolation is one rule an axe run found broken, with the elements.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// audit injects axe-core through the DevTools protocol (the page's CSP
// stays strict: no script of the page loads it) and fails the test on
// every violation, naming the rule and each element.
func audit(t *testing.T, ctx context.Context, src, where string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Evaluate[bool](src+";true")); err != nil {
		t.Fatalf("%s: injecting axe-core: %v", where, err)
	}
	tags, _ := json.Marshal(axeTags)
	raw, err := chromedp.Run(c, chromedp.Evaluate[json.RawMessage](fmt.Sprintf(
		`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r => r.violations)`, tags),
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", where, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatalf("%s: axe's answer: %v", where, err)
	}
	for _, v := range vs {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: axe %s (%s): %s", where, v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-i)
				break
			}
			html := n.HTML
			if r := []rune(html); len(r) > 160 {
				html = string(r[:160]) + "…"
			}
			fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, html, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		t.Error(b.String())
	}
}

// TestAxe runs axe-core on the lesson list, every lesson at its first step
// and the sandbox with a running cluster, in English and in Korean: any
// violation of any impact fails.
func TestAxe(t *testing.T) {
	src := axeSource(t)
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			url, ctx, errs := openPage(t, "/")
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
				t.Fatal(err)
			}
			must(t, ctx, "axe-"+lang, waitJS(ctx, "the lesson list", `!!document.querySelector("#open-`+lesson1+`")`, time.Minute))
			if lang == "ko" {
				selectOption(t, ctx, "#locale", "한국어")
				must(t, ctx, "axe-ko", waitJS(ctx, "the Korean interface", `document.documentElement.lang === "ko"`, 10*time.Second))
			}
			audit(t, ctx, src, lang+" lesson list")
			for _, l := range all {
				if l.Sandbox {
					continue
				}
				if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#lesson/"+l.ID)); err != nil {
					t.Fatal(err)
				}
				// This lesson's own title: the previous lesson's page still
				// stands until the hash change reaches the app.
				title, _ := json.Marshal(l.Text(lang, "title"))
				must(t, ctx, "axe-"+lang+"-"+l.ID, waitJS(ctx, "lesson "+l.ID, `document.querySelector("#lesson-title")?.textContent === `+string(title)+` && !!document.querySelector("#cluster-svg .node.broker") && (globalThis.brokerlab && brokerlab.ui && brokerlab.ui.page) === "lesson"`, time.Minute))
				audit(t, ctx, src, lang+" lesson "+l.ID)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(url+"/#sandbox")); err != nil {
				t.Fatal(err)
			}
			must(t, ctx, "axe-"+lang+"-sandbox", waitJS(ctx, "the sandbox form", `!!document.querySelector("#sandbox-start")`, time.Minute))
			click(t, ctx, "#sandbox-start")
			must(t, ctx, "axe-"+lang+"-sandbox", waitJS(ctx, "the sandbox's brokers", `document.querySelectorAll("#cluster-svg .node.broker").length === 3 && !!document.querySelector("#topic-create")`, time.Minute))
			typeInto(t, ctx, "#topic-name", "orders")
			click(t, ctx, "#topic-create")
			must(t, ctx, "axe-"+lang+"-sandbox", waitJS(ctx, "the topic", `document.querySelectorAll("#cluster-svg .part").length > 0`, time.Minute))
			typeInto(t, ctx, "#produce-count", "500")
			click(t, ctx, "#produce-send")
			if !playingNow(ctx) {
				click(t, ctx, "#play")
			}
			must(t, ctx, "axe-"+lang+"-sandbox", waitJS(ctx, "records in the log", `document.querySelectorAll("#cluster-svg .rec").length > 0`, time.Minute))
			audit(t, ctx, src, lang+" sandbox")
			noPageErrors(t, errs)
		})
	}
}

// playingNow reports whether the page's clock runs.
func playingNow(ctx context.Context) bool {
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#play") && document.querySelector("#play").textContent.includes("❚❚")`))
	return err == nil && ok
}
