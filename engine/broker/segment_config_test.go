package broker

import (
	"testing"

	"github.com/brokerlab/brokerlab/engine/config"
	"github.com/brokerlab/brokerlab/engine/log"
	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// The segment size a replica's log rolls at: LogConfig.segmentSize() is
// internal.segment.bytes when a topic sets it, else segment.bytes, whose
// cluster default is the broker's log.segment.bytes.
func TestSegmentSize(t *testing.T) {
	for _, c := range []struct {
		broker, topic map[string]string
		want          int
	}{
		{nil, nil, 1073741824},
		{map[string]string{"log.segment.bytes": "2097152"}, nil, 2097152},
		{map[string]string{"log.segment.bytes": "2097152"}, map[string]string{"segment.bytes": "3145728"}, 3145728},
		{map[string]string{"log.segment.bytes": "2097152"}, map[string]string{"internal.segment.bytes": "1024"}, 1024},
		{nil, map[string]string{"segment.bytes": "3145728", "internal.segment.bytes": "600"}, 600},
		// Kafka puts no floor on it; ≤ 1 rolls before every batch, as 1 does.
		{nil, map[string]string{"internal.segment.bytes": "-5"}, 1},
	} {
		s := sim.New(1)
		b := New(Options{ID: 1, Controllers: []sim.NodeID{"controller-1"}, Config: config.Must(config.Broker, c.broker), Store: log.NewMemStore()}, s, sim.NewNetwork(s, sim.DefaultNetworkConfig()), trace.New(s.Now))
		got := logConfig(b.topicConfig(&metadata.Topic{Name: "t", Configs: c.topic}), 0).SegmentBytes
		if got != c.want {
			t.Errorf("broker %v, topic %v: segment size %d, want %d", c.broker, c.topic, got, c.want)
		}
	}
}
