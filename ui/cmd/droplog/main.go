// Command droplog takes the log package out of vugugen's output: vugugen
// imports "log" in every component and keeps the import used with
// `var _ log.Logger`, though no generated code logs. The import alone links
// log's standard logger (its init sets up output and formatHeader): 33 KB of
// ui.wasm, 7.7 KB brotli. It deletes exactly those lines (a use of log it
// does not know would then fail to compile).
//
//	go run ./ui/cmd/droplog ui/0_components_gen.go
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: droplog FILE.go")
		os.Exit(2)
	}
	if err := drop(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "droplog:", err)
		os.Exit(1)
	}
}

func drop(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var kept []string
	imports := 0
	for _, line := range strings.SplitAfter(string(src), "\n") {
		switch strings.TrimSpace(line) {
		case `import "log"`:
			imports++
			continue
		case "var _ log.Logger":
			continue
		}
		kept = append(kept, line)
	}
	if imports == 0 {
		return fmt.Errorf(`%s: no line import "log" (has vugugen's output changed?)`, name)
	}
	// Any other use of log would now fail to compile: nothing to check here.
	return os.WriteFile(name, []byte(strings.Join(kept, "")), 0o644)
}
