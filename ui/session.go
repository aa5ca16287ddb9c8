package ui

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// Entry is one journaled batch of learner commands and the virtual time it
// was applied at (lessons/session keeps the journal, the redo and the
// replays for the page and the lint alike).
type Entry = session.Entry

// RunState is what it takes to bring a run back (session.State).
type RunState = session.State

// Session is one open scenario in the engine as the page shows it: the
// lesson run (time, journal, redo: session.Run), its latest snapshot, the
// events seen so far and the page's series.
type Session struct {
	session.Run
	eng *engineClient

	Snap view.Snapshot

	// Events are oldest first, at most MaxEvents, with Data left nil:
	// EventData holds each one's raw data, decoded into Events[i].Data only
	// when a goal reads events (DecodeEvents); decoding every event's map
	// costs more than the whole frame.
	Events    []view.Event
	EventData []json.RawMessage
	decoded   int // Events[:decoded] have Data
	LastSeq   int64
	Skipped   int64 // events not fetched because the UI fell behind
	// EventBudget is how many events one refresh fetches at most; older
	// ones are skipped (counted in Skipped).
	EventBudget int
	// Internal makes snapshots keep the partitions of internal topics
	// (__consumer_offsets has 50): decoding them costs more than the rest
	// of the snapshot, so they are skipped unless shown or checked.
	Internal bool
	// HiddenInternal counts the internal partitions the last snapshot skipped.
	HiddenInternal int

	Series Series
	// ISR is each partition's ISR changes over the last ISRWindowUS.
	ISR ISRHistory
	// Kinds and Nodes are the event kinds and nodes seen, for the log's filters.
	Kinds, Nodes map[string]bool

	// MaxRecords caps the records per partition in a snapshot.
	MaxRecords int
	// RecordsFrom is the first offset wanted of each partition (< 0: the
	// newest MaxRecords).
	RecordsFrom int64
	// Version counts refreshes, so views can tell a new snapshot.
	Version int
	// light: the frame under way fetches no snapshot (LightFrame).
	light bool
	// WhatIf: the next command forks the run first (Run.Fork) and Forked
	// says it did (see App.WhatIf).
	WhatIf, Forked bool
}

// MaxEvents bounds the events a session keeps (the lint keeps as many). A
// refresh fetches at most fullEventBudget events when goals read them,
// lightEventBudget otherwise (the log shows the newest few dozen).
const (
	MaxEvents        = session.MaxEvents
	fullEventBudget  = 2000
	lightEventBudget = 300
)

func newSession(eng *engineClient) *Session {
	s := &Session{eng: eng, MaxRecords: StripWindow, RecordsFrom: -1, EventBudget: lightEventBudget}
	s.Run = session.Run{C: eng, NextUS: -1, OnOpen: s.forget}
	return s
}

// forget drops what the page kept of the run before: a scenario was
// (re)opened.
func (s *Session) forget() {
	s.Events, s.EventData, s.decoded, s.LastSeq, s.Skipped = nil, nil, 0, 0, 0
	s.Kinds, s.Nodes = map[string]bool{}, map[string]bool{}
	s.Series = Series{}
	s.ISR = ISRHistory{}
}

// Open opens a scenario and forgets the journal and the redo.
//
//go:noinline
func (s *Session) Open(scenario json.RawMessage) error { return s.Run.Open(scenario) }

// Apply runs commands now and journals them. The learner acted: a redo
// (the future a rewind cut off) no longer follows and is discarded.
func (s *Session) Apply(cmds ...Cmd) error {
	raw := make([]json.RawMessage, len(cmds))
	for i, c := range cmds {
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("ui: command %s: %v", c.Op, err)
		}
		raw[i] = b
	}
	if s.WhatIf {
		s.WhatIf, s.Forked = false, true
		s.Fork()
	}
	return s.Run.Apply(raw...)
}

// Forward runs the simulation up to toUS, re-applying the redo entries
// due on the way: dragging the slider into the part a rewind kept.
func (s *Session) Forward(toUS int64) error { return s.runTo(toUS) }

// runTo runs up to toUS with the redo entries due on the way and fetches
// the state there; the events on the way are history, not news, so the
// event cursor jumps.
func (s *Session) runTo(toUS int64) error {
	if err := s.RunTo(toUS); err != nil {
		return err
	}
	return s.Refresh(true, true)
}

// Restore replays a captured run from its seed to the time it had reached.
func (s *Session) Restore(st RunState) error {
	s.Load(st)
	return s.Replay(st.TimeUS)
}

