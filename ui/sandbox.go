package ui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// SandboxSetup is the sandbox's start form.
type SandboxSetup struct {
	Brokers int
	// Controllers is the number of KRaft voters: 1, 3 or 5.
	Controllers int
	Seed        int
}

// sandboxVoters are the KRaft quorum sizes the start form offers (odd, so a
// majority survives a minority failing).
var sandboxVoters = []int{1, 3, 5}

// sandboxKey is the localStorage entry that keeps the sandbox across reloads.
const sandboxKey = "brokerlab.sandbox"

// savedRun is a stored run (the sandbox or a lesson): its scenario, the learner's journal
// and the time reached. Replaying the journal from the seed restores it
// exactly.
//
// The redo (the future a rewind kept) is saved too: a reload right after a
// rewind must not lose what the learner had done later, any more than the
// rewind itself did. Runs saved before it existed simply have none.
type savedRun struct {
	Scenario  json.RawMessage `json:"scenario"`
	Journal   []Entry         `json:"journal"`
	TimeUS    int64           `json:"time_us"`
	Redo      []Entry         `json:"redo,omitempty"`
	RedoEndUS int64           `json:"redo_end_us,omitempty"`
	// Branches are the runs set aside by acting after a rewind.
	Branches []session.Branch `json:"branches,omitempty"`
}

// SandboxScenario is the sandbox lesson's scenario (base) with the
// learner's broker count, KRaft voter count (cluster.controllers; below 1
// means 1) and seed; with no base, an empty cluster. Saved sandboxes keep
// their scenario as written: one without cluster.controllers has the
// engine's default, a single voter.
func SandboxScenario(base json.RawMessage, brokers, controllers, seed int) (json.RawMessage, error) {
	sc := map[string]any{}
	if len(base) > 0 {
		if err := json.Unmarshal(base, &sc); err != nil {
			return nil, fmt.Errorf("ui: sandbox scenario: %v", err)
		}
	}
	cluster, _ := sc["cluster"].(map[string]any)
	if cluster == nil {
		cluster = map[string]any{}
	}
	cluster["brokers"], cluster["controllers"] = brokers, max(controllers, 1)
	// Broker logs go to the files backend (OPFS in the browser), so a
	// reload can check what the disk kept against the replay.
	cluster["storage"] = "files"
	sc["cluster"], sc["seed"] = cluster, seed
	if _, ok := sc["steps"]; !ok {
		sc["steps"] = []any{}
	}
	return json.Marshal(sc)
}

// SetSandboxBrokers and SetSandboxSeed read the start form.
func (a *App) SetSandboxBrokers(v string) {
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 5 {
		a.Sandbox.Brokers = n
	}
}

// SetSandboxControllers reads the KRaft voters select.
func (a *App) SetSandboxControllers(v string) {
	if n, err := strconv.Atoi(v); err == nil && slices.Contains(sandboxVoters, n) {
		a.Sandbox.Controllers = n
	}
}

func (a *App) SetSandboxSeed(v string) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		a.Sandbox.Seed = n
	}
}

// StartSandbox opens a fresh sandbox (DOM handler).
func (a *App) StartSandbox() {
	var base json.RawMessage
	if a.Lessons.Sandbox != nil {
		base = a.Lessons.Sandbox.Scenario
	}
	sc, err := SandboxScenario(base, a.Sandbox.Brokers, a.Sandbox.Controllers, a.Sandbox.Seed)
	if err != nil {
		a.Err = err.Error()
		return
	}
	a.Do(func() error {
		a.run.EventBudget = lightEventBudget
		if err := a.run.Open(sc); err != nil {
			return err
		}
		a.runKey = sandboxKey
		a.saveSandbox(true)
		a.update(func() { a.Playing = true })
		return a.run.Refresh(false, true)
	})
}

// ResetSandbox forgets the sandbox and shows the start form (DOM
// handler); Undo on the form brings the run back.
func (a *App) ResetSandbox() {
	a.Playing = false
	a.undo = nil
	a.P.Remove(sandboxKey)
	a.Do(func() error {
		if a.run.Scenario != nil {
			before := a.run.State()
			a.update(func() { a.undo = &UndoPoint{Where: "sandbox", run: before} })
		}
		a.run.Scenario = nil
		return nil
	})
}

