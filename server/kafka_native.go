//go:build !(js && wasm)

package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/brokerlab/brokerlab/engine/scenario"
	"github.com/brokerlab/brokerlab/server/kafkawire"
)

// kafkaOptions are the -kafka flags: the listener of broker 1 (the others
// follow on the next ports), a scenario to start from, the speed of the
// virtual clock and a journal to record the session into.
type kafkaOptions struct {
	addr, scenario, journal string
	speed                   float64
}

// startKafka runs the simulated cluster behind Kafka listeners (package
// kafkawire) and returns its remote engine API (served at /engine) and
// what stops it.
func startKafka(o kafkaOptions) (engine http.Handler, stop func(), err error) {
	js := []byte(kafkawire.DefaultScenario)
	if o.scenario != "" {
		if js, err = os.ReadFile(o.scenario); err != nil {
			return nil, nil, fmt.Errorf("server: -scenario: %w", err)
		}
	}
	sc, err := scenario.Parse(js)
	if err != nil {
		return nil, nil, fmt.Errorf("server: scenario: %w", err)
	}
	if o.speed <= 0 {
		return nil, nil, fmt.Errorf("server: -speed must be above 0, got %v", o.speed)
	}
	e, err := kafkawire.NewEngine(sc, log.Printf)
	if err != nil {
		return nil, nil, err
	}
	e.SetSpeed(o.speed)
	e.SetSource(js)
	var journal *os.File
	if o.journal != "" {
		if journal, err = os.Create(o.journal); err != nil {
			return nil, nil, fmt.Errorf("server: -journal: %w", err)
		}
		if err := e.Record(journal, js); err != nil {
			return nil, nil, fmt.Errorf("server: -journal: %w", err)
		}
	}
	srv, err := kafkawire.Listen(e, o.addr)
	if err != nil {
		return nil, nil, err
	}
	srv.Serve()
	for i, a := range srv.Addrs() {
		fmt.Printf("Kafka broker %d: %s\n", i+1, a)
	}
	return e.Handler(), func() {
		srv.Close()
		if journal != nil {
			e.End()
			journal.Close()
		}
	}, nil
}

// replayJournal plays a -journal file headless and prints the trace hash
// it reaches (the same as the recorded session's: Replay checks the hash
// the recording ended with). With export, it also writes the session as a
// scenario of the engine's own format (kafkawire.ExportScenario).
func replayJournal(path, export string) error {
	if export != "" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("server: -replay: %w", err)
		}
		sc, end, err := kafkawire.ExportScenario(f)
		f.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(export, sc, 0o644); err != nil {
			return fmt.Errorf("server: -export: %w", err)
		}
		fmt.Printf("wrote %s: the session as a scenario; advanced to %v it reaches the recording's trace hash\n", export, end)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("server: -replay: %w", err)
	}
	defer f.Close()
	c, err := kafkawire.Replay(f, 0)
	if err != nil {
		return err
	}
	fmt.Printf("replayed %s to %v: %d events, trace hash %s\n", path, c.Now(), c.Trace.Count(), c.Trace.Hash())
	return nil
}
