// Package simtest runs seeded random fault schedules against a simulated
// Kafka cluster and checks every run with engine/check. One seed decides
// everything — cluster size, configs, producers, the fault schedule — and
// the schedule is an ordinary scenario, so a failing seed can be replayed
// in a test, the headless runner or the UI.
package simtest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/brokerlab/brokerlab/engine/metadata"
	"github.com/brokerlab/brokerlab/engine/sim"
)

// Mode chooses the guarantees a run is held to.
type Mode int

const (
	// Safe is acks=all, min.insync.replicas=2, clean elections only: no
	// acknowledged write may be lost.
	Safe Mode = iota
	// Unsafe is acks=1 or unclean.leader.election.enable=true (or both):
	// acknowledged writes may be lost, and the checker must be able to show it.
	Unsafe
)

func (m Mode) String() string {
	if m == Safe {
		return "safe"
	}
	return "unsafe"
}

// Topic is the topic every plan produces to.
const Topic = "t"

// Plan is what one seed decides: a scenario with a fault schedule.
type Plan struct {
	Seed        uint64
	Mode        Mode
	Brokers     int
	Controllers int
	// Fsync is set when the topic fsyncs every record (flush.messages=1):
	// power losses then lose nothing acknowledged.
	Fsync bool
	// Horizon ends the faults: everything is healed and restarted then, and
	// the cluster runs quietly until End so that it converges.
	Horizon, End time.Duration
	Cluster      map[string]any
	Steps        []Step
	// ELR is set when the plan is the ELR episode (elr.go).
	ELR bool
	// GroupProtocol is how the plan's consumer group rebalances (group.go):
	// consumer, eager or cooperative-sticky; "" when it has no group.
	GroupProtocol string
	// Share is set when the plan runs share consumers (share.go).
	Share bool
}

// Quiet is how long a plan runs after its faults end. It exceeds the 30 s
// replica fetch timeout (replica.socket.timeout.ms), so even a follower
// whose fetch was dropped has retried by the end.
const Quiet = 35 * time.Second

// Step is one scenario step (the fields the plans use, in reading order).
type Step struct {
	At                time.Duration     `json:"-"`
	Op                string            `json:"op"`
	Topic             string            `json:"topic,omitempty"`
	Topics            []string          `json:"topics,omitempty"`
	Partitions        int               `json:"partitions,omitempty"`
	ReplicationFactor int               `json:"replication_factor,omitempty"`
	Producer          string            `json:"producer,omitempty"`
	Consumer          string            `json:"consumer,omitempty"`
	Configs           map[string]string `json:"configs,omitempty"`
	Key               string            `json:"key,omitempty"`
	Value             string            `json:"value,omitempty"`
	Count             int               `json:"count,omitempty"`
	Rate              string            `json:"rate,omitempty"`
	Broker            int               `json:"broker,omitempty"`
	Mode              string            `json:"mode,omitempty"`
	Isolate           []string          `json:"isolate,omitempty"`
	Groups            [][]string        `json:"groups,omitempty"`
	From              string            `json:"from,omitempty"`
	To                string            `json:"to,omitempty"`
	Delay             string            `json:"delay,omitempty"`
	Drop              float64           `json:"drop,omitempty"`
	Note              string            `json:"note,omitempty"`
	Group             string            `json:"group,omitempty"`
	Process           string            `json:"process,omitempty"`
	MaxRecords        int               `json:"max_records,omitempty"`
}

// MarshalJSON writes "at" first, as scenarios do.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	body, err := json.Marshal(plain(s))
	if err != nil {
		return nil, err
	}
	return append([]byte(fmt.Sprintf(`{"at":%q,`, s.At.String())), body[1:]...), nil
}

