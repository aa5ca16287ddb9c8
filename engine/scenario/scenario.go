// Package scenario parses and validates the one JSON shape that lessons,
// tests, share links and the headless runner use: a seed, a cluster, and
// timed steps whose ops are the engine's commands. Every error names the
// step and what is wrong with it. The ops table (ops.go) lists every op
// with its fields, its checks and what it declares.
package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
)

// Scenario is a parsed scenario.
type Scenario struct {
	Seed    uint64
	Cluster Cluster
	Steps   []Command
	// End is the time of the "end" step, or the last step + DefaultTail.
	End time.Duration
}

// DefaultTail is how long a scenario without an "end" step runs past its last step.
const DefaultTail = 5 * time.Second

// Cluster describes the cluster to build.
type Cluster struct {
	Brokers     int `json:"brokers"`
	Controllers int `json:"controllers"`
	// ControllerMode is "dedicated" (controllers on their own nodes, the
	// default) or "combined" (controller N runs inside broker N's process).
	ControllerMode string            `json:"controller_mode"`
	Racks          []string          `json:"racks"`
	Configs        map[string]string `json:"configs"`
	Network        struct {
		Latency Duration `json:"latency"`
		Jitter  Duration `json:"jitter"`
	} `json:"network"`
	// OSWriteback models the kernel writing dirty pages back after this age
	// ("30s" is Linux's default); "0s" keeps everything in the page cache.
	OSWriteback *Duration `json:"os_writeback"`
	Storage     string    `json:"storage"` // "memory" (default) or "files"
	// Features are finalized feature levels the cluster is formatted with,
	// e.g. {"eligible.leader.replicas.version": 0} for a Kafka 4.0 cluster
	// (ops_features.go); a feature not given has its Kafka 4.3 default.
	Features map[string]int `json:"features,omitempty"`
}

type rawScenario struct {
	Seed    *jsonwire.Number      `json:"seed"`
	Cluster *Cluster              `json:"cluster"`
	Steps   []jsonwire.RawMessage `json:"steps"`
	Title   string                `json:"title"`
}

// Parse reads a scenario; errors look like "step 3: produce: unknown producer \"p9\"".
func Parse(data []byte) (*Scenario, error) {
	var raw rawScenario
	if err := strictDecode(data, &raw); err != nil {
		return nil, errorf("scenario: %v", err)
	}
	s := &Scenario{}
	if raw.Seed != nil {
		seed, err := strconv.ParseUint(raw.Seed.String(), 10, 64)
		if err != nil {
			return nil, errorf("scenario: seed %s is not a non-negative integer", raw.Seed)
		}
		s.Seed = seed
	}
	if raw.Cluster == nil {
		return nil, errorf("scenario: missing \"cluster\" (e.g. {\"brokers\": 3})")
	}
	s.Cluster = *raw.Cluster
	if err := s.Cluster.validate(); err != nil {
		return nil, errorf("scenario: cluster: %v", err)
	}
	if err := s.Cluster.checkConfigs(); err != nil {
		return nil, errorf("scenario: cluster: configs: %v", err)
	}
	st := NewState(s.Cluster)
	var last time.Duration
	for i, rs := range raw.Steps {
		c, err := ParseCommand(rs)
		if err != nil {
			return nil, errorf("scenario: step %d: %v", i+1, err)
		}
		if c.At == nil {
			return nil, errorf("scenario: step %d: %s: missing \"at\" (a time such as \"1.5s\")", i+1, c.Op)
		}
		if *c.At < last {
			return nil, errorf("scenario: step %d: %s: at %v is before the previous step (%v); steps must be in time order", i+1, c.Op, *c.At, last)
		}
		last = *c.At
		if err := st.Check(c); err != nil {
			return nil, errorf("scenario: step %d: %s: %v", i+1, c.Op, err)
		}
		if err := checkFileConfigs(c); err != nil {
			return nil, errorf("scenario: step %d: %s: %v", i+1, c.Op, err)
		}
		st.Note(c)
		if c.Op == "end" {
			s.End = *c.At
		}
		s.Steps = append(s.Steps, c)
	}
	if s.End == 0 {
		s.End = last + DefaultTail
	}
	return s, nil
}

