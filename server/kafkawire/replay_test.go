package kafkawire

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	engineapi "github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestReplaySameTraceHash: a session of real clients (a producer, a
// consumer group, a broker crash from the engine's side) is journaled;
// replaying the journal headless on a fresh engine gives the same trace
// hash at the same virtual time, though the live run's virtual clock
// followed the wall clock.
func TestReplaySameTraceHash(t *testing.T) {
	s, e, journal := startAt(t, "", 5)
	p := client(t, s, kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "replayed", 2, 3, nil)
	produceN(t, p, "replayed", 0, 20)
	cons := client(t, s, kgo.ConsumerGroup("r"), kgo.ConsumeTopics("replayed"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	consume(t, cons, 20)
	if err := e.Apply([]byte(`{"op": "broker_crash", "broker": 2}`)); err != nil {
		t.Fatal(err)
	}
	produceN(t, p, "replayed", 20, 5)
	consume(t, cons, 5)
	cons.Close()
	p.Close()
	s.Close() // every connection closed and journaled; the driver stopped
	e.End()   // the hash a replay must reach

	var at time.Duration
	var live string
	var events int64
	e.Locked(func(c *cluster.Cluster) { at, live, events = c.Now(), c.Trace.Hash(), c.Trace.Count() })

	c, err := Replay(bytes.NewReader(journal.Bytes()), at)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Trace.Hash(); got != live || c.Trace.Count() != events {
		t.Fatalf("replay at %v: %d events, hash %s; the live run had %d events, hash %s", at, c.Trace.Count(), got, events, live)
	}
	t.Logf("%d events, %d journal bytes, trace hash %.12s… at %v", events, len(journal.Bytes()), live, at)
}

// TestExportedScenarioReplays: the journal of a kgo session (a producer,
// a group, a transaction, a crash applied from outside) exported as a
// scenario of the engine's own format plays on the engine API — no wire
// protocol, as engine.wasm would play it — to the live run's trace hash.
func TestExportedScenarioReplays(t *testing.T) {
	s, e, journal := startAt(t, "", 5)
	p := client(t, s, kgo.ProducerBatchCompression(kgo.NoCompression()))
	createTopic(t, p, "exported", 2, 3, nil)
	produceN(t, p, "exported", 0, 10)
	tx := client(t, s, kgo.TransactionalID("tx-x"), kgo.DefaultProduceTopic("exported"), kgo.ProducerBatchCompression(kgo.NoCompression()))
	if err := tx.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := tx.ProduceSync(ctx(t), &kgo.Record{Value: []byte("in a transaction")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if err := tx.EndTransaction(ctx(t), kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	cons := client(t, s, kgo.ConsumerGroup("x"), kgo.ConsumeTopics("exported"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	consume(t, cons, 11)
	if err := e.Apply([]byte(`{"op": "broker_crash", "broker": 3}`)); err != nil {
		t.Fatal(err)
	}
	produceN(t, p, "exported", 10, 5)
	for _, cl := range []*kgo.Client{cons, tx, p} {
		cl.Close()
	}
	s.Close()
	e.End()

	sc, end, err := ExportScenario(bytes.NewReader(journal.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// The live engine's own export (what the page's Share asks the
	// remote engine for) is the same scenario.
	if live, _, err := e.Export(); err != nil || !bytes.Equal(live, sc) {
		t.Fatalf("Engine.Export (%d bytes, %v) differs from the journal's export (%d bytes)", len(live), err, len(sc))
	}
	var want string
	for _, line := range bytes.Split(journal.Bytes(), []byte("\n")) {
		if bytes.Contains(line, []byte(`"op":"end"`)) {
			var en entry
			if err := json.Unmarshal(line, &en); err != nil {
				t.Fatal(err)
			}
			want = en.Hash
		}
	}
	eng := engineapi.New(engineapi.Options{})
	for _, req := range []string{
		`{"method":"open","params":` + string(sc) + `}`,
		`{"method":"advance","params":{"to":"` + end.String() + `"}}`,
	} {
		if reply := eng.Call([]byte(req)); bytes.Contains(reply, []byte(`"error"`)) {
			t.Fatalf("%.80s: %s", req, reply)
		}
	}
	reply := eng.Call([]byte(`{"method":"trace_hash","params":{}}`))
	if !bytes.Contains(reply, []byte(want)) || want == "" {
		t.Fatalf("the exported scenario (%d bytes) reaches %s at %v; the recording ended with %s", len(sc), reply, end, want)
	}
	t.Logf("exported scenario: %d bytes, %d steps; trace hash %.12s… at %v", len(sc), bytes.Count(sc, []byte(`"op":`)), want, end)
}
