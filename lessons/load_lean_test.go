//go:build !js

package lessons

import (
	"path"
	"reflect"
	"testing"
)

// TestLoadLeanMatches holds ui.wasm's loader (decodeLean, no checks) to the
// checked one: for every lesson built in, the same lesson with its goals
// bound to the same predicates and params, the same solution and the same
// English text.
func TestLoadLeanMatches(t *testing.T) {
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range all {
		got, issues := loadLean(embedded, want.Dir, want.Dir, path.Join("lessons", want.Dir))
		if len(issues) > 0 || got == nil {
			t.Errorf("%s: %v", want.Dir, issues)
			continue
		}
		if !reflect.DeepEqual(got.Texts(DefaultLocale), want.Texts(DefaultLocale)) {
			t.Errorf("%s: the English text differs", want.Dir)
		}
		w := *want
		w.texts, w.tree = got.texts, got.tree
		if !reflect.DeepEqual(*got, w) {
			t.Errorf("%s: loadLean gives\n%+v\nthe checked loader\n%+v", want.Dir, *got, w)
		}
	}
}
