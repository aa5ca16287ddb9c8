package client

import (
	"fmt"
	"sort"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/share"
)

// The share consumer's application loop: poll (a ShareFetch to each
// leader, carrying the acknowledgements of the previous poll), process
// each record for Process, decide its acknowledgement, poll again.

// shareFetched is one record a poll got, with its partition.
type shareFetched struct {
	tp  names.TopicPartition
	rec proto.AcquiredRecord
}

// addAck queues an acknowledgement for the next request to tp's leader.
func (c *ShareConsumer) addAck(tp names.TopicPartition, off int64, t share.AckType) {
	bs := c.pending[tp]
	if n := len(bs); n > 0 && bs[n-1].AcknowledgeType == int8(t) && bs[n-1].LastOffset+1 == off {
		bs[n-1].LastOffset = off
	} else {
		bs = append(bs, proto.AcknowledgementBatch{FirstOffset: off, LastOffset: off, AcknowledgeType: int8(t)})
	}
	c.pending[tp] = bs
}

// acceptHeld accepts what the previous poll returned (implicit mode).
func (c *ShareConsumer) acceptHeld() {
	for _, tp := range names.SortedKeys(c.held) {
		for _, off := range c.held[tp] {
			c.addAck(tp, off, share.Accept)
		}
	}
	c.held = map[names.TopicPartition][]int64{}
}

// byLeader groups the partitions to fetch from (the assigned ones) and to
// acknowledge on by their leaders, sorted.
func (c *ShareConsumer) byLeader() (map[int32][]names.TopicPartition, []int32) {
	set := map[names.TopicPartition]bool{}
	for _, tp := range c.assigned {
		set[tp] = true
	}
	for tp := range c.pending {
		set[tp] = true
	}
	out := map[int32][]names.TopicPartition{}
	var leaders []int32
	for _, tp := range names.SortedKeys(set) {
		l := c.meta.leader(tp.Topic, tp.Partition)
		if l < 0 {
			continue
		}
		if len(out[l]) == 0 {
			leaders = append(leaders, l)
		}
		out[l] = append(out[l], tp)
	}
	sort.Slice(leaders, func(i, j int) bool { return leaders[i] < leaders[j] })
	return out, leaders
}

func shareTopics(tps []names.TopicPartition, pending map[names.TopicPartition][]proto.AcknowledgementBatch) []proto.ShareFetchTopic {
	var out []proto.ShareFetchTopic
	for _, tp := range tps {
		if n := len(out); n == 0 || out[n-1].Topic != tp.Topic {
			out = append(out, proto.ShareFetchTopic{Topic: tp.Topic})
		}
		t := &out[len(out)-1]
		t.Partitions = append(t.Partitions, proto.ShareFetchPartition{Partition: tp.Partition, Acknowledgements: pending[tp]})
	}
	return out
}

// poll is one turn of the application loop.
func (c *ShareConsumer) poll() {
	if c.stopped || c.processing || c.fetching > 0 || c.leaving {
		return
	}
	if !c.explicit {
		c.acceptHeld()
	}
	groups, leaders := c.byLeader()
	if len(groups) == 0 {
		if len(c.assigned) > 0 || len(c.pending) > 0 {
			c.meta.refresh(nil)
		}
		c.after(100*time.Millisecond, c.poll)
		return
	}
	c.pollTok++
	var got []shareFetched
	failed := false
	for _, l := range leaders {
		tps := groups[l]
		assigned := map[names.TopicPartition]bool{}
		for _, tp := range c.assigned {
			assigned[tp] = true
		}
		req := proto.ShareFetchRequest{GroupID: c.group, MemberID: c.memberID, MaxWaitMs: int32(c.cfg.Int64("fetch.max.wait.ms")),
			MaxRecords: int32(c.cfg.Int64("max.poll.records")), Topics: shareTopics(tps, c.pending)}
		sent := map[names.TopicPartition][]proto.AcknowledgementBatch{}
		for _, tp := range tps {
			if bs := c.pending[tp]; len(bs) > 0 {
				sent[tp] = bs
				delete(c.pending, tp)
			}
		}
		c.fetching++
		c.ep.Call(nodeOf(l), req, c.requestTimeout()+time.Duration(req.MaxWaitMs)*time.Millisecond, func(body any, code proto.ErrorCode) {
			c.fetching--
			resp, ok := body.(proto.ShareFetchResponse)
			if code != proto.None || !ok {
				failed = true
				c.meta.refresh(nil)
			} else {
				c.lockMs = resp.AcquisitionLockTimeoutMs
				for _, t := range resp.Topics {
					for _, p := range t.Partitions {
						tp := names.TopicPartition{Topic: t.Topic, Partition: p.Partition}
						if p.ErrorCode != proto.None {
							failed = true
							c.meta.refresh(nil)
						}
						if p.AcknowledgeErrorCode != proto.None {
							c.ackRefused(tp, sent[tp], p.AcknowledgeErrorCode)
						}
						for _, r := range p.Records {
							got = append(got, shareFetched{tp: tp, rec: r})
						}
					}
				}
			}
			if c.fetching == 0 {
				c.process(got, failed)
			}
		})
	}
}

