package kafkawire

import (
	"errors"
	"io"
	"net"
	"sync"
)

// outbox writes a connection's responses in request order, whatever order
// the engine answers in (a JoinGroup waits for the rebalance while a
// Metadata on the same connection is answered at once): position seq is
// written after every earlier one. put never blocks, so the engine can
// call it under its lock.
type outbox struct {
	mu     sync.Mutex
	ready  map[uint32][]byte // nil: a request without a response (acks=0)
	next   uint32
	closed bool
	signal chan struct{}
	conn   net.Conn
}

func newOutbox(conn net.Conn) *outbox {
	return &outbox{ready: map[uint32][]byte{}, signal: make(chan struct{}, 1), conn: conn}
}

func (o *outbox) put(seq uint32, b []byte) {
	o.mu.Lock()
	o.ready[seq] = b
	o.mu.Unlock()
	o.notify()
}

func (o *outbox) notify() {
	select {
	case o.signal <- struct{}{}:
	default:
	}
}

// close closes the connection (its reader then ends the session).
func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.conn.Close()
	o.notify()
}

// write writes responses as their turn comes until the connection closes.
func (o *outbox) write() {
	for range o.signal {
		for {
			o.mu.Lock()
			b, ok := o.ready[o.next]
			closed := o.closed
			if ok {
				delete(o.ready, o.next)
				o.next++
			}
			o.mu.Unlock()
			if closed {
				return
			}
			if !ok {
				break
			}
			if b == nil {
				continue
			}
			if _, err := o.conn.Write(b); err != nil {
				o.conn.Close()
				return
			}
		}
	}
}

// serveConn runs one client connection to broker id: it reads frames and
// hands them to the engine until the client goes away or the engine
// closes the connection.
func (e *Engine) serveConn(conn net.Conn, broker int32) {
	defer conn.Close()
	out := newOutbox(conn)
	s, err := e.Accept(broker, out)
	if err != nil {
		return // the broker is down: the connection is refused
	}
	go out.write()
	defer func() {
		s.Close()
		out.close()
	}()
	for seq := uint32(0); ; seq++ {
		frame, err := ReadFrame(conn, MaxFrame)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				e.logf("kafkawire: %s (%s, broker %d): %v; closing the connection", s.name, conn.RemoteAddr(), broker, err)
			}
			return
		}
		s.Request(seq, frame)
	}
}
