package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/rpc"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/trace"
)

// Admin is the admin client that runs a scenario's cluster operations.
type Admin struct {
	ep      *rpc.Endpoint
	meta    *metaCache
	trace   *trace.Trace
	stopped bool
}

// AdminNode is the admin client's network name.
const AdminNode sim.NodeID = "admin"

// NewAdmin creates the admin client.
func NewAdmin(s *sim.Sim, n *sim.Network, tr *trace.Trace, bootstrap []int32) *Admin {
	a := &Admin{trace: tr}
	a.ep = rpc.NewEndpoint(s, n, AdminNode)
	a.meta = newMetaCache(a.ep, bootstrap, &a.stopped)
	n.Register(AdminNode, func(from sim.NodeID, msg any) { a.ep.Deliver(from, msg) })
	return a
}

// CreateTopic sends CreateTopics to a broker (which forwards it to the
// controller), retrying other brokers on timeouts for up to a minute.
func (a *Admin) CreateTopic(t proto.CreatableTopic) { a.createTopic(t, 0) }

func (a *Admin) createTopic(t proto.CreatableTopic, attempt int) {
	c := a.meta.candidates()
	id := c[attempt%len(c)]
	req := proto.CreateTopicsRequest{Topics: []proto.CreatableTopic{t}, TimeoutMs: 30000}
	a.ep.Call(nodeOf(id), req, 30*time.Second, func(body any, code proto.ErrorCode) {
		resp, ok := body.(proto.CreateTopicsResponse)
		if code != proto.None || !ok || len(resp.Topics) == 0 {
			if attempt < 20 {
				a.ep.Sim.After(100*time.Millisecond, func() { a.createTopic(t, attempt+1) })
				return
			}
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(AdminNode), Topic: t.Name,
				Msg: fmt.Sprintf("create topic %s failed: %s", t.Name, code), Data: map[string]any{"error": code.String()}})
			return
		}
		r := resp.Topics[0]
		if r.ErrorCode != proto.None {
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(AdminNode), Topic: t.Name,
				Msg: fmt.Sprintf("create topic %s failed with %s: %s", t.Name, r.ErrorCode, r.ErrorMessage), Data: map[string]any{"error": r.ErrorCode.String()}})
		}
	})
}
