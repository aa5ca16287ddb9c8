// Package session is one lesson run against the engine without a page:
// open a scenario, advance, apply and journal commands, rewind and replay
// them, and judge a lesson's goals. The page (ui) and the lessons' lint
// (lessons/lint) both run lessons through it, so a lesson is judged the
// same way in CI as in the browser.
package session

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/brokerlab/brokerlab/engine/contract"
)

// Caller sends one request to the engine and decodes its reply into
// result (nil: no result wanted): the page's worker client, or wasm/host's
// engine under wazero or compiled in.
type Caller interface {
	Call(method string, params, result any) error
}

// Entry is one journaled batch of commands and the virtual time it was
// applied at. Replaying the scenario with its journal reproduces a run
// exactly: the engine is deterministic. Commands are kept as the JSON the
// engine was given.
type Entry struct {
	AtUS     int64             `json:"at_us"`
	Commands []json.RawMessage `json:"commands"`
}

// Run is one open scenario: its time, the journal of the commands applied
// and the redo a rewind kept.
type Run struct {
	C        Caller
	Scenario json.RawMessage
	Journal  []Entry
	// Redo is the future a rewind cut off: journal entries later than the
	// rewind's target, oldest first. Running forward re-applies each when
	// time reaches it (the run goes on to what happened); any new command
	// (Apply) discards it. RedoEndUS is the time the cut-off run had
	// reached (0: no redo), so a slider can keep the old end.
	Redo      []Entry
	RedoEndUS int64
	// Branches are futures set aside: acting after a rewind starts a new
	// branch and keeps the old future here, to switch back to (Switch).
	Branches []Branch
	// EarlierDiskUS is the virtual time of the files an earlier page left
	// on disk for this scenario (-1: none); a restore replays up to it.
	EarlierDiskUS int64

	NowUS  int64
	EndUS  int64
	NextUS int64 // the next scheduled event, -1 when none
	// Gen counts the times a scenario was opened (a replay opens it too):
	// results computed on one run can be told from a later run's.
	Gen int
	// OnOpen, when set, runs after every open, a replay's too: the page
	// forgets what it kept of the run before.
	OnOpen func()
}

// Open opens a scenario and forgets the journal and the redo.
func (r *Run) Open(scenario json.RawMessage) error {
	r.Journal, r.Redo, r.RedoEndUS, r.Branches = nil, nil, 0, nil
	return r.open(scenario)
}

func (r *Run) open(scenario json.RawMessage) error {
	var o contract.OpenReply
	if err := r.C.Call("open", scenario, &o); err != nil {
		return err
	}
	r.EarlierDiskUS = -1
	if o.EarlierDisk != nil {
		r.EarlierDiskUS = o.EarlierDisk.TimeUS
	}
	r.Scenario = scenario
	r.Gen++
	r.EndUS, r.NowUS, r.NextUS = o.EndUS, 0, -1
	if r.OnOpen != nil {
		r.OnOpen()
	}
	return nil
}

// Advanced takes in an advance's reply (the page batches its advance
// with other calls).
func (r *Run) Advanced(a contract.AdvanceReply) {
	r.NowUS, r.NextUS = a.TimeUS, -1
	if a.NextEventUS != nil {
		r.NextUS = *a.NextEventUS
	}
}

func (r *Run) advance(p contract.AdvanceParams) error {
	var a contract.AdvanceReply
	if err := r.C.Call("advance", p, &a); err != nil {
		return err
	}
	r.Advanced(a)
	return nil
}

// Advance runs the simulation forward by us microseconds.
func (r *Run) Advance(us int64) error { return r.advance(contract.AdvanceParams{By: USString(us)}) }

// AdvanceTo runs the simulation up to the virtual time us.
func (r *Run) AdvanceTo(us int64) error {
	if us <= r.NowUS {
		return nil
	}
	return r.advance(contract.AdvanceParams{To: USString(us)})
}

