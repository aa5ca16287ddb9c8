package broker

import (
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// noController is the answer a broker gives per topic when the active
// controller does not answer a request it forwarded.
const noController = "the controller did not answer: is the controller quorum available?"

// forward sends an admin request (CreateTopics, CreatePartitions,
// DeleteTopics) to the active controller, as KRaft brokers do, and relays
// its answer; when none comes, failed builds the REQUEST_TIMED_OUT answer.
func forward[R any](b *Broker, from sim.NodeID, req proto.Request, body any, timeoutMs int32, failed func() R) {
	inc := b.incarnation
	b.callController(body, time.Duration(timeoutMs)*time.Millisecond, func(resp any, code proto.ErrorCode) {
		if b.down || b.incarnation != inc {
			return
		}
		out, ok := resp.(R)
		if code != proto.None || !ok {
			out = failed()
		}
		b.ep.Reply(from, req, out)
	})
}
