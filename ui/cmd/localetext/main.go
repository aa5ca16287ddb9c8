// Command localetext writes text/<locale>.json for every locale: the text
// ui.wasm fetches when a learner picks that locale (the interface, event and
// goal-detail tables and each lesson's text.<locale>.json, as ui.LocaleText
// gathers them). ui.wasm builds in English only, and of the lessons' English
// text only their heads: text/en.json holds the rest, fetched when a lesson
// first opens.
//
//	go run ./ui/cmd/localetext -o dist/text
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/brokerlab/brokerlab/ui"
)

func main() {
	dir := flag.String("o", "text", "directory to write <locale>.json into")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "localetext:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, l := range ui.Locales {
		data, err := ui.LocaleText(l.ID)
		if err != nil {
			return err
		}
		name := filepath.Join(dir, l.ID+".json")
		// Rewrite only on a change, so precompress keeps its siblings.
		if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
