package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestKoreanInterface switches the page to Korean: the interface and the
// lessons' own text change, <html lang> follows, and the choice survives a
// reload.
func TestKoreanInterface(t *testing.T) {
	_, ctx, errs := openPage(t, "/")
	must(t, ctx, "ko-failed", waitJS(ctx, "the lesson list", `!!document.querySelector("#lesson-card-`+lesson1+`")`, time.Minute))
	selectOption(t, ctx, "#locale", "한국어")
	korean := `document.querySelector("#nav-lessons")?.textContent === "레슨" && document.documentElement.lang === "ko" && document.querySelector("#lesson-card-` + lesson1 + ` h2")?.textContent === "토픽, 파티션, 레코드"`
	must(t, ctx, "ko-failed", waitJS(ctx, "the Korean interface", korean, 10*time.Second))
	shot(t, ctx, "ko-lessons")
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "ko-failed", waitJS(ctx, "Korean after a reload", korean, time.Minute))
	click(t, ctx, "#open-"+lesson1)
	must(t, ctx, "ko-failed", waitJS(ctx, "the lesson page in Korean", `document.querySelector("#lesson-title")?.textContent === "토픽, 파티션, 레코드"`, time.Minute))
	shot(t, ctx, "ko-lesson")
	// The browser's back and forward buttons move between the pages.
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "ko-failed", waitJS(ctx, "back on the lesson list", `!!document.querySelector("#lesson-card-`+lesson1+`") && !document.querySelector("#lesson-title")`, 20*time.Second))
	if err := chromedp.Do(ctx, chromedp.NavigateForward()); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "ko-failed", waitJS(ctx, "forward to the lesson", `document.querySelector("#lesson-title")?.textContent === "토픽, 파티션, 레코드"`, 30*time.Second))
	click(t, ctx, "#nav-sandbox")
	click(t, ctx, "#sandbox-start")
	must(t, ctx, "ko-failed", waitJS(ctx, "the Korean sandbox", `document.querySelectorAll("#cluster-svg .node.broker").length === 3 && document.querySelector("#producer-start")?.textContent === "프로듀서 시작"`, time.Minute))
	shot(t, ctx, "ko-sandbox")
	noPageErrors(t, errs)
}