// Step runs exactly one scheduled event, or re-applies the next redo entry
// if it comes first.
func (r *Run) Step() error {
	if len(r.Redo) > 0 && (r.NextUS < 0 || r.Redo[0].AtUS <= r.NextUS) {
		_, err := r.RedoUpTo(r.Redo[0].AtUS)
		return err
	}
	return r.advance(contract.AdvanceParams{Steps: 1})
}

// Apply runs commands now and journals them. Someone acted: a redo (the
// future a rewind cut off) no longer follows; it is kept as a branch.
func (r *Run) Apply(cmds ...json.RawMessage) error {
	if len(cmds) == 0 {
		return nil
	}
	if err := r.apply(cmds); err != nil {
		return err
	}
	if r.RedoEndUS > r.NowUS || len(r.Redo) > 0 {
		r.Branches = append(r.Branches, r.branch(r.NowUS, len(r.Journal)))
	}
	r.Journal = append(r.Journal, Entry{AtUS: r.NowUS, Commands: cmds})
	r.Redo, r.RedoEndUS = nil, 0
	return nil
}

// Fork sets the run as it is aside as a branch forking now, with no
// commands of its own yet: a "what if" before acting, so the command that
// follows can be compared with not giving it.
func (r *Run) Fork() { r.Branches = append(r.Branches, r.branch(r.NowUS, len(r.Journal))) }

// Branch is a run set aside: the journal entries it shares with the run
// it forked from (Journal[:Shared], up to ForkUS), its own commands after
// them (the rest of Journal, then Redo) and the time it had reached.
type Branch struct {
	ForkUS  int64   `json:"fork_us"`
	EndUS   int64   `json:"end_us"`
	Shared  int     `json:"shared"`
	Journal []Entry `json:"journal"`
	Redo    []Entry `json:"redo,omitempty"`
}

// Commands counts the branch's own commands, after the fork.
func (b Branch) Commands() int {
	n := 0
	for _, e := range append(b.Journal[min(b.Shared, len(b.Journal)):], b.Redo...) {
		n += len(e.Commands)
	}
	return n
}

// branch is the run as it is, as a branch forking at forkUS after the
// first shared journal entries.
func (r *Run) branch(forkUS int64, shared int) Branch {
	return Branch{ForkUS: forkUS, EndUS: max(r.RedoEndUS, r.NowUS), Shared: shared,
		Journal: slices.Clone(r.Journal), Redo: slices.Clone(r.Redo)}
}

// Switch sets the current run aside as a branch and brings back branch i:
// replayed to its fork, its own commands ahead as the redo.
func (r *Run) Switch(i int) error {
	if i < 0 || i >= len(r.Branches) {
		return fmt.Errorf("switch: no branch %d", i)
	}
	b := r.Branches[i]
	shared := min(b.Shared, len(b.Journal), len(r.Journal))
	r.Branches = append(slices.Delete(r.Branches, i, i+1), r.branch(b.ForkUS, shared))
	r.Journal = slices.Clone(b.Journal[:shared])
	r.Redo = append(slices.Clone(b.Journal[shared:]), b.Redo...)
	r.RedoEndUS, r.NowUS = b.EndUS, b.EndUS
	return r.Replay(b.ForkUS)
}

func (r *Run) apply(cmds []json.RawMessage) error {
	return r.C.Call("apply", contract.ApplyParams[json.RawMessage]{Commands: cmds}, nil)
}

// RedoUpTo re-applies the redo entries due by toUS, each at its own time
// (the engine advanced exactly to it, as when it was first given), and
// moves them to the journal; it returns how many it applied. Time ends at
// the last entry applied, not at toUS.
func (r *Run) RedoUpTo(toUS int64) (int, error) {
	n := 0
	for len(r.Redo) > 0 && r.Redo[0].AtUS <= toUS {
		e := r.Redo[0]
		if err := r.AdvanceTo(e.AtUS); err != nil {
			return n, err
		}
		if err := r.apply(e.Commands); err != nil {
			return n, fmt.Errorf("redo at %s: %v", FormatUS(e.AtUS), err)
		}
		r.Journal = append(r.Journal, e)
		r.Redo = r.Redo[1:]
		n++
	}
	if len(r.Redo) == 0 {
		r.Redo = nil
	}
	return n, nil
}

