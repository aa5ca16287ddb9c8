//go:build wasip1

package broker

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// serveOutside: engine.wasm has no outside clients, so no one sends it
// the requests outside.go answers (see there).
func (b *Broker) serveOutside(sim.NodeID, proto.Request) {}

// autoCreateTopic: only outside clients' Metadata requests allow
// auto-creation (auto_create.go), and engine.wasm has none.
func (b *Broker) autoCreateTopic(string, bool) proto.ErrorCode { return proto.UnknownTopicOrPartition }