func (c *Cluster) validate() error {
	if c.Brokers < 1 || c.Brokers > 9 {
		return errorf("brokers must be between 1 and 9, got %d", c.Brokers)
	}
	if c.Controllers == 0 {
		c.Controllers = 1
	}
	if c.Controllers != 1 && c.Controllers != 3 && c.Controllers != 5 {
		return errorf("controllers must be 1, 3 or 5 KRaft voters (an odd number: a majority must survive), got %d", c.Controllers)
	}
	switch c.ControllerMode {
	case "":
		c.ControllerMode = "dedicated"
	case "dedicated":
	case "combined":
		if c.Controllers > c.Brokers {
			return errorf("combined mode runs each controller inside a broker: %d controllers need at least %d brokers", c.Controllers, c.Controllers)
		}
	default:
		return errorf("controller_mode must be \"dedicated\" or \"combined\", got %q", c.ControllerMode)
	}
	if len(c.Racks) != 0 && len(c.Racks) != c.Brokers {
		return errorf("racks: give one rack per broker (%d), got %d", c.Brokers, len(c.Racks))
	}
	switch c.Storage {
	case "":
		c.Storage = "memory"
	case "memory", "files":
	default:
		return errorf("storage must be \"memory\" or \"files\", got %q", c.Storage)
	}
	if c.Network.Latency < 0 || c.Network.Jitter < 0 {
		return errorf("network latency and jitter must not be negative")
	}
	if c.OSWriteback != nil && *c.OSWriteback < 0 {
		return errorf("os_writeback must not be negative")
	}
	return c.validateFeatures()
}

// DecodeStrict decodes one JSON value, refusing unknown fields and trailing
// data, with errors that name the field and the expected type.
func DecodeStrict(data []byte, v any) error { return strictDecode(data, v) }

func strictDecode(data []byte, v any) error {
	dec := jsonwire.NewDecoder(data)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return cleanJSONError(err)
	}
	if dec.More() {
		return errorf("unexpected data after the JSON value")
	}
	return nil
}

func cleanJSONError(err error) error {
	var te *jsonwire.UnmarshalTypeError
	if ok := asType(err, &te); ok {
		field := te.Field
		if field == "" {
			field = "value"
		}
		return errorf("field %q: expected %s, got JSON %s", field, goTypeName(te.Type.String()), te.Value)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return errorf("%s", msg)
}

func goTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case t == "string", t == "scenario.Duration", t == "scenario.Rate":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "struct"), strings.HasPrefix(t, "scenario."):
		return "an object"
	case t == "bool", t == "*bool":
		return "true or false"
	}
	return t
}

func asType(err error, target **jsonwire.UnmarshalTypeError) bool {
	te, ok := err.(*jsonwire.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

// Duration is a JSON string like "1.5s" or "250ms".
type Duration time.Duration

// UnmarshalJSON is UnmarshalWire, for encoding/json.
func (d *Duration) UnmarshalJSON(b []byte) error { return d.UnmarshalWire(b) }

// UnmarshalWire parses a Go duration string (jsonwire's Unmarshaler).
func (d *Duration) UnmarshalWire(b []byte) error {
	var s string
	if err := jsonwire.Unmarshal(b, &s); err != nil {
		return errorf("a duration must be a string such as \"1.5s\", got %s", string(b))
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return errorf("bad duration %q (use e.g. \"250ms\", \"1.5s\", \"2m\")", s)
	}
	*d = Duration(v)
	return nil
}

// Rate is a JSON string like "500/s".
type Rate float64 // per second

// UnmarshalJSON is UnmarshalWire, for encoding/json.
func (r *Rate) UnmarshalJSON(b []byte) error { return r.UnmarshalWire(b) }

// UnmarshalWire parses "N/s", "N/ms" or "N/min" (jsonwire's Unmarshaler).
func (r *Rate) UnmarshalWire(b []byte) error {
	var s string
	if err := jsonwire.Unmarshal(b, &s); err != nil {
		return errorf("a rate must be a string such as \"500/s\", got %s", string(b))
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || n <= 0 {
		return errorf("bad rate %q (use e.g. \"500/s\")", s)
	}
	switch strings.TrimSpace(unit) {
	case "s":
	case "ms":
		n *= 1000
	case "min":
		n /= 60
	default:
		return errorf("bad rate unit in %q (use /s, /ms or /min)", s)
	}
	*r = Rate(n)
	return nil
}

// errorf is fmt.Errorf kept out of line: inlined at each of this package's
// ~80 error sites it cost ~3 KB brotli of engine.wasm.
//
//go:noinline
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
