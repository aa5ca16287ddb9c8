package ui

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Geometry of the cluster view, in SVG user units (pixels at 100 %).
const (
	StripWindow = 24 // offsets shown per partition strip
	cellW       = 24
	cellH       = 14
	labelW      = 64
	rowGap      = 5
	nodeW       = 132
	nodeH       = 58
	nodeGap     = 12
	minViewW    = labelW + StripWindow*cellW + 16
)

// ClusterLayout is the cluster view computed from a snapshot: every shape
// with its coordinates, so the template only loops and binds.
type ClusterLayout struct {
	W, H  int
	Nodes []NodeBox
	Parts []PartBlock
	// Records maps a record cell's element id to its record.
	Records map[string]OpenRecord
	// MaxEnd is the largest log end offset of any partition.
	MaxEnd int64
	// Hidden counts the partitions of internal topics not drawn.
	Hidden int
	// Quorum, QuorumNeed and QuorumSub are the note beside a multi-voter
	// KRaft quorum ("" with one voter) and QX, QY where it is drawn.
	Quorum, QuorumNeed, QuorumSub string
	QX, QY                        int
}

// NodeBox is the controller or a broker.
type NodeBox struct {
	ID                string // element id: "node-controller", "node-broker-2"
	X, Y, W, H        int
	TX, TY, SY, DY    int // title, subtitle and detail positions
	Title, Sub, Class string
	Detail            string // a third line: unflushed bytes
	Broker            int32
}

// PartBlock is one partition: a title and one strip per replica.
type PartBlock struct {
	End        int64 // the largest log end offset of its replicas
	Y, TY      int
	Title, Sub string
	Class      string
	Rows       []StripRow
	Cells      []RecCell
	// Cleaner is the dirty ratio of a compacted topic's partition (nil otherwise).
	Cleaner *CleanerMark
}

// StripRow is one replica's log strip.
type StripRow struct {
	Y, LY, X, W, H     int
	Label, Class       string
	Committed, Pending string // SVG path data
	Unflushed          string
	HWMX, LEOX         int
	ShowHWM, ShowLEO   bool
	Y1, Y2             int // marker extent
	Segs               []SegMark
	// CkptX is the log cleaner checkpoint on a compacted leader's strip.
	CkptX     int
	ShowCkpt  bool
	CkptTitle string
	// LSOX is the last stable offset on the leader's strip, shown while a
	// transaction holds it below the high watermark.
	LSOX    int
	ShowLSO bool
}

// RecCell is a clickable record on the leader's strip.
type RecCell struct {
	ID         string
	X, Y, W, H int
	Fill       string
	Class      string
	Title      string // hover: the offset and its segment
}

// OpenRecord is a record the learner opened.
type OpenRecord struct {
	Topic     string
	Partition int32
	Record    view.RecordView
}

// keyPalette colours records by key so equal keys stand out. Keyless
// records are hatched (keylessFill), so they cannot be mistaken for the
// light "not yet committed" cells of the strip beneath.
var keyPalette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#8cd17d"}

// keylessFill is the hatch pattern the cluster view's markup defines (svg.go).
const keylessFill = "url(#pat-keyless)"

// KeyColor returns the fill for a record key (nil: keyless).
func KeyColor(key *string) string {
	if key == nil {
		return keylessFill
	}
	h := fnv.New32a()
	h.Write([]byte(*key))
	return keyPalette[h.Sum32()%uint32(len(keyPalette))]
}

// Window is which offsets the log strips show: the newest (Follow) or
// StripWindow offsets from Start; and whether internal topics
// (__consumer_offsets…) are drawn.
type Window struct {
	Follow   bool
	Start    int64
	Internal bool
}

// internalTopic reports whether a topic is one of Kafka's own ("__…").
func internalTopic(name string) bool { return strings.HasPrefix(name, "__") }

// start is the first offset shown of a partition whose logs end at end.
func (w Window) start(end int64) int64 {
	tail := max(0, end-StripWindow)
	if w.Follow || w.Start > tail {
		return tail
	}
	return max(0, w.Start)
}

