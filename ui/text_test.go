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
	Locale = "ko"
	if T("ctl.play") != textEN["ctl.play"] {
		t.Error("a locale without the id does not fall back to English")
	}
	if T("no.such.id") != "⟦no.such.id⟧" {
		t.Error("a missing id does not show itself")
	}
}
