package cluster

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/record"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// ddClientNode is the network name of the scripts' raw client.
const ddClientNode sim.NodeID = "dd-client"

// ddRequestKinds are the request kinds a script can send with "request",
// by Kafka's API name.
var ddRequestKinds = map[string]func() any{
	"Produce":                func() any { return &ddProduce{} },
	"Fetch":                  func() any { return &proto.FetchRequest{} },
	"ListOffsets":            func() any { return &proto.ListOffsetsRequest{} },
	"Metadata":               func() any { return &proto.MetadataRequest{} },
	"CreateTopics":           func() any { return &proto.CreateTopicsRequest{} },
	"DeleteTopics":           func() any { return &proto.DeleteTopicsRequest{} },
	"InitProducerId":         func() any { return &proto.InitProducerIDRequest{} },
	"FindCoordinator":        func() any { return &proto.FindCoordinatorRequest{} },
	"ConsumerGroupHeartbeat": func() any { return &proto.ConsumerGroupHeartbeatRequest{} },
	"JoinGroup":              func() any { return &proto.JoinGroupRequest{} },
	"SyncGroup":              func() any { return &proto.SyncGroupRequest{} },
	"Heartbeat":              func() any { return &proto.HeartbeatRequest{} },
	"LeaveGroup":             func() any { return &proto.LeaveGroupRequest{} },
	"OffsetCommit":           func() any { return &proto.OffsetCommitRequest{} },
	"OffsetFetch":            func() any { return &proto.OffsetFetchRequest{} },
	"AddPartitionsToTxn":     func() any { return &proto.AddPartitionsToTxnRequest{} },
	"AddOffsetsToTxn":        func() any { return &proto.AddOffsetsToTxnRequest{} },
	"EndTxn":                 func() any { return &proto.EndTxnRequest{} },
	"TxnOffsetCommit":        func() any { return &proto.TxnOffsetCommitRequest{} },
	"WriteTxnMarkers":        func() any { return &proto.WriteTxnMarkersRequest{} },
	"ShareGroupHeartbeat":    func() any { return &proto.ShareGroupHeartbeatRequest{} },
	"ShareFetch":             func() any { return &proto.ShareFetchRequest{} },
	"ShareAcknowledge":       func() any { return &proto.ShareAcknowledgeRequest{} },
}

// ddProduce is a ProduceRequest with its one batch written out: the same
// batch (values, producer id, epoch, base sequence, timestamped now) goes
// to every partition named in Topics.
type ddProduce struct {
	Acks            int16
	TimeoutMs       int32
	TransactionalID string
	Topics          []proto.TopicPartitions
	Values          []string
	ProducerID      *int64
	ProducerEpoch   int16
	BaseSequence    int32
	Transactional   bool
}

func (p *ddProduce) request(nowMs int64) proto.ProduceRequest {
	req := proto.ProduceRequest{Acks: p.Acks, TimeoutMs: p.TimeoutMs, TransactionalID: p.TransactionalID}
	for _, t := range p.Topics {
		pt := proto.ProduceTopic{Name: t.Topic}
		for _, i := range t.Partitions {
			var recs []record.Record
			for _, v := range p.Values {
				recs = append(recs, record.Record{Value: []byte(v)})
			}
			b := record.NewBatch(nowMs, recs...)
			if p.ProducerID != nil {
				b.ProducerID, b.ProducerEpoch, b.BaseSequence = *p.ProducerID, p.ProducerEpoch, p.BaseSequence
			}
			if p.Transactional {
				b.Attributes = record.MakeAttributes(record.CompressionNone, record.CreateTime, true, false)
			}
			pt.Partitions = append(pt.Partitions, proto.ProducePartition{Index: i, Batch: b})
		}
		req.Topics = append(req.Topics, pt)
	}
	return req
}

