package kafkawire

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// A journal records a session with real clients: the scenario it started
// from, then every connection, request frame and close with the virtual
// time it reached the engine, one JSON object a line. Replaying it injects
// the same frames at the same virtual times into a fresh cluster of the
// same scenario, which gives the same trace (and trace hash): the engine
// is deterministic, and the translation here is a pure function of the
// frame. Engine commands applied from outside (a broker crash from the
// page or a test, Engine.Apply) are journaled too. Responses are not
// journaled; a replay computes them again.

// entry is one line of a journal after its header.
type entry struct {
	At     time.Duration `json:"at"` // virtual time, nanoseconds
	Op     string        `json:"op"` // connect, request, close or apply
	Conn   string        `json:"conn,omitempty"`
	Broker int32         `json:"broker,omitempty"`
	Frame  []byte        `json:"frame,omitempty"` // the request frame without its size prefix
	// Command is an engine command applied from outside (Engine.Apply).
	Command json.RawMessage `json:"command,omitempty"`
	// Hash is the trace hash at the end of the session (op "end"), which
	// a replay checks.
	Hash string `json:"hash,omitempty"`
}

// journalHeader is a journal's first line.
type journalHeader struct {
	Journal  string          `json:"journal"` // "brokerlab kafkawire 1"
	Scenario json.RawMessage `json:"scenario"`
}

const journalFormat = "brokerlab kafkawire 1"

type journalWriter struct {
	w   *bufio.Writer
	err error
}

// Record starts journaling to w; scenarioJSON is the scenario the engine
// was built from. Call it before the first connection. Each entry is
// flushed as it is written.
func (e *Engine) Record(w io.Writer, scenarioJSON []byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	j := &journalWriter{w: bufio.NewWriter(w)}
	j.write(journalHeader{Journal: journalFormat, Scenario: json.RawMessage(scenarioJSON)})
	e.journal = j
	if e.source == nil {
		e.source = append([]byte(nil), scenarioJSON...)
	}
	return j.err
}

func (j *journalWriter) write(v any) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		b = append(b, '\n')
		_, err = j.w.Write(b)
	}
	if err == nil {
		err = j.w.Flush()
	}
	j.err = err
}

// add journals one entry; a nil journal records nothing.
func (j *journalWriter) add(en entry) {
	if j != nil {
		j.write(en)
	}
}

// End journals the end of the session with the trace hash at the current
// virtual time; a replay checks it. Stop the server first.
func (e *Engine) End() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	e.journal.add(entry{At: e.c.Now(), Op: "end", Hash: e.c.Trace.Hash()})
}

// Replay plays a journal headless on a fresh cluster of its scenario and
// runs it until the virtual time until (or its last entry, if later). A
// journal's "end" line must match the replay's trace hash at its time.
func Replay(r io.Reader, until time.Duration) (*cluster.Cluster, error) {
	c, _, _, err := replay(r, until, nil)
	return c, err
}

// replay is Replay; with steps not nil, every outside connection's op and
// every applied command is appended to it as a scenario step, and the
// journal's scenario and end time are returned too.
func replay(r io.Reader, until time.Duration, steps *[]json.RawMessage) (*cluster.Cluster, json.RawMessage, time.Duration, error) {
	var end time.Duration
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 4*MaxFrame)
	if !sc.Scan() {
		return nil, nil, 0, fmt.Errorf("kafkawire: empty journal")
	}
	var head journalHeader
	if err := json.Unmarshal(sc.Bytes(), &head); err != nil || head.Journal != journalFormat {
		return nil, nil, 0, fmt.Errorf("kafkawire: not a journal of %q", journalFormat)
	}
	s, err := scenario.Parse(head.Scenario)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("kafkawire: the journal's scenario: %v", err)
	}
	e, err := NewEngine(s, nil)
	if err != nil {
		return nil, nil, 0, err
	}
	for line := 2; sc.Scan(); line++ {
		var en entry
		if err := json.Unmarshal(sc.Bytes(), &en); err != nil {
			return nil, nil, 0, fmt.Errorf("kafkawire: journal line %d: %v", line, err)
		}
		if en.At < e.c.Now() {
			return nil, nil, 0, fmt.Errorf("kafkawire: journal line %d goes back in time (%v < %v)", line, en.At, e.c.Now())
		}
		e.c.Sim.RunUntil(en.At)
		switch en.Op {
		case "connect":
			e.connect(en.Conn, en.Broker, nil)
		case "request":
			if s := e.sessions[en.Conn]; s != nil {
				s.serve(0, en.Frame)
			}
		case "close":
			if s := e.sessions[en.Conn]; s != nil {
				delete(e.sessions, en.Conn)
				s.x.Close()
			}
		case "end":
			end = en.At
			if got := e.c.Trace.Hash(); got != en.Hash {
				return nil, nil, 0, fmt.Errorf("kafkawire: journal line %d: the replay's trace hash at %v is %s, the recording's %s", line, en.At, got, en.Hash)
			}
		case "apply":
			cmd, err := scenario.ParseCommand(en.Command)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("kafkawire: journal line %d: %v", line, err)
			}
			cmd.At = nil
			e.c.Apply([]scenario.Command{cmd})
			e.steps = append(e.steps, appliedStep(en.Command, en.At))
		default:
			return nil, nil, 0, fmt.Errorf("kafkawire: journal line %d: unknown op %q", line, en.Op)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, 0, fmt.Errorf("kafkawire: reading the journal: %v", err)
	}
	e.c.Sim.RunUntil(until)
	if steps != nil {
		*steps = e.steps // NewEngine's client log and the applied commands
	}
	return e.c, head.Scenario, end, nil
}

