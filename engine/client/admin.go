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
	req := proto.CreateTopicsRequest{Topics: []proto.CreatableTopic{t}, TimeoutMs: 30000}
	a.call(req, t.Name, "create topic", 0, a.ep.Sim.Now()+apiTimeout, func(body any) (proto.ErrorCode, string, bool) {
		resp, ok := body.(proto.CreateTopicsResponse)
		if !ok || len(resp.Topics) == 0 {
			return 0, "", false
		}
		return resp.Topics[0].ErrorCode, resp.Topics[0].ErrorMessage, true
	}, func(attempts int) {
		a.trace.Emit(trace.Event{Kind: "create_topic_done", Node: string(names.Admin), Topic: t.Name,
			Msg: fmt.Sprintf("CreateTopics for %s succeeded after %d attempt(s)", t.Name, attempts), Data: map[string]any{"topic": t.Name, "attempts": attempts}})
	})
}

// DeleteTopic sends DeleteTopics to a broker (which forwards it to the
// controller), retrying retriable errors for up to default.api.timeout.ms,
// as Admin.deleteTopics does.
func (a *Admin) DeleteTopic(topic string) {
	a.trace.Emit(trace.Event{Kind: "delete_topic_requested", Node: string(names.Admin), Topic: topic,
		Msg: fmt.Sprintf("the admin client asks to delete topic %s (retrying retriable errors for up to %v)", topic, apiTimeout), Data: map[string]any{"topic": topic}})
	req := proto.DeleteTopicsRequest{Topics: []string{topic}, TimeoutMs: 30000}
	a.call(req, topic, "delete topic", 0, a.ep.Sim.Now()+apiTimeout, func(body any) (proto.ErrorCode, string, bool) {
		resp, ok := body.(proto.DeleteTopicsResponse)
		if !ok || len(resp.Topics) == 0 {
			return 0, "", false
		}
		return resp.Topics[0].ErrorCode, resp.Topics[0].ErrorMessage, true
	}, func(attempts int) {
		a.trace.Emit(trace.Event{Kind: "delete_topic_done", Node: string(names.Admin), Topic: topic,
			Msg: fmt.Sprintf("DeleteTopics for %s succeeded after %d attempt(s)", topic, attempts), Data: map[string]any{"topic": topic, "attempts": attempts}})
	})
}

// call sends an admin request about one topic to a broker, the next one on
// each retry, until result reads an answer that is not retriable or the
// deadline passes; done runs on success, an admin_error event says why not.
func (a *Admin) call(req any, topic, what string, attempt int, deadline time.Duration, result func(any) (proto.ErrorCode, string, bool), done func(attempts int)) {
	c := a.meta.candidates()
	id := c[attempt%len(c)]
	a.ep.Call(nodeOf(id), req, 30*time.Second, func(body any, code proto.ErrorCode) {
		rc, msg, ok := result(body)
		if ok && rc.Retriable() {
			code = rc
			ok = false
		}
		if code != proto.None || !ok {
			if a.ep.Sim.Now()+retryBackoff < deadline {
				a.ep.Sim.After(retryBackoff, func() { a.call(req, topic, what, attempt+1, deadline, result, done) })
				return
			}
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(names.Admin), Topic: topic,
				Msg: fmt.Sprintf("%s %s failed: %s", what, topic, code), Data: map[string]any{"error": code.String()}})
			return
		}
		if rc == proto.None {
			done(attempt + 1)
		} else {
			a.trace.Emit(trace.Event{Kind: "admin_error", Node: string(names.Admin), Topic: topic,
				Msg: fmt.Sprintf("%s %s failed with %s: %s", what, topic, rc, msg), Data: map[string]any{"error": rc.String()}})
		}
	})
}
