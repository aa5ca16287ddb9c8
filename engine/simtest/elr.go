package simtest

import (
	"fmt"
	"time"

	"github.com/brokerlab/brokerlab/engine/sim"
)

// elrEpisode is the schedule KIP-966 is about, alone in its plan: the
// other brokers stay alive but every message they send to broker b is
// dropped, so on the partitions b leads they leave the ISR while it is
// below min.insync.replicas (with ELR on they join the ELR); then b
// crashes. With ELR the controller elects an ELR member cleanly; without
// it the partitions wait for b. Either way no acknowledged write may be
// lost: the high watermark did not move while the ISR was too small.
// b comes back, the links heal, and the horizon follows.
func (p *Plan) elrEpisode(r *sim.Rand, lag, session time.Duration) {
	ms := time.Millisecond
	p.ELR = true
	b := 1 + r.Intn(p.Brokers)
	start := time.Duration(200+r.Intn(400)) * ms
	for o := 1; o <= p.Brokers; o++ {
		if o != b {
			p.add(Step{At: start, Op: "link_fault", From: fmt.Sprintf("broker-%d", o), To: fmt.Sprintf("broker-%d", b), Drop: 1})
		}
	}
	// The ISR check runs every lag/2 and drops a follower lag after it was
	// last caught up: two lags and a margin see both followers out.
	crash := start + 2*lag + time.Duration(300+r.Intn(500))*ms
	mode := "process"
	if p.Fsync && r.Intn(2) == 0 {
		mode = "power" // fsynced: a power loss loses nothing acknowledged
	}
	p.add(Step{At: crash, Op: "broker_crash", Broker: b, Mode: mode})
	// Fencing takes broker.session.timeout.ms; the election follows at once.
	back := crash + session + time.Duration(500+r.Intn(1500))*ms
	p.add(Step{At: back, Op: "broker_restart", Broker: b})
	p.add(Step{At: back, Op: "heal"})
	p.Horizon = max(p.Horizon, back+100*ms)
}
