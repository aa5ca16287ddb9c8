package simtest

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// A fault episode starts at some time and ends (restart, resume, heal) by
// the horizon. Episodes on one node never overlap.
type window struct {
	from, to  time.Duration
	node      string // "" for network-wide faults
	exclusive bool   // nothing else may overlap
}

func (w window) overlaps(o window) bool { return w.from <= o.to && o.from <= w.to }

var faultKinds = []struct {
	name   string
	weight int
}{
	{"crash", 24}, {"power", 10}, {"pause", 8}, {"isolate", 14}, {"split", 10},
	{"isolate_controller", 8}, {"link", 12}, {"controller_crash", 8}, {"heal", 6}, {"preferred_election", 6},
}

// faults adds two to nine fault episodes before the horizon.
func (p *Plan) faults(r *sim.Rand) {
	var taken []window
	n := 2 + r.Intn(8)
	for i := 0; i < n; i++ {
		for try := 0; try < 8 && !p.episode(r, &taken); try++ {
		}
	}
}

func (p *Plan) episode(r *sim.Rand, taken *[]window) bool {
	ms := time.Millisecond
	start := 100*ms + time.Duration(r.Intn(int((p.Horizon-400*ms)/ms)))*ms
	end := min(start+time.Duration(100+r.Intn(1900))*ms, p.Horizon-50*ms)
	if end < start+50*ms {
		return false
	}
	total := 0
	for _, k := range faultKinds {
		total += k.weight
	}
	roll, kind := r.Intn(total), ""
	for _, k := range faultKinds {
		if roll < k.weight {
			kind = k.name
			break
		}
		roll -= k.weight
	}
	b := 1 + r.Intn(p.Brokers)
	w := window{from: start, to: end}
	switch kind {
	case "crash", "power", "pause":
		w.node = fmt.Sprintf("broker-%d", b)
	case "controller_crash":
		w.node = "controller"
	}
	if kind == "power" && p.Mode == Safe && !p.Fsync {
		// Without fsync a power loss wipes the broker's unflushed log. Kafka
		// keeps acknowledged records only while another in-sync replica has
		// them, so in Safe mode a power loss runs alone (the runner also
		// checks, when it happens, that the broker is not the last in-sync
		// replica of any partition).
		w.from, w.to, w.exclusive = start-300*ms, end+700*ms, true
	}
	for _, o := range *taken {
		if o.overlaps(w) && (o.exclusive || w.exclusive || w.node != "" && o.node == w.node) {
			return false
		}
	}
	*taken = append(*taken, w)
	node := func(i int) string {
		if i < p.Brokers {
			return fmt.Sprintf("broker-%d", i+1)
		}
		return fmt.Sprintf("controller-%d", i-p.Brokers+1)
	}
	switch kind {
	case "crash", "power":
		mode := "process"
		if kind == "power" {
			mode = "power"
		}
		p.add(Step{At: start, Op: "broker_crash", Broker: b, Mode: mode})
		p.add(Step{At: end, Op: "broker_restart", Broker: b})
	case "pause":
		p.add(Step{At: start, Op: "broker_pause", Broker: b})
		p.add(Step{At: end, Op: "broker_resume", Broker: b})
	case "isolate":
		p.add(Step{At: start, Op: "network_partition", Isolate: []string{fmt.Sprintf("broker-%d", b)}})
		p.add(Step{At: end, Op: "heal"})
	case "isolate_controller":
		p.add(Step{At: start, Op: "network_partition", Isolate: []string{fmt.Sprintf("controller-%d", 1+r.Intn(p.Controllers))}})
		p.add(Step{At: end, Op: "heal"})
	case "split":
		var a, c []string
		for i := 0; i < p.Brokers+p.Controllers; i++ {
			if r.Intn(2) == 0 {
				a = append(a, node(i))
			} else {
				c = append(c, node(i))
			}
		}
		if len(a) == 0 || len(c) == 0 {
			return true // a split with one side empty is no fault
		}
		p.add(Step{At: start, Op: "network_partition", Groups: [][]string{a, c}})
		p.add(Step{At: end, Op: "heal"})
	case "link":
		n := p.Brokers + p.Controllers
		x := r.Intn(n)
		y := (x + 1 + r.Intn(n-1)) % n
		st := Step{At: start, Op: "link_fault", From: node(x), To: node(y)}
		if d := pick(r, 0, 30, 100, 300); d > 0 {
			st.Delay = fmt.Sprintf("%dms", d)
		}
		if st.Delay == "" || r.Intn(2) == 0 {
			st.Drop = []float64{0.1, 0.3, 0.6}[r.Intn(3)]
		}
		p.add(st)
		p.add(Step{At: end, Op: "heal"})
	case "controller_crash":
		p.add(Step{At: start, Op: "controller_crash"})
		p.add(Step{At: end, Op: "controller_restart"})
	case "heal":
		p.add(Step{At: start, Op: "heal"})
	case "preferred_election":
		p.add(Step{At: start, Op: "preferred_election"})
	}
	return true
}