// ddRequest is the "request <Kind> to=broker-N [timeout=5s]" command: a raw
// client (network name dd-client) sends one request, the input JSON with
// the proto package's field names, and the cluster runs until the answer
// (or timeout). The output is when the answer came and the response with
// its empty fields left out (ddOmitZero), as a Kafka engineer
// would send one request with a protocol tool and read the reply. It is a
// client on the simulated network like any other, no hook into a broker.
func ddRequest(g *goldenState, c goldenCase) string {
	if len(c.pos) != 1 || ddRequestKinds[c.pos[0]] == nil {
		return "error: request <Kind> to=broker-N (kinds: Produce, Fetch, ListOffsets, …)"
	}
	to := sim.NodeID(c.args["to"])
	if !g.c.Net.Known(to) {
		return fmt.Sprintf("error: unknown node %q", to)
	}
	timeout := 5 * time.Second
	if s, ok := c.args["timeout"]; ok {
		d, err := time.ParseDuration(s)
		if err != nil {
			return "error: " + err.Error()
		}
		timeout = d
	}
	body := ddRequestKinds[c.pos[0]]()
	dec := json.NewDecoder(strings.NewReader(strings.Join(c.input, "\n")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(body); err != nil {
		return "error: " + err.Error()
	}
	var send any = reflect.ValueOf(body).Elem().Interface()
	if p, ok := body.(*ddProduce); ok {
		send = p.request(EpochMs + g.c.Now().Milliseconds())
	}
	ep := g.client()
	start := g.c.Now()
	var out string
	done := false
	ep.Call(to, send, timeout, func(resp any, code proto.ErrorCode) {
		done = true
		if code != proto.None {
			out = fmt.Sprintf("after %v: call failed: %s", (g.c.Now() - start).Round(time.Microsecond), code)
			return
		}
		v := reflect.ValueOf(resp)
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		out = fmt.Sprintf("after %v: %s%s", (g.c.Now() - start).Round(time.Microsecond), v.Type().Name(), ddFormat(v))
	})
	for !done && g.c.Sim.Step() {
	}
	if !done {
		return "error: the simulation ran out of events"
	}
	return out
}

// client is the scripts' raw client endpoint, registered on first use.
func (g *goldenState) client() *rpc.Endpoint {
	if g.rawClient == nil {
		g.rawClient = rpc.NewEndpoint(g.c.Sim, g.c.Net, ddClientNode)
		ep := g.rawClient
		g.c.Net.Register(ddClientNode, func(from sim.NodeID, msg any) { ep.Deliver(from, msg) })
	}
	return g.rawClient
}

// ddOmitZero reports whether a zero field of this kind is left out: empty
// strings, slices and maps, nil pointers and false; zero numbers (offsets,
// epochs, NONE) stay.
func ddOmitZero(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Bool:
		return true
	}
	return false
}

// ddFormat prints v as {Field:value ...} with empty fields left out
// (ddOmitZero), pointers followed, strings and byte slices quoted, record
// batches as their offsets and values.
func ddFormat(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return "nil"
		}
		if b, ok := v.Interface().(*record.Batch); ok {
			return ddBatch(b)
		}
		return ddFormat(v.Elem())
	case reflect.Struct:
		var parts []string
		for i := 0; i < v.NumField(); i++ {
			f, ft := v.Field(i), v.Type().Field(i)
			if !ft.IsExported() || (f.IsZero() && ddOmitZero(f.Kind())) {
				continue
			}
			parts = append(parts, ft.Name+":"+ddFormat(f))
		}
		return "{" + strings.Join(parts, " ") + "}"
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return fmt.Sprintf("%q", v.Bytes())
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = ddFormat(v.Index(i))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case reflect.Map:
		keys := v.MapKeys()
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = ddFormat(k) + ":" + ddFormat(v.MapIndex(k))
		}
		sort.Strings(parts)
		return "map[" + strings.Join(parts, " ") + "]"
	}
	if v.Kind() == reflect.String {
		return fmt.Sprintf("%q", v.String())
	}
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprint(v.Interface())
}

// ddBatch is a record batch as its offsets, leader epoch, producer id and
// epoch (when set), and its values, or COMMIT/ABORT for a transaction marker.
func ddBatch(b *record.Batch) string {
	out := fmt.Sprintf("Batch{offsets:%d-%d epoch:%d", b.BaseOffset, b.LastOffset(), b.PartitionLeaderEpoch)
	if b.ProducerID >= 0 {
		out += fmt.Sprintf(" producer:%d/%d", b.ProducerID, b.ProducerEpoch)
	}
	switch {
	case b.IsControl() && broker.IsCommitMarker(b):
		return out + " marker:COMMIT}"
	case b.IsControl():
		return out + " marker:ABORT}"
	case b.IsTransactional():
		out += " transactional"
	}
	var vals []string
	for _, r := range b.Records {
		vals = append(vals, string(r.Value))
	}
	return out + fmt.Sprintf(" values:%v}", vals)
}