// restoreSandbox replays the stored sandbox, if any (driver goroutine).
func (a *App) restoreSandbox() error {
	sv, ok := a.loadRun(sandboxKey, func(sv savedRun) bool { return len(sv.Scenario) > 0 })
	if !ok {
		a.run.Scenario = nil
		return nil
	}
	a.run.EventBudget = lightEventBudget
	if err := a.run.Open(sv.Scenario); err != nil {
		return err
	}
	a.runKey = sandboxKey
	// The disk may reflect a moment later than the last save (the journal
	// is saved on every command, the time once a second): replay up to it.
	// The sandbox comes back paused: the note says so.
	return a.replayRun(sv, max(sv.TimeUS, a.run.EarlierDiskUS), func() (string, error) {
		if a.run.EarlierDiskUS < 0 {
			return T("status.restored") + " " + T("paused.play"), nil
		}
		dc, err := a.run.CheckDisk()
		if err != nil {
			return "", err
		}
		a.saveSandbox(true)
		return diskNote(dc) + " " + T("paused.play"), a.run.Refresh(false, true)
	})
}

// loadRun reads the run stored under key; an entry that does not decode
// or that valid rejects is removed.
func (a *App) loadRun(key string, valid func(savedRun) bool) (savedRun, bool) {
	raw, ok := a.P.Load(key)
	if !ok {
		return savedRun{}, false
	}
	var sv savedRun
	if json.Unmarshal([]byte(raw), &sv) != nil || !valid(sv) {
		a.P.Remove(key)
		return savedRun{}, false
	}
	return sv, true
}

// replayRun re-applies a saved run's journal to the open run up to toUS
// (its redo kept ahead), showing that it is busy; then done runs and its
// note is shown (driver goroutine).
func (a *App) replayRun(sv savedRun, toUS int64, done func() (string, error)) error {
	a.update(func() { a.Busy = T("status.replaying") })
	a.run.Journal, a.run.Redo, a.run.RedoEndUS = sv.Journal, sv.Redo, sv.RedoEndUS
	a.run.Branches = sv.Branches
	err := a.run.Replay(toUS)
	note := ""
	if err == nil {
		note, err = done()
	}
	a.update(func() {
		a.Busy = ""
		if err == nil {
			a.Note = note
		}
	})
	return err
}

// diskNote tells the learner how the disk an earlier page left compared
// with the replay of their journal.
func diskNote(dc view.DiskCheck) string {
	if !dc.Compared {
		return T("status.restored") + " " + Tf("disk.skipped", dc.Reason)
	}
	if len(dc.Damage) == 0 && len(dc.Unwritten) > 0 {
		return Tf("disk.unwritten", len(dc.Unwritten))
	}
	if len(dc.Damage) == 0 {
		return Tf("disk.intact", dc.Files)
	}
	parts := make([]string, len(dc.Damage))
	for i, d := range dc.Damage {
		if d.Found < 0 {
			parts[i] = Tf("disk.missing", d.Broker, d.File, d.Expected)
		} else {
			parts[i] = Tf("disk.cut", d.Broker, d.File, d.CutAt, d.Expected)
		}
	}
	return Tf("disk.damaged", len(dc.Damage), strings.Join(parts, "; "))
}

// saveSandbox stores the open run under its key (driver goroutine): the
// sandbox, or a lesson. Without force it writes at most once a second of
// wall time.
func (a *App) saveSandbox(force bool) {
	if a.runKey == "" || a.run.Scenario == nil {
		return
	}
	now := a.P.Now()
	if !force && !a.building && now-a.savedAt < 1000 {
		return
	}
	a.savedAt = now
	b, err := json.Marshal(savedRun{Scenario: a.run.Scenario, Journal: a.run.Journal, TimeUS: a.run.NowUS,
		Redo: a.run.Redo, RedoEndUS: a.run.RedoEndUS, Branches: a.run.Branches})
	if err == nil {
		a.P.Store(a.runKey, string(b))
	}
}