// ackRefused reports acknowledgements the leader refused: the records'
// locks had expired and they may be with another member now.
func (c *ShareConsumer) ackRefused(tp names.TopicPartition, bs []proto.AcknowledgementBatch, code proto.ErrorCode) {
	n := int64(0)
	for _, b := range bs {
		n += b.LastOffset - b.FirstOffset + 1
	}
	c.Stats.AckRefused += n
	c.emit("share_ack_refused", fmt.Sprintf("share consumer %s: the leader of %s refused its acknowledgement with %s: the acquisition lock had expired, so the records were offered again (maybe processed twice)",
		c.name, tp, code), map[string]any{"group": c.group, "member_id": c.memberID, "partition": tp.String(), "records": n, "error": code.String()})
}

// process simulates the application working on a poll's records, then
// decides each acknowledgement and polls again.
func (c *ShareConsumer) process(got []shareFetched, failed bool) {
	if c.stopped {
		return
	}
	if len(got) == 0 {
		wait := time.Duration(0)
		if failed {
			wait = 100 * time.Millisecond
		}
		c.after(wait, c.poll)
		return
	}
	sort.Slice(got, func(i, j int) bool {
		if got[i].tp != got[j].tp {
			return names.Compare(got[i].tp, got[j].tp) < 0
		}
		return got[i].rec.Offset < got[j].rec.Offset
	})
	c.processing = true
	redelivered := 0
	for _, f := range got {
		if f.rec.DeliveryCount > 1 {
			redelivered++
		}
	}
	c.Stats.Delivered += int64(len(got))
	c.Stats.Redeliveries += int64(redelivered)
	c.emit("share_polled", fmt.Sprintf("share consumer %s: poll returned %d records (%d redelivered), from %s-%d offset %d; processing takes %v",
		c.name, len(got), redelivered, got[0].tp.Topic, got[0].tp.Partition, got[0].rec.Offset, c.o.Process*time.Duration(len(got))),
		map[string]any{"group": c.group, "member_id": c.memberID, "records": len(got), "redelivered": redelivered})
	tok := c.pollTok
	if c.o.Renew && c.explicit && c.lockMs > 0 {
		c.renewLoop(got, tok)
	}
	c.after(c.o.Process*time.Duration(len(got)), func() {
		if tok != c.pollTok {
			return
		}
		c.processing = false
		for _, f := range got {
			if c.o.KeepRecords {
				c.deliveries = append(c.deliveries, ShareDelivery{Topic: f.tp.Topic, Partition: f.tp.Partition, Offset: f.rec.Offset, Value: string(f.rec.Value), DeliveryCount: f.rec.DeliveryCount, Member: c.memberID})
			}
			t := share.Accept
			if c.o.Poison != "" && string(f.rec.Value) == c.o.Poison {
				switch c.o.OnPoison {
				case "release":
					t = share.Release
				case "reject", "":
					t = share.Reject
				}
				if c.explicit {
					c.emit("share_poison_record", fmt.Sprintf("share consumer %s cannot process %s offset %d (value %q, delivery %d): it %ss it",
						c.name, f.tp, f.rec.Offset, c.o.Poison, f.rec.DeliveryCount, map[share.AckType]string{share.Reject: "reject", share.Release: "release", share.Accept: "accept"}[t]),
						map[string]any{"group": c.group, "member_id": c.memberID, "partition": f.tp.String(), "offset": f.rec.Offset, "delivery_count": f.rec.DeliveryCount, "acknowledge": t.String()})
				}
			}
			if !c.explicit {
				c.held[f.tp] = append(c.held[f.tp], f.rec.Offset)
				c.Stats.Accepted++
				continue
			}
			c.addAck(f.tp, f.rec.Offset, t)
			switch t {
			case share.Accept:
				c.Stats.Accepted++
			case share.Release:
				c.Stats.Released++
			case share.Reject:
				c.Stats.Rejected++
			}
		}
		if c.closeAsked {
			c.doClose()
			return
		}
		c.poll()
	})
}

