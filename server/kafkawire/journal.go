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
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 4*MaxFrame)
	if !sc.Scan() {
		return nil, fmt.Errorf("kafkawire: empty journal")
	}
	var head journalHeader
	if err := json.Unmarshal(sc.Bytes(), &head); err != nil || head.Journal != journalFormat {
		return nil, fmt.Errorf("kafkawire: not a journal of %q", journalFormat)
	}
	s, err := scenario.Parse(head.Scenario)
	if err != nil {
		return nil, fmt.Errorf("kafkawire: the journal's scenario: %v", err)
	}
	e, err := NewEngine(s, nil)
	if err != nil {
		return nil, err
	}
	for line := 2; sc.Scan(); line++ {
		var en entry
		if err := json.Unmarshal(sc.Bytes(), &en); err != nil {
			return nil, fmt.Errorf("kafkawire: journal line %d: %v", line, err)
		}
		if en.At < e.c.Now() {
			return nil, fmt.Errorf("kafkawire: journal line %d goes back in time (%v < %v)", line, en.At, e.c.Now())
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
			if got := e.c.Trace.Hash(); got != en.Hash {
				return nil, fmt.Errorf("kafkawire: journal line %d: the replay's trace hash at %v is %s, the recording's %s", line, en.At, got, en.Hash)
			}
		case "apply":
			cmd, err := scenario.ParseCommand(en.Command)
			if err != nil {
				return nil, fmt.Errorf("kafkawire: journal line %d: %v", line, err)
			}
			cmd.At = nil
			e.c.Apply([]scenario.Command{cmd})
		default:
			return nil, fmt.Errorf("kafkawire: journal line %d: unknown op %q", line, en.Op)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("kafkawire: reading the journal: %v", err)
	}
	e.c.Sim.RunUntil(until)
	return e.c, nil
}
