package lessons

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	// sayCall matches say with a literal format: "…" or `…`.
	sayCall = regexp.MustCompile("\\bsay\\((\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`]*`)\\s*[,)]")
	// sayBuilt is plural's own call, with a format built from its word.
	sayBuilt = regexp.MustCompile(`\bsay\("%d "\s*\+\s*word`)
	anySay   = regexp.MustCompile(`\bsay\(`)
	// pluralCall matches plural with a literal word.
	pluralCall = regexp.MustCompile(`\bplural\([^;\n]*?,\s*"([^"\\]+)"\)`)
	anyPlural  = regexp.MustCompile(`\bplural\(`)
	printfVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\[\d+\])?(\d+|\*)?(\.(\[\d+\])?(\d+|\*)?)?(\[\d+\])?[a-zA-Z%]`)
)

// detailFormatsInSource returns every English format the package's non-test
// sources pass to say, directly or through plural.
func detailFormatsInSource(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		literal := sayCall.FindAllStringSubmatch(src, -1)
		for _, m := range literal {
			s, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: say(%s): %v", f, m[1], err)
			}
			used[s] = true
		}
		built := len(sayBuilt.FindAllString(src, -1))
		defs := strings.Count(src, "func say(")
		if n := len(anySay.FindAllString(src, -1)); n != len(literal)+built+defs {
			t.Errorf("%s: %d calls of say, %d with a literal format: every format must be a literal the test can read", f, n-defs, len(literal))
		}
		words := pluralCall.FindAllStringSubmatch(src, -1)
		for _, m := range words {
			used["%d "+m[1]] = true
			used["%d "+m[1]+"s"] = true
		}
		defs = strings.Count(src, "func plural(")
		if n := len(anyPlural.FindAllString(src, -1)); n != len(words)+defs {
			t.Errorf("%s: %d calls of plural, %d with a literal word", f, n-defs, len(words))
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d detail formats; is the scan broken?", len(used))
	}
	return used
}

// verbs maps each argument a format reads (1-based, resolving explicit
// indexes such as %[2]s) to its verb; %% reads none.
func verbs(format string) map[int]string {
	out := map[int]string{}
	next := 1
	index := regexp.MustCompile(`\[(\d+)\]`)
	for _, v := range printfVerb.FindAllString(format, -1) {
		if v == "%%" {
			continue
		}
		plain := index.ReplaceAllString(v, "")
		for _, m := range index.FindAllStringSubmatch(v, -1) {
			n, _ := strconv.Atoi(m[1])
			next = n
		}
		for range strings.Count(plain, "*") {
			out[next] = "*"
			next++
		}
		out[next] = strings.ReplaceAll(plain, "*", "")
		next++
	}
	return out
}

func TestVerbs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"%s of %d", "%s: %d", true},
		{"%s of %d", "%d: %s", false},
		{"%s of %d", "%[2]d의 %[1]s", true},
		{"%s of %d", "%[2]s의 %[1]d", false},
		{"%d%% of %s", "%s의 %d%%", false},
		{"%d%% of %s", "%d%%: %s", true},
		{"%.2f and %v", "%.2f, %v", true},
		{"%.2f and %v", "%.1f, %v", false},
		{"%s", "", false},
	} {
		if got := slices.Equal(sortedVerbs(c.a), sortedVerbs(c.b)); got != c.same {
			t.Errorf("%q vs %q: same verbs = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

func sortedVerbs(format string) []string {
	m := verbs(format)
	out := make([]string, 0, len(m))
	for i := 1; i <= len(m); i++ {
		v, ok := m[i]
		if !ok {
			v = "(unused)"
		}
		out = append(out, strconv.Itoa(i)+v)
	}
	return out
}

// TestDetailTranslations: every detail format has a translation in every
// locale table, reading the same arguments with the same verbs, and no
// table holds a format no code uses.
func TestDetailTranslations(t *testing.T) {
	used := detailFormatsInSource(t)
	for loc, table := range detailFormats {
		for _, en := range sortedKeys(used) {
			tr, ok := table[en]
			switch {
			case !ok:
				t.Errorf("%s: no translation of %q", loc, en)
			case strings.TrimSpace(tr) == "":
				t.Errorf("%s: empty translation of %q", loc, en)
			case !slices.Equal(sortedVerbs(en), sortedVerbs(tr)):
				t.Errorf("%s: %q reads %v, its translation %q reads %v", loc, en, sortedVerbs(en), tr, sortedVerbs(tr))
			}
		}
		for _, en := range sortedKeys(table) {
			if !used[en] {
				t.Errorf("%s: %q is translated but no say or plural call uses it", loc, en)
			}
		}
	}
	t.Logf("%d detail formats", len(used))
}

func TestSayLocale(t *testing.T) {
	defer func(l string) { Locale = l }(Locale)
	const en = "producer %s has %d of %d records acknowledged"
	Locale = "xx"
	if got, want := say(en, "app", 3, 10), "producer app has 3 of 10 records acknowledged"; got != want {
		t.Errorf("unknown locale: got %q, want %q", got, want)
	}
	Locale = "ko"
	got := say(en, "app", 3, 10)
	if got == "producer app has 3 of 10 records acknowledged" || !strings.Contains(got, "app") || !strings.Contains(got, "3") {
		t.Errorf("ko: got %q, want the Korean format filled in", got)
	}
	if !strings.ContainsFunc(got, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }) {
		t.Errorf("ko: %q has no Hangul", got)
	}
	if got, want := plural(3, "record"), say("%d records", 3); got != want || got == "3 records" {
		t.Errorf("ko: plural(3, record) = %q, want %q", got, want)
	}
	if got := say("a format no table has %d", 1); got != "a format no table has 1" {
		t.Errorf("ko, untranslated format: got %q", got)
	}
	Locale = "en"
	if got := plural(1, "record") + "/" + plural(2, "record") + "/" + times(2); got != "1 record/2 records/twice" {
		t.Errorf("en: got %q", got)
	}
}
