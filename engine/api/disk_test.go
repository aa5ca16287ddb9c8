package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/diskcheck"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/log/logtest"
	"github.com/brokerlab/brokerlab/engine/view"
)

const diskScenario = `{"seed": 4, "cluster": {"brokers": 3, "storage": "files", "os_writeback": "0s"},
 "steps": [
  {"at": "0s", "op": "create_topic", "topic": "t", "partitions": 1, "replication_factor": 3, "configs": {"flush.messages": "1"}},
  {"at": "0s", "op": "producer_start", "producer": "p"},
  {"at": "10ms", "op": "produce", "producer": "p", "topic": "t", "count": 40, "rate": "100/s", "value": "v{i}"},
  {"at": "10s", "op": "end"}]}`

func checkDisk(t *testing.T, e *Engine) view.DiskCheck {
	t.Helper()
	var r view.DiskCheck
	if err := json.Unmarshal(mustResult(t, e, `{"method":"check_disk"}`), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// openAgain is a page coming back: a fresh engine on the same disk opens the
// scenario, replays to the time the disk reflects and checks the disk.
func openAgain(t *testing.T, store log.Store) (*Engine, view.DiskCheck) {
	t.Helper()
	e := New(Options{Files: func() (log.Store, error) { return store, nil }})
	var open struct {
		Earlier *struct {
			TimeUS int64 `json:"time_us"`
		} `json:"earlier_disk"`
	}
	json.Unmarshal(mustResult(t, e, `{"method":"open","params":`+diskScenario+`}`), &open)
	if open.Earlier == nil || open.Earlier.TimeUS != 2_000_000 {
		t.Fatalf("open did not report the earlier disk at 2s: %+v", open.Earlier)
	}
	mustResult(t, e, `{"method":"advance","params":{"to":"2s"}}`)
	return e, checkDisk(t, e)
}

// TestCheckDiskFindsATornFileAfterAReload: an untouched disk compares equal
// after the replay; a segment cut at a byte is named with the disk_fault
// command that recovers it, and applying that command makes the broker
// recover to its last whole batch and catch up from the other replicas.
func TestCheckDiskFindsATornFileAfterAReload(t *testing.T) {
	store := log.NewMemStore()
	first := New(Options{Files: func() (log.Store, error) { return store, nil }})
	mustResult(t, first, `{"method":"open","params":`+diskScenario+`}`)
	if r := checkDisk(t, first); r.Compared || !strings.Contains(r.Reason, "no earlier files") {
		t.Fatalf("a fresh disk was compared: %+v", r)
	}
	mustResult(t, first, `{"method":"advance","params":{"to":"2s"}}`)

	again, r := openAgain(t, store)
	if !r.Compared || len(r.Damage) != 0 {
		t.Fatalf("an untouched disk: %+v", r)
	}
	if r2 := checkDisk(t, again); r2.Compared {
		t.Fatalf("a second check compared again: %+v", r2)
	}

	name := "broker-2/t-0/00000000000000000000.log"
	f, err := store.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	size, _ := f.Size()
	cut := size - 17
	f.Truncate(cut)
	f.Close()
	// The page closed with the file torn: a new page finds it.
	third, r := openAgain(t, store)
	if !r.Compared || len(r.Damage) != 1 || r.Damage[0] != (diskcheck.Damage{Broker: 2, File: "t-0/00000000000000000000.log", Expected: size, Found: cut, CutAt: cut}) {
		t.Fatalf("torn disk: %+v", r)
	}
	cmd, _ := json.Marshal(r.Commands[0])
	mustResult(t, third, `{"method":"apply","params":{"commands":[`+string(cmd)+`]}}`)
	mustResult(t, third, `{"method":"advance","params":{"to":"6s"}}`)
	var evs struct {
		Events []struct {
			Kind string         `json:"kind"`
			Node string         `json:"node"`
			Data map[string]any `json:"data"`
		} `json:"events"`
	}
	json.Unmarshal(mustResult(t, third, `{"method":"events","params":{"after":0,"max":100000}}`), &evs)
	recovered := false
	for _, ev := range evs.Events {
		if ev.Kind == "log_recovered" && ev.Node == "broker-2" && ev.Data["dropped_bytes"].(float64) > 0 {
			recovered = true
		}
	}
	if !recovered {
		t.Fatal("broker 2 did not report recovering from the torn file")
	}
	var snap struct {
		Partitions []struct {
			Replicas []struct {
				LEO int64 `json:"leo"`
			} `json:"replicas"`
		} `json:"partitions"`
	}
	json.Unmarshal(mustResult(t, third, `{"method":"snapshot"}`), &snap)
	for i, rep := range snap.Partitions[0].Replicas {
		if rep.LEO != 40 {
			t.Errorf("replica %d LEO %d after recovery, want 40", i, rep.LEO)
		}
	}
}

// TestCheckDiskSkipsAnotherScenarioAndMemoryRuns: files from another
// scenario are not compared, and a memory-backed run cannot be checked.
func TestCheckDiskSkipsAnotherScenarioAndMemoryRuns(t *testing.T) {
	store := log.NewMemStore()
	first := New(Options{Files: func() (log.Store, error) { return store, nil }})
	mustResult(t, first, `{"method":"open","params":`+diskScenario+`}`)
	mustResult(t, first, `{"method":"advance","params":{"to":"1s"}}`)

	other := strings.Replace(diskScenario, `"seed": 4`, `"seed": 5`, 1)
	e := New(Options{Files: func() (log.Store, error) { return store, nil }})
	out := mustResult(t, e, `{"method":"open","params":`+other+`}`)
	if strings.Contains(string(out), "earlier_disk") {
		t.Fatalf("another scenario's disk was offered: %s", out)
	}
	if r := checkDisk(t, e); r.Compared || !strings.Contains(r.Reason, "another scenario") {
		t.Fatalf("%+v", r)
	}
	mustResult(t, e, `{"method":"open","params":{"cluster":{"brokers":1}}}`)
	if got := call(t, e, `{"method":"check_disk"}`); !strings.Contains(string(got["error"]), "memory") {
		t.Fatalf("check_disk on a memory run: %s", got["error"])
	}
	if got := call(t, e, `{"method":"check_disk","params":{"x":1}}`); !strings.Contains(string(got["error"]), CodeInvalidParams) {
		t.Fatalf("check_disk with a bad param: %s", got["error"])
	}
}

// TestCheckDiskAfterAFullDisk: a run whose writes failed (quota) leaves
// shorter files than a replay with room writes; that is not a torn write,
// nothing is cut, and the reply lists the files as unwritten.
func TestCheckDiskAfterAFullDisk(t *testing.T) {
	store := logtest.NewFullStore()
	first := New(Options{Files: func() (log.Store, error) { return store, nil }})
	mustResult(t, first, `{"method":"open","params":`+diskScenario+`}`)
	mustResult(t, first, `{"method":"advance","params":{"to":"150ms"}}`)
	store.Full.Store(true)
	mustResult(t, first, `{"method":"advance","params":{"to":"2s"}}`)
	clock, err := diskcheck.ReadClock(store)
	if err != nil || clock == nil || !clock.WriteFailed {
		t.Fatalf("the clock does not record the failed writes: %+v %v", clock, err)
	}
	store.Full.Store(false)
	_, r := openAgain(t, store)
	if !r.Compared || len(r.Damage) != 0 || len(r.Commands) != 0 || len(r.Unwritten) == 0 {
		t.Fatalf("after a full disk: %+v", r)
	}
}
