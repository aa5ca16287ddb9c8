package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/internal/pattern"
)

// A form's command goes to the engine through ApplyFrom: on success the
// panel's error clears; on an engine refusal the panel shows the reason in
// plain words (the engine's exact text one click away) and the simulation
// keeps running — a refused click changes nothing, so there is nothing to
// pause for. Only a crashed engine or a broken bridge goes to the page's
// error path (App.fail), which recovers the run.

// Panels that show their own errors (keys of App.FormErr).
const (
	PanelProduce     = "produce"
	PanelProducer    = "producer"
	PanelPartitions  = "partitions"
	PanelTopic       = "topic"
	PanelDeleteTopic = "delete-topic"
	PanelConsumer    = "consumer"
	PanelActions     = "consumer-actions"
	PanelFault       = "fault"
	PanelClients     = "clients"
)

// FormError is what a panel shows under its controls.
type FormError struct {
	Text string // in the learner's language
	Raw  string // the engine's own words, "" for the form's own checks
}

// FormErrText is panel's error sentence ("" when none).
func (a *App) FormErrText(panel string) string { return a.FormErr[panel].Text }

// FormErrRaw is the engine's exact text behind panel's error, when it
// differs from the sentence shown.
func (a *App) FormErrRaw(panel string) string {
	e := a.FormErr[panel]
	if e.Raw == e.Text {
		return ""
	}
	return e.Raw
}

// formError shows a form's own validation error at panel (under the write
// lock, as DOM handlers run).
func (a *App) formError(panel, text string) {
	if a.FormErr == nil {
		a.FormErr = map[string]FormError{}
	}
	a.FormErr[panel] = FormError{Text: text}
}

// clearFormErr hides panel's error (under the write lock).
func (a *App) clearFormErr(panel string) { delete(a.FormErr, panel) }

// ApplyFrom runs cmds now (journaled), like Apply, for the form in panel:
// an engine refusal is shown at that panel in plain words and leaves the
// simulation playing. DOM handlers call it under the write lock.
//
//go:noinline
func (a *App) ApplyFrom(panel string, cmds ...Cmd) { a.applyForm(panel, nil, cmds...) }

// applyForm is ApplyFrom with a way back: after a click the handler resets
// its form at once (next free name, one-shot fields cleared) so a quick
// second click does not repeat the first; undo, run under the lock when the
// engine refuses, puts back what the learner had typed if the form still
// shows the reset values.
//
//go:noinline
func (a *App) applyForm(panel string, undo func(), cmds ...Cmd) {
	a.Do(func() error {
		if err := a.run.Apply(cmds...); err != nil {
			var ee *EngineError
			if !errors.As(err, &ee) || ee.Code == "ENGINE_CRASHED" || ee.Code == "INTERNAL" {
				return err // not a refusal: the page's recovery path
			}
			a.update(func() {
				if a.FormErr == nil {
					a.FormErr = map[string]FormError{}
				}
				a.FormErr[panel] = FormError{Text: PlainEngineError(ee.Message), Raw: ee.Message}
				if undo != nil {
					undo()
				}
			})
			return nil
		}
		if err := a.afterApply(); err != nil {
			return err
		}
		a.update(func() { a.clearFormErr(panel) })
		return nil
	})
}

// resetForms returns the undo of a form reset: it restores the forms as
// they were before the reset, if the learner has not edited them since.
//
//go:noinline
func (a *App) resetForms(reset func()) (undo func()) {
	beforeF, beforeM := a.Forms, a.More
	reset()
	afterF, afterM := a.Forms, a.More
	return func() {
		if a.Forms == afterF {
			a.Forms = beforeF
		}
		if a.More == afterM {
			a.More = beforeM
		}
	}
}

// nextFreeName is the name after name that is not taken: a trailing
// number counts up ("c1" → "c2"), else one is added ("app" → "app2").
func nextFreeName(name string, taken func(string) bool) string {
	stem := strings.TrimRight(name, "0123456789")
	n, err := strconv.Atoi(name[len(stem):])
	if err != nil {
		n = 1
	}
	for i := n + 1; ; i++ {
		if c := stem + strconv.Itoa(i); !taken(c) {
			return c
		}
	}
}

// applyPrefix is what the engine puts before the reason of a refused
// command: "api: apply: command 1: consumer_start: ".
var applyPrefix = pattern.MustCompile(`^(?:api: )?(?:apply: )?(?:command \d+: )?(?:[a-z_]+: )?`)

