package scenario

import (
	"strings"
	"time"
)

// Consumer-group ops: consumer_start with a group and an application
// (processing time, commit strategy, rebalance listener), commit,
// consumer_crash, subscribe and add_partitions.
//
// The group fields (group, process, max_records, commit, on_revoked) are
// read from Command when it has them; until then each has a stand-in every
// build accepts: configs group.id and max.poll.records, "delay" for the
// per-record processing time, and "mode" for the commit strategy (on
// consumer_start a comma list that may add "on_revoked=commit").

// GroupArgs are the group settings of a command.
type GroupArgs struct {
	Group      string
	Process    time.Duration
	MaxRecords int
	Commit     string // consumer_start: auto|sync|async|before|manual|txn; commit: sync|async
	OnRevoked  string // "" or "commit"
	Output     string // txn: the topic processed records are written to
}

// CrashPoints are the values of consumer_crash's mode.
var CrashPoints = []string{"now", "before_commit", "before_process"}

// commitStrategies are consumer_start's commit values.
var commitStrategies = []string{"auto", "sync", "async", "before", "manual", "txn"}

func validateConsumerStart(c *Command) error {
	if len(c.Topics) == 0 {
		return errorf("topics must list at least one topic")
	}
	return nil
}

func noteConsumerStart(s *State, c Command) { s.Consumers[c.Consumer] = true }

// noteConsumerGone forgets a closed or crashed consumer's name (it may start again).
func noteConsumerGone(s *State, c Command) { delete(s.Consumers, c.Consumer) }

// checkConsumer refuses an op on a consumer not running.
func checkConsumer(s *State, c Command) error {
	if !s.Consumers[c.Consumer] {
		return errorf("unknown consumer %q", c.Consumer)
	}
	return nil
}

func checkConsumerClose(s *State, c Command) error {
	if err := checkConsumer(s, c); err != nil {
		return err
	}
	if c.Mode != "" && c.Mode != "graceful" && c.Mode != "crash" {
		return errorf("mode must be \"graceful\" (commit, revoke, LeaveGroup) or \"crash\" (kill -9), got %q", c.Mode)
	}
	return nil
}

func checkCommit(s *State, c Command) error {
	if err := checkConsumer(s, c); err != nil {
		return err
	}
	if a := c.GroupArgs(); a.Commit != "" && a.Commit != "sync" && a.Commit != "async" {
		return errorf("commit must be \"sync\" (commitSync) or \"async\" (commitAsync), got %q", a.Commit)
	}
	return nil
}

func checkConsumerCrash(s *State, c Command) error {
	if err := checkConsumer(s, c); err != nil {
		return err
	}
	if c.Mode != "" && !oneOf(c.Mode, CrashPoints) {
		return errorf("mode must be one of %s (when the process dies), got %q", strings.Join(CrashPoints, ", "), c.Mode)
	}
	return nil
}

func checkSubscribe(s *State, c Command) error {
	if err := checkConsumer(s, c); err != nil {
		return err
	}
	if len(c.Topics) == 0 {
		return errorf("topics must list at least one topic")
	}
	for _, t := range c.Topics {
		if err := s.topic(t); err != nil {
			return err
		}
	}
	return nil
}

func checkAddPartitions(s *State, c Command) error {
	if err := s.topic(c.Topic); err != nil {
		return err
	}
	if n, ok := s.Topics[c.Topic]; ok && *c.Partitions <= n {
		return errorf("topic %q has %d partitions; partitions must be larger (partitions can only be added)", c.Topic, n)
	}
	return nil
}

func noteAddPartitions(s *State, c Command) { s.Topics[c.Topic] = *c.Partitions }

func checkConsumerStart(s *State, c Command) error {
	if s.Consumers[c.Consumer] {
		return errorf("consumer %q is already running", c.Consumer)
	}
	if err := validName(c.Consumer); err != nil {
		return err
	}
	for _, t := range c.Topics {
		if err := s.topic(t); err != nil {
			return err
		}
	}
	a := c.GroupArgs()
	if a.Commit != "" && !oneOf(a.Commit, commitStrategies) {
		return errorf("commit must be one of %s, got %q", strings.Join(commitStrategies, ", "), a.Commit)
	}
	if a.OnRevoked != "" && a.OnRevoked != "commit" {
		return errorf("on_revoked must be \"commit\" (commitSync in onPartitionsRevoked), got %q", a.OnRevoked)
	}
	if a.Commit == "txn" {
		if a.Group == "" {
			return errorf("exactly-once (commit txn) needs a group")
		}
		if a.Output == "" {
			return errorf("exactly-once (commit txn) needs \"topic\": the output topic each processed record is written to")
		}
		if err := s.topic(a.Output); err != nil {
			return err
		}
	}
	if (a.Commit != "" || a.Process > 0 || a.OnRevoked != "") && a.Group == "" {
		return errorf("commit, processing time and on_revoked need a group (group.id)")
	}
	if a.Process < 0 {
		return errorf("the processing time must not be negative")
	}
	return nil
}

func oneOf(x string, xs []string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// GroupArgs reads the group settings of a command (see the file comment).
func (c Command) GroupArgs() GroupArgs {
	var a GroupArgs
	a.Group = c.Group
	if a.Group == "" {
		a.Group = c.Configs["group.id"]
	}
	if c.Process != nil {
		a.Process = time.Duration(*c.Process)
	}
	if a.Process == 0 && c.Delay != nil {
		a.Process = time.Duration(*c.Delay)
	}
	if c.MaxRecords != nil {
		a.MaxRecords = *c.MaxRecords
	}
	a.Commit = c.Commit
	a.OnRevoked = c.OnRevoked
	if c.Op == "consumer_start" {
		for _, w := range strings.Split(c.Mode, ",") {
			switch w = strings.TrimSpace(w); {
			case w == "":
			case strings.HasPrefix(w, "on_revoked="):
				if a.OnRevoked == "" {
					a.OnRevoked = strings.TrimPrefix(w, "on_revoked=")
				}
			case a.Commit == "":
				a.Commit = w
			}
		}
		a.Output = c.Topic
	} else if a.Commit == "" {
		a.Commit = c.Mode
	}
	return a
}
