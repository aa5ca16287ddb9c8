package cluster

import (
	"maps"
	"sort"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
	"github.com/brokerlab/brokerlab/engine/view"
)

// What each outside connection asked for and what it got (the snapshot's
// Outside list). The counts are taken where the engine hands answers
// back, so a replayed session (the client_* ops) counts the same.

type externalStats struct {
	requests      map[string]int64
	produced      map[string]int64
	producedEpoch map[string]int32
	fetched       map[string]int64
	errors        map[string]int64
	reset         bool
}

// countRequest notes a request about to go out.
func (x *ExternalConn) countRequest(body any) {
	if x.stats.requests == nil {
		x.stats.requests = map[string]int64{}
	}
	x.stats.requests[externalAPI(body)]++
}

// countAnswer notes the answer to req: records acknowledged or fetched,
// and the error codes in it.
func (x *ExternalConn) countAnswer(req, resp any, code proto.ErrorCode) {
	st := &x.stats
	if code != proto.None {
		st.addError(code)
		return
	}
	if r := peek[proto.ProduceResponse](resp); r != nil {
		in, _ := req.(proto.ProduceRequest)
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				if p.ErrorCode != proto.None {
					st.addError(p.ErrorCode)
					continue
				}
				tp := names.TopicPartition{Topic: t.Name, Partition: p.Index}
				st.produced = addCount(st.produced, tp.String(), int64(batchRecords(in, tp)))
				if st.producedEpoch == nil {
					st.producedEpoch = map[string]int32{}
				}
				if b := x.c.Broker(int(x.brokerID)); b != nil {
					if rep := b.Replica(tp); rep != nil {
						st.producedEpoch[tp.String()] = rep.LeaderEpoch
					}
				}
			}
		}
		return
	}
	if r := peek[proto.FetchResponse](resp); r != nil {
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				if p.ErrorCode != proto.None {
					st.addError(p.ErrorCode)
					continue
				}
				n := 0
				for _, b := range p.Batches {
					if !b.IsControl() {
						n += b.NumRecords()
					}
				}
				if n > 0 {
					st.fetched = addCount(st.fetched, names.TopicPartition{Topic: t.Name, Partition: p.Index}.String(), int64(n))
				}
			}
		}
	}
}

func (st *externalStats) addError(code proto.ErrorCode) {
	st.errors = addCount(st.errors, code.String(), 1)
}

func addCount(m map[string]int64, k string, n int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k] += n
	return m
}

// batchRecords is how many records req carries for tp.
func batchRecords(req proto.ProduceRequest, tp names.TopicPartition) int {
	for _, t := range req.Topics {
		if t.Name != tp.Topic {
			continue
		}
		for _, p := range t.Partitions {
			if p.Index == tp.Partition && p.Batch != nil {
				return p.Batch.NumRecords()
			}
		}
	}
	return 0
}

// peek returns the T a body carries, by value or by pointer, without
// clearing a pointer's cell (the answer's Take still does that).
func peek[T any](body any) *T {
	switch b := body.(type) {
	case T:
		return &b
	case *T:
		return b
	}
	return nil
}

// outsideView lists the outside connections for the snapshot, in the
// order they were made.
func (c *Cluster) outsideView() []view.OutsideClientSnapshot {
	if c.external == nil || len(c.external.conns) == 0 {
		return nil
	}
	nodes := make([]sim.NodeID, 0, len(c.external.conns))
	for n := range c.external.conns {
		nodes = append(nodes, n)
	}
	sort.Slice(nodes, func(i, j int) bool { // client-c2 before client-c10
		if len(nodes[i]) != len(nodes[j]) {
			return len(nodes[i]) < len(nodes[j])
		}
		return nodes[i] < nodes[j]
	})
	out := make([]view.OutsideClientSnapshot, 0, len(nodes))
	for _, n := range nodes {
		x := c.external.conns[n]
		state := "open"
		switch {
		case x.stats.reset:
			state = "reset"
		case x.closed:
			state = "closed"
		}
		out = append(out, view.OutsideClientSnapshot{Node: string(n), Broker: x.brokerID, State: state,
			Requests: maps.Clone(x.stats.requests), Produced: maps.Clone(x.stats.produced), ProducedEpoch: maps.Clone(x.stats.producedEpoch),
			Fetched: maps.Clone(x.stats.fetched), Errors: maps.Clone(x.stats.errors)})
	}
	return out
}
