package lessons

import (
	"errors"
	"fmt"
	"strings"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over the KRaft controller quorum.

func init() {
	register[quorumParams]("quorum_state", "the KRaft quorum has exactly down voters down (if set) and has (active true) or lacks (active false) an active controller (if set)", 0, quorumState)
	register[createdDownParams]("topic_created_while_voters_down", "the controller created the topic while at least min_down (default 1) KRaft voters were down (from controller_crashed and controller_restarted events)", needsEvents, topicCreatedWhileVotersDown)
}

type quorumParams struct {
	Down   *int  `json:"down"`
	Active *bool `json:"active"`
}

func (p *quorumParams) validate() error {
	if p.Down == nil && p.Active == nil {
		return errors.New("give \"down\", \"active\" or both")
	}
	if p.Down != nil && *p.Down < 0 {
		return fmt.Errorf("\"down\" must not be negative, got %d", *p.Down)
	}
	return nil
}

// quorumState: the count of voters down, and whether there is an active
// controller.
func quorumState(s view.Snapshot, _ []view.Event, p *quorumParams) (bool, string) {
	if len(s.Quorum) == 0 {
		return false, say("the snapshot shows no controller quorum")
	}
	var down []string
	for _, v := range s.Quorum {
		if v.State == "down" {
			down = append(down, fmt.Sprint(v.ID))
		}
	}
	active := s.Controller.ID >= 0 && s.Controller.State == "active"
	var words []string
	switch len(down) {
	case 0:
		words = append(words, say("all %d voters are up", len(s.Quorum)))
	case 1:
		words = append(words, say("voter %s of %d is down", down[0], len(s.Quorum)))
	default:
		list := down[0]
		for _, d := range down[1:] {
			list = say("%s and %s", list, d)
		}
		words = append(words, say("voters %s of %d are down", list, len(s.Quorum)))
	}
	if active {
		words = append(words, say("controller %d is active in epoch %d", s.Controller.ID, s.Controller.Epoch))
	} else {
		words = append(words, say("no controller is active"))
	}
	ok := (p.Down == nil || len(down) == *p.Down) && (p.Active == nil || active == *p.Active)
	return ok, strings.Join(words, "; ")
}

type createdDownParams struct {
	Topic   string `json:"topic"`
	MinDown int    `json:"min_down"`
}

func (p *createdDownParams) validate() error {
	if p.MinDown == 0 {
		p.MinDown = 1
	}
	if err := atLeastOne("min_down", p.MinDown); err != nil {
		return err
	}
	return needTopic(p.Topic)
}

// topicCreatedWhileVotersDown: the topic_created event of the topic came
// while at least min_down voters were crashed and not yet restarted.
func topicCreatedWhileVotersDown(s view.Snapshot, evs []view.Event, p *createdDownParams) (bool, string) {
	down := map[int32]bool{}
	for _, e := range evs {
		switch e.Kind {
		case "controller_crashed":
			if d, ok := typed[evdata.ControllerCrashed](e); ok {
				down[d.Controller] = true
			}
		case "controller_restarted":
			if d, ok := typed[evdata.ControllerRestarted](e); ok {
				delete(down, d.Controller)
			}
		case "topic_created":
			if d, _ := typed[evdata.TopicCreated](e); e.Topic != p.Topic && d.Topic != p.Topic {
				continue
			}
			of := ""
			if len(s.Quorum) > 0 {
				of = say(" of %d", len(s.Quorum))
			}
			if len(down) >= p.MinDown {
				return true, say("topic %s was created at %s with %d%s voters down", p.Topic, at(e), len(down), of)
			}
			return false, say("topic %s was created at %s with %d%s voters down; the goal needs %d down", p.Topic, at(e), len(down), of, p.MinDown)
		}
	}
	return false, say("topic %s has not been created yet", p.Topic)
}
