package ui

import (
	"fmt"
	"strconv"

	"github.com/brokerlab/brokerlab/engine/view"
)

// quorumRow lays out every KRaft voter (id, up or down, role, epoch, log
// end offset against the high watermark) on the first row, with a note
// on how many voters a metadata change needs.
func (l *ClusterLayout) quorumRow(s view.Snapshot, cut map[string]bool) {
	x, up := 8, 0
	for _, v := range s.Quorum {
		n := NodeBox{ID: fmt.Sprintf("node-voter-%d", v.ID), X: x, Y: 8, W: nodeW, H: nodeH,
			Class: "node controller voter " + v.Role, Title: Tf("node.controller", v.ID)}
		if v.Role == "leader" {
			n.Title += " ★"
		}
		if v.State == "down" {
			n.Class += " down"
			n.Sub = T("node.down")
		} else {
			up++
			n.Sub = Tf("node.role", voterRole(v.Role), v.Epoch)
			n.Detail = fmt.Sprintf("LEO %d · HW %d", v.LogEndOffset, v.HighWatermark)
			if v.LogEndOffset > v.HighWatermark {
				n.Detail += " (+" + strconv.FormatInt(v.LogEndOffset-v.HighWatermark, 10) + ")"
			}
		}
		if cut["controller-"+strconv.Itoa(int(v.ID))] {
			n.Class += " cut"
			n.Sub = T("node.cut") + " · " + voterRole(v.Role)
			if v.State == "down" {
				n.Sub = T("node.cut") + " · " + T("node.down")
			}
		}
		l.Nodes = append(l.Nodes, n)
		x += nodeW + nodeGap
	}
	need := len(s.Quorum)/2 + 1
	l.Quorum = T("quorum.title")
	l.QuorumNeed = Tf("quorum.note", need, len(s.Quorum))
	switch {
	case up < need:
		l.QuorumSub = Tf("quorum.lost", up, len(s.Quorum))
	case s.Controller.ID >= 0:
		l.QuorumSub = Tf("quorum.ok", up, len(s.Quorum), s.Controller.ID, s.Controller.Epoch)
	default:
		l.QuorumSub = Tf("quorum.electing", up, len(s.Quorum))
	}
	l.QX, l.QY = x+4, 8+17
	l.W = max(l.W, x+290)
}

// voterRole is a KRaft voter's role (leader, follower, candidate,
// unattached) in the current locale.
func voterRole(r string) string {
	if s, ok := locales[Locale]["role."+r]; ok {
		return s
	}
	return r
}
