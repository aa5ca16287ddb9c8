package lessons

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/internal/pattern"
)

// textTable is one text.<locale>.json of a lesson.
type textTable struct {
	locale string
	file   string // as shown in issues
	data   []byte
	tree   *node
	text   map[string]string
}

func (t *textTable) line(key string) int {
	if n := t.tree.member(key); n != nil {
		return lineAt(t.data, n.off)
	}
	return 1
}

// loadTexts reads every text.<locale>.json in a lesson folder. broken
// lists the locales whose file exists but could not be read.
func loadTexts(fsys fs.FS, dir, shown string) (tables []*textTable, broken map[string]bool, issues Issues) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, Issues{{shown, 1, err.Error()}}
	}
	var out []*textTable
	broken = map[string]bool{}
	for _, e := range entries {
		m := textFile.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		t := &textTable{locale: m[1], file: path.Join(shown, e.Name())}
		broken[t.locale] = true
		if !localeName.MatchString(t.locale) {
			issues = append(issues, Issue{t.file, 1, fmt.Sprintf("%q is not a locale such as en, ko or pt-BR", t.locale)})
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			issues = append(issues, Issue{t.file, 1, err.Error()})
			continue
		}
		t.data = data
		if t.tree, err = parseTree(data); err != nil {
			issues = append(issues, posIssue(t.file, data, err))
			continue
		}
		if t.tree.kind != '{' {
			issues = append(issues, Issue{t.file, 1, "a text file must be one JSON object of \"key\": \"text\""})
			continue
		}
		bad := false
		for i, k := range t.tree.keys {
			if t.tree.elems[i].kind != '"' {
				issues = append(issues, Issue{t.file, t.line(k), fmt.Sprintf("%q must be a string", k)})
				bad = true
			}
		}
		if bad {
			continue
		}
		if err := json.Unmarshal(data, &t.text); err != nil {
			issues = append(issues, posIssue(t.file, data, err))
			continue
		}
		out = append(out, t)
		delete(broken, t.locale)
	}
	return out, broken, issues
}

// textRef is a text key lesson.json needs, and where it needs it.
type textRef struct{ key, at string }

// TextKeys lists every text key the lesson's structure refers to, in order.
func (l *Lesson) TextKeys() []string {
	refs := l.textRefs()
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.key
	}
	return out
}

// textRefs lists the keys with where they are needed; ids that are empty
// (reported elsewhere) give no key.
func (l *Lesson) textRefs() []textRef {
	refs := []textRef{{"title", "id"}, {"summary", "id"}, {"objective", "id"}}
	ref := func(prefix, id, suffix, at string) {
		if id != "" {
			refs = append(refs, textRef{prefix + id + suffix, at})
		}
	}
	for i, st := range l.Steps {
		sp := fmt.Sprintf("steps[%d]", i)
		ref("steps.", st.ID, ".text", sp+".id")
		for j, g := range st.Goals {
			ref("goals.", g.ID, "", fmt.Sprintf("%s.goals[%d].id", sp, j))
		}
		for j, h := range st.Hints {
			ref("hints.", h, "", fmt.Sprintf("%s.hints[%d]", sp, j))
		}
	}
	ref("", l.CommonBelief, ".wrong", "common_belief")
	ref("", l.CommonBelief, ".right", "common_belief")
	for i, t := range l.Glossary {
		ref("glossary.", t, "", fmt.Sprintf("glossary[%d]", i))
	}
	return refs
}

// glossaryLink is a link to a glossary term inside a text: [words](glossary:term).
var glossaryLink = pattern.MustCompile(`\]\(glossary:([^)]*)\)`)

// checkTexts keeps the loaded tables and checks that English has every key
// lesson.json refers to, that no table has keys nothing refers to, and that
// glossary links name listed terms.
func (l *Lesson) checkTexts(tables []*textTable, broken map[string]bool, shown string) Issues {
	var out Issues
	l.texts = map[string]map[string]string{}
	var en *textTable
	for _, t := range tables {
		l.texts[t.locale] = t.text
		if t.locale == DefaultLocale {
			en = t
		}
	}
	if broken[DefaultLocale] {
		return nil // its problem is reported already
	}
	if en == nil {
		return Issues{{path.Join(shown, "text."+DefaultLocale+".json"), 1, "missing: English text is required (it is every other locale's fallback)"}}
	}
	used := map[string]bool{}
	for _, r := range l.textRefs() {
		if used[r.key] {
			continue
		}
		used[r.key] = true
		if _, ok := en.text[r.key]; !ok {
			out = append(out, l.issue(r.at, "%s has no %q", path.Base(en.file), r.key))
		}
	}
	terms := map[string]bool{}
	for _, t := range l.Glossary {
		terms[t] = true
	}
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].locale < tables[j].locale })
	for _, t := range tables {
		for _, k := range t.tree.keys {
			v := t.text[k]
			switch {
			case !used[k] && t == en:
				out = append(out, Issue{t.file, t.line(k), fmt.Sprintf("%q is not used by lesson.json", k)})
			case !used[k]:
				out = append(out, Issue{t.file, t.line(k), fmt.Sprintf("%q is not a key of lesson.json's text", k)})
			case strings.TrimSpace(v) == "":
				out = append(out, Issue{t.file, t.line(k), fmt.Sprintf("%q is empty", k)})
			}
			for _, m := range glossaryLink.FindAllStringSubmatch(v, -1) {
				if !terms[m[1]] {
					out = append(out, Issue{t.file, t.line(k), fmt.Sprintf("%q links to glossary term %q, which lesson.json's glossary does not list", k, m[1])})
				}
			}
		}
	}
	return out
}