// engineErrors turn the engine's common refusals into sentences: each
// pattern's groups are the arguments of the text id. Config names and
// Kafka's error codes stay as the engine wrote them.
var engineErrors = []struct {
	re *pattern.Regexp
	id string
}{
	{pattern.MustCompile(`^consumer "([^"]*)" is already (?:running|started)`), "eerr.consumer.running"},
	{pattern.MustCompile(`^producer "([^"]*)" is already started`), "eerr.producer.running"},
	{pattern.MustCompile(`^topic "([^"]*)" (?:is already created|already exists)`), "eerr.topic.exists"},
	{pattern.MustCompile(`^unknown topic "([^"]*)"`), "eerr.topic.unknown"},
	{pattern.MustCompile(`^unknown consumer "([^"]*)"`), "eerr.consumer.unknown"},
	{pattern.MustCompile(`^unknown producer "([^"]*)"`), "eerr.producer.unknown"},
	{pattern.MustCompile(`^unknown broker (\d+) \(the cluster has brokers 1–(\d+)\)`), "eerr.broker.unknown"},
	{pattern.MustCompile(`^unknown controller (\d+) \(the quorum has voters 1–(\d+)\)`), "eerr.controller.unknown"},
	{pattern.MustCompile(`^unknown node "([^"]*)"`), "eerr.node.unknown"},
	{pattern.MustCompile(`^topic "([^"]*)" has (\d+) partitions; partitions must be larger`), "eerr.partitions.fewer"},
	{pattern.MustCompile(`^topic "([^"]*)" has (\d+) partitions; partition (\d+) does not exist`), "eerr.partition.unknown"},
	{pattern.MustCompile(`^name "([^"]*)" must be 1–64 characters`), "eerr.name"},
	{pattern.MustCompile(`^config: unknown (\w+) config "([^"]*)"`), "eerr.config.unknown"},
	{pattern.MustCompile(`^Unknown (topic) config name: (\S+)`), "eerr.config.unknown"},
	{pattern.MustCompile(`^Configuration '([\w.]+)' values must not be duplicated\.`), "eerr.config.dup"},
	{pattern.MustCompile(`^Configuration '([\w.]+)' values must not be empty\.`), "eerr.config.emptyentry"},
	{pattern.MustCompile(`^requirement failed: (.*)$`), "eerr.config.requirement"},
	{pattern.MustCompile(`^(\w+) must be at least (\d+), got (-?\d+)`), "eerr.atleast"},
	{pattern.MustCompile(`^count (\d+) is too large \(at most (\d+) per step\)`), "eerr.count.large"},
	{pattern.MustCompile(`^bad (?:rate|duration) "([^"]*)"`), "eerr.number"},
	{pattern.MustCompile(`^field "([^"]*)": expected an integer, got JSON (.*)$`), "eerr.field"},
	{pattern.MustCompile(`^(?:exactly-once \(commit txn\) needs a group|commit, processing time and on_revoked need a group)`), "eerr.needgroup"},
	{pattern.MustCompile(`^template "([^"]*)": `), "eerr.template"},
}

// configValue is a config refused for its value, in Kafka's words
// (ConfigException, engine/config); configWhy are Kafka's reasons,
// translated.
var (
	configValue = pattern.MustCompile(`^Invalid value (.*) for configuration ([\w.]+): (.*)$`)
	configWhy   = []struct {
		re *pattern.Regexp
		id string
	}{
		{pattern.MustCompile(`^Not a number of type (?:INT|LONG|SHORT)$`), "eerr.why.int"},
		{pattern.MustCompile(`^Not a number of type DOUBLE$`), "eerr.why.number"},
		{pattern.MustCompile(`^Value must be at least (-?\d+)$`), "eerr.why.min"},
		{pattern.MustCompile(`^Value must be no more than (-?\d+)$`), "eerr.why.max"},
		{pattern.MustCompile(`^Expected value to be either true or false$`), "eerr.why.bool"},
		{pattern.MustCompile(`^String must be one of: (.*)$`), "eerr.why.enum"},
		{pattern.MustCompile(`^the playground needs at least (-?\d+) \(Kafka defines no minimum for it\)$`), "eerr.why.playmin"},
	}
	// segmentSizes are refused below Kafka's 1 MiB; the sentence then
	// names the playground's way to small segments.
	segmentSizes = map[string]bool{"segment.bytes": true, "log.segment.bytes": true}
)

// configScopes name the engine's config scopes in the learner's language.
var configScopes = map[string]string{"producer": "eerr.scope.producer", "consumer": "eerr.scope.consumer",
	"topic": "eerr.scope.topic", "broker": "eerr.scope.broker"}

// PlainEngineError turns an engine refusal ("api: apply: command 1:
// consumer_start: consumer "c1" is already running") into a sentence in
// the learner's language; one it does not know keeps the engine's reason
// without the request prefix.
func PlainEngineError(msg string) string {
	reason := applyPrefix.ReplaceAllStringFunc(strings.TrimSpace(msg), func(string) string { return "" })
	if m := configValue.FindStringSubmatch(reason); m != nil {
		value, name, why := m[1], m[2], m[3]
		for _, w := range configWhy {
			if wm := w.re.FindStringSubmatch(why); wm != nil {
				why = Tf(w.id, anys(wm[1:])...)
				if w.id == "eerr.why.min" && segmentSizes[name] {
					why += T("eerr.why.segment")
				}
				break
			}
		}
		return Tf("eerr.config.value", name, value, why)
	}
	for _, e := range engineErrors {
		if m := e.re.FindStringSubmatch(reason); m != nil {
			args := anys(m[1:])
			if e.id == "eerr.config.unknown" {
				if id, ok := configScopes[m[1]]; ok {
					args[0] = T(id)
				}
			}
			return Tf(e.id, args...)
		}
	}
	return Tf("eerr.other", reason)
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// errf formats a form's own validation error.
func errf(id string, args ...any) error { return fmt.Errorf("%s", Tf(id, args...)) }

// FormErrorNote shows a panel's error inside the panel (form-error.vugu);
// the panel renders it only when there is one.
type FormErrorNote struct {
	App   *App
	Panel string
}
