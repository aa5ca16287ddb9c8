package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
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

// NewAdmin creates the admin client.
func NewAdmin(s *sim.Sim, n *sim.Network, tr *trace.Trace, bootstrap []int32) *Admin {
	a := &Admin{trace: tr}
	a.ep = rpc.NewEndpoint(s, n, names.Admin)
	a.meta = newMetaCache(a.ep, bootstrap, &a.stopped)
	n.Register(names.Admin, func(from sim.NodeID, msg any) { a.ep.Deliver(from, msg) })
	return a
}

// apiTimeout is default.api.timeout.ms: the admin client retries retriable
// errors until it runs out.
const apiTimeout = 60 * time.Second

const retryBackoff = 100 * time.Millisecond // retry.backoff.ms

// CreateTopic sends CreateTopics to a broker (which forwards it to the
// controller), retrying retriable errors for up to default.api.timeout.ms.
func (a *Admin) CreateTopic(t proto.CreatableTopic) {
	a.trace.Emit(trace.Event{Kind: "create_topic_requested", Node: string(names.Admin), Topic: t.Name,
		Msg: fmt.Sprintf("the admin client asks for topic %s (retrying retriable errors for up to %v)", t.Name, apiTimeout), Data: map[string]any{"topic": t.Name}})
	a.createTopic(t, 0, a.ep.Sim.Now()+apiTimeout)
}

func (a *Admin) createTopic(t proto.CreatableTopic, attempt int, deadline time.Duration) {
	c := a.meta.candidates()
	id := c[attempt%len(c)]
	req := proto.CreateTopicsRequest{Topics: []proto.CreatableTopic{t}, TimeoutMs: 30000}
	a.ep.Call(nodeOf(id), req, 30*time.Second, func(body any, code proto.ErrorCode) {
		resp, ok := body.(proto.CreateTopicsResponse)
		if ok && len(resp.Topics) > 0 && resp.Topics[0].ErrorCode.Retriable() {
			code = resp.Topics[0].ErrorCode
			ok = false
		}
		if code != proto.None || !ok || len(resp.Topics) == 0 {
			if a.ep.Sim.Now()+retryBackoff < deadline {
				a.ep.Sim.After(retryBackoff, func() { a.createTopic(t, attempt+1, deadline) })
				return
			}
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(names.Admin), Topic: t.Name,
				Msg: fmt.Sprintf("create topic %s failed: %s", t.Name, code), Data: map[string]any{"error": code.String()}})
			return
		}
		r := resp.Topics[0]
		if r.ErrorCode == proto.None {
			a.trace.Emit(trace.Event{Kind: "create_topic_done", Node: string(names.Admin), Topic: t.Name,
				Msg: fmt.Sprintf("CreateTopics for %s succeeded after %d attempt(s)", t.Name, attempt+1), Data: map[string]any{"topic": t.Name, "attempts": attempt + 1}})
		} else {
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(names.Admin), Topic: t.Name,
				Msg: fmt.Sprintf("create topic %s failed with %s: %s", t.Name, r.ErrorCode, r.ErrorMessage), Data: map[string]any{"error": r.ErrorCode.String()}})
		}
	})
}
