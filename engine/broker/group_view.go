package broker

import "github.com/brokerlab/brokerlab/engine/group/coordinator"

// GroupCoordinator is the broker's group coordinator (nil while the broker
// is down). It holds only the groups of the __consumer_offsets partitions
// it led when a request last reached it.
func (b *Broker) GroupCoordinator() *coordinator.Coordinator {
	if h := hostOf(b); h != nil && !b.down && h.inc == b.incarnation {
		return h.groups
	}
	return nil
}

// TxnCoordinator is the broker's transaction coordinator (nil while down).
func (b *Broker) TxnCoordinator() *coordinator.TxnCoordinator {
	if h := hostOf(b); h != nil && !b.down && h.inc == b.incarnation {
		return h.txns
	}
	return nil
}