// Layout computes the cluster view of a snapshot through a window.
func Layout(s view.Snapshot, win Window) ClusterLayout {
	l := ClusterLayout{Records: map[string]OpenRecord{}}
	cut := cutNodes(s.Network)
	x, by := 8, 8
	if len(s.Quorum) > 1 {
		// A real quorum: every voter on its own row above the brokers.
		l.quorumRow(s, cut)
		by = 8 + nodeH + nodeGap
		x -= nodeW + nodeGap
	} else {
		ctl := NodeBox{ID: "node-controller", X: x, Y: 8, W: nodeW, H: nodeH, Class: "node controller " + s.Controller.State,
			Title: Tf("node.controller", s.Controller.ID),
			Sub:   Tf("node.meta", controllerState(s.Controller.State), s.Controller.MetadataOffset)}
		if cut["controller-"+strconv.Itoa(int(s.Controller.ID))] {
			ctl.Class += " cut"
		}
		l.Nodes = append(l.Nodes, ctl)
	}
	for _, b := range s.Brokers {
		x += nodeW + nodeGap
		nb := NodeBox{ID: fmt.Sprintf("node-broker-%d", b.ID), X: x, Y: by, W: nodeW, H: nodeH, Broker: b.ID,
			Title: Tf("node.broker", b.ID), Class: "node broker " + b.State}
		switch {
		case b.State == "down":
			nb.Sub = T("node.down")
		case b.Fenced:
			nb.Sub, nb.Class = T("node.fenced"), nb.Class+" fenced"
		default:
			nb.Sub = Tf("node.up", b.BrokerEpoch)
		}
		if b.UnflushedBytes > 0 && b.State != "down" {
			nb.Detail = Tf("node.unflushed", sizeString(b.UnflushedBytes))
		}
		if b.DiskError != "" && b.State != "down" {
			nb.Detail, nb.Class = T("node.diskfull")+" · "+nb.Detail, nb.Class+" disk-error"
		}
		if cut[fmt.Sprintf("broker-%d", b.ID)] {
			nb.Class += " cut"
			nb.Sub = T("node.cut") + " · " + nb.Sub
		}
		l.Nodes = append(l.Nodes, nb)
	}
	for i := range l.Nodes {
		n := &l.Nodes[i]
		n.TX, n.TY, n.SY, n.DY = n.X+10, n.Y+19, n.Y+36, n.Y+50
	}
	l.W = max(minViewW, x+nodeW+8, l.W)

	y := by + nodeH + 18
	for _, p := range s.Partitions {
		if internalTopic(p.Topic) && !win.Internal {
			l.Hidden++
			continue
		}
		b := partBlock(p, y, win, l.Records)
		l.Parts = append(l.Parts, b)
		l.MaxEnd = max(l.MaxEnd, b.End)
		y += 20 + len(b.Rows)*(cellH+rowGap) + 12
	}
	if len(l.Parts) == 0 {
		y += 14 // room for the "no partitions yet" line below the nodes
	}
	l.H = y
	return l
}

