package e2e

import (
	"testing"
	"time"
)

// TestConsumerApplicationForms plays the first step of the delivery
// semantics lesson by clicking: a consumer application started from the
// form (group, commit strategy, processing time, configs), crashed between
// processing and commit, started again — and the lesson sees records
// processed twice.
func TestConsumerApplicationForms(t *testing.T) {
	_, ctx, errs := openPage(t, "/#lesson/delivery-semantics")
	must(t, ctx, "f1-failed", waitJS(ctx, "the consumer form", `!!document.querySelector("#consumer-commit")`, time.Minute))
	typeInto(t, ctx, "#consumer-name", "c1")
	typeInto(t, ctx, "#consumer-group", "billing")
	typeInto(t, ctx, "#consumer-topics", "payments")
	typeInto(t, ctx, "#consumer-process", "100")
	selectOption(t, ctx, "#consumer-commit", "sync")
	typeInto(t, ctx, "#consumer-configs", "enable.auto.commit=false")
	click(t, ctx, "#consumer-start")
	selectOption(t, ctx, "#speed", "25×")
	must(t, ctx, "f1-failed", waitJS(ctx, "c1 consuming", `/consumed [1-9]/.test((document.querySelector("#consumer-c1")||{textContent:""}).textContent)`, time.Minute))
	shot(t, ctx, "f1-consumer-app")

	selectOption(t, ctx, "#crash-mode", "before_commit")
	click(t, ctx, "#consumer-crash")
	must(t, ctx, "f2-failed", waitJS(ctx, "c1 crashed", `!!document.querySelector("#consumer-c1.stopped")`, time.Minute))
	click(t, ctx, "#consumer-start")
	waitGoal(t, ctx, "duplicates")
	shot(t, ctx, "f2-duplicates")
	noPageErrors(t, errs)
}
