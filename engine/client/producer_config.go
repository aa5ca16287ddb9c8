package client

import (
	"fmt"
	"math"
	"time"

	"github.com/brokerlab/brokerlab/engine/config"
)

// configureDeliveryTimeout is KafkaProducer.configureDeliveryTimeout:
// delivery.timeout.ms must be at least linger.ms + request.timeout.ms. Set
// explicitly too low, it is a ConfigException; left at its default, Kafka
// raises it to that sum (at most Integer.MAX_VALUE ms) with a WARN, which
// raised reports (NewProducer emits it as config_warning).
func (p *Producer) configureDeliveryTimeout(c config.Values) (raised bool, err error) {
	need := min(p.linger+p.requestTimeout, math.MaxInt32*time.Millisecond)
	if p.deliveryTimeout >= need {
		return false, nil
	}
	if c.IsSet("delivery.timeout.ms") {
		return false, fmt.Errorf("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms (ConfigException)")
	}
	p.deliveryTimeout = need
	return true, nil
}