func partBlock(p view.PartitionState, y int, win Window, recs map[string]OpenRecord) PartBlock {
	b := PartBlock{Y: y, TY: y + 12, Title: fmt.Sprintf("%s-%d", p.Topic, p.Partition), Class: "part"}
	leader := "none"
	if p.Leader >= 0 {
		leader = fmt.Sprintf("B%d", p.Leader)
	} else {
		b.Class += " offline"
	}
	// The strip window ends at the furthest LEO and shows StripWindow offsets.
	end := int64(0)
	for _, r := range p.Replicas {
		end = max(end, r.LEO)
	}
	for _, r := range p.Records {
		end = max(end, r.Offset+1)
	}
	start := win.start(end)
	b.End = end
	isrs := joinIDs(p.ISR, ",")
	switch {
	case end == 0:
		b.Sub = Tf("part.sub.empty", leader, p.LeaderEpoch, isrs)
	case end <= p.LogStartOffset:
		b.Sub = Tf("part.sub.deleted", leader, p.LeaderEpoch, isrs, p.LogStartOffset)
	default:
		// The offsets the strip shows that exist: not past the log end.
		b.Sub = Tf("part.sub", leader, p.LeaderEpoch, isrs, max(p.HWM, 0), start, min(start+StripWindow, end)-1)
	}
	b.Sub += elrNote(p, ",")

	ry := y + 20
	cx := func(off int64) int { return labelW + int(off-start)*cellW }
	for _, r := range p.Replicas {
		row := StripRow{Y: ry, LY: ry + cellH - 3, X: labelW, W: StripWindow * cellW, H: cellH, Y1: ry - 3, Y2: ry + cellH + 3,
			Label: fmt.Sprintf("B%d", r.Broker), Class: "strip " + r.State}
		if r.State == "leader" {
			row.Label += " ★"
		}
		if !r.InSync && r.State != "offline" {
			row.Class += " out-of-sync"
		}
		if r.State != "offline" && r.LEO >= 0 {
			lo := max(start, r.LogStartOffset)
			hw := min(max(p.HWM, lo), r.LEO)
			row.Committed = cellsPath(cx, ry, lo, hw, start)
			row.Pending = cellsPath(cx, ry, hw, r.LEO, start)
			if r.FlushedOffset >= 0 && r.FlushedOffset < r.LEO {
				row.Unflushed = barPath(cx, ry+cellH+1, max(r.FlushedOffset, lo), r.LEO, start)
			}
			if r.HWM >= start && r.HWM <= start+StripWindow {
				row.HWMX, row.ShowHWM = cx(r.HWM), true
			}
			if r.LEO >= start && r.LEO <= start+StripWindow {
				row.LEOX, row.ShowLEO = cx(r.LEO), true
			}
			if lso := p.LSO; r.State == "leader" && lso != nil && *lso < p.HWM && *lso >= start && *lso <= start+StripWindow {
				row.LSOX, row.ShowLSO = cx(*lso), true
			}
			row.Segs = segmentMarks(r.Segments, cx, start)
		}
		if c := cleanerOf(r); c != nil && (r.State == "leader" || (p.Leader < 0 && b.Cleaner == nil)) {
			b.Cleaner = cleanerMark(c)
			if c.Checkpoint >= start && c.Checkpoint <= start+StripWindow {
				row.CkptX, row.ShowCkpt = cx(c.Checkpoint), true
				row.CkptTitle = Tf("view.cleaner.checkpoint", c.Checkpoint)
			}
		}
		if r.State == "leader" || (p.Leader < 0 && len(b.Cells) == 0) {
			for _, rec := range p.Records {
				if rec.Offset < start || rec.Offset >= start+StripWindow {
					continue
				}
				id := fmt.Sprintf("rec-%s-%d-%d", p.Topic, p.Partition, rec.Offset)
				// The strip's full height: a larger target to tap.
				c := RecCell{ID: id, X: cx(rec.Offset) + 2, Y: ry, W: cellW - 4, H: cellH, Fill: KeyColor(rec.Key),
					Title: recordTitle(rec, rec.Offset < p.HWM)}
				// Keyless: hatched. Above the high watermark: faded, as the
				// strip's "not yet committed" cells are light.
				c.Class = recClass[b2i(rec.Key == nil)+2*b2i(rec.Offset >= p.HWM)]
				if seg := segmentOf(r.Segments, rec.Offset); seg != "" {
					c.Title += " · " + seg
				}
				if len(rec.Headers) > 0 {
					c.Class += " has-headers"
				}
				b.Cells = append(b.Cells, c)
				recs[id] = OpenRecord{Topic: p.Topic, Partition: p.Partition, Record: rec}
			}
		}
		b.Rows = append(b.Rows, row)
		ry += cellH + rowGap
	}
	return b
}

// recordTitle names a record cell for the hover and for a screen reader
// (the cell is the view's active descendant): its offset, key and whether it
// is committed — the colours, hatching and fading say the same to the eye.
// Concatenated, not formatted (but the offset): it runs for every cell of
// every frame.
func recordTitle(rec view.RecordView, committed bool) string {
	key := T("a11y.record.nokey")
	if rec.Key != nil {
		key = T("a11y.record.key") + " " + *rec.Key
	}
	state := T("a11y.uncommitted")
	if committed {
		state = T("a11y.committed")
	}
	return Tf("view.record", rec.Offset) + " · " + key + " · " + state
}

