//go:build wasip1

package cluster

import (
	"errors"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

// errNoClientOps is the answer of engine.wasm to a client_* step: the
// outside clients' ops are left out of it to keep the first load small
// (ops_clients.go); a session exported from server/kafkawire replays on
// the native engine (go run ./wasm/headless -native, the engine API).
var errNoClientOps = errors.New("engine.wasm leaves outside Kafka clients' ops out to stay small: replay this scenario on the native engine (go run ./wasm/headless -native FILE)")

func (c *Cluster) clientConnect(cmd scenario.Command) { c.fail(cmd, errNoClientOps) }
func (c *Cluster) clientRequest(cmd scenario.Command) { c.fail(cmd, errNoClientOps) }
func (c *Cluster) clientClose(cmd scenario.Command)   { c.fail(cmd, errNoClientOps) }
