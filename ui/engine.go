package ui

import (
	"encoding/json"
	"fmt"
)

// Cmd is one engine command ({"op": "produce", "topic": …}), kept as a map
// so the UI needs no copy of the engine's command type.
type Cmd map[string]any

// Op returns the command's op.
func (c Cmd) Op() string { s, _ := c["op"].(string); return s }

// EngineError is an error reply from the engine.
type EngineError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *EngineError) Error() string { return e.Message }

// engineClient turns method calls into the JSON envelope of DESIGN.md §3.
type engineClient struct {
	p Platform
	// Bytes counts reply bytes, for the figures the page publishes.
	Bytes int64
}

type envelope struct {
	Result json.RawMessage `json:"result"`
	Error  *EngineError    `json:"error"`
}

// call runs method with params and decodes the result into out (if not nil).
func (c *engineClient) call(method string, params any, out any) error {
	req, err := json.Marshal(struct {
		Method string `json:"method"`
		Params any    `json:"params"`
	}{method, params})
	if err != nil {
		return fmt.Errorf("ui: %s: %v", method, err)
	}
	raw, err := c.p.Call(req)
	if err != nil {
		return err
	}
	c.Bytes += int64(len(raw))
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("ui: %s: bad reply: %v", method, err)
	}
	if env.Error != nil {
		return env.Error
	}
	if out != nil && len(env.Result) > 0 {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return fmt.Errorf("ui: %s: bad result: %v", method, err)
		}
	}
	return nil
}
