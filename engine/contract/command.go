package contract

import "encoding/json"

// Command is one engine command as an apply request carries it: the
// engine's scenario.Command on the wire (engine/scenario's
// TestContractCommand holds the two to the same fields), for callers that
// build commands without the engine (the page). Pointers tell a field left
// out from a zero; rates and durations are strings ("100/s", "200ms");
// Tombstone sends the value as JSON null.
type Command struct {
	At string `json:"at,omitempty"`
	Op string `json:"op"`

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
	Rate     string            `json:"rate,omitempty"`

	Broker     *int       `json:"broker,omitempty"`
	Controller *int       `json:"controller,omitempty"`
	Mode       string     `json:"mode,omitempty"`
	Node       string     `json:"node,omitempty"`
	Groups     [][]string `json:"groups,omitempty"`
	Isolate    []string   `json:"isolate,omitempty"`
	From       string     `json:"from,omitempty"`
	To         string     `json:"to,omitempty"`
	Delay      string     `json:"delay,omitempty"`
	Drop       *float64   `json:"drop,omitempty"`
	Note       string     `json:"note,omitempty"`

	Group      string `json:"group,omitempty"`
	Process    string `json:"process,omitempty"`
	MaxRecords *int   `json:"max_records,omitempty"`
	Offset     *int64 `json:"offset,omitempty"`
	Commit     string `json:"commit,omitempty"`
	OnRevoked  string `json:"on_revoked,omitempty"`
	Timestamp  *int64 `json:"timestamp,omitempty"`

	// Share consumers (share_consumer_start): a record value the
	// application cannot process, and "reject" or "release".
	Poison   string `json:"poison,omitempty"`
	OnPoison string `json:"on_poison,omitempty"`
	Renew    bool   `json:"renew,omitempty"`

	File string `json:"file,omitempty"`
	Size *int64 `json:"size,omitempty"`

	// An outside Kafka client's request (client_request): its API and the
	// engine's request as JSON, as server/kafkawire exports a session.
	API     string          `json:"api,omitempty"`
	Request json.RawMessage `json:"request,omitempty"`

	// Cluster features (update_features): a feature's name and level.
	Feature string `json:"feature,omitempty"`
	Level   *int   `json:"level,omitempty"`

	// Tombstone sends "value": null, a record without a value (Value is
	// ignored then).
	Tombstone bool `json:"-"`
}

// command is Command without its MarshalJSON.
type command Command

// tombstone is a command whose value is JSON null: its own "value" field
// hides the embedded one.
type tombstone struct {
	command
	Value json.RawMessage `json:"value"`
}

// MarshalJSON writes the command, with "value": null for a tombstone.
func (c Command) MarshalJSON() ([]byte, error) {
	if !c.Tombstone {
		return json.Marshal(command(c))
	}
	return json.Marshal(tombstone{command(c), json.RawMessage("null")})
}

// Ptr is a pointer to v, for a command's optional fields.
func Ptr[T any](v T) *T { return &v }
