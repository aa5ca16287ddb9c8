package lessons

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

// loadLean reads one folder as loadLesson does but checks nothing beyond
// what running the lesson needs: lesson.json decodes, every goal binds to
// its predicate, and the English text decodes. Issues carry line 1. The
// UI's build uses it (load_js.go); TestLoadLeanMatches holds it to the
// checked loader.
func loadLean(fsys fs.FS, dir, folder, shown string) (*Lesson, Issues) {
	l := &Lesson{Dir: folder, File: path.Join(shown, "lesson.json")}
	data, err := fs.ReadFile(fsys, path.Join(dir, "lesson.json"))
	if err == nil {
		l.data = data
		err = json.Unmarshal(data, l)
	}
	if err != nil {
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
	file := path.Join(dir, "text."+DefaultLocale+".json")
	var en map[string]string
	data, err = fs.ReadFile(fsys, file)
	if err == nil {
		err = json.Unmarshal(data, &en)
	}
	if err != nil {
		return l, append(issues, Issue{path.Join(shown, path.Base(file)), 1, err.Error()})
	}
	l.SetTexts(DefaultLocale, en)
	return l, issues
}
