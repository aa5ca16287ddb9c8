package lessons

import (
	"errors"
	"sort"
	"strings"

	evdata "github.com/brokerlab/brokerlab/engine/contract/events"
	"github.com/brokerlab/brokerlab/engine/names"
	"github.com/brokerlab/brokerlab/engine/view"
)

// Predicates over delivery semantics: records a consumer processed twice
// (at-least-once), records its group committed past without processing
// them (at-most-once), and an exactly-once pipeline's output.

func init() {
	register[deliveryParams]("records_processed_twice", "the consumer (over its restarts) processed at least min (default 1) records more than once, from its consumed, crash_armed and consumer_crashed events", needsEvents, recordsProcessedTwice)
	register[deliveryParams]("records_never_processed", "the consumer's group committed offsets past at least min (default 1) records the consumer (over its restarts) never processed", needsEvents, recordsNeverProcessed)
	register[exactlyOnceParams]("output_exactly_once", "the group has committed all of the input topic, and the reader, caught up on the output topic, read exactly as many records as the input holds", 0, outputExactlyOnce)
}

type deliveryParams struct {
	Consumer string `json:"consumer"`
	Min      int    `json:"min"`
}

func (p *deliveryParams) validate() error {
	if p.Consumer == "" {
		return errors.New("missing \"consumer\"")
	}
	if p.Min == 0 {
		p.Min = 1
	}
	if err := atLeastOne("min", p.Min); err != nil {
		return err
	}
	return nil
}

// ledger is what one consumer name processed over its restarts.
type dlvLedger struct {
	group     string
	processed map[names.TopicPartition]map[int64]int // offset → times processed
	start     map[names.TopicPartition]int64         // where the group first began (position_reset)
	started   bool
}

type dlvTake struct {
	k        names.TopicPartition
	from, to int64
	timeUS   int64
}

// ledgerOf replays the consumer's events. A poll's records count as
// processed, except the last poll of an instance that crashed at
// before_process. Simplified: a crash "now" counts its last poll as
// processed (the engine does not trace single records).
func ledgerOf(evs []view.Event, consumer string) *dlvLedger {
	node := "consumer-" + consumer
	l := &dlvLedger{processed: map[names.TopicPartition]map[int64]int{}, start: map[names.TopicPartition]int64{}}
	var takes []dlvTake
	armed := ""
	flush := func(dropLast bool) {
		if dropLast && len(takes) > 0 {
			last := takes[len(takes)-1].timeUS
			for len(takes) > 0 && takes[len(takes)-1].timeUS == last {
				takes = takes[:len(takes)-1]
			}
		}
		for _, t := range takes {
			m := l.processed[t.k]
			if m == nil {
				m = map[int64]int{}
				l.processed[t.k] = m
			}
			for off := t.from; off < t.to; off++ {
				m[off]++
			}
		}
		takes, armed = nil, ""
	}
	for _, e := range evs {
		if e.Node != node {
			continue
		}
		switch e.Kind {
		case "consumer_started":
			flush(false)
			l.started = true
			if d, _ := typed[evdata.ConsumerStarted](e); d.Group != "" {
				l.group = d.Group
			}
		case "crash_armed":
			d, _ := typed[evdata.CrashArmed](e)
			armed = d.At
		case "consumed":
			from, _ := dataInt(e.Data, "from")
			to, _ := dataInt(e.Data, "to")
			takes = append(takes, dlvTake{names.TopicPartition{Topic: dataString(e.Data, "topic"), Partition: int32(dataIntOr(e.Data, "partition"))}, from, to, e.TimeUS})
		case "position_reset":
			d, _ := typed[evdata.PositionReset](e)
			k := names.TopicPartition{Topic: d.Topic, Partition: d.Partition}
			if _, ok := l.start[k]; !ok {
				l.start[k] = d.Offset
			}
		case "consumer_crashed":
			flush(armed == "before_process")
		case "consumer_closed":
			flush(false)
		}
	}
	flush(false)
	return l
}

func (l *dlvLedger) keys() []names.TopicPartition {
	return names.SortedKeys(l.processed)
}

func (l *dlvLedger) total() int {
	n := 0
	for _, m := range l.processed {
		n += len(m)
	}
	return n
}

