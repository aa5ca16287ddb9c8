package ui

import (
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/engine/view"
)

// TestKIP848FromTheForm: the consumer form's group.protocol=consumer starts
// a KIP-848 member; the groups panel names the protocol, the group and
// target epochs and each member's epoch.
func TestKIP848FromTheForm(t *testing.T) {
	a, env := startApp(t, newFake(map[string]string{}, "sandbox"))
	handle(env, func() { a.Sandbox.Brokers = 3; a.StartSandbox() })
	waitFor(t, env, "the sandbox", func() bool { return a.F.Open && len(a.F.Snap.Brokers) == 3 })
	handle(env, func() { a.Apply(Cmd{Op: "create_topic", Topic: "t", Partitions: ptr(4), ReplicationFactor: ptr(3)}) })
	waitFor(t, env, "the topic", func() bool { return len(a.F.Snap.Topics) > 0 })
	handle(env, func() {
		a.Forms.ConsumerGroup, a.Forms.ConsumerProtocol, a.More.ConsumerTopics = "g", "consumer", "t"
		a.StartConsumer()
	})
	waitFor(t, env, "a consumer group", func() bool {
		return strings.Contains(GroupsHTML(a.F.Snap.Groups), "consumer protocol (KIP-848)") && strings.Contains(GroupsHTML(a.F.Snap.Groups), "epoch 1")
	})
}

// TestKIP848MemberPartitions: a member's partitions against its target:
// one to revoke struck through, one awaited dashed, its state shown.
func TestKIP848MemberPartitions(t *testing.T) {
	e := int32(3)
	html := GroupsHTML([]view.GroupSnapshot{{GroupID: "g", State: "Reconciling", GroupProtocol: "consumer", GroupEpoch: 4, AssignmentEpoch: 4, Assignor: "uniform",
		Members: []view.GroupMember{{MemberID: "m1", Consumer: "c1", Assignment: []string{"t-0", "t-1"}, Target: []string{"t-0", "t-2"}, MemberEpoch: &e, MemberState: "UNREVOKED_PARTITIONS"}}}})
	for _, want := range []string{"group epoch 4", `class="tp revoking"`, `>t-1<`, `class="tp pending"`, `>t-2<`, "epoch 3", "UNREVOKED_PARTITIONS"} {
		if !strings.Contains(html, want) {
			t.Errorf("the panel lacks %q:\n%s", want, html)
		}
	}
}

// TestClassicProtocolNamed: a classic group's head names the protocol
// beside its rebalance style and assignor, as a consumer group's does.
func TestClassicProtocolNamed(t *testing.T) {
	html := GroupsHTML([]view.GroupSnapshot{{GroupID: "g", State: "Stable", Generation: 2, RebalanceProtocol: "EAGER", Protocol: "range"}})
	if !strings.Contains(html, "classic protocol · EAGER (range)") {
		t.Errorf("the panel does not name the classic protocol:\n%s", html)
	}
}
