package ui

import (
	"strconv"
)

// LessonPage is one lesson: its guide on the left, the playground on the right.
type LessonPage struct {
	App *App
}

func itoa(i int) string { return strconv.Itoa(i) }

func spanClass(s Span) string {
	switch {
	case s.Term:
		return "term"
	case s.Code:
		return "cmd"
	}
	return ""
}

// spanTab makes glossary terms focusable so keyboards reach their definitions.
func spanTab(s Span) any {
	if s.Term {
		return 0
	}
	return nil
}

func (c *LessonPage) stepHead() string {
	lr := c.App.Lesson
	return Tf("lesson.step", lr.Step+1, len(lr.L.Steps))
}

func (c *LessonPage) stepText() []Span {
	lr := c.App.Lesson
	return Rich(lr.L, "steps."+lr.StepDef().ID+".text")
}

func (c *LessonPage) stepDone(i int) bool {
	for _, g := range c.App.Lesson.L.Steps[i].Goals {
		if !c.App.GoalDone(g.ID) {
			return false
		}
	}
	return true
}

func (c *LessonPage) stepClass(i int) string {
	cls := "dot"
	if c.stepDone(i) {
		cls += " done"
	}
	if i == c.App.Lesson.Step {
		cls += " current"
	}
	return cls
}

func (c *LessonPage) stepTitle(i int) string {
	return Tf("lesson.step", i+1, len(c.App.Lesson.L.Steps))
}

func (c *LessonPage) goalClass(id string) string {
	if c.App.GoalDone(id) {
		return "goal done"
	}
	return "goal"
}

func (c *LessonPage) doneAttr(id string) string {
	if c.App.GoalDone(id) {
		return "true"
	}
	return "false"
}

func (c *LessonPage) tick(id string) string {
	if c.App.GoalDone(id) {
		return "✓"
	}
	return "○"
}

func (c *LessonPage) doneText() string {
	if c.App.LessonDone() {
		return T("lesson.alldone")
	}
	return T("lesson.done")
}

func (c *LessonPage) shownHints() []string {
	lr := c.App.Lesson
	hs := lr.StepDef().Hints
	return hs[:min(lr.Hints, len(hs))]
}

func (c *LessonPage) moreHints() bool {
	lr := c.App.Lesson
	return lr.Hints < len(lr.StepDef().Hints)
}

func (c *LessonPage) hintButton() string {
	if c.App.Lesson.Hints == 0 {
		return T("lesson.hint")
	}
	return T("lesson.morehint")
}

func (c *LessonPage) hasNext() bool { return c.App.Lesson.Step+1 < len(c.App.Lesson.L.Steps) }

func (c *LessonPage) nextClass() string {
	if c.App.StepDone() {
		return "primary"
	}
	return "secondary"
}

// noticeClass styles what the last lesson action did: a failure reads as
// an error, the rest as a note.
func (c *LessonPage) noticeClass() string {
	if c.App.Lesson.NoticeErr {
		return "lesson-notice form-error"
	}
	return "lesson-notice"
}

// noticeRole makes a failure an alert and the rest a polite status.
func (c *LessonPage) noticeRole() string {
	if c.App.Lesson.NoticeErr {
		return "alert"
	}
	return "status"
}