// recordsProcessedTwice: offsets the consumer processed more than once.
func recordsProcessedTwice(_ view.Snapshot, evs []view.Event, p *deliveryParams) (bool, string) {
	l := ledgerOf(evs, p.Consumer)
	if !l.started {
		return false, say("consumer %s is not started yet", p.Consumer)
	}
	dups := 0
	var where []string
	for _, k := range l.keys() {
		var offs []int64
		for off, n := range l.processed[k] {
			if n > 1 {
				offs = append(offs, off)
				dups += n - 1
			}
		}
		if len(offs) > 0 {
			sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
			where = append(where, say("%s offsets %s", k, ranges(offs)))
		}
	}
	if dups == 0 {
		return false, say("consumer %s processed %s, none of them twice", p.Consumer, plural(l.total(), "record"))
	}
	return dups >= p.Min, say("consumer %s processed %s again: %s; the goal is %d", p.Consumer, plural(dups, "record"), strings.Join(where, "; "), p.Min)
}

// recordsNeverProcessed: offsets below the group's committed offset, from
// where the group began, that the consumer never processed.
func recordsNeverProcessed(s view.Snapshot, evs []view.Event, p *deliveryParams) (bool, string) {
	l := ledgerOf(evs, p.Consumer)
	if !l.started || l.group == "" {
		return false, say("consumer %s has not started in a group yet", p.Consumer)
	}
	g := findGroup(s, l.group)
	if g == nil {
		return false, noGroup(l.group)
	}
	lost := 0
	var where []string
	for _, gp := range g.Partitions {
		k := names.TopicPartition{Topic: gp.Topic, Partition: gp.Partition}
		var offs []int64
		for off := l.start[k]; off < gp.Committed; off++ {
			if l.processed[k][off] == 0 {
				offs = append(offs, off)
			}
		}
		if len(offs) > 0 {
			lost += len(offs)
			where = append(where, say("%s offsets %s", k, ranges(offs)))
		}
	}
	if lost == 0 {
		return false, say("group %s committed only records consumer %s processed (%s)", l.group, p.Consumer, plural(l.total(), "record"))
	}
	return lost >= p.Min, say("group %s committed past %s consumer %s never processed: %s; the goal is %d", l.group, plural(lost, "record"), p.Consumer, strings.Join(where, "; "), p.Min)
}

type exactlyOnceParams struct {
	Group  string `json:"group"`
	Input  string `json:"input"`
	Output string `json:"output"`
	Reader string `json:"reader"`
}

func (p *exactlyOnceParams) validate() error {
	if p.Input == "" || p.Output == "" || p.Input == p.Output {
		return errors.New("\"input\" and \"output\" must name two topics")
	}
	if p.Reader == "" {
		return errors.New("missing \"reader\"")
	}
	return needGroup(p.Group)
}

// outputExactlyOnce: every input record is committed by the group and the
// caught-up reader of the output saw exactly that many records: with a
// crash in between, no duplicate and no loss reached it.
func outputExactlyOnce(s view.Snapshot, _ []view.Event, p *exactlyOnceParams) (bool, string) {
	in, missing := topicPartitions(s, p.Input)
	if missing != "" {
		return false, missing
	}
	if _, missing := topicPartitions(s, p.Output); missing != "" {
		return false, missing
	}
	var records int64
	for _, ps := range in {
		records += ps.HWM
	}
	g := findGroup(s, p.Group)
	if g == nil {
		return false, noGroup(p.Group)
	}
	var committed int64
	for _, gp := range g.Partitions {
		if gp.Topic == p.Input && gp.Committed > 0 {
			committed += gp.Committed
		}
	}
	if records == 0 || committed < records {
		return false, say("group %s has committed %d of the %d records in %s", p.Group, committed, records, p.Input)
	}
	var rd *view.ConsumerSnapshot
	for i := range s.Consumers {
		if s.Consumers[i].Name == p.Reader {
			rd = &s.Consumers[i]
		}
	}
	if rd == nil {
		return false, say("consumer %s is not started yet", p.Reader)
	}
	for _, k := range sortedKeys(rd.Lag) {
		if strings.HasPrefix(k, p.Output+"-") && rd.Lag[k] != 0 {
			return false, say("consumer %s has not read %s to its end yet (lag %d on %s)", p.Reader, p.Output, rd.Lag[k], k)
		}
	}
	if _, reading := rd.Positions[p.Output+"-0"]; !reading {
		return false, say("consumer %s has not read %s yet", p.Reader, p.Output)
	}
	ok := rd.Consumed == records
	return ok, say("%s holds %d records, all committed by group %s; consumer %s read %d from %s", p.Input, records, p.Group, p.Reader, rd.Consumed, p.Output)
}
