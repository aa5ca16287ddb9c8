//go:build !js

package lessons

import (
	"encoding/json"
	"io/fs"
	"path"
	"reflect"
	"strings"
)

// The checks of every lesson file run wherever lessons load, but in ui.wasm
// (load_js.go): there the lessons are the ones built in, which these checks,
// the tests and lessons/lint passed. Leaving them out (with jsonpos, the
// reflection over Lesson and the lessons' patterns) takes ~0.02 MB brotli
// off ui.wasm.

// crossCheck finds ids and orders used by two lessons.
func crossCheck(ls []*Lesson) Issues {
	var out Issues
	ids, orders := map[string]*Lesson{}, map[int]*Lesson{}
	for _, l := range ls {
		if o := ids[l.ID]; o != nil && l.ID != "" {
			out = append(out, l.issue("id", "id %q is also used by %s", l.ID, o.File))
		}
		ids[l.ID] = l
		if o := orders[l.Order]; o != nil && !l.Sandbox {
			out = append(out, l.issue("order", "order %d is also used by %s", l.Order, o.File))
		}
		if !l.Sandbox {
			orders[l.Order] = l
		}
	}
	return out
}

// loadLesson reads one folder. It returns nil when lesson.json cannot be
// decoded at all.
func loadLesson(fsys fs.FS, dir, folder, shown string) (*Lesson, Issues) {
	l := &Lesson{Dir: folder, File: path.Join(shown, "lesson.json")}
	data, err := fs.ReadFile(fsys, path.Join(dir, "lesson.json"))
	if err != nil {
		return nil, Issues{{l.File, 1, err.Error()}}
	}
	l.data = data
	tree, err := parseTree(data)
	if err != nil {
		return nil, Issues{posIssue(l.File, data, err)}
	}
	l.tree = tree
	if tree.kind != '{' {
		return nil, Issues{{l.File, 1, "a lesson must be a JSON object"}}
	}
	var issues Issues
	for i, k := range tree.keys {
		if k == "solution" {
			issues = append(issues, Issue{l.File, lineAt(data, tree.elems[i].off), `a top-level "solution" is no longer read: put its commands into the steps, each step's own commands in its "solution" list`})
		}
	}
	unknownFields(tree, reflect.TypeFor[Lesson](), "", func(n *node, msg string) {
		if strings.HasPrefix(msg, `unknown field "solution" (`) {
			return // reported above
		}
		issues = append(issues, Issue{l.File, lineAt(data, n.off), msg})
	})
	if err := json.Unmarshal(data, l); err != nil {
		return nil, append(issues, posIssue(l.File, data, err))
	}
	issues = append(issues, l.validate()...)
	tables, broken, is := loadTexts(fsys, dir, shown)
	issues = append(issues, is...)
	issues = append(issues, l.checkTexts(tables, broken, shown)...)
	return l, issues
}