// RunTo runs up to toUS with the redo entries due on the way.
func (r *Run) RunTo(toUS int64) error {
	if _, err := r.RedoUpTo(toUS); err != nil {
		return err
	}
	if err := r.AdvanceTo(toUS); err != nil {
		return err
	}
	r.DropSpentRedo()
	return nil
}

// RedoCommands counts the commands in the redo.
func (r *Run) RedoCommands() int {
	n := 0
	for _, e := range r.Redo {
		n += len(e.Commands)
	}
	return n
}

// DropSpentRedo forgets the redo's end once time has reached it.
func (r *Run) DropSpentRedo() {
	if len(r.Redo) == 0 && r.NowUS >= r.RedoEndUS {
		r.RedoEndUS = 0
	}
}

// State is what it takes to bring a run back: the scenario, the journal,
// the redo and the time reached.
type State struct {
	Scenario  json.RawMessage
	Journal   []Entry
	Redo      []Entry
	RedoEndUS int64
	TimeUS    int64
}

// State captures the run so Restore can bring it back (an undo).
func (r *Run) State() State {
	return State{Scenario: r.Scenario, Journal: slices.Clone(r.Journal),
		Redo: slices.Clone(r.Redo), RedoEndUS: r.RedoEndUS, TimeUS: r.NowUS}
}

// Load takes a captured run's scenario, journal, redo and time; Replay
// to its time brings the run back (Restore).
func (r *Run) Load(st State) {
	r.Scenario, r.NowUS = st.Scenario, st.TimeUS
	r.Journal = slices.Clone(st.Journal)
	r.Redo, r.RedoEndUS = slices.Clone(st.Redo), st.RedoEndUS
}

// Restore replays a captured run from its seed to the time it had reached.
func (r *Run) Restore(st State) error {
	r.Load(st)
	return r.Replay(st.TimeUS)
}

// Replay opens the scenario again, re-applies the journal up to toUS and
// runs to toUS: a rewind (toUS earlier than now) or a restore after a
// reload or an engine crash. Journal entries after toUS are kept as the
// redo, in front of any redo there was; redo entries due by toUS are
// re-applied.
func (r *Run) Replay(toUS int64) error {
	if r.Scenario == nil {
		return fmt.Errorf("replay: no scenario is open")
	}
	var keep, cut []Entry
	for _, e := range r.Journal {
		if e.AtUS <= toUS {
			keep = append(keep, e)
		} else {
			cut = append(cut, e)
		}
	}
	redo := append(cut, r.Redo...)
	sort.SliceStable(redo, func(i, j int) bool { return redo[i].AtUS < redo[j].AtUS })
	end := r.RedoEndUS
	if len(cut) > 0 || r.NowUS > toUS {
		end = max(end, r.NowUS)
	}
	if err := r.open(r.Scenario); err != nil {
		return err
	}
	for _, e := range keep {
		if err := r.AdvanceTo(e.AtUS); err != nil {
			return err
		}
		if err := r.apply(e.Commands); err != nil {
			return fmt.Errorf("replay at %s: %v", FormatUS(e.AtUS), err)
		}
	}
	r.Journal, r.Redo, r.RedoEndUS = keep, redo, 0
	if len(redo) > 0 || end > toUS {
		r.RedoEndUS = end
	}
	return r.RunTo(toUS)
}

// USString formats microseconds as a Go duration string the engine parses.
func USString(us int64) string { return fmt.Sprintf("%dus", us) }

// FormatUS formats a virtual time for a message ("62.000s").
func FormatUS(us int64) string { return fmt.Sprintf("%.3fs", float64(us)/1e6) }
