package kafkawire

import (
	"encoding/binary"

	"github.com/brokerlab/brokerlab/engine/cluster"
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
