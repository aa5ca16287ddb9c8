package ui

import (
	"os"
	"strings"
	"testing"
)

// TestSandboxIntroIsShort: the sandbox's first screen says what it is for
// in two sentences; how storage is checked (OPFS, byte for byte) is in a
// closed "About storage" <details>, in both languages.
func TestSandboxIntroIsShort(t *testing.T) {
	for _, loc := range []string{"en", "ko"} {
		intro := locales[loc]["sandbox.intro"]
		if n := strings.Count(intro, ". ") + 1; n > 2 || strings.Contains(intro, "OPFS") {
			t.Errorf("%s intro %q: want at most two sentences and no storage details", loc, intro)
		}
		if !strings.Contains(locales[loc]["sandbox.storage.body"], "OPFS") {
			t.Errorf("%s: the storage details lost the OPFS explanation", loc)
		}
	}
	src, err := os.ReadFile("sandbox-page.vugu")
	if err != nil {
		t.Fatal(err)
	}
	page := string(src)
	det := strings.Index(page, `<details class="about-storage"`)
	if det < 0 || strings.Index(page, `sandbox.storage.body`) < det || strings.Contains(page[det:strings.Index(page[det:], "</details>")+det], " open") {
		t.Error(`the storage text is not inside a closed <details class="about-storage">`)
	}
}
