package lessons

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

// loadLean reads one folder as loadLesson does but checks nothing beyond
// what running the lesson needs (see decodeLean). TestLoadLeanMatches holds
// it to the checked loader.
func loadLean(fsys fs.FS, dir, folder, shown string) (*Lesson, Issues) {
	data, err := fs.ReadFile(fsys, path.Join(dir, "lesson.json"))
	if err != nil {
		return nil, Issues{{path.Join(shown, "lesson.json"), 1, err.Error()}}
	}
	en, err := fs.ReadFile(fsys, path.Join(dir, "text."+DefaultLocale+".json"))
	if err != nil {
		return nil, Issues{{path.Join(shown, "text."+DefaultLocale+".json"), 1, err.Error()}}
	}
	return decodeLean(folder, shown, data, en)
}

// decodeLean makes a lesson of its lesson.json and English text (ui.wasm's
// way, load_js.go): lesson.json decodes, every goal binds to its predicate,
// the solution is derived and the English text decodes. Issues carry line 1.
func decodeLean(folder, shown string, data, en []byte) (*Lesson, Issues) {
	l := &Lesson{Dir: folder, File: path.Join(shown, "lesson.json"), data: data}
	if err := json.Unmarshal(data, l); err != nil {
		return nil, Issues{{l.File, 1, err.Error()}}
	}
	var issues Issues
	for i := range l.Steps {
		st := &l.Steps[i]
		for j := range st.Goals {
			issues = append(issues, l.bindGoal(&st.Goals[j], fmt.Sprintf("steps[%d].goals[%d]", i, j))...)
		}
		l.Solution = append(l.Solution, st.Solution...)
	}
	var text map[string]string
	if err := json.Unmarshal(en, &text); err != nil {
		return l, append(issues, Issue{path.Join(shown, "text."+DefaultLocale+".json"), 1, err.Error()})
	}
	l.SetTexts(DefaultLocale, text)
	return l, issues
}

// Decode makes a lesson of its lesson.json and English text as ui.wasm
// loads the built-in ones (decodeLean): for a lesson a share link carries.
// The folder is its id; any issue is an error.
func Decode(lesson, en []byte) (*Lesson, error) {
	l, is := decodeLean("shared", "shared", lesson, en)
	if len(is) > 0 {
		return nil, is
	}
	l.Dir = l.ID
	return l, nil
}