// ExportScenario turns a journal into a scenario of the engine's own
// format: the journal's scenario with the session's outside connections
// and applied commands as client_connect, client_request, client_close
// and other steps at their virtual times. It plays anywhere the engine
// runs — wasm/headless, the browser — without the wire protocol (engine
// requests travel as JSON); advanced to the returned time, the time the
// recording ended, it reaches the recording's trace hash.
func ExportScenario(r io.Reader) (scenarioJSON []byte, end time.Duration, err error) {
	var steps []json.RawMessage
	_, head, end, err := replay(r, 0, &steps)
	if err != nil {
		return nil, 0, err
	}
	out, err := mergeSteps(head, steps)
	return out, end, err
}

// mergeSteps adds a session's steps to a scenario's own, in time order.
func mergeSteps(head json.RawMessage, steps []json.RawMessage) ([]byte, error) {
	var sc map[string]json.RawMessage
	if err := json.Unmarshal(head, &sc); err != nil {
		return nil, fmt.Errorf("kafkawire: the session's scenario: %v", err)
	}
	var own []json.RawMessage
	if raw, ok := sc["steps"]; ok {
		if err := json.Unmarshal(raw, &own); err != nil {
			return nil, fmt.Errorf("kafkawire: the session's scenario steps: %v", err)
		}
	}
	// Merge by time: a scenario's own step is an event, and the session's
	// steps never share an instant with one (Engine.instant).
	at := func(raw json.RawMessage) time.Duration {
		var s struct {
			At string `json:"at"`
		}
		json.Unmarshal(raw, &s)
		d, _ := time.ParseDuration(s.At)
		return d
	}
	merged := make([]json.RawMessage, 0, len(own)+len(steps))
	i := 0
	for _, st := range steps {
		for i < len(own) && at(own[i]) < at(st) {
			merged = append(merged, own[i])
			i++
		}
		merged = append(merged, st)
	}
	merged = append(merged, own[i:]...)
	sc["steps"], _ = json.Marshal(merged)
	return json.MarshalIndent(sc, "", " ")
}

// clientStep is an outside connection's op as a scenario step; a
// request's body is encoded as the engine decodes it (field names as
// written, bytes in base64).
func clientStep(cmd scenario.Command, body any) json.RawMessage {
	if body != nil {
		cmd.Request, _ = json.Marshal(body)
	}
	raw, _ := json.Marshal(struct {
		At      string          `json:"at"`
		Op      string          `json:"op"`
		Node    string          `json:"node"`
		Broker  *int            `json:"broker,omitempty"`
		API     string          `json:"api,omitempty"`
		Request json.RawMessage `json:"request,omitempty"`
	}{cmd.At.String(), cmd.Op, cmd.Node, cmd.Broker, cmd.API, json.RawMessage(cmd.Request)})
	return raw
}

// appliedStep is a command applied from outside, as a step at its time.
func appliedStep(command json.RawMessage, at time.Duration) json.RawMessage {
	var m map[string]json.RawMessage
	json.Unmarshal(command, &m)
	m["at"], _ = json.Marshal(at.String())
	raw, _ := json.Marshal(m)
	return raw
}