// Crash kills the share consumer at once (kill -9): the records it holds
// stay locked until group.share.record.lock.duration.ms passes on their
// leaders, and the group notices after group.share.session.timeout.ms.
func (c *ShareConsumer) Crash() {
	if c.stopped {
		return
	}
	held := 0
	for _, offs := range c.held {
		held += len(offs)
	}
	for _, bs := range c.pending {
		for _, b := range bs {
			held += int(b.LastOffset - b.FirstOffset + 1)
		}
	}
	what := "between polls"
	if c.processing {
		what = "in the middle of a batch"
	}
	c.stop()
	c.ended = "crashed"
	c.emit("consumer_crashed", fmt.Sprintf("share consumer %s crashed (kill -9) %s: its acquired records stay locked until group.share.record.lock.duration.ms passes; %d processed records were never acknowledged",
		c.name, what, held), map[string]any{"group": c.group, "member_id": c.memberID, "processed_uncommitted": held, "partitions": tpNames(c.assigned)})
}

func (c *ShareConsumer) stop() {
	c.stopped = true
	c.ep.Reset()
	c.ep.Net.SetDown(c.ep.ID, true)
}

// Close is KafkaShareConsumer.close(): after the batch in hand, it sends
// its acknowledgements with a final ShareAcknowledge that releases what
// it still holds, and leaves the group with member epoch -1.
func (c *ShareConsumer) Close() {
	if c.stopped || c.closeAsked {
		return
	}
	c.closeAsked = true
	if !c.processing {
		c.doClose()
	}
}

func (c *ShareConsumer) doClose() {
	if !c.explicit {
		c.acceptHeld()
	}
	c.leaving = true
	groups, leaders := c.byLeader()
	for _, l := range leaders {
		c.ep.Call(nodeOf(l), proto.ShareAcknowledgeRequest{GroupID: c.group, MemberID: c.memberID, Topics: shareTopics(groups[l], c.pending), Close: true}, c.requestTimeout(), func(any, proto.ErrorCode) {})
	}
	c.pending = map[names.TopicPartition][]proto.AcknowledgementBatch{}
	c.hbTok++
	c.hbInflight = false
	c.heartbeat()
	c.after(time.Second, func() {
		c.stop()
		c.ended = "closed"
		c.emit("consumer_closed", fmt.Sprintf("share consumer %s closed after %d deliveries: it acknowledged what it processed and left with member epoch -1", c.name, c.Stats.Delivered),
			map[string]any{"group": c.group, "partitions": []string{}})
	})
}

// renewLoop renews the locks of a poll's records every half acquisition
// lock timeout while the application works on them (RENEW, KIP-1222), so
// a slow application keeps its records instead of seeing them go to
// another member.
func (c *ShareConsumer) renewLoop(got []shareFetched, tok int) {
	every := time.Duration(c.lockMs) * time.Millisecond / 2
	c.after(every, func() {
		if tok != c.pollTok || !c.processing {
			return
		}
		renew := map[names.TopicPartition][]proto.AcknowledgementBatch{}
		var tps []names.TopicPartition
		for _, f := range got {
			bs := renew[f.tp]
			if len(bs) == 0 {
				tps = append(tps, f.tp)
			}
			if n := len(bs); n > 0 && bs[n-1].LastOffset+1 == f.rec.Offset {
				bs[n-1].LastOffset = f.rec.Offset
			} else {
				bs = append(bs, proto.AcknowledgementBatch{FirstOffset: f.rec.Offset, LastOffset: f.rec.Offset, AcknowledgeType: int8(share.Renew)})
			}
			renew[f.tp] = bs
		}
		byLeader := map[int32][]names.TopicPartition{}
		var leaders []int32
		for _, tp := range tps {
			if l := c.meta.leader(tp.Topic, tp.Partition); l >= 0 {
				if len(byLeader[l]) == 0 {
					leaders = append(leaders, l)
				}
				byLeader[l] = append(byLeader[l], tp)
			}
		}
		sort.Slice(leaders, func(i, j int) bool { return leaders[i] < leaders[j] })
		for _, l := range leaders {
			c.ep.Call(nodeOf(l), proto.ShareAcknowledgeRequest{GroupID: c.group, MemberID: c.memberID, Topics: shareTopics(byLeader[l], renew)}, c.requestTimeout(), func(any, proto.ErrorCode) {})
		}
		c.renewLoop(got, tok)
	})
}
