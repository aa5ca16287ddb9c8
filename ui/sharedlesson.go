package ui

import (
	"encoding/json"
	"errors"

	"github.com/brokerlab/brokerlab/lessons"
)

// bundledLesson reads the lesson a share link carries whole (the lesson
// builder's link: lessons/builder's bundle, {"lesson", "text"}), checked
// as the built-in lessons are in ui.wasm: its goals bind to predicates.
func bundledLesson(b json.RawMessage) (*lessons.Lesson, error) {
	var bd struct {
		Lesson json.RawMessage              `json:"lesson"`
		Text   map[string]map[string]string `json:"text"`
	}
	if err := json.Unmarshal(b, &bd); err != nil {
		return nil, err
	}
	en, _ := json.Marshal(bd.Text[lessons.DefaultLocale])
	l, err := lessons.Decode(bd.Lesson, en)
	if err != nil {
		return nil, err
	}
	if len(l.Steps) == 0 {
		return nil, errors.New("the lesson has no steps")
	}
	for loc, t := range bd.Text {
		if loc != lessons.DefaultLocale {
			l.SetTexts(loc, t)
		}
	}
	return l, nil
}
