package cluster

import (
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/client"
	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// This file runs the produce op: count records from key/value templates,
// sent at once or one every 1/rate. A step of 600,000 records must not cost
// 600,000 template parses, closures and queued timers (the engine also runs
// as wasm, where garbage collection dominates, and every queued timer
// deepens the event heap), so templates are compiled once, each record's
// key and value are expanded when it is sent, into a scratch buffer reused
// for every record (send() copies what it keeps), and a paced step keeps
// one timer queued: when record i is sent it arms record i+1's.

// produceRun is one produce step: what its records share.
type produceRun struct {
	p          *client.Producer
	base       client.Message // topic, partition, null flags and headers
	key, value scenario.Template
	// constKey and constValue are the bytes of a template without
	// placeholders, shared by every record (the producer only reads them).
	constKey, constValue []byte
	scratch              []byte // record i's key and value, until Send returns

	// A paced step: record i is due at start+i*gap, at queue position
	// seq+i (reserved when the step ran, so each send orders as if all
	// had been scheduled then); next is the record the timer is armed for.
	sim         *sim.Sim
	timer       sim.Timer
	start, gap  time.Duration
	seq         uint64
	next, count int
}

// Fire implements sim.Event: send the record due and arm the next one.
func (r *produceRun) Fire() {
	i := r.next
	if r.next++; r.next < r.count {
		r.sim.ArmReserved(&r.timer, r.start+time.Duration(r.next)*r.gap, r.seq+uint64(r.next), r)
	}
	r.p.Send(r.message(i))
}

func (c *Cluster) produce(cmd scenario.Command) {
	count := 1
	if cmd.Count != nil {
		count = *cmd.Count
	}
	var gap time.Duration
	if cmd.Rate != nil {
		gap = time.Duration(float64(time.Second) / float64(*cmd.Rate))
	}
	headers := make([]client.Header, 0, len(cmd.Headers))
	keys := make([]string, 0, len(cmd.Headers))
	for k := range cmd.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		headers = append(headers, client.Header{Key: k, Value: []byte(cmd.Headers[k])})
	}
	r := &produceRun{p: c.Producers[cmd.Producer],
		base: client.Message{Topic: cmd.Topic, Partition: -1, KeyNull: cmd.Key == nil, ValueNull: cmd.Value == nil, Headers: headers}}
	if cmd.Partition != nil {
		r.base.Partition = int32(*cmd.Partition)
	}
	if cmd.Key != nil {
		r.key, r.constKey = compileTemplate(*cmd.Key)
	}
	if cmd.Value != nil {
		r.value, r.constValue = compileTemplate(*cmd.Value)
	}
	if gap == 0 {
		for i := 0; i < count; i++ {
			r.p.Send(r.message(i))
		}
		return
	}
	if count <= 0 {
		return
	}
	// Every record keeps the time and queue position it would have had as
	// a closure scheduled now, but only the next one is queued.
	r.sim, r.start, r.gap, r.count = c.Sim, c.Now(), gap, count
	r.seq = c.Sim.Reserve(count)
	c.Sim.ArmReserved(&r.timer, r.start, r.seq, r)
}

// compileTemplate compiles a key/value template, with its bytes when every
// record gets the same ones. A template that does not compile (Validate
// rejects those) expands to nothing.
func compileTemplate(tpl string) (scenario.Template, []byte) {
	t, err := scenario.CompileTemplate(tpl)
	if err != nil || t.Constant() {
		b := t.Append(make([]byte, 0, t.Len(0)), 0) // never nil: the record is not null
		return t, b[:len(b):len(b)]
	}
	return t, nil
}

// message builds record i; its key and value are valid until the next call.
func (r *produceRun) message(i int) client.Message {
	m := r.base
	r.scratch = r.scratch[:0]
	if !m.KeyNull {
		m.Key = r.expand(r.key, r.constKey, i)
	}
	if !m.ValueNull {
		m.Value = r.expand(r.value, r.constValue, i)
	}
	return m
}

// expand returns record i's text of t, appended to the scratch buffer
// (capped, so that appending the value never reaches the key).
func (r *produceRun) expand(t scenario.Template, constant []byte, i int) []byte {
	if constant != nil {
		return constant
	}
	start := len(r.scratch)
	r.scratch = t.Append(r.scratch, i)
	if r.scratch == nil {
		r.scratch = make([]byte, 0, 64) // an empty text is not null
	}
	return r.scratch[start:len(r.scratch):len(r.scratch)]
}
