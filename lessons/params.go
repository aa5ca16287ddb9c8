package lessons

import (
	"reflect"
	"strings"
)

// Param is one parameter a predicate takes, as the lesson builder's form
// shows it: its JSON name and the kind of value it holds. What it means is
// in the predicate's Doc, which names every param.
type Param struct {
	Name string
	// Kind is "text", "whole" (a whole number), "flag" (true or false),
	// "list" or "object" (written as JSON).
	Kind string
	// Optional is set when the param may be left out: the predicate then
	// takes its default or does not filter on it.
	Optional bool
}

// Params lists the predicate's params in declaration order.
func (p *Predicate) Params() []Param {
	if p.typ == nil {
		return nil
	}
	var out []Param
	paramFields(p.typ, &out)
	return out
}

func paramFields(t reflect.Type, out *[]Param) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			paramFields(f.Type, out)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		ft, opt := f.Type, false
		if ft.Kind() == reflect.Pointer {
			ft, opt = ft.Elem(), true
		}
		kind := "text"
		switch ft.Kind() {
		case reflect.Int, reflect.Int32, reflect.Int64:
			kind = "whole"
		case reflect.Float64:
			kind = "number"
		case reflect.Bool:
			kind, opt = "flag", true
		case reflect.Slice:
			kind, opt = "list", true
		case reflect.Map, reflect.Struct:
			kind, opt = "object", true
		}
		*out = append(*out, Param{Name: name, Kind: kind, Optional: opt})
	}
}
