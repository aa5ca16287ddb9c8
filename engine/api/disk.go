package api

import (
	"encoding/hex"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
	"github.com/brokerlab/brokerlab/engine/diskcheck"
	"github.com/brokerlab/brokerlab/engine/internal/sha256"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/view"
)

// disk is the files backend of the open scenario, the clock record that
// says what its files reflect, and the files an earlier page left behind.
//
// A page that comes back replays its journal from the seed (the files are
// rewritten identically) and then calls check_disk: every segment file the
// earlier page left shorter or different than the replay rebuilt it is named,
// with the disk_fault command that makes the cluster recover from it.
type disk struct {
	store    log.Store
	clock    *diskcheck.ClockWriter
	scenario string // SHA-256 of the open scenario's JSON
	// writeFailed is set once a write of this run failed (see watchStore).
	writeFailed bool

	prev      *diskcheck.Disk // captured at the first files-backed open
	prevErr   string
	prevTaken bool
}

// openFiles prepares the files backend for a new run: the first time, it
// keeps what an earlier page left; then it clears the broker files (a
// scenario replays from its seed).
func (e *Engine) openFiles() (log.Store, *Error) {
	if e.opts.Files == nil {
		return nil, errf(CodeStorage, "api: open: storage \"files\" is not available in this host")
	}
	store, err := e.opts.Files()
	if err != nil {
		return nil, errf(CodeStorage, "api: open: files backend: %v", err)
	}
	if !e.disk.prevTaken {
		e.disk.prevTaken = true
		if e.disk.prev, err = diskcheck.Capture(store); err != nil {
			e.disk.prevErr = err.Error()
		}
	}
	if err := clearStore(store); err != nil {
		return nil, errf(CodeStorage, "api: open: clearing the files backend: %v", err)
	}
	e.disk.writeFailed = false
	return watchStore{store, &e.disk.writeFailed}, nil
}

// startClock begins the clock record of a files-backed run.
func (e *Engine) startClock(store log.Store, raw jsonwire.RawMessage) {
	e.stopClock()
	sum := sha256.Sum256(raw)
	e.disk.store, e.disk.scenario = store, hex.EncodeToString(sum[:])
	if store == nil {
		return
	}
	if w, err := diskcheck.OpenClock(store); err == nil {
		e.disk.clock = w
		e.tick()
	}
}

func (e *Engine) stopClock() {
	if e.disk.clock != nil {
		e.disk.clock.Close()
	}
	e.disk.clock, e.disk.store = nil, nil
}

// tick records the virtual time the files now reflect. A failing write
// stops the record (the check after a reload then replays to the saved
// time only); the broker logs report their own storage errors.
func (e *Engine) tick() {
	if e.disk.clock == nil || e.cluster == nil {
		return
	}
	if err := e.disk.clock.Write(diskcheck.Clock{Scenario: e.disk.scenario, TimeUS: int64(e.cluster.Now() / time.Microsecond), WriteFailed: e.disk.writeFailed}); err != nil {
		e.stopClock()
	}
}

// earlierDisk describes, for open's reply, the files an earlier page left
// for this same scenario: the UI replays up to their time before checking.
func (e *Engine) earlierDisk() *contract.EarlierDisk {
	p := e.disk.prev
	if p == nil || p.Clock == nil || p.Clock.Scenario != e.disk.scenario {
		return nil
	}
	return &contract.EarlierDisk{Bytes: p.Bytes, Files: len(p.Files), TimeUS: p.Clock.TimeUS}
}

// checkDisk compares the files an earlier page left with the files the
// replay rebuilt. It answers once per engine (the earlier files are
// forgotten); later calls say there is nothing to compare.
func (e *Engine) checkDisk(raw jsonwire.RawMessage) (any, *Error) {
	var p struct{}
	if err := params(raw, &p, "check_disk"); err != nil {
		return nil, err
	}
	if e.disk.store == nil {
		return nil, errf(CodeInvalidParams, "api: check_disk: the open scenario keeps its logs in memory; open it with \"storage\": \"files\"")
	}
	prev, prevErr := e.disk.prev, e.disk.prevErr
	e.disk.prev, e.disk.prevErr = nil, ""
	skip := func(reason string) (any, *Error) {
		return view.DiskCheck{Reason: reason}, nil
	}
	switch {
	case prevErr != "":
		return skip("the earlier files could not be read: " + prevErr)
	case prev == nil || (prev.Clock == nil && len(prev.Files) == 0):
		return skip("no earlier files were on disk")
	case prev.Clock == nil:
		return skip("the earlier files carry no clock record, so it is unknown what they reflect")
	case prev.Clock.Scenario != e.disk.scenario:
		return skip("the earlier files belong to another scenario")
	case prev.TooLarge:
		return skip("the earlier files are too large to compare")
	}
	damage, short, err := diskcheck.Compare(prev, e.disk.store)
	if err != nil {
		return nil, errf(CodeStorage, "api: check_disk: %v", err)
	}
	cmds := make([]map[string]any, len(damage))
	for i, d := range damage {
		cmds[i] = diskcheck.Command(d)
	}
	return view.DiskCheck{Compared: true, Files: len(prev.Files), TimeUS: prev.Clock.TimeUS,
		Damage: damage, Commands: cmds, Unwritten: short}, nil
}
