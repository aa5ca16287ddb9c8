package broker

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// purgatory holds requests that wait: acks=all produces until the HWM passes
// their batch, and fetches until fetch.min.bytes are available.
type purgatory struct {
	produces []*delayedProduce
	fetches  []*delayedFetch

	// Spare arrays for checkProduce and checkFetch to copy the lists into
	// (answering a wait removes it from the list being walked); nil while
	// in use, so a nested check would make its own copy.
	spareProduces []*delayedProduce
	spareFetches  []*delayedFetch
	spareDelayed  []*delayedFetch // answered fetches to park new ones in
	spareProduce  []*delayedProduce
	waitScratch   produceWaits // handleProduce's list, copied when it parks
}

type delayedProduce struct {
	b       *Broker
	from    sim.NodeID
	req     proto.Request
	resp    proto.ProduceResponse
	waits   produceWaits
	timer   sim.Timer // the request's timeout; the produce is its own event
	inc     int       // the broker's incarnation when it parked
	settled bool
	fired   bool           // its timer ran out: a deferred timeout may still hold it
	inline  [2]produceWait // waits' array when a request names few partitions
}

// Fire answers REQUEST_TIMED_OUT for every partition still waiting, as
// b.after would run it: not in a later incarnation, and after resuming if
// paused.
func (d *delayedProduce) Fire() {
	b := d.b
	d.fired = true
	if b.down || b.incarnation != d.inc {
		return
	}
	if b.paused {
		b.deferred = append(b.deferred, d.timeout)
		return
	}
	d.timeout()
}

func (d *delayedProduce) timeout() {
	for len(d.waits) > 0 {
		w := d.waits[0]
		d.set(w.tp, proto.RequestTimedOut, d.b.timedOutWhy(w))
	}
	d.b.purgatory.finishProduce(d.b, d)
}

// produceWaits are the partitions an acks=all produce still waits for,
// each with the high watermark it needs (a request names a few).
type produceWaits []produceWait

type produceWait struct {
	tp   names.TopicPartition
	need int64
}

// find returns the position of tp, or -1.
func (w produceWaits) find(tp names.TopicPartition) int {
	for i := range w {
		if w[i].tp == tp {
			return i
		}
	}
	return -1
}

// put sets the need of tp.
func (w *produceWaits) put(tp names.TopicPartition, need int64) {
	if i := w.find(tp); i >= 0 {
		(*w)[i].need = need
		return
	}
	*w = append(*w, produceWait{tp, need})
}

// addProduce parks a produce until waits (copied) are met or timeout passes.
func (p *purgatory) addProduce(b *Broker, from sim.NodeID, req proto.Request, resp proto.ProduceResponse, waits produceWaits, timeout time.Duration) {
	var d *delayedProduce
	if n := len(p.spareProduce); n > 0 {
		d = p.spareProduce[n-1]
		p.spareProduce[n-1] = nil
		p.spareProduce = p.spareProduce[:n-1]
	} else {
		d = &delayedProduce{}
	}
	*d = delayedProduce{b: b, from: from, req: req, resp: resp, inc: b.incarnation}
	d.waits = append(d.inline[:0], waits...)
	p.produces = append(p.produces, d)
	b.ep.Sim.Arm(&d.timer, b.now()+timeout, d)
}

func (d *delayedProduce) set(tp names.TopicPartition, code proto.ErrorCode, msg string) {
	if i := d.waits.find(tp); i >= 0 {
		d.waits = append(d.waits[:i], d.waits[i+1:]...)
	}
	for i := range d.resp.Topics {
		t := &d.resp.Topics[i]
		if t.Name != tp.Topic {
			continue
		}
		for j := range t.Partitions {
			if t.Partitions[j].Index == tp.Partition {
				t.Partitions[j].ErrorCode, t.Partitions[j].ErrorMessage = code, msg
			}
		}
	}
}

func (p *purgatory) finishProduce(b *Broker, d *delayedProduce) {
	if d.settled || len(d.waits) > 0 {
		return
	}
	d.settled = true
	d.timer.Cancel()
	b.ep.Reply(d.from, d.req, b.produceResps.Put(d.resp))
	kept := p.produces[:0]
	for _, x := range p.produces {
		if !x.settled {
			kept = append(kept, x)
		}
	}
	p.produces = kept
	// Reused for a later produce once nothing reaches it: off the list, its
	// timer cancelled before it fired. Until then it stays settled, for a
	// check walking an older copy of the list.
	if !d.fired {
		p.spareProduce = append(p.spareProduce, d)
	}
}

// checkProduce completes waits whose offset the HWM has passed: Kafka's
// DelayedProduce.tryComplete with Partition.checkEnoughReplicasReachOffset.
// While the ISR is smaller than min.insync.replicas the HWM is frozen
// (maybeAdvanceHWM), so an acks=all wait stays parked until the ISR grows
// back or its request.timeout.ms passes (REQUEST_TIMED_OUT, timedOutWhy).
// Kafka answers NOT_ENOUGH_REPLICAS_AFTER_APPEND only when the ISR shrank
// between the HWM passing the batch and this check, a race between its
// request and ISR threads; here the check runs in the same step as the
// HWM advance, so that race (and the error) does not arise.
func (p *purgatory) checkProduce(b *Broker, r *Replica) {
	waiting := append(p.spareProduces[:0], p.produces...)
	p.spareProduces = nil
	for _, d := range waiting {
		if i := d.waits.find(r.TP); i >= 0 && r.HWM >= d.waits[i].need {
			d.set(r.TP, proto.None, "")
			p.finishProduce(b, d)
		}
	}
	clear(waiting)
	p.spareProduces = waiting[:0]
}

// timedOutWhy explains a wait that ran out: the HWM never reached the
// batch, and why it did not move (frozen, or followers behind).
func (b *Broker) timedOutWhy(w produceWait) string {
	r := b.replicas.get(w.tp.Topic, w.tp.Partition)
	if r == nil || !r.IsLeader {
		return ""
	}
	if len(r.ISR) < r.minISR() {
		return fmt.Sprintf("written to the leader of %s, but its high watermark is frozen at %d while the ISR %v is smaller than min.insync.replicas=%d", w.tp, r.HWM, r.ISR, r.minISR())
	}
	return fmt.Sprintf("written to the leader of %s, but the in-sync replicas %v had not all reached offset %d (high watermark %d)", w.tp, r.ISR, w.need, r.HWM)
}

// failPartition answers every wait on tp with code, saying why (leadership
// moved, the topic was deleted).
func (p *purgatory) failPartition(b *Broker, tp names.TopicPartition, code proto.ErrorCode, why string) {
	for _, d := range append([]*delayedProduce(nil), p.produces...) {
		if d.waits.find(tp) >= 0 {
			d.set(tp, code, why)
			p.finishProduce(b, d)
		}
	}
}

// actionQueue is Kafka's ActionQueue for a produce request: the purgatory
// checks its appends call for (a parked fetch may now have data; a high
// watermark that moved may complete acks=all waits) run once every
// partition of the request is appended, so a follower's parked fetch
// answers with all of them rather than with the first.
type actionQueue struct {
	deferring bool
	fetch     bool       // check the parked fetches
	produce   []*Replica // check the acks=all waits on these replicas' high watermarks
}

// run ends the deferral and runs what it collected.
func (q *actionQueue) run(b *Broker) {
	q.deferring = false
	for i, r := range q.produce {
		b.purgatory.checkProduce(b, r)
		q.produce[i] = nil
	}
	q.produce = q.produce[:0]
	if q.fetch {
		q.fetch = false
		b.purgatory.checkFetch(b)
	}
}
