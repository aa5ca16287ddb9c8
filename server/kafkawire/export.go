package kafkawire

import (
	"errors"
	"time"
)

// SetSource gives the engine the scenario JSON it was built from, which
// Export starts the exported session from.
func (e *Engine) SetSource(scenarioJSON []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.source = append([]byte(nil), scenarioJSON...)
}

// Export returns the session so far as a scenario of the engine's own
// format — the source scenario with the outside connections, their
// requests and the applied commands merged in as steps, as
// ExportScenario writes a journal's — and the virtual time it has
// reached. Opened in any engine (the page's own included) and played to
// that time, it gives this run, which can then be rewound and branched.
func (e *Engine) Export() ([]byte, time.Duration, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	if e.source == nil {
		return nil, 0, errors.New("kafkawire: the engine was built without its scenario's JSON (SetSource), so it cannot export the session")
	}
	out, err := mergeSteps(e.source, e.steps)
	return out, e.c.Now(), err
}
