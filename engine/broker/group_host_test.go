package broker

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

func newTestBroker() *Broker {
	s := sim.New(1)
	n := sim.NewNetwork(s, sim.DefaultNetworkConfig())
	return New(Options{ID: 1, Controllers: []sim.NodeID{"controller-1"}, Config: config.Must(config.Broker, nil), Store: log.NewMemStore()}, s, n, trace.New(s.Now))
}

// TestRestartedBrokerGetsAFreshGroupHost: a broker process that restarts
// starts with empty coordinators of its new incarnation.
func TestRestartedBrokerGetsAFreshGroupHost(t *testing.T) {
	b := newTestBroker()
	if hostOf(b) == nil || hostOf(b).groups == nil {
		t.Fatal("a started broker has a group coordinator")
	}
	old := hostOf(b)
	b.Crash(false)
	b.Restart()
	if h := hostOf(b); h == nil || h == old || h.inc != b.incarnation {
		t.Fatal("a restarted broker gets a fresh host")
	}
}
