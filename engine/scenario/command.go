package scenario

import (
	"sort"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract/jsonwire"
)

// Command is one op, from a scenario step or an apply request.
type Command struct {
	At *time.Duration `json:"-"`
	Op string         `json:"op"`

	Topic             string            `json:"topic,omitempty"`
	Topics            []string          `json:"topics,omitempty"`
	Partitions        *int              `json:"partitions,omitempty"`
	Partition         *int              `json:"partition,omitempty"`
	ReplicationFactor *int              `json:"replication_factor,omitempty"`
	Configs           map[string]string `json:"configs,omitempty"`

	Producer string            `json:"producer,omitempty"`
	Consumer string            `json:"consumer,omitempty"`
	Key      *string           `json:"key,omitempty"`
	Value    *string           `json:"value,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
	Count    *int              `json:"count,omitempty"`
	Rate     *Rate             `json:"rate,omitempty"`

	Broker     *int       `json:"broker,omitempty"`
	Controller *int       `json:"controller,omitempty"`
	Mode       string     `json:"mode,omitempty"`
	Node       string     `json:"node,omitempty"`
	Groups     [][]string `json:"groups,omitempty"`
	Isolate    []string   `json:"isolate,omitempty"`
	From       string     `json:"from,omitempty"`
	To         string     `json:"to,omitempty"`
	Delay      *Duration  `json:"delay,omitempty"`
	Drop       *float64   `json:"drop,omitempty"`
	Note       string     `json:"note,omitempty"`

	// Consumer groups, offsets, timestamps.
	Group      string    `json:"group,omitempty"`
	Process    *Duration `json:"process,omitempty"`     // simulated processing time per record
	MaxRecords *int      `json:"max_records,omitempty"` // per poll
	Offset     *int64    `json:"offset,omitempty"`
	Commit     string    `json:"commit,omitempty"`     // commit strategy or "sync"/"async"
	OnRevoked  string    `json:"on_revoked,omitempty"` // rebalance listener action, e.g. "commit"
	Timestamp  *int64    `json:"timestamp,omitempty"`

	// Share consumers (ops_share.go): a value the application cannot
	// process and what it does with it.
	Poison   string `json:"poison,omitempty"`
	OnPoison string `json:"on_poison,omitempty"`
	// Renew: the application renews its acquisition locks while it works
	// (RENEW, KIP-1222; explicit mode).
	Renew bool `json:"renew,omitempty"`

	// Finalized features (update_features): a feature name and its level.
	Feature string `json:"feature,omitempty"`
	Level   *int   `json:"level,omitempty"`

	// Disk faults: a broker's file (relative to its folder) and a size in bytes.
	File string `json:"file,omitempty"`
	Size *int64 `json:"size,omitempty"`

	// An outside client's request (client_request): its API and the
	// engine's request as JSON (ops_clients.go).
	API     string              `json:"api,omitempty"`
	Request jsonwire.RawMessage `json:"request,omitempty"`

	// NullKey / NullValue record an explicit JSON null (a tombstone value).
	NullKey   bool `json:"-"`
	NullValue bool `json:"-"`
}

// ParseCommand decodes and statically validates one command object.
func ParseCommand(data []byte) (Command, error) {
	var fields map[string]jsonwire.RawMessage
	if err := jsonwire.Unmarshal(data, &fields); err != nil {
		return Command{}, errorf("a step must be a JSON object: %v", cleanJSONError(err))
	}
	var op string
	if raw, ok := fields["op"]; !ok {
		return Command{}, errorf("missing \"op\" (one of %s)", strings.Join(Ops(), ", "))
	} else if err := jsonwire.Unmarshal(raw, &op); err != nil {
		return Command{}, errorf("\"op\" must be a string")
	}
	spec, ok := ops[op]
	if !ok {
		return Command{}, errorf("unknown op %q (known: %s)", op, strings.Join(Ops(), ", "))
	}
	allowed := map[string]bool{"op": true, "at": true}
	for _, f := range spec.allowed {
		allowed[f] = true
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !allowed[k] {
			return Command{}, errorf("%s: unknown field %q (allowed: %s)", op, k, strings.Join(spec.allowed, ", "))
		}
	}
	for _, r := range spec.required {
		if _, ok := fields[r]; !ok {
			return Command{}, errorf("%s: missing required field %q", op, r)
		}
	}
	var c Command
	if raw, ok := fields["at"]; ok {
		var d Duration
		if err := d.UnmarshalWire(raw); err != nil {
			return Command{}, errorf("%s: at: %v", op, err)
		}
		if d < 0 {
			return Command{}, errorf("%s: at must not be negative", op)
		}
		at := time.Duration(d)
		c.At = &at
	}
	delete(fields, "at")
	rest, _ := jsonwire.Marshal(fields)
	if err := strictDecode(rest, &c); err != nil {
		return Command{}, errorf("%s: %v", op, err)
	}
	c.NullKey = string(fields["key"]) == "null" || fields["key"] == nil
	c.NullValue = string(fields["value"]) == "null"
	if err := c.validate(); err != nil {
		return Command{}, errorf("%s: %v", op, err)
	}
	return c, nil
}

// validate checks what needs no engine state: first what every op shares,
// then the op's own validate (see ops).
func (c *Command) validate() error {
	pos := func(name string, v *int, min int) error {
		if v != nil && *v < min {
			return errorf("%s must be at least %d, got %d", name, min, *v)
		}
		return nil
	}
	for _, e := range []error{pos("partitions", c.Partitions, 1), pos("replication_factor", c.ReplicationFactor, 1),
		pos("partition", c.Partition, 0), pos("count", c.Count, 1), pos("broker", c.Broker, 1)} {
		if e != nil {
			return e
		}
	}
	if c.Count != nil && *c.Count > 1_000_000 {
		return errorf("count %d is too large (at most 1000000 per step)", *c.Count)
	}
	if c.Drop != nil && (*c.Drop < 0 || *c.Drop > 1) {
		return errorf("drop must be between 0 and 1")
	}
	if c.Delay != nil && *c.Delay < 0 {
		return errorf("delay must not be negative")
	}
	for _, tpl := range []*string{c.Key, c.Value} {
		if tpl != nil {
			if _, err := Expand(*tpl, 0); err != nil {
				return err
			}
		}
	}
	if f := ops[c.Op].validate; f != nil {
		return f(c)
	}
	return nil
}

func validateNetworkPartition(c *Command) error {
	if len(c.Groups) == 0 && len(c.Isolate) == 0 {
		return errorf("give \"groups\" (lists of nodes that can still talk) or \"isolate\" (nodes to cut off)")
	}
	return nil
}

func validateBrokerCrash(c *Command) error {
	if c.Mode != "" && c.Mode != "process" && c.Mode != "power" {
		return errorf("mode must be \"process\" (kill -9: the page cache survives) or \"power\" (power loss: unflushed data is lost), got %q", c.Mode)
	}
	return nil
}
