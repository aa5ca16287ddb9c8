package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Progress export and import: one file with every lesson's goals met, the
// step each lesson is on, the saved lesson runs and the sandbox. Import
// merges: it adds what the learner lacks and never overwrites what they
// have, and says what it changed.

// progressMark names the version field of a progress file.
const progressMark = "brokerlab_progress"

// maxProgressFile caps what an import reads.
const maxProgressFile = 8 << 20

// progressFile is the file's shape.
type progressFile struct {
	Version int               `json:"brokerlab_progress"`
	Entries map[string]string `json:"entries"`
}

// progressKeys lists every localStorage entry a progress file may hold:
// each lesson's goals, step and run, and the sandbox.
func (ls *Lessons) progressKeys() []string {
	keys := []string{sandboxKey}
	for _, l := range ls.List {
		keys = append(keys, stepKey(l.ID), lessonRunKey(l.ID))
		for _, st := range l.Steps {
			for _, g := range st.Goals {
				keys = append(keys, progressKey(l.ID, g.ID))
			}
		}
	}
	return keys
}

// exportProgress writes the progress file of what is stored.
func (a *App) exportProgress() ([]byte, error) {
	f := progressFile{Version: 1, Entries: map[string]string{}}
	for _, k := range a.Lessons.progressKeys() {
		if v, ok := a.P.Load(k); ok {
			f.Entries[k] = v
		}
	}
	return json.MarshalIndent(f, "", " ")
}

// ProgressChange is what an import did, in counts.
type ProgressChange struct {
	Goals, Steps, Runs int // added
	Kept               int // runs the learner had, kept instead of the file's
}

// importProgress merges a progress file into what is stored.
func (a *App) importProgress(b []byte) (ProgressChange, error) {
	var ch ProgressChange
	if len(b) > maxProgressFile {
		return ch, fmt.Errorf("%s", Tf("progress.toolarge", maxProgressFile>>20))
	}
	var f progressFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || f.Version == 0 {
		return ch, fmt.Errorf("%s", T("progress.notprogress"))
	}
	if f.Version != 1 {
		return ch, fmt.Errorf("%s", Tf("progress.version", f.Version))
	}
	known := map[string]bool{}
	for _, k := range a.Lessons.progressKeys() {
		known[k] = true
	}
	keys := make([]string, 0, len(f.Entries))
	for k := range f.Entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := f.Entries[k]
		if !known[k] {
			continue // a lesson this page does not have, or not progress at all
		}
		mine, have := a.P.Load(k)
		switch {
		case strings.HasPrefix(k, "brokerlab.goal."):
			if v == "1" && mine != "1" {
				a.P.Store(k, "1")
				a.Lessons.Done[strings.TrimPrefix(k, "brokerlab.goal.")] = true
				ch.Goals++
			}
		case strings.HasPrefix(k, "brokerlab.step."):
			if n, err := strconv.Atoi(v); err == nil && n >= 0 && !have {
				a.P.Store(k, v)
				ch.Steps++
			}
		default: // a saved run: the sandbox's or a lesson's
			var sv savedRun
			if json.Unmarshal([]byte(v), &sv) != nil || len(sv.Scenario) == 0 {
				continue
			}
			if have {
				ch.Kept++
				continue
			}
			a.P.Store(k, v)
			ch.Runs++
		}
	}
	return ch, nil
}

// ExportProgress offers the progress file (DOM handler).
func (a *App) ExportProgress() {
	b, err := a.exportProgress()
	if err != nil {
		a.ProgressNote = err.Error()
		return
	}
	a.P.Download("brokerlab-progress.json", b)
	a.ProgressNote = T("progress.exported")
}

// fileOpener is a platform that lets the learner pick a file (the browser).
type fileOpener interface {
	OpenFile(accept string, f func(name string, data []byte))
}

// ImportProgress asks for a progress file and merges it (DOM handler).
func (a *App) ImportProgress() {
	fo, ok := a.P.(fileOpener)
	if !ok {
		return
	}
	fo.OpenFile(".json,application/json", func(name string, data []byte) {
		a.env.Lock()
		defer a.env.UnlockRender()
		a.ProgressNote = a.describeImport(a.importProgress(data))
	})
}

// describeImport says what an import changed, or why it changed nothing.
func (a *App) describeImport(ch ProgressChange, err error) string {
	if err != nil {
		return Tf("progress.bad", err.Error())
	}
	return Tf("progress.imported", ch.Goals, ch.Steps, ch.Runs, ch.Kept)
}
