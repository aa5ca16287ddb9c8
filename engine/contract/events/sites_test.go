package events

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// emitFunc names the engine's emit helpers (emit, Emit, emitFields,
// EmitFields, host.Emit…).
var emitFunc = regexp.MustCompile(`^[Ee]mit[A-Za-z]*$`)

// site is one place in the engine's source that emits a catalogued kind
// with data whose keys are written out there.
type site struct {
	pos   string
	kind  string
	keys  []string     // nil: no data
	exprs []ast.Expr   // each key's value
	types []types.Type // each value's Go type (nil where unknown)
}

var sites struct {
	once sync.Once
	list []site
	err  error
}

// emitSites parses and type-checks the engine's packages and lists every
// emit call whose kind is a string literal and whose data is a map
// literal, trace fields or nil. Data built elsewhere (a variable) is left
// to the played tests.
func emitSites(t *testing.T) []site {
	t.Helper()
	sites.once.Do(func() { sites.list, sites.err = findSites(filepath.Join("..", "..")) })
	if sites.err != nil {
		t.Fatal(sites.err)
	}
	return sites.list
}

func findSites(root string) ([]site, error) {
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.Contains(path, "testdata") || strings.HasPrefix(path, filepath.Join(root, "contract")) {
			return err
		}
		if ok, err := build.Default.MatchFile(filepath.Dir(path), filepath.Base(path)); err != nil || !ok {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []site
	imp := importer.ForCompiler(fset, "source", nil)
	dirs := slices.Sorted(maps.Keys(pkgs))
	for _, dir := range dirs {
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
		conf := types.Config{Importer: imp, Error: func(error) {}} // a type error leaves some types unknown, no more
		conf.Check(dir, fset, pkgs[dir], info)
		for _, f := range pkgs[dir] {
			ast.Inspect(f, func(n ast.Node) bool {
				var s site
				var ok bool
				switch n := n.(type) {
				case *ast.CallExpr:
					s, ok = emitCall(n)
				case *ast.CompositeLit:
					s, ok = eventLit(n)
				}
				if ok {
					s.pos = fset.Position(n.Pos()).String()
					for _, e := range s.exprs {
						s.types = append(s.types, info.TypeOf(e))
					}
					out = append(out, s)
				}
				return true
			})
		}
	}
	return out, nil
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
		if keys, exprs, ok := mapKeys(a); ok {
			s.keys, s.exprs, known = keys, exprs, true
		} else if key, expr, ok := fieldKey(a); ok {
			s.keys, s.exprs, known = append(s.keys, key), append(s.exprs, expr), true
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
			if s.keys, s.exprs, ok = mapKeys(kv.Value); !ok {
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

// mapKeys lists the keys and values of a map[string]any{…} literal.
func mapKeys(e ast.Expr) ([]string, []ast.Expr, bool) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, nil, false
	}
	if m, ok := lit.Type.(*ast.MapType); !ok || m == nil {
		return nil, nil, false
	}
	keys, values := []string{}, []ast.Expr{}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, nil, false
		}
		k, ok := stringLit(kv.Key)
		if !ok {
			return nil, nil, false
		}
		keys, values = append(keys, k), append(values, kv.Value)
	}
	return keys, values, true
}

// fieldKey reads trace.Int("key", v) and trace.String("key", v).
func fieldKey(e ast.Expr) (string, ast.Expr, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", nil, false
	}
	fn := call.Fun
	if ix, ok := fn.(*ast.IndexExpr); ok { // trace.Int[int32](…)
		fn = ix.X
	}
	sel, ok := fn.(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Int" && sel.Sel.Name != "String") {
		return "", nil, false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "trace" {
		return "", nil, false
	}
	key, ok := stringLit(call.Args[0])
	return key, call.Args[1], ok
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

// TestFieldTypesMatchTheEmitters: each field has the Go type its emitters
// write (for a key written with different types at different sites, one
// of them): a uint64 read as an int64, or a float as an int, would fail
// on the values that need it.
func TestFieldTypesMatchTheEmitters(t *testing.T) {
	written := map[string]map[string][]string{} // kind → key → the types written, sorted
	where := map[string]string{}
	unknown := 0
	for _, s := range emitSites(t) {
		if written[s.kind] == nil {
			written[s.kind] = map[string][]string{}
		}
		for i, key := range s.keys {
			if s.types[i] == nil {
				unknown++
				continue
			}
			typ := types.Default(s.types[i]).String()
			if !slices.Contains(written[s.kind][key], typ) {
				written[s.kind][key] = append(written[s.kind][key], typ)
				where[s.kind+"."+key+" "+typ] = s.pos
			}
		}
	}
	if unknown > 0 {
		t.Fatalf("%d data values have no known type: does the engine still type-check from source?", unknown)
	}
	for kind, keys := range written {
		k, ok := Lookup(kind)
		if !ok {
			continue
		}
		typ := reflect.TypeOf(k.New()).Elem()
		for key, ts := range keys {
			f, ok := fieldByJSON(typ, key)
			if !ok {
				continue // TestEmitSitesMatchTheirTypes reports it
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !slices.Contains(ts, ft.String()) {
				t.Errorf("%s: %s data's %q is a %s there, but %s.%s is a %v", where[kind+"."+key+" "+ts[0]], kind, key, ts[0], typ.Name(), f.Name, f.Type)
			}
		}
	}
}

func fieldByJSON(typ reflect.Type, key string) (reflect.StructField, bool) {
	for f := range typ.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
