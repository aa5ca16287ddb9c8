// Package config knows Kafka's configuration names, types and 4.x defaults
// for the settings the engine models, and parses a scenario's string maps
// into typed values, checked by Kafka 4.3's validators and refused with
// Kafka's own sentences (validate.go). Every setting is one line of the
// table in defs.go.
package config

import (
	"sort"
	"strconv"
	"strings"
)

// Scope says where a setting belongs.
type Scope string

// Scopes of settings.
const (
	Topic    Scope = "topic"
	Broker   Scope = "broker"
	Producer Scope = "producer"
	Consumer Scope = "consumer"
)

// Type is a setting's value type.
type Type int

// Value types.
const (
	Int Type = iota
	Long
	Bool
	String
	Double
	List
	Short // a 16-bit integer (Kafka's SHORT: replication factors of internal topics)
)

// Def describes one setting and its validator as Kafka's ConfigDef
// defines it (validate.go checks values the way Kafka does).
type Def struct {
	Name    string
	Scope   Scope
	Type    Type
	Default string   // "" with Internal: Kafka's null (unset means unused)
	Min     int64    // for numbers: Range.atLeast(Min)
	Max     int64    // for numbers: with Min, Range.between(Min, Max); 0: no upper bound
	Any     bool     // Kafka defines the setting without a range: any number of its type
	Enum    []string // allowed values for String (or List elements), if restricted
	// PlaygroundMin: Kafka defines no range here, but the simulation needs
	// Min (a period of 0 would never let time pass); the message says so.
	PlaygroundMin bool
	// Internal is Kafka's defineInternal: left out of Kafka's docs, meant
	// for tests, but accepted by a real cluster.
	Internal bool
	Doc      string // one line, shown in the UI
}

// defs indexes table (defs.go) by scope and name.
var defs = index(table)

// index builds defs from the table, refusing a setting listed twice.
func index(ds []Def) map[Scope]map[string]Def {
	out := map[Scope]map[string]Def{}
	for _, d := range ds {
		if out[d.Scope] == nil {
			out[d.Scope] = map[string]Def{}
		}
		if _, dup := out[d.Scope][d.Name]; dup {
			panic("config: " + string(d.Scope) + " setting listed twice: " + d.Name)
		}
		out[d.Scope][d.Name] = d
	}
	return out
}

// Lookup finds a setting's definition.
func Lookup(s Scope, name string) (Def, bool) { d, ok := defs[s][name]; return d, ok }

// Defs lists a scope's settings sorted by name.
func Defs(s Scope) []Def {
	out := make([]Def, 0, len(defs[s]))
	for _, d := range defs[s] {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Values is a validated set of settings of one scope; unset keys fall back
// to defaults (or to a parent set, e.g. topic → broker log.* defaults).
type Values struct {
	scope Scope
	set   map[string]string
}

// Parse validates a string map against scope s.
func Parse(s Scope, m map[string]string) (Values, error) {
	v := Values{scope: s, set: map[string]string{}}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d, ok := defs[s][k]
		if !ok {
			return Values{}, unknownName(s, k)
		}
		val, err := d.check(m[k])
		if err != nil {
			return Values{}, err
		}
		v.set[k] = val
	}
	if err := crossCheck(s, v); err != nil {
		return Values{}, err
	}
	return v, nil
}

// Must is Parse that panics; for built-in defaults only.
func Must(s Scope, m map[string]string) Values {
	v, err := Parse(s, m)
	if err != nil {
		panic(err)
	}
	return v
}

// SplitList splits a comma-separated list value.
func SplitList(raw string) []string {
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Raw returns a setting's string value (explicit or default) and whether it was set explicitly.
func (v Values) Raw(name string) (string, bool) {
	if s, ok := v.set[name]; ok {
		return s, true
	}
	d, ok := defs[v.scope][name]
	if !ok {
		panic("config: unknown " + string(v.scope) + " config " + name)
	}
	return d.Default, false
}

// IsSet reports whether the setting was given explicitly.
func (v Values) IsSet(name string) bool { _, ok := v.set[name]; return ok }

// Int64 returns an Int/Long setting.
func (v Values) Int64(name string) int64 {
	s, _ := v.Raw(name)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic("config: bad default for " + name)
	}
	return n
}

// Bool returns a Bool setting.
func (v Values) Bool(name string) bool { s, _ := v.Raw(name); return s == "true" }

// Float returns a Double setting.
func (v Values) Float(name string) float64 {
	s, _ := v.Raw(name)
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// String returns a setting as text.
func (v Values) String(name string) string { s, _ := v.Raw(name); return s }

// Explicit returns the explicitly set values, for snapshots.
func (v Values) Explicit() map[string]string {
	out := make(map[string]string, len(v.set))
	for k, s := range v.set {
		out[k] = s
	}
	return out
}

// With returns a copy with one more explicit setting (already validated by the caller).
func (v Values) With(name, value string) (Values, error) {
	d, ok := defs[v.scope][name]
	if !ok {
		return v, unknownName(v.scope, name)
	}
	val, err := d.check(value)
	if err != nil {
		return v, err
	}
	out := Values{scope: v.scope, set: v.Explicit()}
	out.set[name] = val
	if err := crossCheck(v.scope, out); err != nil {
		return v, err
	}
	return out, nil
}
