package events

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// emitFunc names the engine's emit helpers (emit, Emit, emitFields,
// EmitFields, host.Emit…).
var emitFunc = regexp.MustCompile(`^[Ee]mit[A-Za-z]*$`)

// site is one place in the engine's source that emits a catalogued kind
// with data whose keys are written out there.
type site struct {
	pos  string
	kind string
	keys []string // nil: no data
}

// emitSites parses the engine's Go files and lists every emit call whose
// kind is a string literal and whose data is a map literal, trace fields
// or nil. Data built elsewhere (a variable) is left to the played tests.
func emitSites(t *testing.T) []site {
	t.Helper()
	var out []site
	fset := token.NewFileSet()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.Contains(path, "testdata") || strings.HasPrefix(path, filepath.Join(root, "contract")) {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if s, ok := emitCall(n); ok {
					s.pos = fset.Position(n.Pos()).String()
					out = append(out, s)
				}
			case *ast.CompositeLit:
				if s, ok := eventLit(n); ok {
					s.pos = fset.Position(n.Pos()).String()
					out = append(out, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// emitCall reads b.emit("kind", tp, msg, map[string]any{…}) and the like.
func emitCall(call *ast.CallExpr) (site, bool) {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	}
	if !emitFunc.MatchString(name) || len(call.Args) == 0 {
		return site{}, false
	}
	kind, ok := stringLit(call.Args[0])
	if !ok {
		return site{}, false
	}
	s := site{kind: kind}
	known := false
	for _, a := range call.Args[1:] {
		if keys, ok := mapKeys(a); ok {
			s.keys, known = keys, true
		} else if key, ok := fieldKey(a); ok {
			s.keys, known = append(s.keys, key), true
		} else if id, ok := a.(*ast.Ident); ok && id.Name == "nil" && a == call.Args[len(call.Args)-1] {
			known = true
		}
	}
	return s, known
}

// eventLit reads trace.Event{Kind: "kind", …, Data: map[string]any{…}}.
func eventLit(lit *ast.CompositeLit) (site, bool) {
	sel, ok := lit.Type.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Event" {
		return site{}, false
	}
	var s site
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch key, _ := kv.Key.(*ast.Ident); {
		case key == nil:
		case key.Name == "Kind":
			s.kind, ok = stringLit(kv.Value)
			if !ok {
				return site{}, false
			}
		case key.Name == "Data":
			if s.keys, ok = mapKeys(kv.Value); !ok {
				return site{}, false
			}
		case key.Name == "Fields":
			return site{}, false
		}
	}
	return s, s.kind != ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// mapKeys lists the keys of a map[string]any{…} literal.
func mapKeys(e ast.Expr) ([]string, bool) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	if m, ok := lit.Type.(*ast.MapType); !ok || m == nil {
		return nil, false
	}
	keys := []string{}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, false
		}
		k, ok := stringLit(kv.Key)
		if !ok {
			return nil, false
		}
		keys = append(keys, k)
	}
	return keys, true
}

// fieldKey reads trace.Int("key", v) and trace.String("key", v).
func fieldKey(e ast.Expr) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	fn := call.Fun
	if ix, ok := fn.(*ast.IndexExpr); ok { // trace.Int[int32](…)
		fn = ix.X
	}
	sel, ok := fn.(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Int" && sel.Sel.Name != "String") {
		return "", false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "trace" {
		return "", false
	}
	return stringLit(call.Args[0])
}

// TestEmitSitesMatchTheirTypes reads every emit call whose data is written
// out where it is emitted: each key must be a field of the kind's type,
// and each field the type always writes (no omitempty) must be among the
// keys — including at the sites no played scenario reaches.
func TestEmitSitesMatchTheirTypes(t *testing.T) {
	sites := emitSites(t)
	if len(sites) < 100 {
		t.Fatalf("found only %d emit sites: is the parser still right?", len(sites))
	}
	for _, s := range sites {
		k, ok := Lookup(s.kind)
		if !ok {
			continue // TestEveryEmittedKindIsCatalogued reports it
		}
		all, always := jsonFields(reflect.TypeOf(k.New()).Elem())
		for _, key := range s.keys {
			if !slices.Contains(all, key) {
				t.Errorf("%s: %s data has %q, which %T lacks", s.pos, s.kind, key, k.New())
			}
		}
		for _, f := range always {
			if !slices.Contains(s.keys, f) {
				t.Errorf("%s: %s data lacks %q, which %T always writes (make it omitempty, a pointer if it can be zero)", s.pos, s.kind, f, k.New())
			}
		}
	}
}

// jsonFields lists a struct's json names, and those without omitempty.
func jsonFields(typ reflect.Type) (all, always []string) {
	for f := range typ.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		all = append(all, name)
		if opts != "omitempty" {
			always = append(always, name)
		}
	}
	return all, always
}
