package ui

import (
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Outline is the cluster view as structure for a screen reader: the nodes
// as a list, then each partition as a named group ("orders-1: leader broker
// 3, epoch 2, ISR 3 1 2, high watermark 230") holding its replicas as list
// items with their log end offset and lag. The page renders it visually
// hidden beside the SVG (cluster-outline.vugu), keyed, so the DOM changes
// only where the cluster did.
type Outline struct {
	Nodes []OutlineItem
	Parts []OutlinePart
}

// OutlineItem is one line of the outline; Key keeps its DOM node stable.
type OutlineItem struct{ Key, Text string }

// OutlinePart is a partition and its replicas.
type OutlinePart struct {
	Key, Label string
	Replicas   []OutlineItem
}

// outlineEveryMS is the shortest wall time between two outlines that differ
// only in offsets: a running cluster moves its offsets every frame, and a
// screen reader re-reading a list that changes under it hears nothing useful.
// A change of leader, ISR, broker state or the partitions shown is drawn at once.
const outlineEveryMS = 1000.0

// outliner keeps the last outline and decides when to draw a new one.
type outliner struct {
	last   *Outline
	shape  string // what is drawn at once when it changes (see shapeOf)
	lastMS float64
}

// update returns the outline for a frame at wall time nowMS: a new one when
// the cluster's shape changed or outlineEveryMS passed, the last one otherwise.
func (o *outliner) update(nowMS float64, snap view.Snapshot, l *ClusterLayout, internal bool) *Outline {
	shape := shapeOf(snap, l, internal)
	if o.last != nil && shape == o.shape && nowMS-o.lastMS < outlineEveryMS {
		return o.last
	}
	o.last, o.shape, o.lastMS = outlineOf(snap, l, internal), shape, nowMS
	return o.last
}

// shapeOf is what the outline says apart from offsets and byte counts: the
// locale, each node's state, and each partition shown with its leader, epoch,
// ISR, ELR, last known leader and replica states.
func shapeOf(snap view.Snapshot, l *ClusterLayout, internal bool) string {
	var b strings.Builder
	b.WriteString(Locale)
	for _, n := range l.Nodes {
		b.WriteString("|" + n.Title + n.Sub) // not Detail: unflushed bytes move every frame
	}
	for _, p := range snap.Partitions {
		if internalTopic(p.Topic) && !internal {
			continue
		}
		b.WriteString("|" + p.Topic + "-")
		b.WriteString(strconv.Itoa(int(p.Partition)))
		b.WriteString(":" + strconv.Itoa(int(p.Leader)) + ":" + strconv.Itoa(int(p.LeaderEpoch)) + ":")
		b.WriteString(joinIDs(p.ISR, ","))
		b.WriteString(elrNote(p, ","))
		for _, r := range p.Replicas {
			b.WriteString(":" + r.State + strconv.FormatBool(r.InSync))
		}
	}
	return b.String()
}

// outlineOf builds the outline of a snapshot (the nodes from its layout).
func outlineOf(snap view.Snapshot, l *ClusterLayout, internal bool) *Outline {
	o := &Outline{}
	for _, n := range l.Nodes {
		text := n.Title + ": " + n.Sub
		if n.Detail != "" {
			text += ", " + n.Detail
		}
		o.Nodes = append(o.Nodes, OutlineItem{Key: n.ID, Text: text})
	}
	for _, p := range snap.Partitions {
		if internalTopic(p.Topic) && !internal {
			continue
		}
		name := p.Topic + "-" + strconv.Itoa(int(p.Partition))
		isr, hwm := joinIDs(p.ISR, " "), max(p.HWM, 0)
		op := OutlinePart{Key: name}
		if p.Leader >= 0 {
			op.Label = Tf("a11y.part", name, p.Leader, p.LeaderEpoch, isr, hwm)
		} else {
			op.Label = Tf("a11y.part.offline", name, p.LeaderEpoch, isr, hwm)
		}
		op.Label += elrNote(p, " ")
		leo := int64(-1)
		for _, r := range p.Replicas {
			if r.State == "leader" {
				leo = r.LEO
			}
		}
		for _, r := range p.Replicas {
			op.Replicas = append(op.Replicas, OutlineItem{Key: name + "/" + strconv.Itoa(int(r.Broker)), Text: replicaLabel(r, leo)})
		}
		o.Parts = append(o.Parts, op)
	}
	return o
}

// replicaLabel names a replica: its broker and state, its log end offset
// and how far it lags the leader's (leaderLEO, -1 when the partition has no
// leader).
func replicaLabel(r view.ReplicaSnapshot, leaderLEO int64) string {
	if r.State == "offline" || r.LEO < 0 {
		return Tf("a11y.replica.offline", r.Broker)
	}
	state := T("a11y.state.follower")
	if r.State == "leader" {
		state = T("a11y.state.leader")
	}
	if !r.InSync {
		state += ", " + T("a11y.outofsync")
	}
	if leaderLEO < 0 {
		return Tf("a11y.replica.noleader", r.Broker, state, r.LEO)
	}
	return Tf("a11y.replica", r.Broker, state, r.LEO, max(leaderLEO-r.LEO, 0))
}

// ClusterOutline renders the Outline (cluster-outline.vugu).
type ClusterOutline struct{ App *App }
