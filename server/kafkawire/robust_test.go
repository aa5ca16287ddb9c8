package kafkawire

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/trace"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// raw opens a plain TCP connection to broker 1.
func raw(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addrs()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	return c
}

// request frames a request header (v1: no tagged fields) and body.
func request(key, version int16, corr int32, body []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(key))
	b = binary.BigEndian.AppendUint16(b, uint16(version))
	b = binary.BigEndian.AppendUint32(b, uint32(corr))
	b = binary.BigEndian.AppendUint16(b, 1)
	b = append(b, 'x')
	return frameOf(append(b, body...))
}

// closedByServer reports whether the server closed c (a read sees EOF).
func closedByServer(c net.Conn) bool {
	_, err := c.Read(make([]byte, 1))
	return err == io.EOF
}

// TestMalformedClients: an oversized length, an unknown API key, a body
// that does not parse and a client that disconnects mid-request each
// close only their own connection; a request the listener does not cover
// is answered UNSUPPORTED_VERSION and noted in the event log. A real
// client before and after sees its records intact.
func TestMalformedClients(t *testing.T) {
	s, e, _ := start(t, "")
	p := client(t, s, kgo.DefaultProduceTopic("safe"), kgo.AllowAutoTopicCreation(), kgo.ProducerBatchCompression(kgo.NoCompression()))
	produceN(t, p, "safe", 0, 5)

	c := raw(t, s)
	c.Write([]byte{0x7f, 0xff, 0xff, 0xff})
	if !closedByServer(c) {
		t.Error("an oversized frame length did not close the connection")
	}
	c = raw(t, s)
	c.Write(request(9999, 0, 1, nil))
	if !closedByServer(c) {
		t.Error("an unknown API key did not close the connection")
	}
	c = raw(t, s)
	c.Write(request(3, 4, 1, []byte{0, 0, 0, 9})) // Metadata v4 claiming 9 topics, carrying none
	if !closedByServer(c) {
		t.Error("a Metadata body that does not parse did not close the connection")
	}
	c = raw(t, s)
	c.Write([]byte{0, 0, 0, 100, 0, 3, 0, 4}) // 100 bytes announced, 4 sent
	c.Close()

	// DescribeAcls (key 29) is a request Kafka has and the playground does
	// not cover: UNSUPPORTED_VERSION in its response's error code.
	c = raw(t, s)
	acls := kmsg.NewPtrDescribeACLsRequest()
	acls.SetVersion(1)
	c.Write(request(29, 1, 7, acls.AppendTo(nil)))
	frame, err := ReadFrame(c, MaxFrame)
	if err != nil {
		t.Fatalf("no answer to DescribeAcls: %v", err)
	}
	if corr := int32(binary.BigEndian.Uint32(frame)); corr != 7 {
		t.Fatalf("answer with correlation id %d, want 7", corr)
	}
	resp := kmsg.NewPtrDescribeACLsResponse()
	resp.SetVersion(1)
	if err := resp.ReadFrom(frame[4:]); err != nil || resp.ErrorCode != unsupportedVersion {
		t.Fatalf("DescribeAcls answer: error code %d (%v), want UNSUPPORTED_VERSION (35)", resp.ErrorCode, err)
	}

	produceN(t, p, "safe", 5, 5)
	cons := client(t, s, kgo.ConsumeTopics("safe"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	for i, r := range consume(t, cons, 10) {
		if string(r.Value) != fmt.Sprint(i) {
			t.Fatalf("record %d is %q", i, r.Value)
		}
	}
	var logged []string
	e.Locked(func(c *cluster.Cluster) {
		c.Trace.Scan(0, func(ev *trace.Event) bool {
			if ev.Kind == "client_request_unsupported" {
				logged = append(logged, ev.Msg)
			}
			return true
		})
	})
	found := false
	for _, m := range logged {
		found = found || (len(m) > 12 && m[:12] == "DescribeACLs")
	}
	if !found {
		t.Fatalf("the event log has no line for DescribeAcls: %q", logged)
	}
}
