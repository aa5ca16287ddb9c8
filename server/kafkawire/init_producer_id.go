package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// InitProducerId (key 22), v0–5: an idempotent producer's id from any
// broker, a transactional one's from its transaction coordinator.
// Simplified: the producer id and epoch of v3+ (KIP-360, recovering an
// existing producer) are not passed on; a transactional id's epoch is
// bumped by the coordinator as for a fresh initTransactions.
func serveInitProducerID(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.InitProducerIDRequest)
	body := proto.InitProducerIDRequest{TransactionalID: str(req.TransactionalID), TransactionTimeoutMs: req.TransactionTimeoutMillis}
	send(s, body, func(r proto.InitProducerIDResponse) {
		resp := req.ResponseKind().(*kmsg.InitProducerIDResponse)
		resp.ErrorCode, resp.ProducerID, resp.ProducerEpoch = int16(r.ErrorCode), r.ProducerID, r.ProducerEpoch
		s.reply(seq, h, resp)
	})
}
