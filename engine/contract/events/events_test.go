package events

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// emitted finds an event kind in the engine's source: the first argument
// of an emit helper (emit, Emit, emitFields, host.Emit…) or a Kind field.
var emitted = regexp.MustCompile(`(?:[Ee]mit[A-Za-z]*\(|Kind: *)"([a-z_0-9]+)"`)

// dynamicKinds are kinds the engine picks at run time, by variable
// (engine/controller/election.go: changePartitionUnclean).
var dynamicKinds = []string{"leader_elected", "partition_changed", "partition_offline"}

// TestEveryEmittedKindIsCatalogued reads the engine's emitters: a kind the
// engine can emit must be in the catalogue, and the catalogue names no kind
// the engine no longer emits.
func TestEveryEmittedKindIsCatalogued(t *testing.T) {
	inSource := map[string][]string{}
	for _, k := range dynamicKinds {
		inSource[k] = append(inSource[k], "engine/controller/election.go")
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if strings.Contains(path, "testdata") || strings.HasPrefix(path, filepath.Join(root, "contract")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range emitted.FindAllSubmatch(src, -1) {
			inSource[string(m[1])] = append(inSource[string(m[1])], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inSource) < 50 {
		t.Fatalf("found only %d kinds in the engine's source: is the pattern still right?", len(inSource))
	}
	for k, files := range inSource {
		if _, ok := Lookup(k); !ok {
			t.Errorf("%s emits %q, which the catalogue lacks (add its data type to data.go and a line to catalogue.go)", files[0], k)
		}
	}
	for _, k := range catalogue {
		if inSource[k.Name] == nil {
			t.Errorf("the catalogue names %q, which no emitter in engine/ writes", k.Name)
		}
	}
}

// TestCatalogueShape checks the table: sorted, one entry per kind, a doc
// line each, and every data type a struct whose fields are declared in
// the order encoding/json writes a map's keys, each with a json name.
func TestCatalogueShape(t *testing.T) {
	if !slices.IsSortedFunc(catalogue, func(a, b Kind) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("the catalogue is not sorted by name")
	}
	if len(index()) != len(catalogue) {
		t.Errorf("%d kinds but %d distinct names", len(catalogue), len(index()))
	}
	for _, k := range catalogue {
		if k.Doc == "" || strings.Contains(k.Doc, "\n") || !strings.HasSuffix(k.Doc, ".") {
			t.Errorf("%s: doc %q is not one sentence", k.Name, k.Doc)
		}
		typ := reflect.TypeOf(k.New())
		if typ.Kind() != reflect.Pointer || typ.Elem().Kind() != reflect.Struct {
			t.Errorf("%s: New returns a %v, not a pointer to a struct", k.Name, typ)
			continue
		}
		typ = typ.Elem()
		var names []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				t.Errorf("%s: field %s has no json name", k.Name, f.Name)
			}
			names = append(names, name)
		}
		if !slices.IsSorted(names) {
			t.Errorf("%s: %v's fields %v are not in key order", k.Name, typ, names)
		}
	}
}

// TestDataReadsEveryShape: an event's data reads the same whether it holds
// the engine's Go values or JSON decoded into a map, and a field the type
// lacks is an error.
func TestDataReadsEveryShape(t *testing.T) {
	native := view.Event{Kind: "consumer_started", Data: map[string]any{
		"group": "g", "topics": []string{"orders"}, "configs": map[string]string{"auto.offset.reset": "earliest"}, "group_instance_id": ""}}
	var decoded view.Event
	line, _ := json.Marshal(native)
	if err := json.Unmarshal(line, &decoded); err != nil {
		t.Fatal(err)
	}
	if _, ok := decoded.Data["configs"].(map[string]any); !ok {
		t.Fatalf("decoded configs are a %T, want map[string]any", decoded.Data["configs"])
	}
	for _, e := range []view.Event{native, decoded} {
		d, err := Data[ConsumerStarted](e)
		if err != nil {
			t.Fatal(err)
		}
		if d.Group != "g" || d.Configs["auto.offset.reset"] != "earliest" || d.GroupInstanceID == nil || *d.GroupInstanceID != "" || !slices.Equal(d.Topics, []string{"orders"}) {
			t.Errorf("%+v", d)
		}
	}
	if _, err := Data[CoordinatorFound](native); err == nil {
		t.Error("consumer_started data read as coordinator_found's without an error")
	}
	if d, err := Data[ConsumerStarted](view.Event{Kind: "consumer_started"}); err != nil || d.Group != "" {
		t.Errorf("no data: %+v, %v", d, err)
	}
}

// TestEveryTypeIsCatalogued: data.go declares no type the catalogue does
// not name (a kind renamed in the engine leaves none behind).
func TestEveryTypeIsCatalogued(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "data.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{"None": true}
	for _, k := range catalogue {
		used[reflect.TypeOf(k.New()).Elem().Name()] = true
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			if name := s.(*ast.TypeSpec).Name.Name; !used[name] {
				t.Errorf("data.go declares %s, which no kind of the catalogue uses", name)
			}
		}
	}
}
