package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicate is a named goal check over the engine's snapshot and the trace
// events seen so far. Lessons name predicates; they never hold code.
type Predicate struct {
	Name string
	Doc  string
	// Records is set when the predicate reads partition records: take the
	// snapshot with {"records": true} (and a max_records that covers them).
	Records bool
	// Events is set when the predicate reads trace events.
	Events bool

	// Learner is set when the predicate can ask what the learner did in
	// the page (the "opened" param: see Learner).
	Learner bool

	parse func(raw json.RawMessage) (any, error)
	typ   reflect.Type // the params struct, for Params
	eval  func(s view.Snapshot, evs []view.Event, lr Learner, params any) (bool, string)
}

// paramSet is what every predicate's params struct implements: it checks
// the values and fills in defaults.
type paramSet interface{ validate() error }

var registry = map[string]*Predicate{}

type needs uint8

const (
	needsRecords needs = 1 << iota
	needsEvents
)

// register adds a predicate whose params decode strictly into a P.
func register[P any, PP interface {
	*P
	paramSet
}](name, doc string, n needs, eval func(view.Snapshot, []view.Event, *P) (bool, string)) {
	registerFor[P, PP](name, doc, n, func(s view.Snapshot, evs []view.Event, _ Learner, p *P) (bool, string) {
		return eval(s, evs, p)
	})
	registry[name].Learner = false
}

// registerFor adds a predicate that also reads what the learner did. The
// generic part stays two one-line closures (one copy per params type in the
// binary); parseParams and addPredicate do the work once.
func registerFor[P any, PP interface {
	*P
	paramSet
}](name, doc string, n needs, eval func(view.Snapshot, []view.Event, Learner, *P) (bool, string)) {
	pr := &Predicate{
		Name: name, Doc: doc, Records: n&needsRecords != 0, Events: n&needsEvents != 0, Learner: true,
		parse: func(raw json.RawMessage) (any, error) { return parseParams(raw, PP(new(P))) },
		eval: func(s view.Snapshot, evs []view.Event, lr Learner, params any) (bool, string) {
			return eval(s, evs, lr, params.(*P))
		},
	}
	if listParams {
		pr.typ = reflect.TypeFor[P]()
	}
	addPredicate(pr)
}

// addPredicate puts p into the registry.
func addPredicate(p *Predicate) {
	if _, dup := registry[p.Name]; dup {
		panic("lessons: predicate " + p.Name + " registered twice")
	}
	registry[p.Name] = p
}

// parseParams decodes raw strictly into p (a pointer to a params struct)
// and validates it; it returns p.
func parseParams(raw json.RawMessage, p paramSet) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%q must be %s, not JSON %s", te.Field, kindName(te.Type), te.Value)
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the params object")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Predicates lists every registered predicate, sorted by name.
func Predicates() []*Predicate {
	out := make([]*Predicate, 0, len(registry))
	for _, p := range registry {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupPredicate returns the predicate registered under name, or nil.
func LookupPredicate(name string) *Predicate { return registry[name] }

// ParseParams checks params for this predicate and returns them decoded.
func (p *Predicate) ParseParams(raw json.RawMessage) (any, error) { return p.parse(raw) }

// Eval runs the predicate on decoded params (from ParseParams), for a
// learner who did nothing in the page.
func (p *Predicate) Eval(s view.Snapshot, evs []view.Event, params any) (ok bool, detail string) {
	return p.eval(s, evs, Learner{}, params)
}

// Eval checks the goal: whether it holds and, in plain words, what is
// there or still missing. It knows nothing of what the learner did in the
// page, so a goal that asks the learner to open a record never holds here
// (see EvalFor).
func (g *Goal) Eval(s view.Snapshot, evs []view.Event) (ok bool, detail string) {
	return g.EvalFor(s, evs, Learner{})
}

// Predicate is the goal's predicate (nil before loading).
func (g *Goal) Predicate() *Predicate { return g.pred }

// Check evaluates one goal of one step of a lesson.
func Check(l *Lesson, step, goal string, s view.Snapshot, evs []view.Event) (ok bool, detail string, err error) {
	st := l.Step(step)
	if st == nil {
		return false, "", fmt.Errorf("lessons: %s has no step %q", l.ID, step)
	}
	g := st.Goal(goal)
	if g == nil {
		return false, "", fmt.Errorf("lessons: %s step %q has no goal %q", l.ID, step, goal)
	}
	ok, detail = g.Eval(s, evs)
	return ok, detail, nil
}

// NeedsRecords reports whether any goal of the lesson reads partition
// records, i.e. whether snapshots for it must include them.
func (l *Lesson) NeedsRecords() bool {
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if g.pred != nil && g.pred.Records {
				return true
			}
		}
	}
	return false
}

// kindName says what a JSON value of Go type t looks like.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

// NeedsEvents reports whether any goal of the lesson reads trace events,
// i.e. whether the UI must keep the events it fetched since "open".
func (l *Lesson) NeedsEvents() bool {
	for _, st := range l.Steps {
		for _, g := range st.Goals {
			if g.pred != nil && g.pred.Events {
				return true
			}
		}
	}
	return false
}
