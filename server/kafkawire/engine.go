// Package kafkawire puts the Kafka wire protocol in front of the
// simulated cluster, so real clients (franz-go, librdkafka's kcat, Java)
// can produce to and consume from brokers a learner can crash and cut
// off. Each simulated broker gets its own loopback port; each TCP
// connection becomes an outside connection of the engine
// (engine/cluster/external.go). Requests are decoded and responses
// encoded with franz-go's kmsg and translated to and from the engine's
// own request types (engine/proto), one file per request kind. A driver
// advances the virtual clock with the wall clock (speed 1× by default),
// so fetch.max.wait.ms and timeouts run in real time; every connection,
// request and close is journaled with its virtual time, so a session can
// be replayed to the same trace (journal.go). Native only: kmsg never
// reaches engine.wasm or ui.wasm.
package kafkawire

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	engineapi "github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/scenario"
)

// Engine is the simulated cluster behind the listeners. One mutex guards
// it: connections inject requests under it, and the driver (Drive) runs
// due events under it.
type Engine struct {
	mu       sync.Mutex
	c        *cluster.Cluster
	journal  *journalWriter // nil: not recording
	speed    float64
	wall0    time.Time     // the wall clock when the driver started
	virtual0 time.Duration // the virtual time then
	live     bool          // the virtual clock follows the wall clock
	sessions map[string]*session
	nextConn int
	wake     chan struct{}
	logf     func(format string, args ...any)
	addrs    map[int32]hostPort     // each broker's listener
	api      *engineapi.Engine      // the remote engine's (remote.go), made on first use
	members  map[string]memberState // KIP-848 members by group and member id (consumer_group_heartbeat.go)
	source   []byte                 // the scenario's JSON (SetSource), for Export
	steps    []json.RawMessage      // the session so far as scenario steps (export.go)
}

// NewEngine builds the cluster of s. Logf, when not nil, gets one line
// per connection problem (a malformed frame, an unsupported request).
func NewEngine(s *scenario.Scenario, logf func(string, ...any)) (*Engine, error) {
	c, err := cluster.New(s, nil)
	if err != nil {
		return nil, err
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	e := &Engine{c: c, speed: 1, sessions: map[string]*session{}, members: map[string]memberState{}, wake: make(chan struct{}, 1), logf: logf}
	c.SetClientLog(func(cmd scenario.Command, body any) { e.steps = append(e.steps, clientStep(cmd, body)) })
	return e, nil
}

// Locked runs fn with the engine's lock held, after bringing the virtual
// clock up to the wall clock: tests and the server read snapshots and the
// trace through it.
func (e *Engine) Locked(fn func(c *cluster.Cluster)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	fn(e.c)
}

// Apply runs engine commands (the scenario ops: broker_crash,
// network_partition…, each one JSON object) now, and journals them, so a
// replay applies them at the same virtual time.
func (e *Engine) Apply(commands ...[]byte) error {
	cmds := make([]scenario.Command, 0, len(commands))
	for _, raw := range commands {
		cmd, err := scenario.ParseCommand(raw)
		if err != nil {
			return fmt.Errorf("kafkawire: %v", err)
		}
		cmd.At = nil // now
		cmds = append(cmds, cmd)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	if err := e.c.Validate(cmds); err != nil {
		return fmt.Errorf("kafkawire: %v", err)
	}
	e.instant()
	for _, raw := range commands {
		e.journal.add(entry{At: e.c.Now(), Op: "apply", Command: raw})
		e.steps = append(e.steps, appliedStep(raw, e.c.Now()))
	}
	e.c.Apply(cmds)
	e.poke()
	return nil
}

// SetSpeed sets how many virtual seconds pass per wall-clock second (1 by
// default); call it before Drive.
func (e *Engine) SetSpeed(x float64) { e.speed = x }

// Drive advances the virtual clock with the wall clock until stop closes:
// it sleeps until the next event is due, or a request arrives.
func (e *Engine) Drive(stop <-chan struct{}) {
	e.mu.Lock()
	e.wall0, e.virtual0, e.live = time.Now(), e.c.Now(), true
	e.mu.Unlock()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		e.mu.Lock()
		e.advance()
		next, ok := e.c.Sim.NextAt()
		now := e.c.Now()
		e.mu.Unlock()
		wait := 100 * time.Millisecond
		if ok {
			wait = min(wait, time.Duration(float64(next-now)/e.speed))
		}
		timer.Reset(max(wait, 0))
		select {
		case <-stop:
			return
		case <-e.wake:
			timer.Stop() // Go 1.23+: no stale tick is received after Stop
		case <-timer.C:
		}
	}
}

// advance runs every event due by the wall clock's virtual time (mu held).
func (e *Engine) advance() {
	if !e.live {
		return
	}
	t := e.virtual0 + time.Duration(float64(time.Since(e.wall0))*e.speed)
	if t > e.c.Now() {
		e.c.Sim.RunUntil(t)
	}
}

// instant moves the virtual clock to a fresh instant for an injection
// (mu held, after advance): 1 ns on, past every event due by then, so no
// simulation event shares the injection's time. A replay that injects at
// that time — a journal's, or an exported scenario's client_* step,
// scheduled long before — then runs it after exactly the same events as
// the live run did.
func (e *Engine) instant() {
	for {
		t := e.c.Now() + 1
		if next, ok := e.c.Sim.NextAt(); ok && next <= t {
			e.c.Sim.RunUntil(next)
			continue
		}
		e.c.Sim.RunUntil(t)
		return
	}
}

func (e *Engine) poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// connect opens an outside connection to broker id (mu held): out gets
// each response frame in request order, closed runs when the engine
// closes the connection (its broker crashed).
func (e *Engine) connect(name string, broker int32, out *outbox) (*session, error) {
	e.journal.add(entry{At: e.c.Now(), Op: "connect", Conn: name, Broker: broker})
	s := &session{e: e, name: name, broker: broker, out: out}
	x, err := e.c.Connect(name, broker, func() { s.reset() })
	if err != nil {
		return nil, err
	}
	s.x = x
	e.sessions[name] = s
	return s, nil
}

// Accept opens a connection from a real client to broker id.
func (e *Engine) Accept(broker int32, out *outbox) (*session, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	e.instant()
	e.nextConn++
	return e.connect(fmt.Sprintf("c%d", e.nextConn), broker, out)
}

// Request hands one request frame of the connection to the engine.
func (s *session) Request(seq uint32, frame []byte) {
	e := s.e
	e.mu.Lock()
	e.advance()
	if e.sessions[s.name] != s { // the engine closed it: the broker crashed
		e.mu.Unlock()
		s.drop()
		return
	}
	e.instant()
	e.journal.add(entry{At: e.c.Now(), Op: "request", Conn: s.name, Frame: frame})
	s.serve(seq, frame)
	e.mu.Unlock()
	e.poke()
}

// Close closes the connection from the client's side.
func (s *session) Close() {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	if e.sessions[s.name] == nil {
		return
	}
	e.instant()
	e.journal.add(entry{At: e.c.Now(), Op: "close", Conn: s.name})
	delete(e.sessions, s.name)
	s.x.Close()
}

// address is where broker id's listener is, for Metadata and
// FindCoordinator answers.
func (e *Engine) address(id int32) (string, int32) {
	if a, ok := e.addrs[id]; ok {
		return a.host, a.port
	}
	return "127.0.0.1", 9091 + id
}

// clusterT is the engine's cluster type, for the callbacks of Locked.
type clusterT = cluster.Cluster

type hostPort struct {
	host string
	port int32
}
