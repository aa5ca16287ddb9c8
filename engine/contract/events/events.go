// Package events is the engine's event catalogue: for every kind of trace
// event (view.Event's "kind"), the Go type of its "data" and one line on
// what it means. The types are the JSON contract: fields are declared in
// the order encoding/json writes a map's keys (the order the engine writes
// them), so an event's data decodes into its type and encodes back to the
// same bytes (engine/cluster's and lessons/lint's TestEventCatalogue check
// every golden scenario, script and lesson solution; TestEmitSitesMatchTheirTypes
// checks the keys every emit call writes). A field some emitters leave out
// is omitempty, and a pointer when it can also be zero: absent and 0 are
// different bytes. The engine still builds its data as maps or fields;
// readers use the types (Data).
package events

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Kind is one event kind of the catalogue.
type Kind struct {
	Name string     // the event's "kind"
	Doc  string     // what it means, in one line
	New  func() any // a pointer to a zero value of its data's type
}

// None is the data of kinds that carry none.
type None struct{}

// byName indexes the catalogue; built on first use, so that a program
// that only reads data types (Data) does not link every kind's type.
var byName map[string]Kind

func index() map[string]Kind {
	if byName == nil {
		byName = make(map[string]Kind, len(catalogue))
		for _, k := range catalogue {
			byName[k.Name] = k
		}
	}
	return byName
}

// Kinds lists the catalogue in order of name.
func Kinds() []Kind { return append([]Kind(nil), catalogue...) }

// Lookup finds a kind by name.
func Lookup(name string) (Kind, bool) {
	k, ok := index()[name]
	return k, ok
}

// Decode reads an event's data (nil or empty: none) strictly into its
// kind's type: an unknown kind, an unknown field or a wrong type is an
// error. It returns a pointer to the type (*LeaderElected…).
func Decode(kind string, data []byte) (any, error) {
	k, ok := index()[kind]
	if !ok {
		return nil, fmt.Errorf("events: unknown event kind %q", kind)
	}
	v := k.New()
	if len(data) == 0 {
		return v, nil
	}
	if err := strict(data, v); err != nil {
		return nil, fmt.Errorf("events: %s data %.200s: %w", kind, data, err)
	}
	return v, nil
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the object")
	}
	return nil
}

// Data reads e's data strictly as T, which must be the type the catalogue
// gives e's kind (Lookup): the engine's Data (a map of Go values, or of
// strings, or JSON decoded into a map) all read the same way. A field T
// lacks is an error, so another kind's data seldom passes for T's. Data
// leaves the catalogue itself out of the program, so the UI links only
// the types it reads.
func Data[T any](e view.Event) (T, error) {
	var out T
	err := dataInto(&e, &out)
	return out, err
}

// dataInto is Data's body, not generic: one copy in the program, however
// many types are read.
func dataInto(e *view.Event, out any) error {
	if len(e.Data) == 0 {
		return nil
	}
	b, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("events: %s data: %w", e.Kind, err)
	}
	if err := strict(b, out); err != nil {
		return fmt.Errorf("events: %s data %.200s: %w", e.Kind, b, err)
	}
	return nil
}

// Verify checks one canonical trace line (an event as the engine writes
// it): its data decodes strictly into its kind's type and encodes back to
// the same bytes. It returns the event's kind.
func Verify(line []byte) (kind string, err error) {
	var e struct {
		Kind string          `json:"kind"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(line, &e); err != nil {
		return "", fmt.Errorf("events: line %.200s: %w", line, err)
	}
	v, err := Decode(e.Kind, e.Data)
	if err != nil {
		return e.Kind, err
	}
	got, err := json.Marshal(v)
	if err != nil {
		return e.Kind, fmt.Errorf("events: %s: %w", e.Kind, err)
	}
	want := []byte(e.Data)
	if len(want) == 0 {
		want = []byte("{}") // the engine leaves empty data out
	}
	if !bytes.Equal(got, want) {
		return e.Kind, fmt.Errorf("events: %s data re-encodes as\n%s\nnot as the engine wrote it\n%s", e.Kind, got, want)
	}
	return e.Kind, nil
}
