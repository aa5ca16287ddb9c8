package lessons

import (
	"regexp"
	"slices"
	"testing"
)

var (
	glossaryTarget = regexp.MustCompile(`\(glossary:[^)]*\)`)
	backticked     = regexp.MustCompile("`[^`]*`")
)

// TestTranslationsMatchEnglish: every translated text file of a lesson
// has exactly English's keys, and each text links the same glossary terms
// and keeps the same `code` spans (config names, values, error names).
func TestTranslationsMatchEnglish(t *testing.T) {
	ls, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	translated := 0
	for _, l := range ls {
		en := l.texts[DefaultLocale]
		for loc, table := range l.texts {
			if loc == DefaultLocale {
				continue
			}
			translated++
			for k, s := range en {
				tr, ok := table[k]
				if !ok {
					t.Errorf("%s: text.%s.json lacks %q", l.ID, loc, k)
					continue
				}
				if tr == s && len(s) > 12 {
					t.Errorf("%s: text.%s.json %q is still English: %q", l.ID, loc, k, s)
				}
				for _, re := range []*regexp.Regexp{glossaryTarget, backticked} {
					a, b := re.FindAllString(s, -1), re.FindAllString(tr, -1)
					slices.Sort(a)
					slices.Sort(b)
					if !slices.Equal(a, b) {
						t.Errorf("%s: text.%s.json %q has %q, English %q", l.ID, loc, k, b, a)
					}
				}
			}
			for k := range table {
				if _, ok := en[k]; !ok {
					t.Errorf("%s: text.%s.json has %q, English has not", l.ID, loc, k)
				}
			}
		}
	}
	t.Logf("%d translated text files", translated)
}
