package check

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/brokerlab/brokerlab/engine/broker"
	"github.com/brokerlab/brokerlab/engine/cluster"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// FromCluster reads a History out of a running cluster: every online
// replica's log, every producer's acknowledged records, every consumer's
// reads, and the EventKinds events the trace still keeps (it keeps the
// most recent trace.DefaultCap; use a Recorder for long runs). The
// consumers must keep their records (cluster.KeepRecords, or Watch).
func FromCluster(c *cluster.Cluster) History {
	evs, _ := c.Trace.Since(0, 0)
	return fromCluster(c, filterEvents(evs))
}

// Recorder keeps every EventKinds event of a trace as it is written, so
// none is lost however long the run. The zero Recorder is ready: pass its
// Observe to trace.SetSink yourself to share the sink, or use Watch.
type Recorder struct {
	events []view.Event
}

var kindNeedles = func() [][]byte {
	out := make([][]byte, len(EventKinds))
	for i, k := range EventKinds {
		out[i] = []byte(`"kind":"` + k + `"`)
	}
	return out
}()

// Watch attaches a new Recorder to c's trace (taking its sink, see
// trace.SetSink) and makes c's consumers keep what they read; call it
// before running the cluster.
func Watch(c *cluster.Cluster) *Recorder {
	r := &Recorder{}
	c.Trace.SetSink(r.Observe)
	c.KeepRecords = true
	return r
}

// Observe takes one canonical JSON event line (a trace sink).
func (r *Recorder) Observe(line []byte) {
	for _, n := range kindNeedles {
		if bytes.Contains(line, n) {
			var e view.Event
			if err := json.Unmarshal(line, &e); err == nil {
				r.events = append(r.events, e)
			}
			return
		}
	}
}

// Events returns the recorded events.
func (r *Recorder) Events() []view.Event { return r.events }

// History is FromCluster with every event the recorder saw.
func (r *Recorder) History(c *cluster.Cluster) History {
	return fromCluster(c, append([]view.Event(nil), r.events...))
}

func filterEvents(evs []view.Event) []view.Event {
	want := map[string]bool{}
	for _, k := range EventKinds {
		want[k] = true
	}
	var out []view.Event
	for _, e := range evs {
		if want[e.Kind] {
			out = append(out, e)
		}
	}
	return out
}

func fromCluster(c *cluster.Cluster, events []view.Event) History {
	h := History{Partitions: Partitions(c, true), Events: events}
	for _, name := range sortedNames(c.Producers) {
		for _, a := range c.Producers[name].AckedRecords() {
			h.Acks = append(h.Acks, Ack{Producer: name, Seq: a.Seq, Topic: a.Topic, Partition: a.Partition, Offset: a.Offset, Key: a.Key, KeyNull: a.KeyNull, Value: a.Value})
		}
	}
	for _, name := range sortedNames(c.ShareConsumers) {
		for sc := c.ShareConsumers[name]; sc != nil; sc = sc.Previous() { // and the processes it replaced
			for _, r := range sc.Deliveries() {
				h.ShareReads = append(h.ShareReads, ShareRead{Consumer: name, Group: sc.Group(), Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, DeliveryCount: int(r.DeliveryCount)})
			}
		}
	}
	if len(c.ShareConsumers) > 0 && len(c.Brokers) > 0 {
		h.ShareDeliveryLimit = c.Brokers[0].ShareConfig("").DeliveryLimit
		for _, b := range c.Brokers {
			for _, s := range b.ShareSPSOs() {
				h.ShareSPSOs = append(h.ShareSPSOs, ShareSPSO{Group: s.Group, Topic: s.TP.Topic, Partition: s.TP.Partition, SPSO: s.SPSO})
			}
		}
	}
	for _, name := range sortedNames(c.Consumers) {
		for _, r := range c.Consumers[name].Records() {
			h.Reads = append(h.Reads, Read{Consumer: name, Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: r.Key, KeyNull: r.KeyNull, Value: r.Value})
		}
	}
	return h
}

// Partitions describes every partition hosted by an online broker, its
// replicas in broker order; with records, each replica's whole log.
func Partitions(c *cluster.Cluster, records bool) []Partition {
	byTP := map[names.TopicPartition]*Partition{}
	for _, b := range c.Brokers {
		if b.Down() {
			continue
		}
		for _, r := range b.Replicas() {
			p := byTP[r.TP]
			if p == nil {
				p = &Partition{Topic: r.TP.Topic, Partition: r.TP.Partition}
				byTP[r.TP] = p
			}
			rep := Replica{Broker: b.ID(), Leader: r.IsLeader, LeaderEpoch: r.LeaderEpoch, HWM: r.HWM, LEO: r.LEO(), LogStartOffset: r.Log().LogStartOffset()}
			if records {
				rep.Records = readLog(r)
			}
			p.Replicas = append(p.Replicas, rep)
		}
	}
	var out []Partition // stays nil (JSON null) when no broker hosts a partition
	for _, tp := range names.SortedKeys(byTP) {
		out = append(out, *byTP[tp])
	}
	return out
}

// readLog lists a replica's records from its log start to its end.
func readLog(r *broker.Replica) []Record {
	l := r.Log()
	var out []Record
	for off := l.LogStartOffset(); off < l.LEO(); {
		batches, err := l.Read(off, 1<<20)
		if err != nil || len(batches) == 0 {
			break
		}
		for _, bt := range batches {
			if !bt.IsControl() {
				for _, rec := range bt.Records {
					out = append(out, Record{Offset: bt.BaseOffset + int64(rec.OffsetDelta), Key: string(rec.Key), KeyNull: rec.Key == nil, Value: string(rec.Value), LeaderEpoch: bt.PartitionLeaderEpoch})
				}
			}
			off = bt.NextOffset()
		}
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
