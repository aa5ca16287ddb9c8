package client

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/proto"
)

// commitTimeout bounds commitSync's retries (default.api.timeout.ms).
const commitTimeout = 60 * time.Second

// syncTimeout is how long a commitSync retries: the rebalance timeout when
// it runs while preparing a rejoin (Kafka's onJoinPrepare), else
// default.api.timeout.ms.
func (g *groupClient) syncTimeout() time.Duration {
	if g.preparing {
		return g.pollInterval
	}
	return commitTimeout
}

// commit sends OffsetCommit for offsets with the member's generation.
// commitSync (sync) retries retriable errors until it succeeds or
// default.api.timeout.ms passes; commitAsync does not retry. A refused
// commit (the member is no longer in this generation) is Kafka's
// CommitFailedException. done may be nil.
func (g *groupClient) commit(offsets map[names.TopicPartition]int64, sync bool, why string, done func(ok bool)) {
	finish := func(ok bool) {
		if done != nil && !g.c.stopped {
			done(ok)
		}
	}
	if g.crashAt == "before_commit" {
		g.crashNow()
		return
	}
	if len(offsets) == 0 {
		finish(true)
		return
	}
	g.sendCommit(offsets, sync, why, g.now()+g.syncTimeout(), finish)
}

func (g *groupClient) sendCommit(offsets map[names.TopicPartition]int64, sync bool, why string, deadline time.Duration, finish func(bool)) {
	c := g.c
	failed := func(msg string) {
		c.emit("commit_failed", fmt.Sprintf("consumer %s: %s failed: %s", c.name, why, msg),
			map[string]any{"group": g.groupID, "error": msg, "offsets": offsetNames(offsets)})
		finish(false)
	}
	retry := func(msg string) {
		if !sync || g.now() >= deadline {
			failed(msg)
			return
		}
		g.after(c.backoff(), func() { g.sendCommit(offsets, sync, why, deadline, finish) })
	}
	if g.coordinator < 0 {
		if !sync {
			failed("COORDINATOR_NOT_AVAILABLE")
			return
		}
		g.findCoordinator()
		g.after(c.backoff(), func() { g.sendCommit(offsets, sync, why, deadline, finish) })
		return
	}
	keys := make([]names.TopicPartition, 0, len(offsets))
	for k := range offsets {
		keys = append(keys, k)
	}
	names.Sort(keys)
	req := proto.OffsetCommitRequest{GroupID: g.groupID, GenerationID: g.generation, MemberID: g.memberID, GroupInstanceID: g.instanceID}
	for _, k := range keys {
		p := proto.OffsetCommitPartition{Index: k.Partition, CommittedOffset: offsets[k], CommittedLeaderEpoch: -1}
		if n := len(req.Topics); n > 0 && req.Topics[n-1].Name == k.Topic {
			req.Topics[n-1].Partitions = append(req.Topics[n-1].Partitions, p)
			continue
		}
		req.Topics = append(req.Topics, proto.OffsetCommitTopic{Name: k.Topic, Partitions: []proto.OffsetCommitPartition{p}})
	}
	ce := g.coordEpoch
	c.ep.Call(nodeOf(g.coordinator), req, c.requestTimeout(), func(body any, code proto.ErrorCode) {
		if c.stopped {
			return
		}
		resp, ok := body.(proto.OffsetCommitResponse)
		if code != proto.None || !ok {
			if ce == g.coordEpoch {
				g.coordinatorLost(fmt.Sprintf("OffsetCommit failed: %s", code))
			}
			retry(code.String())
			return
		}
		worst := proto.None
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if p.ErrorCode != proto.None {
					worst = p.ErrorCode
				}
			}
		}
		switch worst {
		case proto.None:
			for k, off := range offsets {
				g.committed[k] = off
			}
			finish(true)
		case proto.NotCoordinator, proto.CoordinatorNotAvailable, proto.CoordinatorLoadInProgress, proto.RequestTimedOut:
			if ce == g.coordEpoch && worst != proto.RequestTimedOut {
				g.coordinatorLost(fmt.Sprintf("OffsetCommit: %s", worst))
			}
			retry(worst.String())
		case proto.IllegalGeneration:
			failed("CommitFailedException (ILLEGAL_GENERATION): the group rebalanced and this member's partitions may belong to another member now")
			g.resetGeneration(false, "OffsetCommit: ILLEGAL_GENERATION")
		case proto.UnknownMemberID:
			failed("CommitFailedException (UNKNOWN_MEMBER_ID): the coordinator removed this member")
			g.resetGeneration(true, "OffsetCommit: UNKNOWN_MEMBER_ID")
		case proto.RebalanceInProgress:
			failed("RebalanceInProgressException: commit again after rejoining")
			g.requestRejoin("OffsetCommit: REBALANCE_IN_PROGRESS")
		default:
			failed(worst.String())
		}
	})
}

func offsetNames(offsets map[names.TopicPartition]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range offsets {
		out[k.String()] = v
	}
	return out
}

// maybeAutoCommit is enable.auto.commit: every auto.commit.interval.ms, at
// poll time, commitAsync of the current positions — the end of what the
// previous poll returned, which the application has finished by now.
// Simplified: positions that did not move since the last commit are not
// sent again (Kafka resends them).
func (g *groupClient) maybeAutoCommit() {
	if !g.autoCommit || g.generation < 0 || g.now() < g.nextAuto {
		return
	}
	g.nextAuto = g.now() + g.autoCommitIv
	offs := map[names.TopicPartition]int64{}
	for k, p := range g.allConsumed() {
		if old, ok := g.committed[k]; !ok || old != p {
			offs[k] = p
		}
	}
	if len(offs) > 0 {
		g.commit(offs, false, "auto-commit", nil)
	}
}

// CommitNow is an explicit commitSync() or commitAsync() of the current
// positions (the scenario's commit command).
func (c *Consumer) CommitNow(sync bool) error {
	if c.g == nil {
		return fmt.Errorf("client: consumer %s has no group.id: commit needs one (InvalidGroupIdException)", c.name)
	}
	if c.stopped {
		return fmt.Errorf("client: consumer %s is closed", c.name)
	}
	how := "commitAsync"
	if sync {
		how = "commitSync"
	}
	c.g.commit(c.g.allConsumed(), sync, how, nil)
	return nil
}

// Subscribe changes a group consumer's subscription.
func (c *Consumer) Subscribe(topics []string) error {
	if c.g == nil {
		return fmt.Errorf("client: consumer %s has no group.id: it reads assigned partitions and cannot subscribe", c.name)
	}
	c.g.subscribe(topics)
	return nil
}
