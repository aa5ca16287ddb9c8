package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// Sample is the cluster's counters at one virtual time.
type Sample struct {
	TUS      int64
	Acked    int64 // records acknowledged to all producers
	Consumed int64 // records polled by all consumers, share consumers' deliveries too
	Lag      int64 // summed consumer lag
	Gens     int64 // summed consumer group generations: a rise is a rebalance
}

// Series keeps recent samples for the live plot.
type Series struct {
	Samples []Sample
}

// Plot geometry and the window of virtual time it shows.
const (
	PlotW        = 320
	PlotH        = 110
	plotWindowUS = 10_000_000
	sampleGapUS  = 100_000
	maxSamples   = 400
)

// Add records a snapshot's counters, at most one sample per sampleGapUS.
func (s *Series) Add(snap view.Snapshot) {
	smp := Sample{TUS: snap.TimeUS}
	for _, p := range snap.Producers {
		smp.Acked += p.Acked
	}
	for _, g := range snap.Groups {
		smp.Gens += int64(g.Generation)
	}
	for _, c := range snap.Consumers {
		smp.Consumed += c.Consumed
		for _, l := range c.Lag {
			smp.Lag += l
		}
	}
	for _, c := range snap.ShareConsumers {
		smp.Consumed += c.Delivered
	}
	if n := len(s.Samples); n > 0 {
		last := s.Samples[n-1]
		if smp.TUS < last.TUS { // a replay went back in time
			s.Samples = nil
		} else if smp.TUS-last.TUS < sampleGapUS {
			if smp.Gens != last.Gens { // keep a rebalance between samples
				s.Samples[n-1].Gens = smp.Gens
			}
			return
		}
	}
	s.Samples = append(s.Samples, smp)
	if len(s.Samples) > maxSamples {
		s.Samples = append(s.Samples[:0:0], s.Samples[len(s.Samples)-maxSamples:]...)
	}
}

// PlotLines is what the plot component draws.
type PlotLines struct {
	Produce, Consume, Lag          string // polyline points
	Rebalances                     string // path data: a vertical line per rebalance
	MaxRate, MaxLag                int64
	ProduceNow, ConsumeNow, LagNow int64
	Empty                          bool
}

// Lines computes the polylines of produce rate, consume rate (records/s) and
// lag over the last plotWindowUS of virtual time. Rates share one y scale,
// lag has its own.
func (s *Series) Lines(nowUS int64) PlotLines { return s.linesOver(nowUS, 1, 1) }

// linesOver is Lines with y scales of at least minRate and minLag: two
// runs' lines overlaid share one scale (see compare.go).
func (s *Series) linesOver(nowUS int64, minRate, minLag float64) PlotLines {
	var out PlotLines
	from := nowUS - plotWindowUS
	type pt struct {
		t              int64
		prod, cons, lg float64
	}
	var pts []pt
	var reb strings.Builder
	for i := 1; i < len(s.Samples); i++ {
		a, b := s.Samples[i-1], s.Samples[i]
		if b.TUS < from {
			continue
		}
		if b.Gens > a.Gens {
			fmt.Fprintf(&reb, "M%.1f 0V%d", float64(b.TUS-from)/plotWindowUS*PlotW, PlotH)
		}
		dt := float64(b.TUS-a.TUS) / 1e6
		if dt <= 0 {
			continue
		}
		pts = append(pts, pt{b.TUS, float64(b.Acked-a.Acked) / dt, float64(b.Consumed-a.Consumed) / dt, float64(b.Lag)})
	}
	if len(pts) == 0 {
		out.Empty = true
		return out
	}
	maxRate, maxLag := minRate, minLag
	for _, p := range pts {
		maxRate = math.Max(maxRate, math.Max(p.prod, p.cons))
		maxLag = math.Max(maxLag, p.lg)
	}
	maxRate, maxLag = niceCeil(maxRate), niceCeil(maxLag)
	out.MaxRate, out.MaxLag = int64(maxRate), int64(maxLag)
	last := pts[len(pts)-1]
	out.ProduceNow, out.ConsumeNow, out.LagNow = int64(math.Round(last.prod)), int64(math.Round(last.cons)), int64(last.lg)
	var p, c, l strings.Builder
	for _, q := range pts {
		x := float64(q.t-from) / plotWindowUS * PlotW
		fmt.Fprintf(&p, "%.1f,%.1f ", x, plotY(q.prod, maxRate))
		fmt.Fprintf(&c, "%.1f,%.1f ", x, plotY(q.cons, maxRate))
		fmt.Fprintf(&l, "%.1f,%.1f ", x, plotY(q.lg, maxLag))
	}
	out.Produce, out.Consume, out.Lag = p.String(), c.String(), l.String()
	out.Rebalances = reb.String()
	return out
}

func plotY(v, max float64) float64 { return PlotH - v/max*(PlotH-4) }

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
