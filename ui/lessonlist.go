package ui

import (
	"fmt"

	"github.com/brokerlab/brokerlab/lessons"
)

// LessonList lists the lessons with the learner's progress.
type LessonList struct {
	App *App
}

func (c *LessonList) progressText(l *lessons.Lesson) string {
	d, t := c.App.Lessons.Progress(l)
	return Tf("list.goals", d, t)
}

func (c *LessonList) cardClass(l *lessons.Lesson) string {
	d, t := c.App.Lessons.Progress(l)
	if t > 0 && d == t {
		return "card done"
	}
	return "card"
}

// meterClass draws progress in tenths (CSS classes, not inline styles: the
// page's CSP forbids those).
func (c *LessonList) meterClass(l *lessons.Lesson) string {
	d, t := c.App.Lessons.Progress(l)
	if t == 0 {
		return "fill w0"
	}
	return fmt.Sprintf("fill w%d", d*10/t)
}

func (c *LessonList) buttonText(l *lessons.Lesson) string {
	d, t := c.App.Lessons.Progress(l)
	switch {
	case t > 0 && d == t:
		return T("list.review")
	case d > 0:
		return T("list.continue")
	}
	return T("list.start")
}