// Replay opens the scenario again, re-applies the journal up to toUS and
// runs to toUS (session.Run.Replay), then fetches the state there: a
// rewind, or a restore after a reload or an engine crash.
func (s *Session) Replay(toUS int64) error {
	// The page publishes what the replay cost: its wall time, the time
	// inside the engine (the rest is messages, OPFS between calls and the
	// page), and the simulated time it replayed.
	t0, e0 := s.eng.p.Now(), s.eng.engineMS
	defer func() {
		s.eng.p.Publish("replay_ms", s.eng.p.Now()-t0)
		s.eng.p.Publish("replay_engine_ms", s.eng.engineMS-e0)
		s.eng.p.Publish("replay_sim_ms", float64(toUS)/1000)
	}()
	if err := s.Run.Replay(toUS); err != nil {
		return fmt.Errorf("ui: %v", err)
	}
	return s.Refresh(true, true)
}

type eventsReply = contract.EventsReply[contract.RawEvent]

// Refresh fetches the snapshot and the new events. With skipAhead, events
// beyond the budget are skipped. Without records, the records of the
// previous snapshot are kept: the engine reads them from the log, which is
// the costliest part of a snapshot.
//
//go:noinline
func (s *Session) Refresh(skipAhead, records bool) error { return s.frame(-1, skipAhead, records) }

// Frame advances by byUS and refreshes, in one round trip to the engine.
func (s *Session) Frame(byUS int64, records bool) error { return s.frame(byUS, true, records) }

// LightFrame advances by byUS without a snapshot, and without events
// unless goals read every event: a frame the page will not draw (see
// App.drive), so neither the engine nor the page pays for a snapshot
// nobody sees. Snap keeps the last one; the next drawn frame fetches the
// events (the newest EventBudget, the rest counted in Skipped).
func (s *Session) LightFrame(byUS int64) error {
	s.light = true
	defer func() { s.light = false }()
	return s.frame(byUS, true, false)
}

func (s *Session) frame(byUS int64, skipAhead, records bool) error {
	s.eng.startFrame()
	if byUS >= 0 && len(s.Redo) > 0 && s.Redo[0].AtUS <= s.NowUS+byUS {
		// Redo entries fall in this frame: apply each at its time first.
		to := s.NowUS + byUS
		if _, err := s.RedoUpTo(to); err != nil {
			return err
		}
		byUS = max(0, to-s.NowUS)
	}
	var calls []Call
	var adv contract.AdvanceReply
	if byUS >= 0 {
		calls = append(calls, Call{"advance", contract.AdvanceParams{By: session.USString(byUS)}, &adv})
	}
	var snap wireSnapshot
	if !s.light {
		var params contract.SnapshotParams
		if records {
			params.Records, params.MaxRecords = true, s.MaxRecords
			if s.RecordsFrom >= 0 {
				params.RecordsFrom = &s.RecordsFrom
			}
		}
		if !s.Internal {
			// The engine skips the internal topics' partitions (50 of
			// __consumer_offsets): most of a snapshot's bytes otherwise.
			params.Internal = new(bool)
		}
		calls = append(calls, Call{"snapshot", params, &snap})
	}
	// A light frame takes no events either unless goals read every one:
	// the next drawn frame fetches the newest (the log shows a few dozen).
	events := !s.light || s.EventBudget >= fullEventBudget
	budget := int64(max(s.EventBudget, 1))
	// While playing a lesson whose goals read events, or refreshing it
	// without skipping (after Show solution's replay), every event is
	// fetched, however far behind: a goal would miss the one it waits for
	// (lesson 15's txn_offsets_dropped on a loaded box; lesson 2's acks of
	// the earlier steps). Otherwise a frame more than the budget behind
	// skips to the newest events, in the same call (Newest).
	all := s.EventBudget >= fullEventBudget && (byUS >= 0 || !skipAhead)
	skip := skipAhead && !all
	var evs eventsReply
	if events {
		calls = append(calls, Call{"events", contract.EventsParams{After: s.LastSeq, Max: int(budget), Newest: skip}, &evs})
	}
	if len(calls) > 0 {
		if err := s.eng.batch(calls...); err != nil {
			return err
		}
	}
	if byUS >= 0 {
		s.Advanced(adv)
	}
	if !s.light {
		if err := s.takeSnapshot(snap, records); err != nil {
			return err
		}
	}
	if !events {
		s.DropSpentRedo()
		return nil
	}
	if skip && evs.Total-s.LastSeq > budget {
		// Behind: the engine skipped to the newest events.
		s.Skipped += evs.Total - budget - s.LastSeq
		s.LastSeq = evs.Total - budget
	}
	s.addEvents(evs.Events)
	for i := 0; all || i < 3; i++ { // not skipping: fetch the rest
		if evs.Last > s.LastSeq {
			s.LastSeq = evs.Last
		}
		if evs.Last >= evs.Total || len(evs.Events) == 0 {
			break
		}
		evs = eventsReply{}
		if err := s.eng.call("events", contract.EventsParams{After: s.LastSeq, Max: int(budget)}, &evs); err != nil {
			return err
		}
		s.addEvents(evs.Events)
	}
	if evs.Last > s.LastSeq {
		s.LastSeq = evs.Last
	}
	if !s.light {
		s.Series.Add(s.Snap)
		s.ISR.Add(s.Snap)
	}
	s.DropSpentRedo()
	return nil
}

