package names

import (
	"strconv"
	"strings"
)

// NodeID names a node on the simulated network ("broker-1", "producer-p1", …).
type NodeID string

// Admin is the admin client's network name.
const Admin NodeID = "admin"

// Broker is the network name of broker id, "broker-1".
func Broker(id int32) NodeID {
	if id >= 0 && int(id) < len(brokers) {
		return brokers[id]
	}
	return brokerName(id)
}

// brokers are the names of the usual broker ids, made once and never
// changed: the fetch path asks for them on every response.
var brokers = func() (out [32]NodeID) {
	for i := range out {
		out[i] = brokerName(int32(i))
	}
	return out
}()

func brokerName(id int32) NodeID { return NodeID("broker-" + strconv.FormatInt(int64(id), 10)) }

// Controller is the network name of KRaft controller id, "controller-1".
func Controller(id int32) NodeID { return NodeID("controller-" + strconv.FormatInt(int64(id), 10)) }

// Producer is the network name of the producer called name, "producer-p1".
func Producer(name string) NodeID { return NodeID("producer-" + name) }

// Consumer is the network name of the consumer called name, "consumer-c1".
func Consumer(name string) NodeID { return NodeID("consumer-" + name) }

// BrokerID reads a broker's network name back: "broker-3" is 3. ok is false
// for any other name, and for a number not written as Broker writes it
// ("broker-03").
func BrokerID(n string) (id int, ok bool) { return idAfter(n, "broker-") }

// ControllerID reads a controller's network name back: "controller-1" is 1.
func ControllerID(n string) (id int, ok bool) { return idAfter(n, "controller-") }

func idAfter(n, prefix string) (int, bool) {
	rest, found := strings.CutPrefix(n, prefix)
	if !found {
		return 0, false
	}
	id, err := strconv.Atoi(rest)
	return id, err == nil && strconv.Itoa(id) == rest
}
