// Command vugujs writes Vugu's DOM renderer helper script to a file.
//
// domrender.New evals that script, which the page's Content-Security-Policy
// (no 'unsafe-eval') forbids; ui.wasm loads it as a file instead. The
// script is read from the very vugu module this build links (the
// jsHelperScript constant of domrender), so the file always matches the
// renderer's opcodes. PatchInnerHTML then makes it decode a long vg-html
// value, which Vugu sends in byte-cut pieces, as one UTF-8 stream.
//
//	go run ./ui/cmd/vugujs -o dist/vugu-render.js
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("o", "vugu-render.js", "file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(out string) error {
	dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/vugu/vugu/domrender").Output()
	if err != nil {
		return fmt.Errorf("vugujs: go list github.com/vugu/vugu/domrender: %v", err)
	}
	script, err := Extract(filepath.Join(strings.TrimSpace(string(dir)), "renderer-js-script.go"))
	if err != nil {
		return err
	}
	if script, err = PatchInnerHTML(script); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("vugujs: %v", err)
	}
	var b bytes.Buffer
	b.WriteString("// Vugu's DOM renderer helper (github.com/vugu/vugu/domrender, MIT licence),\n")
	b.WriteString("// extracted by ui/cmd/vugujs so it loads as a file under the page's CSP,\n")
	b.WriteString("// with vg-html pieces decoded as one UTF-8 stream (see ui/cmd/vugujs/patch.go).\n")
	b.WriteString(script)
	b.WriteString("\n")
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("vugujs: %v", err)
	}
	return nil
}

// Extract returns the value of the jsHelperScript string constant declared
// in the Go file at path.
func Extract(path string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return "", fmt.Errorf("vugujs: %v", err)
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name != "jsHelperScript" || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return "", fmt.Errorf("vugujs: %s: jsHelperScript is not a string literal", path)
				}
				return strconv.Unquote(lit.Value)
			}
		}
	}
	return "", fmt.Errorf("vugujs: %s: no jsHelperScript constant", path)
}
