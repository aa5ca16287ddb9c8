package ui

import (
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Entry is one journaled batch of learner commands and the virtual time it
// was applied at. Replaying the scenario with its journal reproduces a run
// exactly: the engine is deterministic.
type Entry struct {
	AtUS     int64 `json:"at_us"`
	Commands []Cmd `json:"commands"`
}

// Session is one open scenario in the engine: its time, its latest snapshot,
// the events seen so far and the journal of what the learner did.
type Session struct {
	eng      *engineClient
	Scenario json.RawMessage
	Journal  []Entry

	Snap   view.Snapshot
	NowUS  int64
	EndUS  int64
	NextUS int64 // the next scheduled event, -1 when none

	Events  []view.Event // oldest first, at most MaxEvents
	LastSeq int64
	Skipped int64 // events not fetched because the UI fell behind

	Series Series
	// Kinds and Nodes are the event kinds and nodes seen, for the log's filters.
	Kinds, Nodes map[string]bool

	// MaxRecords caps the records per partition in a snapshot.
	MaxRecords int
	// Version counts refreshes, so views can tell a new snapshot.
	Version int
}

// MaxEvents bounds the events a session keeps; eventsPerFetch bounds one fetch.
const (
	MaxEvents      = 20000
	eventsPerFetch = 2000
)

func newSession(eng *engineClient) *Session {
	return &Session{eng: eng, MaxRecords: StripWindow, NextUS: -1}
}

// Open opens a scenario and forgets the journal.
func (s *Session) Open(scenario json.RawMessage) error {
	s.Journal = nil
	return s.open(scenario)
}

func (s *Session) open(scenario json.RawMessage) error {
	var r struct {
		EndUS int64 `json:"end_us"`
	}
	if err := s.eng.call("open", scenario, &r); err != nil {
		return err
	}
	s.Scenario = scenario
	s.EndUS, s.NowUS, s.NextUS = r.EndUS, 0, -1
	s.Events, s.LastSeq, s.Skipped = nil, 0, 0
	s.Kinds, s.Nodes = map[string]bool{}, map[string]bool{}
	s.Series = Series{}
	return nil
}

type advanceReply struct {
	TimeUS int64  `json:"time_us"`
	Ran    int    `json:"ran"`
	Next   *int64 `json:"next_event_us"`
}

func (s *Session) advance(params any) error {
	var r advanceReply
	if err := s.eng.call("advance", params, &r); err != nil {
		return err
	}
	s.NowUS, s.NextUS = r.TimeUS, -1
	if r.Next != nil {
		s.NextUS = *r.Next
	}
	return nil
}

// Advance runs the simulation forward by us microseconds.
func (s *Session) Advance(us int64) error {
	return s.advance(map[string]any{"by": usString(us)})
}

// AdvanceTo runs the simulation up to the virtual time us.
func (s *Session) AdvanceTo(us int64) error {
	if us <= s.NowUS {
		return nil
	}
	return s.advance(map[string]any{"to": usString(us)})
}

// Step runs exactly one scheduled event.
func (s *Session) Step() error { return s.advance(map[string]any{"steps": 1}) }

// Apply runs commands now and journals them.
func (s *Session) Apply(cmds ...Cmd) error {
	if len(cmds) == 0 {
		return nil
	}
	if err := s.eng.call("apply", map[string]any{"commands": cmds}, nil); err != nil {
		return err
	}
	s.Journal = append(s.Journal, Entry{AtUS: s.NowUS, Commands: cmds})
	return nil
}

// Replay opens the scenario again, re-applies the journal up to toUS and
// runs to toUS: a rewind (toUS earlier than now) or a restore after a reload
// or an engine crash. Journal entries after toUS are dropped.
func (s *Session) Replay(toUS int64) error {
	if s.Scenario == nil {
		return fmt.Errorf("ui: replay: no scenario is open")
	}
	keep := s.Journal[:0:0]
	for _, e := range s.Journal {
		if e.AtUS <= toUS {
			keep = append(keep, e)
		}
	}
	if err := s.open(s.Scenario); err != nil {
		return err
	}
	for _, e := range keep {
		if err := s.AdvanceTo(e.AtUS); err != nil {
			return err
		}
		if err := s.eng.call("apply", map[string]any{"commands": e.Commands}, nil); err != nil {
			return fmt.Errorf("ui: replay at %dus: %v", e.AtUS, err)
		}
	}
	s.Journal = keep
	if err := s.AdvanceTo(toUS); err != nil {
		return err
	}
	// Jump the event cursor: a replay's events are history, not news.
	return s.Refresh(true)
}

type eventsReply struct {
	Events []view.Event `json:"events"`
	Last   int64        `json:"last"`
	Total  int64        `json:"total"`
}

// Refresh fetches the snapshot and the new events. With skipAhead, only the
// newest events are fetched.
func (s *Session) Refresh(skipAhead bool) error {
	var snap view.Snapshot
	if err := s.eng.call("snapshot", map[string]any{"records": true, "max_records": s.MaxRecords}, &snap); err != nil {
		return err
	}
	s.Snap = snap
	s.Version++
	if snap.TimeUS > s.NowUS {
		s.NowUS = snap.TimeUS
	}
	if skipAhead && snap.Events-s.LastSeq > eventsPerFetch {
		s.Skipped += snap.Events - eventsPerFetch - s.LastSeq
		s.LastSeq = snap.Events - eventsPerFetch
	}
	for range 3 {
		var r eventsReply
		if err := s.eng.call("events", map[string]any{"after": s.LastSeq, "max": eventsPerFetch}, &r); err != nil {
			return err
		}
		s.addEvents(r.Events)
		if r.Last > s.LastSeq {
			s.LastSeq = r.Last
		}
		if r.Last >= r.Total || len(r.Events) == 0 {
			break
		}
	}
	// Still behind (a very fast run): skip to the newest events.
	if snap.Events-s.LastSeq > eventsPerFetch {
		s.Skipped += snap.Events - eventsPerFetch - s.LastSeq
		s.LastSeq = snap.Events - eventsPerFetch
	}
	s.Series.Add(snap)
	return nil
}

func (s *Session) addEvents(evs []view.Event) {
	for _, e := range evs {
		s.Kinds[e.Kind] = true
		if e.Node != "" {
			s.Nodes[e.Node] = true
		}
	}
	s.Events = append(s.Events, evs...)
	if over := len(s.Events) - MaxEvents; over > 0 {
		s.Events = append(s.Events[:0:0], s.Events[over:]...)
	}
}

// usString formats microseconds as a Go duration string the engine parses.
func usString(us int64) string { return fmt.Sprintf("%dus", us) }
