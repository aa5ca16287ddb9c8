package client

import (
	"strings"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
)

// TestDeliveryTimeoutRaisedOrRefused: KafkaProducer.configureDeliveryTimeout
// raises a default delivery.timeout.ms below linger.ms + request.timeout.ms
// to that sum with a WARN, and refuses one set explicitly.
func TestDeliveryTimeoutRaisedOrRefused(t *testing.T) {
	f := newFakeCluster(t, 1, 1)
	p := f.producer(t, map[string]string{"linger.ms": "5", "request.timeout.ms": "200000"})
	if p.deliveryTimeout != 200005*time.Millisecond {
		t.Errorf("delivery timeout %v; want linger.ms + request.timeout.ms = 200.005s", p.deliveryTimeout)
	}
	if f.count("config_warning") != 1 {
		t.Errorf("%d config_warning events; want the WARN once", f.count("config_warning"))
	}
	cfg, err := config.Parse(config.Producer, map[string]string{"request.timeout.ms": "200000", "delivery.timeout.ms": "120000"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewProducer(ProducerOptions{Name: "q", Config: cfg, Bootstrap: []int32{1}}, f.s, f.n, f.tr)
	if err == nil || !strings.Contains(err.Error(), "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms") {
		t.Errorf("explicit delivery.timeout.ms below the sum: err %v; want Kafka's ConfigException", err)
	}
	q := f.producer(t, map[string]string{"linger.ms": "100", "request.timeout.ms": "119900"})
	if q.deliveryTimeout != 120*time.Second || f.count("config_warning") != 1 {
		t.Errorf("delivery timeout %v, %d warnings; want the default kept without a warning", q.deliveryTimeout, f.count("config_warning"))
	}
}
