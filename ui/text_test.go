package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var textUse = regexp.MustCompile(`\bTf?\("([a-z0-9_.]+)"`)

// TestTextKeys: every text id the sources use exists in English, and no
// locale has ids English lacks.
func TestTextKeys(t *testing.T) {
	files, _ := filepath.Glob("*.vugu")
	gofiles, _ := filepath.Glob("*.go")
	files = append(files, gofiles...)
	used := 0
	for _, f := range files {
		if f == "0_components_gen.go" || strings.HasSuffix(f, "_test.go") {
			continue // generated from the .vugu files, or tests
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range textUse.FindAllStringSubmatch(string(src), -1) {
			used++
			if _, ok := textEN[m[1]]; !ok {
				t.Errorf("%s uses text id %q, which text_en.go lacks", f, m[1])
			}
		}
	}
	if used < 50 {
		t.Errorf("found only %d uses of T(...): is the pattern still right?", used)
	}
	for loc, table := range locales {
		for id := range table {
			if _, ok := textEN[id]; !ok {
				t.Errorf("locale %s has id %q, English has not", loc, id)
			}
		}
	}
}

func TestTFallsBack(t *testing.T) {
	defer func(l string) { Locale = l }(Locale)
	Locale = "xx" // no table: everything falls back
	if T("ctl.play") != textEN["ctl.play"] {
		t.Error("a locale without the id does not fall back to English")
	}
	if T("no.such.id") != "⟦no.such.id⟧" {
		t.Error("a missing id does not show itself")
	}
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// TestLocalesAreCompleteWithTheSameVerbs: every locale translates every
// id, with the same printf verbs in the same order (a missing %d prints
// "%!(EXTRA ...)" on the page).
func TestLocalesAreCompleteWithTheSameVerbs(t *testing.T) {
	for _, l := range Locales {
		table, ok := locales[l.ID]
		if !ok {
			t.Errorf("the switch offers %s, which has no table", l.ID)
			continue
		}
		for id, en := range textEN {
			s, ok := table[id]
			if !ok {
				t.Errorf("%s lacks %q", l.ID, id)
				continue
			}
			if a, b := strings.Join(verb.FindAllString(en, -1), " "), strings.Join(verb.FindAllString(s, -1), " "); a != b {
				t.Errorf("%s %q has verbs [%s], English [%s]", l.ID, id, b, a)
			}
		}
	}
}

func TestPickLocale(t *testing.T) {
	for _, c := range []struct{ stored, browser, want string }{
		{"", "ko-KR", "ko"}, {"", "en-GB", "en"}, {"", "fr", "en"}, {"en", "ko-KR", "en"}, {"ko", "", "ko"}, {"zz", "", "en"},
	} {
		if got := pickLocale(c.stored, c.browser); got != c.want {
			t.Errorf("stored %q, browser %q: %q, want %q", c.stored, c.browser, got, c.want)
		}
	}
}
