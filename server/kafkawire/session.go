package kafkawire

import (
	"encoding/binary"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// session is one client connection as the engine sees it: the outside
// connection to its broker and where its responses go (nil when
// replaying a journal).
type session struct {
	e      *Engine
	name   string
	broker int32
	x      *cluster.ExternalConn
	out    *outbox
}

// reply encodes resp for the request h and queues it at position seq.
func (s *session) reply(seq uint32, h header, resp kmsg.Response) {
	if s.out == nil {
		return
	}
	buf := make([]byte, 8, 64)
	if resp.IsFlexible() && h.key != 18 { // ApiVersions answers with header v0 always
		buf = append(buf, 0) // no tagged fields
	}
	buf = resp.AppendTo(buf)
	binary.BigEndian.PutUint32(buf[0:], uint32(len(buf)-4))
	binary.BigEndian.PutUint32(buf[4:], uint32(h.correlation))
	s.out.put(seq, buf)
}

// noReply marks position seq as answered by nothing (acks=0).
func (s *session) noReply(seq uint32) {
	if s.out != nil {
		s.out.put(seq, nil)
	}
}

// send sends body to the broker and hands its answer, of the response type
// T, to then; an answer the engine could not give (a code of its own, or
// another type) closes the connection, as drop does.
func send[T any](s *session, body any, then func(T)) {
	s.x.Send(body, func(b any, code proto.ErrorCode) {
		r, ok := b.(T)
		if code != proto.None || !ok {
			s.drop()
			return
		}
		then(r)
	})
}

// drop closes the connection: Kafka's answer to a request it cannot parse.
func (s *session) drop() {
	if s.out != nil {
		s.out.close()
	}
}

// reset is the broker's process dying under the connection.
func (s *session) reset() {
	delete(s.e.sessions, s.name)
	s.drop()
}
