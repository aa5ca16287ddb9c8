package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestShareGroupStrip: a share group shows its members with their counts
// and, per share-partition, one cell per in-flight record coloured by
// state, the delivery count above one written in, the SPSO and SPEO marks.
func TestShareGroupStrip(t *testing.T) {
	epoch := int32(3)
	g := view.GroupSnapshot{GroupID: "workers", GroupProtocol: "share", State: "Stable", GroupEpoch: 3, Coordinator: 2,
		Members: []view.GroupMember{
			{MemberID: "s1-a", Consumer: "s1", MemberEpoch: &epoch, Assignment: []string{"jobs-0"}, Polled: 12, Processed: 11, ClientState: "STABLE"},
			{MemberID: "slow-b", MemberEpoch: &epoch, Assignment: []string{"jobs-0"}, ClientState: "gone"},
		},
		Share: &view.ShareGroupView{DeliveryLimit: 5, LockDurationMs: 30000, AutoOffsetReset: "latest", Partitions: []view.SharePartitionView{
			{Topic: "jobs", Partition: 0, Leader: 1, Initialized: true, SPSO: 7, SPEO: 10, HWM: 12, Acquired: 1, Acknowledged: 1, Available: 1,
				InFlight: []view.ShareRecordView{
					{Offset: 7, State: "ACQUIRED", DeliveryCount: 2, Member: "s1-a", LockLeftMs: 2500},
					{Offset: 8, State: "ACKNOWLEDGED", DeliveryCount: 1},
					{Offset: 9, State: "AVAILABLE", DeliveryCount: 1},
				}},
			{Topic: "jobs", Partition: 1, Leader: 2},
		}},
	}
	html := GroupsHTML([]view.GroupSnapshot{g})
	for _, want := range []string{
		`<span class="mname">s1</span> <span class="tp">jobs-0</span> <span class="muted">received 12 · accepted 11</span>`,
		`share group (KIP-932) · group epoch 3`,
		`SPSO 7 · SPEO 10 · HWM 12 · available 1 · acquired 1 · acknowledged 1 · archived 0`,
		`<title>offset 7: Acquired, delivery 2 · s1 holds its lock, 2500 ms left</title><rect class="sr-aq"`,
		`<text x="36" y="12">2</text>`,
		`<rect class="sr-ok"`, `<rect class="sr-av"`, `>SPSO</text>`, `>SPEO</text>`,
		`jobs-1</span> <span class="muted">not started yet`,
		`group.share.session.timeout.ms`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in\n%s", want, html)
		}
	}
	if strings.Contains(html, "revoking") || strings.Contains(html, "<table") {
		t.Errorf("a share group has no KIP-848 reconciliation and no offsets table:\n%s", html)
	}
}
