package kafkawire

import (
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// FindCoordinator (key 10), v0–6: the broker that leads the key's
// __consumer_offsets (or __transaction_state) partition. v4+ batches keys:
// the engine answers one key per request, so each key is a request of
// its own and the answer waits for all of them.
func serveFindCoordinator(s *session, seq uint32, h header, kr kmsg.Request) {
	req := kr.(*kmsg.FindCoordinatorRequest)
	keys := req.CoordinatorKeys
	if req.Version < 4 {
		keys = []string{req.CoordinatorKey}
	}
	answers := make([]proto.FindCoordinatorResponse, len(keys))
	gather(s, len(keys), func(i int, done func(ok bool)) {
		s.x.Send(proto.FindCoordinatorRequest{Key: keys[i], KeyType: req.CoordinatorType}, func(b any, code proto.ErrorCode) {
			r, ok := b.(proto.FindCoordinatorResponse)
			answers[i] = r
			done(code == proto.None && ok)
		})
	}, func() {
		resp := req.ResponseKind().(*kmsg.FindCoordinatorResponse)
		for i, a := range answers {
			host, port := s.e.address(a.NodeID)
			if a.ErrorCode != proto.None {
				host, port = "", -1
			}
			var msg *string
			if a.ErrorMessage != "" {
				msg = kmsg.StringPtr(a.ErrorMessage)
			}
			if req.Version < 4 {
				resp.ErrorCode, resp.ErrorMessage, resp.NodeID, resp.Host, resp.Port = int16(a.ErrorCode), msg, a.NodeID, host, port
				continue
			}
			c := kmsg.NewFindCoordinatorResponseCoordinator()
			c.Key, c.NodeID, c.Host, c.Port, c.ErrorCode, c.ErrorMessage = keys[i], a.NodeID, host, port, int16(a.ErrorCode), msg
			resp.Coordinators = append(resp.Coordinators, c)
		}
		s.reply(seq, h, resp)
	})
}

// gather runs n engine requests and then finish, once every one has
// answered; a failed one (the broker reset the connection) drops the
// connection instead.
func gather(s *session, n int, start func(i int, done func(ok bool)), finish func()) {
	left, failed := n, false
	if n == 0 {
		finish()
		return
	}
	for i := 0; i < n; i++ {
		start(i, func(ok bool) {
			if failed {
				return
			}
			if !ok {
				failed = true
				s.drop()
				return
			}
			if left--; left == 0 {
				finish()
			}
		})
	}
}
