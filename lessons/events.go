package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over trace events, and the event matcher other predicates use.

func init() {
	register[eventParams]("event_seen", "at least min (default 1) trace events of the kind happened, matching topic, partition, node and data when set; with after, only events following the first event that matches after count", needsEvents, eventSeen)
}

// eventMatch selects trace events: the kind, and topic, partition, node and
// data (every given key equal, compared as JSON) when set.
type eventMatch struct {
	Kind      string         `json:"kind"`
	Topic     string         `json:"topic"`
	Partition *int           `json:"partition"`
	Node      string         `json:"node"`
	Data      map[string]any `json:"data"`
}

func (m *eventMatch) validate() error {
	if m.Kind == "" {
		return errors.New("missing \"kind\"")
	}
	if m.Partition != nil && *m.Partition < 0 {
		return fmt.Errorf("\"partition\" must not be negative, got %d", *m.Partition)
	}
	if m.Data != nil {
		m.Data = normalize(m.Data).(map[string]any)
	}
	return nil
}

func (m *eventMatch) matches(e view.Event) bool {
	return e.Kind == m.Kind && (m.Topic == "" || e.Topic == m.Topic) && (m.Node == "" || e.Node == m.Node) &&
		(m.Partition == nil || (e.Partition != nil && int(*e.Partition) == *m.Partition)) && dataMatches(e.Data, m.Data)
}

// since returns the events after the first one m matches, and whether
// there was one; a nil m selects every event.
func (m *eventMatch) since(evs []view.Event) ([]view.Event, *view.Event) {
	if m == nil {
		return evs, nil
	}
	for i := range evs {
		if m.matches(evs[i]) {
			return evs[i+1:], &evs[i]
		}
	}
	return nil, nil
}

type eventParams struct {
	eventMatch
	Min   int         `json:"min"`
	After *eventMatch `json:"after"`
}

func (p *eventParams) validate() error {
	if err := p.eventMatch.validate(); err != nil {
		return err
	}
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	if p.After != nil {
		if err := p.After.validate(); err != nil {
			return fmt.Errorf("after: %v", err)
		}
	}
	return nil
}

// eventSeen: at least min events of a kind match the given fields (after
// the first event matching after, if set).
func eventSeen(_ view.Snapshot, evs []view.Event, p *eventParams) (bool, string) {
	rest, first := p.After.since(evs)
	if p.After != nil && first == nil {
		return false, say("waiting for a %s event first", p.After.Kind)
	}
	n, kind := 0, 0
	for _, e := range rest {
		if e.Kind != p.Kind {
			continue
		}
		kind++
		if p.matches(e) {
			n++
		}
	}
	since := ""
	if first != nil {
		since = say(" since the %s event at %v", first.Kind, first.At())
	}
	if n >= p.Min {
		return true, say("%s %s seen%s", plural(n, "matching event"), p.Kind, since)
	}
	if kind > n {
		return false, say("%d of %d %s events seen%s; %d other %s events do not match", n, p.Min, p.Kind, since, kind-n, p.Kind)
	}
	return false, say("%d of %d %s events seen%s", n, p.Min, p.Kind, since)
}

// dataMatches reports whether every key of want is in got with an equal
// value, compared as JSON (an int and the float64 it decodes to are equal).
func dataMatches(got, want map[string]any) bool {
	for k, w := range want {
		g, ok := got[k]
		if !ok || !reflect.DeepEqual(normalize(g), w) {
			return false
		}
	}
	return true
}

// normalize returns v as encoding/json would decode its encoding.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return v
	}
	return out
}

// Readers of single data fields, which arrive as JSON numbers (float64)
// from the engine's API but as Go ints in tests. Predicates read most kinds
// through typed (the event catalogue's types); these remain for the kinds
// emitted by the thousand (appended, produce_acked, consumed), where a
// typed read, a JSON round trip per event, would be paid again every time
// the goals are checked. dataInt, asInt and dataString stay out of line
// (go:noinline): inlined at every call site they cost ui.wasm bytes for no
// speed that shows.

//go:noinline
func dataInt(d map[string]any, key string) (int64, bool) {
	return asInt(d[key])
}

//go:noinline
func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case float64:
		return int64(v), true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	}
	return 0, false
}

func dataIntOr(d map[string]any, key string) int64 {
	n, _ := dataInt(d, key)
	return n
}

//go:noinline
func dataString(d map[string]any, key string) string {
	s, _ := d[key].(string)
	return s
}

// typed reads e's data as T, the type the event catalogue
// (engine/contract/events) gives e's kind: the same from the API's JSON as
// from Go values in tests. ok is false when e is of another kind or its
// data does not decode (the catalogue's tests keep that from happening).
func typed[T any](e view.Event) (T, bool) {
	d, err := evdata.Data[T](e)
	return d, err == nil
}

// at formats an event time for details: "45.007s".
func at(e view.Event) string { return e.At().Round(time.Millisecond).String() }
