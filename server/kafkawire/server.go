package kafkawire

import (
	"fmt"
	"net"
	"strconv"
	"sync"
)

// Server is the Kafka listeners of an engine: one loopback TCP port per
// simulated broker, as a real cluster has one address per broker.
type Server struct {
	e     *Engine
	lns   []net.Listener
	stop  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
	conns sync.Map // net.Conn → struct{}: closed by Close
}

// Listen opens broker 1's listener on addr and broker N's on the port
// N-1 above it (9092, 9093, 9094…); port 0 gives every broker a free
// port. The host must be a loopback address.
func Listen(e *Engine, addr string) (*Server, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("kafkawire: %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("kafkawire: %q is not a loopback address", addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("kafkawire: port %q: %w", portStr, err)
	}
	s := &Server{e: e, stop: make(chan struct{})}
	addrs := map[int32]hostPort{}
	for i := range e.c.Brokers {
		id := int32(i + 1)
		p := 0
		if port != 0 {
			p = port + i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			s.closeListeners()
			return nil, fmt.Errorf("kafkawire: broker %d: %w", id, err)
		}
		s.lns = append(s.lns, ln)
		a := ln.Addr().(*net.TCPAddr)
		addrs[id] = hostPort{host: host, port: int32(a.Port)}
	}
	e.mu.Lock()
	e.addrs = addrs
	e.mu.Unlock()
	return s, nil
}

// Addrs are the brokers' listener addresses, broker 1 first.
func (s *Server) Addrs() []string {
	var out []string
	for _, ln := range s.lns {
		out = append(out, ln.Addr().String())
	}
	return out
}

// Serve runs the driver and accepts connections until Close.
func (s *Server) Serve() {
	s.wg.Add(1)
	go func() { defer s.wg.Done(); s.e.Drive(s.stop) }()
	for i, ln := range s.lns {
		s.wg.Add(1)
		go func(ln net.Listener, id int32) {
			defer s.wg.Done()
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				s.conns.Store(conn, struct{}{})
				s.wg.Add(1)
				go func() {
					defer s.wg.Done()
					defer s.conns.Delete(conn)
					s.e.serveConn(conn, id)
				}()
			}
		}(ln, int32(i+1))
	}
}

// Close stops the listeners, the connections and the driver, and waits
// for them. Closing again does nothing.
func (s *Server) Close() {
	s.once.Do(s.close)
}

func (s *Server) close() {
	close(s.stop)
	s.closeListeners()
	s.conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
	s.wg.Wait()
}

func (s *Server) closeListeners() {
	for _, ln := range s.lns {
		ln.Close()
	}
}

// DefaultScenario is the cluster `-kafka` starts without a scenario: three
// brokers and one KRaft controller with Kafka's broker defaults, and
// auto.create.topics.enable=true as a fresh Kafka has it. One exception:
// transaction.version=1. The engine runs one transaction protocol for
// the whole cluster, where Kafka 4 picks it per client from the EndTxn
// version; the listener speaks the version-1 requests (ApiVersions
// advertises no transaction.version feature), and a version-1 client on
// an engine running version 2 is fenced after its first transaction.
const DefaultScenario = `{"seed": 1, "cluster": {"brokers": 3, "controllers": 1, "configs": {"auto.create.topics.enable": "true", "transaction.version": "1"}}}`