// NewPlan derives a plan from seed.
func NewPlan(seed uint64, mode Mode) *Plan {
	r := sim.NewRand(seed).Fork("simtest/" + mode.String())
	p := &Plan{Seed: seed, Mode: mode, Brokers: 3, Controllers: 1}
	if r.Intn(5) == 0 {
		p.Brokers = 5
	}
	if r.Intn(3) == 0 {
		p.Controllers = 3
	}
	session := pick(r, 1500, 3000, 6000)
	bcfg := map[string]string{
		"broker.session.timeout.ms":    fmt.Sprint(session),
		"broker.heartbeat.interval.ms": fmt.Sprint(session / 4),
	}
	// A follower's fetch waits up to replica.fetch.wait.max.ms (500 ms) on an
	// idle leader, so a lag limit that short would make idle ISRs flap.
	lag := pick(r, 500, 1000, 2000, 4000)
	if lag == 500 {
		bcfg["replica.lag.time.max.ms"], bcfg["replica.fetch.wait.max.ms"] = "500", "100"
	} else {
		bcfg["replica.lag.time.max.ms"] = fmt.Sprint(lag)
	}
	p.Cluster = map[string]any{"brokers": p.Brokers, "controllers": p.Controllers, "configs": bcfg}
	if r.Intn(4) == 0 {
		// A cluster formatted as Kafka 4.0 formats it: no eligible leader replicas.
		p.Cluster["features"] = map[string]int{metadata.ELRFeature: 0}
	}

	tcfg := map[string]string{"min.insync.replicas": "2"}
	acks := "all"
	if mode == Safe {
		if r.Intn(3) == 0 {
			p.Fsync = true
			tcfg["flush.messages"] = "1"
		}
	} else {
		switch r.Intn(3) {
		case 0:
			acks, tcfg["min.insync.replicas"] = "1", "1"
		case 1:
			tcfg["unclean.leader.election.enable"] = "true"
			tcfg["min.insync.replicas"] = "1"
		default:
			acks = "1"
			tcfg["unclean.leader.election.enable"] = "true"
		}
	}
	partitions := 1 + r.Intn(3)
	p.add(Step{Op: "create_topic", Topic: Topic, Partitions: partitions, ReplicationFactor: 3, Configs: tcfg})
	p.add(Step{Op: "consumer_start", Consumer: "c1", Topics: []string{Topic},
		Configs: map[string]string{"auto.offset.reset": "earliest", "request.timeout.ms": "5000"}})

	p.Horizon = time.Duration(3000+r.Intn(2000)) * time.Millisecond
	// Share consumers (share.go) draw from a stream of their own, so the
	// plans without them are the plans of before.
	if rs := sim.NewRand(seed).Fork("simtest/share/" + mode.String()); rs.Intn(4) == 0 {
		p.shareConsumers(rs)
	}
	for i := 1; i <= 1+r.Intn(2); i++ {
		name := fmt.Sprintf("p%d", i)
		p.add(Step{Op: "producer_start", Producer: name, Configs: map[string]string{
			"acks": acks, "linger.ms": fmt.Sprint(pick(r, 0, 5, 20)), "request.timeout.ms": fmt.Sprint(pick(r, 1000, 3000)),
			"delivery.timeout.ms": "20000", "max.in.flight.requests.per.connection": fmt.Sprint(pick(r, 1, 5, 5))}})
		st := Step{At: time.Duration(10+r.Intn(300)) * time.Millisecond, Op: "produce", Producer: name, Topic: Topic,
			Count: 100 + r.Intn(201), Rate: fmt.Sprintf("%d/s", pick(r, 100, 200, 400)), Value: name + "-{i}"}
		if r.Intn(4) != 0 {
			st.Key = "k{i%7}"
		}
		p.add(st)
	}
	p.groupMembers(sim.NewRand(seed).Fork("simtest/group/" + mode.String()))
	if r.Intn(5) == 0 {
		p.elrEpisode(r, time.Duration(lag)*time.Millisecond, time.Duration(session)*time.Millisecond)
	} else {
		p.faults(r)
	}
	// The faults end: heal, restart everything (no-ops for what is up), flush.
	p.add(Step{At: p.Horizon, Op: "heal"})
	for i := 0; i < p.Controllers; i++ {
		p.add(Step{At: p.Horizon, Op: "controller_restart"})
	}
	for b := 1; b <= p.Brokers; b++ {
		p.add(Step{At: p.Horizon, Op: "broker_resume", Broker: b})
		p.add(Step{At: p.Horizon, Op: "broker_restart", Broker: b})
	}
	for i := 1; i <= 2; i++ {
		if p.has("producer_start", fmt.Sprintf("p%d", i)) {
			p.add(Step{At: p.Horizon, Op: "producer_flush", Producer: fmt.Sprintf("p%d", i)})
		}
	}
	p.End = p.Horizon + Quiet
	p.add(Step{At: p.End, Op: "end"})
	sort.SliceStable(p.Steps, func(i, j int) bool { return p.Steps[i].At < p.Steps[j].At })
	return p
}

func (p *Plan) add(s Step) { p.Steps = append(p.Steps, s) }

func (p *Plan) has(op, producer string) bool {
	for _, s := range p.Steps {
		if s.Op == op && s.Producer == producer {
			return true
		}
	}
	return false
}

func pick(r *sim.Rand, vals ...int) int { return vals[r.Intn(len(vals))] }

// Scenario is the plan as scenario JSON, one step per line.
func (p *Plan) Scenario() []byte {
	cl, _ := json.Marshal(p.Cluster)
	var b strings.Builder
	fmt.Fprintf(&b, "{\"seed\": %d, \"cluster\": %s,\n \"steps\": [\n", p.Seed, cl)
	for i, s := range p.Steps {
		line, err := json.Marshal(s)
		if err != nil {
			panic("simtest: step not encodable: " + err.Error())
		}
		b.WriteString("  ")
		b.Write(line)
		if i < len(p.Steps)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}
