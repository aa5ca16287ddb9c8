package lessons

import (
	"errors"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over real Kafka clients connected from outside the page
// (server/kafkawire, the snapshot's Outside list).

func init() {
	register[outsideParams]("outside_client", "real Kafka clients connected from outside (go run ./server -kafka) had at least produced records of the topic acknowledged (at leader epoch min_leader_epoch or later, if set), fetched at least fetched of them, and saw the error, as set", 0, outsideClient)
}

type outsideParams struct {
	Topic          string `json:"topic"`
	Produced       int64  `json:"produced"`
	Fetched        int64  `json:"fetched"`
	MinLeaderEpoch int32  `json:"min_leader_epoch"`
	Error          string `json:"error"`
}

func (p *outsideParams) validate() error {
	if p.Produced < 0 || p.Fetched < 0 || p.MinLeaderEpoch < 0 {
		return errors.New("\"produced\", \"fetched\" and \"min_leader_epoch\" must not be negative")
	}
	if p.Produced == 0 && p.Fetched == 0 && p.Error == "" {
		return errors.New("set \"produced\", \"fetched\" or \"error\"")
	}
	return needTopic(p.Topic)
}

// outsideClient sums what every outside connection did with the topic.
func outsideClient(s view.Snapshot, _ []view.Event, p *outsideParams) (bool, string) {
	if len(s.Outside) == 0 {
		return false, say("no Kafka client has connected from outside yet: start the server with its Kafka listener (make run-kafka) and point your client at it")
	}
	var produced, producedLate, fetched, errs int64
	for _, o := range s.Outside {
		for tp, n := range o.Produced {
			if topicOf(tp) == p.Topic {
				produced += n
				if o.ProducedEpoch[tp] >= p.MinLeaderEpoch {
					producedLate += n
				}
			}
		}
		for tp, n := range o.Fetched {
			if topicOf(tp) == p.Topic {
				fetched += n
			}
		}
		errs += o.Errors[p.Error]
	}
	ok := true
	var parts []string
	if p.Produced > 0 {
		if p.MinLeaderEpoch > 0 {
			ok = ok && producedLate >= p.Produced
			parts = append(parts, say("%d records of %s acknowledged by a leader in epoch %d or later (want %d)", producedLate, p.Topic, p.MinLeaderEpoch, p.Produced))
		} else {
			ok = ok && produced >= p.Produced
			parts = append(parts, say("%d records of %s acknowledged (want %d)", produced, p.Topic, p.Produced))
		}
	}
	if p.Fetched > 0 {
		ok = ok && fetched >= p.Fetched
		parts = append(parts, say("%d records of %s fetched (want %d)", fetched, p.Topic, p.Fetched))
	}
	if p.Error != "" {
		ok = ok && errs > 0
		parts = append(parts, say("%s in %s", p.Error, plural(int(errs), "answer")))
	}
	return ok, say("outside clients: %s", strings.Join(parts, "; "))
}

// topicOf is the topic of a "topic-partition" key.
func topicOf(tp string) string {
	i := strings.LastIndexByte(tp, '-')
	if i < 0 {
		return tp
	}
	if _, err := strconv.Atoi(tp[i+1:]); err != nil {
		return tp
	}
	return tp[:i]
}