// takeSnapshot decodes a frame's snapshot into Snap.
func (s *Session) takeSnapshot(snap wireSnapshot, records bool) error {
	full, err := snap.decode(s.Internal)
	if err != nil {
		return err
	}
	s.HiddenInternal = len(snap.Partitions) - len(full.Partitions)
	if !s.Internal {
		for _, t := range full.Topics {
			if internalTopic(t.Name) {
				s.HiddenInternal += t.Partitions
			}
		}
	}
	if !records {
		keepRecords(&full, s.Snap)
	}
	s.Snap = full
	s.Version++
	if full.TimeUS > s.NowUS {
		s.NowUS = full.TimeUS
	}
	return nil
}

// wireSnapshot is a snapshot with its partitions still raw (the outer
// field shadows the embedded one when decoding).
type wireSnapshot struct {
	view.Snapshot
	Partitions []json.RawMessage `json:"partitions"`
}

// decode finishes a snapshot, without the partitions of internal topics
// unless internal.
func (w wireSnapshot) decode(internal bool) (view.Snapshot, error) {
	out := w.Snapshot
	out.Partitions = make([]view.PartitionState, 0, len(w.Partitions))
	for _, raw := range w.Partitions {
		if !internal && rawInternal(raw) {
			continue
		}
		var p view.PartitionState
		if err := json.Unmarshal(raw, &p); err != nil {
			return out, fmt.Errorf("ui: snapshot: partition: %v", err)
		}
		out.Partitions = append(out.Partitions, p)
	}
	return out, nil
}

// rawInternal reports whether an encoded partition belongs to an internal
// topic, by its leading "topic" field (the engine writes it first), else by
// decoding just that field.
func rawInternal(raw json.RawMessage) bool {
	const lead = `{"topic":"`
	if bytes.HasPrefix(raw, []byte(lead)) {
		return bytes.HasPrefix(raw[len(lead):], []byte("__"))
	}
	var p struct {
		Topic string `json:"topic"`
	}
	return json.Unmarshal(raw, &p) == nil && internalTopic(p.Topic)
}

// keepRecords copies the records of old's partitions into snap's.
func keepRecords(snap *view.Snapshot, old view.Snapshot) {
	if len(old.Partitions) == 0 {
		return
	}
	type tp struct {
		t string
		p int32
	}
	prev := make(map[tp][]view.RecordView, len(old.Partitions))
	for _, p := range old.Partitions {
		prev[tp{p.Topic, p.Partition}] = p.Records
	}
	for i := range snap.Partitions {
		p := &snap.Partitions[i]
		p.Records = prev[tp{p.Topic, p.Partition}]
	}
}

func (s *Session) addEvents(evs []contract.RawEvent) {
	for _, e := range evs {
		s.Kinds[e.Kind] = true
		if e.Node != "" {
			s.Nodes[e.Node] = true
		}
		s.Events = append(s.Events, view.Event{Seq: e.Seq, TimeUS: e.TimeUS, Kind: e.Kind, Node: e.Node, Topic: e.Topic, Partition: e.Partition, Msg: e.Msg})
		s.EventData = append(s.EventData, e.Data)
	}
	if over := len(s.Events) - MaxEvents; over > 0 {
		s.Events = append(s.Events[:0:0], s.Events[over:]...)
		s.EventData = append(s.EventData[:0:0], s.EventData[over:]...)
		s.decoded = max(0, s.decoded-over)
	}
}

// DecodeEvents fills in the Data of every event not decoded yet.
func (s *Session) DecodeEvents() {
	for ; s.decoded < len(s.Events); s.decoded++ {
		if raw := s.EventData[s.decoded]; len(raw) > 0 {
			var m map[string]any
			if json.Unmarshal(raw, &m) == nil {
				s.Events[s.decoded].Data = m
			}
		}
	}
}

// CheckDisk compares the disk an earlier page left with the replay and
// applies (journaled, so a rewind replays them) the disk faults that make
// the brokers recover from what was lost.
func (s *Session) CheckDisk() (view.DiskCheck, error) {
	var r view.DiskCheck
	if err := s.eng.call("check_disk", nil, &r); err != nil {
		return r, err
	}
	if len(r.Commands) > 0 {
		cmds := make([]json.RawMessage, len(r.Commands))
		for i, c := range r.Commands {
			b, err := json.Marshal(c)
			if err != nil {
				return r, fmt.Errorf("ui: check_disk: command %d: %v", i+1, err)
			}
			cmds[i] = b
		}
		if err := s.Run.Apply(cmds...); err != nil {
			return r, err
		}
	}
	return r, nil
}
