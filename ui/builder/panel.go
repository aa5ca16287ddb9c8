// Package builder is the lesson builder's panel: "Make a lesson" on the
// sandbox page opens it beside the playground. It edits a
// lessons/builder.Draft made from the sandbox run and nothing else: the
// form, the goals' live check against the sandbox's state, recording a
// step's solution from the commands the author plays, the checks and the
// export. It runs as its own builder.wasm (wasm/builder), loaded only when
// an author opens it, so ui.wasm, the first load, stays as it was; it draws
// with plain DOM calls (dom_js.go), the markup made here (testable
// natively).
package builder

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/lessons"
	lb "github.com/brokerlab/brokerlab/lessons/builder"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Run is the sandbox run as the page saves it (ui's savedRun).
type Run struct {
	Scenario json.RawMessage `json:"scenario"`
	Journal  []session.Entry `json:"journal"`
	TimeUS   int64           `json:"time_us"`
}

// Status is a goal's live check.
type Status struct {
	Known  bool
	Holds  bool
	Detail string
}

// Panel is the builder's state.
type Panel struct {
	D       *lb.Draft
	Lessons []*lessons.Lesson
	// Issues are Check's problems by field, shown next to it.
	Issues map[string]string
	// Live is each goal's check against the sandbox now, by goal id.
	Live map[string]Status
	// Recording is the step being recorded (-1: none), from journal
	// entry Mark of the sandbox's run.
	Recording int
	Mark      int
	// Note says what the last action did; Verify lists what playing the
	// lesson found (nil: not played yet; empty: all good).
	Note     string
	Verify   []string
	Verified bool
	Busy     string
	Link     string
	// values are the goals' param forms as typed, by goal id.
	values map[string]map[string]string
	t      map[string]string
}

// New makes the panel for a sandbox run.
func New(r Run, ls []*lessons.Lesson, locale string) (*Panel, error) {
	d, err := lb.New(r.Scenario, r.Journal, r.TimeUS, lb.NextOrder(ls))
	if err != nil {
		return nil, err
	}
	p := &Panel{D: d, Lessons: ls, Recording: -1, Issues: map[string]string{}, Live: map[string]Status{}, values: map[string]map[string]string{}, t: textEN}
	if locale == "ko" {
		p.t = textKO
	}
	p.Note = p.tf("note.made", fmtUS(r.TimeUS), len(r.Journal))
	return p, nil
}

func (p *Panel) tr(id string) string {
	if s, ok := p.t[id]; ok {
		return s
	}
	return textEN[id]
}

func (p *Panel) tf(id string, args ...any) string { return fmt.Sprintf(p.tr(id), args...) }

func fmtUS(us int64) string { return strconv.FormatFloat(float64(us)/1e6, 'f', 1, 64) + " s" }

// Input takes what was typed into field f ("title.en", "steps.0.goals.1.param.topic", ...).
// It reports whether the panel must be drawn again.
func (p *Panel) Input(f, v string) bool {
	parts := strings.Split(f, ".")
	d := p.D
	p.Verified, p.Link = false, ""
	text := func(t lb.Text, loc string) bool { t[loc] = v; return false }
	switch parts[0] {
	case "id":
		d.ID = strings.TrimSpace(v)
		return false
	case "order":
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err == nil {
			d.Order = n
		}
		return false
	case "title", "summary", "objective", "wrong", "right":
		if len(parts) == 2 {
			return text(map[string]lb.Text{"title": d.Title, "summary": d.Summary, "objective": d.Objective, "wrong": d.Wrong, "right": d.Right}[parts[0]], parts[1])
		}
	case "steps":
		if len(parts) < 3 {
			return false
		}
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 0 || i >= len(d.Steps) {
			return false
		}
		st := &d.Steps[i]
		switch {
		case parts[2] == "text" && len(parts) == 4:
			return text(st.Text, parts[3])
		case parts[2] == "goals" && len(parts) >= 5:
			j, err := strconv.Atoi(parts[3])
			if err != nil || j < 0 || j >= len(st.Goals) {
				return false
			}
			g := &st.Goals[j]
			switch parts[4] {
			case "text":
				if len(parts) == 6 {
					return text(g.Text, parts[5])
				}
			case "check":
				g.Check, g.Params = v, json.RawMessage("{}")
				delete(p.values, g.ID)
				delete(p.Live, g.ID)
				return true
			case "param":
				if len(parts) == 6 {
					vals := p.paramValues(g)
					vals[parts[5]] = v
					p.setParams(g)
					return false
				}
			}
		case parts[2] == "hints" && len(parts) == 5:
			j, err := strconv.Atoi(parts[3])
			if err == nil && j >= 0 && j < len(st.Hints) && parts[4] != "" {
				return text(st.Hints[j].Text, parts[4])
			}
		}
	}
	return false
}

func (p *Panel) paramValues(g *lb.Goal) map[string]string {
	vals := p.values[g.ID]
	if vals == nil {
		vals = lb.ParamValues(g.Params)
		p.values[g.ID] = vals
	}
	return vals
}

// setParams makes the goal's params of its form's values; a value that
// does not read is shown at its field.
func (p *Panel) setParams(g *lb.Goal) {
	pred := lessons.LookupPredicate(g.Check)
	if pred == nil {
		return
	}
	params, issues := lb.ParamsFrom(pred, p.paramValues(g))
	g.Params = params
	for _, is := range issues {
		p.Issues["goal."+g.ID+"."+is.Field] = is.Msg
	}
}

// Act runs a button's action ("add-step", "rm-goal:0:1", ...); the
// page's parts (recording, checks, export) are the caller's. It reports
// whether the panel must be drawn again.
func (p *Panel) Act(a string) bool {
	name, arg, _ := strings.Cut(a, ":")
	var idx []int
	for _, s := range strings.Split(arg, ":") {
		if n, err := strconv.Atoi(s); err == nil {
			idx = append(idx, n)
		}
	}
	d := p.D
	p.Verified, p.Link = false, ""
	ok := func(n int) bool {
		return len(idx) >= n && idx[0] >= 0 && idx[0] < len(d.Steps)
	}
	switch name {
	case "add-step":
		if len(d.Steps) < lessons.MaxSteps {
			d.AddStep()
		}
	case "rm-step":
		if ok(1) {
			d.RemoveStep(idx[0])
			if p.Recording >= len(d.Steps) {
				p.Recording = -1
			}
		}
	case "add-goal":
		if ok(1) {
			d.AddGoal(idx[0], "event_seen")
		}
	case "rm-goal":
		if ok(2) && idx[1] >= 0 && idx[1] < len(d.Steps[idx[0]].Goals) {
			st := &d.Steps[idx[0]]
			st.Goals = append(st.Goals[:idx[1]], st.Goals[idx[1]+1:]...)
		}
	case "add-hint":
		if ok(1) {
			d.AddHint(idx[0])
		}
	case "rm-hint":
		if ok(2) && idx[1] >= 0 && idx[1] < len(d.Steps[idx[0]].Hints) {
			st := &d.Steps[idx[0]]
			st.Hints = append(st.Hints[:idx[1]], st.Hints[idx[1]+1:]...)
		}
	case "clear-solution":
		if ok(1) {
			d.Steps[idx[0]].Solution = nil
		}
	default:
		return false
	}
	return true
}

// Open replaces the draft with a lesson read back from its files (an
// exported zip's, or lesson.json and its text files): to edit a lesson
// made earlier and export it again. Its scenario is its own; the live
// check and recording still follow the sandbox.
func (p *Panel) Open(files []lb.File) error {
	b, err := lb.BundleFiles(files)
	if err == nil {
		var d *lb.Draft
		if d, err = lb.Import(b); err == nil {
			p.D, p.Issues, p.Live, p.values = d, map[string]string{}, map[string]Status{}, map[string]map[string]string{}
			p.Recording, p.Verify, p.Verified, p.Link = -1, nil, false, ""
			p.Note = p.tf("opened", d.ID, len(d.Steps))
			return nil
		}
	}
	p.Note = p.tf("open.failed", err.Error())
	return err
}

// StartRecording starts recording step i's solution from the run as it is.
func (p *Panel) StartRecording(i int, r Run) {
	if i < 0 || i >= len(p.D.Steps) {
		return
	}
	p.Recording, p.Mark = i, len(r.Journal)
	p.Note = p.tf("note.recording", i+1)
}

// StopRecording makes what the author played since StartRecording the
// step's solution.
func (p *Panel) StopRecording(r Run) {
	i := p.Recording
	if i < 0 {
		return
	}
	p.Recording = -1
	if len(r.Journal) < p.Mark {
		p.Note = p.tr("note.rewound")
		return
	}
	if err := p.D.Record(i, r.Journal[p.Mark:]); err != nil {
		p.Note = err.Error()
		return
	}
	n := len(p.D.Steps[i].Solution)
	p.Note = p.tf("note.recorded", n, i+1)
}

// Check runs the draft's checks and keeps their issues by field.
func (p *Panel) Check() []lb.Issue {
	is := p.D.Check(p.Lessons)
	p.Issues = map[string]string{}
	for _, x := range is {
		if _, dup := p.Issues[x.Field]; !dup {
			p.Issues[x.Field] = x.Msg
		} else {
			p.Issues[x.Field] += " " + x.Msg
		}
	}
	return is
}

// fieldRef finds the lesson.json path a loader or lint message names
// ("lessons/17-x/lesson.json:12: steps[1].solution[0]: ...").
var fieldRef = regexp.MustCompile(`(steps\[[0-9]+\](\.(goals|hints|solution)\[[0-9]+\])?)`)

// Played takes what playing the lesson found (lint's Check and Verify)
// and shows each message that names a field of lesson.json next to it too.
func (p *Panel) Played(msgs []string) {
	p.Verify, p.Verified = msgs, len(msgs) == 0
	for _, m := range msgs {
		if f := fieldRef.FindString(m); f != "" {
			p.Issues[f] = m
		}
	}
}

// Goals lists every goal with its predicate and decoded params, for the
// live check (goals that do not parse are left out).
func (p *Panel) Goals() []LiveGoal {
	var out []LiveGoal
	for _, st := range p.D.Steps {
		for _, g := range st.Goals {
			pred := lessons.LookupPredicate(g.Check)
			if pred == nil {
				continue
			}
			params, err := pred.ParseParams(g.Params)
			if err != nil {
				continue
			}
			out = append(out, LiveGoal{ID: g.ID, Pred: pred, Params: params})
		}
	}
	return out
}

// LiveGoal is a goal ready to evaluate.
type LiveGoal struct {
	ID     string
	Pred   *lessons.Predicate
	Params any
}

// Render is the panel's markup.
func (p *Panel) Render() string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s) }
	e := html.EscapeString
	d := p.D
	issue := func(field string) {
		if m, ok := p.Issues[field]; ok {
			w(`<p class="bl-issue" role="alert" data-for="` + e(field) + `">` + e(m) + `</p>`)
		}
	}
	textField := func(field, label string, t lb.Text, area bool) {
		w(`<fieldset class="bl-text"><legend>` + e(label) + `</legend>`)
		for _, loc := range lb.Locales {
			id := "bl-" + strings.ReplaceAll(field, ".", "-") + "-" + loc
			w(`<label for="` + id + `">` + e(p.tr("locale."+loc)) + `</label>`)
			if area {
				w(`<textarea rows="2" id="` + id + `" data-f="` + e(field+"."+loc) + `" lang="` + loc + `">` + e(t[loc]) + `</textarea>`)
			} else {
				w(`<input type="text" id="` + id + `" data-f="` + e(field+"."+loc) + `" lang="` + loc + `" value="` + e(t[loc]) + `">`)
			}
		}
		w(`</fieldset>`)
		issue(field)
	}
	btn := func(id, act, label, class string) {
		w(`<button type="button" class="` + class + `" id="` + id + `" data-a="` + e(act) + `">` + e(label) + `</button>`)
	}
	w(`<div class="bl-head"><h2 id="bl-title">` + e(p.tr("title")) + `</h2>`)
	btn("bl-close", "close", p.tr("close"), "link")
	w(`</div>`)
	w(`<p class="bl-note" id="bl-note" role="status">` + e(p.Note) + `</p>`)
	if p.Busy != "" {
		w(`<p class="bl-busy" id="bl-busy">` + e(p.Busy) + `</p>`)
	}
	w(`<p class="bl-muted">` + e(p.tf("start", fmtUS(d.StartUS))) + " " + e(p.tr("simplify")) + `</p>`)
	w(`<div class="bl-grid"><label for="bl-id">` + e(p.tr("id")) + `</label><input id="bl-id" data-f="id" value="` + e(d.ID) + `">`)
	w(`<label for="bl-order">` + e(p.tr("order")) + `</label><input id="bl-order" data-f="order" inputmode="numeric" value="` + strconv.Itoa(d.Order) + `"></div>`)
	issue("id")
	issue("order")
	textField("title", p.tr("f.title"), d.Title, false)
	textField("summary", p.tr("f.summary"), d.Summary, true)
	textField("objective", p.tr("f.objective"), d.Objective, true)
	textField("wrong", p.tr("f.wrong"), d.Wrong, true)
	textField("right", p.tr("f.right"), d.Right, true)
	issue("steps")
	preds := lessons.Predicates()
	for i, st := range d.Steps {
		sp := "steps." + strconv.Itoa(i)
		fp := fmt.Sprintf("steps[%d]", i)
		w(`<section class="bl-step" id="bl-step-` + strconv.Itoa(i) + `"><div class="bl-head"><h3>` + e(p.tf("step", i+1)) + `</h3>`)
		btn(fmt.Sprintf("bl-rm-step-%d", i), "rm-step:"+strconv.Itoa(i), p.tr("remove"), "link")
		w(`</div>`)
		textField(sp+".text", p.tr("f.steptext"), st.Text, true)
		issue(fp + ".text")
		issue(fp + ".id")
		w(`<h4>` + e(p.tr("goals")) + `</h4>`)
		issue(fp + ".goals")
		for j, g := range st.Goals {
			gp := fmt.Sprintf("%s.goals.%d", sp, j)
			gf := fmt.Sprintf("%s.goals[%d]", fp, j)
			gid := fmt.Sprintf("bl-goal-%d-%d", i, j)
			w(`<div class="bl-goal" id="` + gid + `">`)
			w(`<label for="` + gid + `-check">` + e(p.tr("check")) + `</label><select id="` + gid + `-check" data-f="` + gp + `.check">`)
			for _, q := range preds {
				sel := ""
				if q.Name == g.Check {
					sel = " selected"
				}
				w(`<option value="` + q.Name + `"` + sel + `>` + q.Name + `</option>`)
			}
			w(`</select>`)
			issue(gf + ".check")
			if pred := lessons.LookupPredicate(g.Check); pred != nil {
				w(`<p class="bl-muted bl-doc">` + e(pred.Doc) + `</p><div class="bl-grid">`)
				vals := p.paramValues(&st.Goals[j])
				for _, q := range pred.Params() {
					fid := gid + "-" + q.Name
					label := q.Name
					if q.Optional {
						label += " " + p.tr("optional")
					}
					w(`<label for="` + fid + `">` + e(label) + `</label><input id="` + fid + `" data-f="` + gp + `.param.` + q.Name + `" placeholder="` + e(p.tr("kind."+q.Kind)) + `" value="` + e(vals[q.Name]) + `">`)
				}
				w(`</div>`)
				for _, q := range pred.Params() {
					issue("goal." + g.ID + ".params." + q.Name)
				}
			}
			issue(gf + ".params")
			st := p.Live[g.ID]
			cls, msg := "unknown", p.tr("live.unknown")
			if st.Known && st.Holds {
				cls, msg = "holds", p.tr("live.holds")
			} else if st.Known {
				cls, msg = "not-yet", p.tr("live.notyet")
			}
			if st.Detail != "" {
				msg += ": " + st.Detail
			}
			w(`<p class="bl-live ` + cls + `" id="` + gid + `-live">` + e(msg) + `</p>`)
			textField(gp+".text", p.tr("f.goaltext"), g.Text, false)
			issue(gf + ".text")
			btn(gid+"-rm", fmt.Sprintf("rm-goal:%d:%d", i, j), p.tr("remove.goal"), "link")
			w(`</div>`)
		}
		btn(fmt.Sprintf("bl-add-goal-%d", i), "add-goal:"+strconv.Itoa(i), p.tr("add.goal"), "")
		w(`<h4>` + e(p.tr("hints")) + `</h4>`)
		issue(fp + ".hints")
		for j, h := range st.Hints {
			hid := fmt.Sprintf("bl-hint-%d-%d", i, j)
			w(`<div class="bl-hint" id="` + hid + `">`)
			textField(fmt.Sprintf("%s.hints.%d", sp, j), p.tf("hint", j+1), h.Text, false)
			issue(fmt.Sprintf("%s.hints[%d].text", fp, j))
			btn(hid+"-rm", fmt.Sprintf("rm-hint:%d:%d", i, j), p.tr("remove.hint"), "link")
			w(`</div>`)
		}
		btn(fmt.Sprintf("bl-add-hint-%d", i), "add-hint:"+strconv.Itoa(i), p.tr("add.hint"), "")
		w(`<h4>` + e(p.tr("solution")) + `</h4>`)
		if len(st.Solution) == 0 {
			w(`<p class="bl-muted">` + e(p.tr("solution.none")) + `</p>`)
		} else {
			w(`<ol class="bl-solution" id="` + fmt.Sprintf("bl-solution-%d", i) + `">`)
			for _, c := range st.Solution {
				w(`<li><code>` + e(string(c)) + `</code></li>`)
			}
			w(`</ol>`)
		}
		for j := range st.Solution {
			issue(fmt.Sprintf("%s.solution[%d]", fp, j))
		}
		issue(fp)
		if p.Recording == i {
			btn(fmt.Sprintf("bl-stop-%d", i), "stop", p.tr("stop"), "primary")
		} else if p.Recording < 0 {
			btn(fmt.Sprintf("bl-record-%d", i), "record:"+strconv.Itoa(i), p.tr("record"), "")
			if len(st.Solution) > 0 {
				btn(fmt.Sprintf("bl-clear-%d", i), "clear-solution:"+strconv.Itoa(i), p.tr("solution.clear"), "link")
			}
		}
		w(`</section>`)
	}
	if len(d.Steps) < lessons.MaxSteps {
		btn("bl-add-step", "add-step", p.tr("add.step"), "")
	}
	w(`<div class="bl-actions">`)
	btn("bl-check", "check", p.tr("check.button"), "primary")
	btn("bl-export", "export", p.tr("export"), "")
	btn("bl-share", "share", p.tr("share"), "")
	w(`</div>`)
	w(`<p class="bl-open"><label for="bl-open">` + e(p.tr("open")) + `</label> <input type="file" id="bl-open" multiple accept=".zip,.json"></p>`)
	if p.Verify != nil || p.Verified {
		if len(p.Verify) == 0 {
			w(`<p class="bl-ok" id="bl-verified" role="status">` + e(p.tr("verified")) + `</p>`)
		} else {
			w(`<ul class="bl-problems" id="bl-problems">`)
			for _, m := range p.Verify {
				w(`<li>` + e(m) + `</li>`)
			}
			w(`</ul>`)
		}
	}
	if p.Link != "" {
		w(`<label for="bl-link">` + e(p.tr("link")) + `</label><input id="bl-link" readonly value="` + e(p.Link) + `">`)
		w(`<p class="bl-muted" id="bl-link-size">` + e(p.tf("link.size", len(p.Link))) + `</p>`)
	}
	return b.String()
}
