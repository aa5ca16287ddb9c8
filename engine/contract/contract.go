// Package contract is the engine API's wire types (DESIGN.md §3): the
// envelope, each method's params and reply, and the error, shared by
// engine/api, which writes them, and every caller — the UI, lessons/lint,
// wasm/headless, wasm/speed — which read them. The JSON is the contract:
// fields are declared in the order encoding/json writes a map's keys, so
// a reply encodes to the same bytes it did as a map (engine/api's
// TestRepliesMatchTheContract checks every method against a golden file).
// The data of each event kind is typed in the sub-package events.
package contract

import (
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Request is the envelope of one call: {"method": …, "params": {…}}.
type Request struct {
	Method string `json:"method"`
	Params any    `json:"params"`
}

// Reply is the envelope of an answer: a result or an error.
type Reply struct {
	Error  *Error          `json:"error,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
}

// Error is a reply error: a code (INVALID_PARAMS, NOT_OPEN…) and a message
// in plain words.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes of replies.
const (
	CodeInvalidRequest = "INVALID_REQUEST"
	CodeUnknownMethod  = "UNKNOWN_METHOD"
	CodeInvalidParams  = "INVALID_PARAMS"
	CodeNotOpen        = "NOT_OPEN"
	CodeStorage        = "STORAGE_ERROR"
	CodeInternal       = "INTERNAL"
)

// Open's params are a scenario ({"seed", "cluster", "steps"}, engine/scenario).

// OpenReply is open's answer.
type OpenReply struct {
	// EarlierDisk describes the files an earlier page left for this same
	// scenario (files storage only): replay up to its time, then check_disk.
	EarlierDisk *EarlierDisk `json:"earlier_disk,omitempty"`
	EndUS       int64        `json:"end_us"`
	Steps       int          `json:"steps"`
	TimeUS      int64        `json:"time_us"`
}

// EarlierDisk is what an earlier run left on disk.
type EarlierDisk struct {
	Bytes  int64 `json:"bytes"`
	Files  int   `json:"files"`
	TimeUS int64 `json:"time_us"`
}

// ApplyParams carries commands (scenario steps without "at") to run now.
type ApplyParams[C any] struct {
	Commands []C `json:"commands"`
}

// ApplyReply is apply's answer.
type ApplyReply struct {
	Applied int   `json:"applied"`
	TimeUS  int64 `json:"time_us"`
}

// ExportReply is export's answer, a method only the remote engine of
// server/kafkawire has (the page's own engine answers it with an unknown
// method): the session with real Kafka clients so far, as a scenario
// whose steps replay it, and the time it reached.
type ExportReply struct {
	Scenario json.RawMessage `json:"scenario"`
	TimeUS   int64           `json:"time_us"`
}

// AdvanceParams asks for exactly one of By ("100ms"), To ("2s" or "end")
// or Steps (a count of scheduled events).
type AdvanceParams struct {
	By    string `json:"by,omitempty"`
	To    string `json:"to,omitempty"`
	Steps int    `json:"steps,omitempty"`
}

// AdvanceReply is advance's answer.
type AdvanceReply struct {
	Events      int64  `json:"events"`                  // trace events emitted so far
	NextEventUS *int64 `json:"next_event_us,omitempty"` // absent: nothing is scheduled
	Ran         int    `json:"ran"`                     // sim events run by this call
	TimeUS      int64  `json:"time_us"`
}

// SnapshotParams shapes snapshot's answer, a view.Snapshot.
type SnapshotParams struct {
	Records    bool `json:"records,omitempty"`
	MaxRecords int  `json:"max_records,omitempty"`
	// RecordsFrom asks for the records from this offset on; absent: the newest.
	RecordsFrom *int64   `json:"records_from,omitempty"`
	Topics      []string `json:"topics,omitempty"`
	Internal    *bool    `json:"internal,omitempty"` // include internal topics (default true)
}

// TraceHashReply is trace_hash's answer: the SHA-256 of every event's
// canonical line so far.
type TraceHashReply struct {
	Events    int64  `json:"events"`
	TimeUS    int64  `json:"time_us"`
	TraceHash string `json:"trace_hash"`
}

// EventsParams asks for the events after a sequence number (at most Max,
// default and cap 5000), optionally of some kinds only. With Newest and
// more than Max events after After, the answer skips to the newest Max (a
// page behind the engine shows the latest events in one call; without
// Kinds only).
type EventsParams struct {
	After  int64    `json:"after,omitempty"`
	Max    int      `json:"max,omitempty"`
	Kinds  []string `json:"kinds,omitempty"`
	Newest bool     `json:"newest,omitempty"`
}

// EventsReply is events' answer. E is how the caller reads an event:
// view.Event, or RawEvent to keep the data raw.
type EventsReply[E any] struct {
	// Dropped counts the events the engine no longer keeps (the oldest,
	// beyond its bounded window); Truncated says some of them came after
	// the "after" asked for.
	Dropped   int64 `json:"dropped"`
	Events    []E   `json:"events"`
	Last      int64 `json:"last"`  // the last sequence number looked at
	Total     int64 `json:"total"` // events emitted so far
	Truncated bool  `json:"truncated"`
}

// RawEvent is view.Event as it comes on the wire with its data left raw,
// for a reader that decodes the data of few events (the page decodes it
// only when a goal reads it; events.Decode reads it typed).
type RawEvent struct {
	Seq       int64           `json:"seq"`
	TimeUS    int64           `json:"t_us"`
	Kind      string          `json:"kind"`
	Node      string          `json:"node,omitempty"`
	Topic     string          `json:"topic,omitempty"`
	Partition *int32          `json:"partition,omitempty"`
	Msg       string          `json:"msg,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// ConfigsParams names a scope: topic, broker, producer or consumer.
type ConfigsParams struct {
	Scope string `json:"scope"`
}

// ConfigsReply lists a scope's settings with Kafka's names and defaults.
type ConfigsReply struct {
	Configs []ConfigDef `json:"configs"`
	Scope   string      `json:"scope"`
}

// ConfigDef is one setting.
type ConfigDef struct {
	Name    string   `json:"name"`
	Default string   `json:"default"`
	Enum    []string `json:"enum,omitempty"`
	Doc     string   `json:"doc"`
}

// CheckDiskReply is check_disk's answer.
type CheckDiskReply = view.DiskCheck

// Decode unpacks a reply: an error reply becomes its *Error; a result is
// decoded into out (nil: not decoded; a *json.RawMessage keeps it raw).
func Decode(reply []byte, out any) error {
	var env Reply
	if err := json.Unmarshal(reply, &env); err != nil {
		return fmt.Errorf("reply %.200q is not JSON: %w", reply, err)
	}
	if env.Error != nil {
		return env.Error
	}
	if len(env.Result) == 0 {
		return fmt.Errorf("reply %.200s has neither result nor error", reply)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("result %.200s: %w", env.Result, err)
	}
	return nil
}