// cellsPath draws offsets [from, to) inside the window as one path of cells.
func cellsPath(cx func(int64) int, y int, from, to, start int64) string {
	from, to = max(from, start), min(to, start+StripWindow)
	if to <= from {
		return ""
	}
	var b strings.Builder
	for off := from; off < to; off++ {
		fmt.Fprintf(&b, "M%d %dh%dv%dh-%dz", cx(off)+1, y, cellW-2, cellH, cellW-2)
	}
	return b.String()
}

// barPath draws a thin bar under offsets [from, to).
func barPath(cx func(int64) int, y int, from, to, start int64) string {
	from, to = max(from, start), min(to, start+StripWindow)
	if to <= from {
		return ""
	}
	return fmt.Sprintf("M%d %dh%dv3h-%dz", cx(from)+1, y, int(to-from)*cellW-2, int(to-from)*cellW-2)
}

func cutNodes(n view.NetworkSnapshot) map[string]bool {
	out := map[string]bool{}
	for _, c := range n.Cuts {
		out[c[0]], out[c[1]] = true, true
	}
	return out
}

func controllerState(s string) string {
	switch s {
	case "up", "active":
		return T("node.active")
	case "no leader":
		return T("node.noleader")
	}
	return s
}

// sizeString formats bytes as B, KB or MB.
func sizeString(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// recClass is a record cell's class by keyless (+1) and uncommitted (+2),
// constant strings so a frame does not build them.
var recClass = [4]string{"rec", "rec keyless", "rec uncommitted", "rec keyless uncommitted"}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Cursor returns id if it is a record cell of the layout, else the newest
// cell of the first partition that has cells ("" when none has).
func (l *ClusterLayout) Cursor(id string) string {
	if _, ok := l.Records[id]; ok && id != "" {
		return id
	}
	for _, p := range l.Parts {
		if n := len(p.Cells); n > 0 {
			return p.Cells[n-1].ID
		}
	}
	return ""
}

// Move returns the record cell a key moves the cursor to from cell id:
// ArrowLeft and ArrowRight go to the previous and next offset, Home and End
// to the first and last of the strip, ArrowUp and ArrowDown to the nearest
// cell of the partition above or below. At an edge the cursor stays.
func (l *ClusterLayout) Move(id, key string) string {
	pi, ci := -1, -1
	for i, p := range l.Parts {
		for j, c := range p.Cells {
			if c.ID == id {
				pi, ci = i, j
			}
		}
	}
	if pi < 0 {
		return l.Cursor("")
	}
	cells := l.Parts[pi].Cells
	switch key {
	case "ArrowLeft":
		ci = max(ci-1, 0)
	case "ArrowRight":
		ci = min(ci+1, len(cells)-1)
	case "Home":
		ci = 0
	case "End":
		ci = len(cells) - 1
	case "ArrowUp", "ArrowDown":
		step := 1
		if key == "ArrowUp" {
			step = -1
		}
		x := cells[ci].X
		for i := pi + step; i >= 0 && i < len(l.Parts); i += step {
			if near := nearestCell(l.Parts[i].Cells, x); near != "" {
				return near
			}
		}
	}
	return cells[ci].ID
}

// nearestCell is the id of the cell closest to x ("" if none).
func nearestCell(cells []RecCell, x int) string {
	best, dist := "", 0
	for _, c := range cells {
		d := max(c.X-x, x-c.X)
		if best == "" || d < dist {
			best, dist = c.ID, d
		}
	}
	return best
}

// elrNote is " · ELR [..]" and " · last leader Bn" when the partition
// has eligible leader replicas or a last known leader (KIP-966), else "".
func elrNote(p view.PartitionState, sep string) string {
	var out string
	if len(p.ELR) > 0 {
		out += Tf("part.elr", joinIDs(p.ELR, sep))
	}
	if p.LastKnownLeader != nil {
		out += Tf("part.lastleader", *p.LastKnownLeader)
	}
	return out
}

// joinIDs writes broker ids with sep between them.
func joinIDs(ids []int32, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(int(id))
	}
	return strings.Join(s, sep)
}
