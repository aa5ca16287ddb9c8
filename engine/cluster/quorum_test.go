package cluster

import (
	"testing"
	"time"

	"github.com/brokerlab/brokerlab/engine/scenario"
)

func open(t *testing.T, js string) *Cluster {
	t.Helper()
	s, err := scenario.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func topicExists(c *Cluster, name string) bool {
	for _, t := range c.Snapshot(SnapshotOptions{}).Topics {
		if t.Name == name {
			return true
		}
	}
	return false
}

// TestQuorumSurvivesMinorityLossAndStopsWithoutMajority: with 3 voters,
// metadata changes go on with one voter down and stop with two down.
func TestQuorumSurvivesMinorityLossAndStopsWithoutMajority(t *testing.T) {
	for _, voters := range []int{3, 5} {
		c := open(t, `{"seed": 4, "cluster": {"brokers": 3, "controllers": `+itoa(voters)+`}}`)
		first := c.ActiveController()
		if first == nil {
			t.Fatalf("%d voters: no active controller after boot", voters)
		}
		minority := (voters - 1) / 2
		// Lose a minority, the active controller first: a new leader takes over.
		crashed := 0
		first.Crash()
		crashed++
		for _, v := range c.Controllers {
			if crashed == minority {
				break
			}
			if !v.Down() {
				v.Crash()
				crashed++
			}
		}
		c.Apply(mustCmds(t, `{"op":"create_topic","topic":"a","partitions":2,"replication_factor":3}`))
		c.Sim.RunUntil(c.Now() + 10*time.Second)
		if a := c.ActiveController(); a == nil || a == first {
			t.Fatalf("%d voters, %d down: expected a new active controller", voters, minority)
		}
		if !topicExists(c, "a") {
			t.Fatalf("%d voters, %d down: topic creation should succeed with a majority", voters, minority)
		}
		// One more down: no majority, no metadata change.
		for _, v := range c.Controllers {
			if !v.Down() {
				v.Crash()
				break
			}
		}
		c.Apply(mustCmds(t, `{"op":"create_topic","topic":"b"}`))
		c.Sim.RunUntil(c.Now() + 10*time.Second)
		if topicExists(c, "b") {
			t.Fatalf("%d voters, %d down: a topic was created without a majority", voters, minority+1)
		}
		// Bring one back: the majority returns and the retried creation lands.
		c.Apply(mustCmds(t, `{"op":"controller_restart"}`))
		c.Apply(mustCmds(t, `{"op":"create_topic","topic":"c"}`))
		c.Sim.RunUntil(c.Now() + 15*time.Second)
		if !topicExists(c, "c") {
			t.Fatalf("%d voters: creation should work again once a majority is back", voters)
		}
	}
}

func mustCmds(t *testing.T, js ...string) []scenario.Command {
	t.Helper()
	var out []scenario.Command
	for _, j := range js {
		c, err := scenario.ParseCommand([]byte(j))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func itoa(n int) string { return string(rune('0' + n)) }

// TestCombinedModeControllerSharesItsBrokersFate: crashing a broker in
// combined mode also stops the controller inside it.
func TestCombinedModeControllerSharesItsBrokersFate(t *testing.T) {
	c := open(t, `{"seed": 6, "cluster": {"brokers": 3, "controllers": 3, "controller_mode": "combined"}}`)
	a := c.ActiveController()
	if a == nil {
		t.Fatal("no active controller")
	}
	c.Apply(mustCmds(t, `{"op":"broker_crash","broker":`+itoa(int(a.ID))+`}`))
	if !a.Down() {
		t.Fatal("the controller inside the crashed broker is still up")
	}
	c.Sim.RunUntil(c.Now() + 6*time.Second)
	if b := c.ActiveController(); b == nil || b == a {
		t.Fatal("no new active controller after the combined node crashed")
	}
}
