package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// write prints the sandbox page's windows side by side, then every
// published figure (whatever the page publishes: the list is not fixed
// here), then the reload and the rewind.
func (p *pageResult) write(w io.Writer) {
	fmt.Fprintln(w, "### The sandbox page in Chromium (files backend on OPFS)")
	fmt.Fprintln(w)
	if len(p.Panels) > 0 {
		fmt.Fprintf(w, "Topic orders (6 partitions, RF 3) from the forms, keyed records, one group consumer; on screen: %s; the header says storage: %s.\n\n",
			strings.Join(p.Panels, ", "), p.Storage)
	}
	if len(p.Windows) > 0 {
		head, rule := "| |", "|---|"
		for _, win := range p.Windows {
			head += " " + win.Name + " |"
			rule += "---|"
		}
		fmt.Fprintln(w, head)
		fmt.Fprintln(w, rule)
		row := func(name string, cell func(pageWindow) string) {
			line := "| " + name + " |"
			for _, win := range p.Windows {
				line += " " + cell(win) + " |"
			}
			fmt.Fprintln(w, line)
		}
		row("**sim-s per wall-s**", func(x pageWindow) string { return fmt.Sprintf("**%.3f**", x.SimPerWall) })
		row("share of the speed asked", func(x pageWindow) string {
			if x.Speed <= 0 {
				return ""
			}
			return fmt.Sprintf("%.0f %%", 100*x.SimPerWall/x.Speed)
		})
		if slices.ContainsFunc(p.Windows, func(x pageWindow) bool { return x.Err != "" }) {
			row("error on the page", func(x pageWindow) string { return oneLine(x.Err) })
		}
		row("wall time measured", func(x pageWindow) string { return fmt.Sprintf("%.1f s", x.WallS) })
		row("frames sampled", func(x pageWindow) string { return fmt.Sprint(x.Samples) })
		var keys []string
		for _, win := range p.Windows {
			for k := range win.Stats {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			row("`"+k+"`", func(x pageWindow) string {
				s, ok := x.Stats[k]
				if !ok {
					return ""
				}
				return fmt.Sprintf("%s (max %s, Δ %s)", num(s.Mean), num(s.Max), num(s.Last-s.First))
			})
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Below the first rows: every number under `globalThis.brokerlab.ui`, sampled at each animation frame")
		fmt.Fprintln(w, "of the window: the mean, the largest, and Δ = last − first (for counters such as `renders`, the window's share).")
		fmt.Fprintln(w)
	}
	for _, t := range []timed{p.Restore, p.Rewind, p.Minute} {
		if t.What == "" {
			continue
		}
		if t.Done {
			fmt.Fprintf(w, "- %s: **%.2f s** wall until the page shows it", t.What, t.WallMS/1e3)
			if t.ReplayMS > 0 {
				fmt.Fprintf(w, "; the page's replay took %.2f s, %.2f s of it in engine calls (%s simulated)", t.ReplayMS/1e3, t.ReplayEngineMS/1e3, fmtSim(int64(t.ReplaySimMS*1e3)))
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "- %s: %s\n", t.What, t.Err)
		}
	}
	fmt.Fprintln(w)
}

// num prints a figure with sensible precision.
func num(x float64) string {
	switch {
	case x == float64(int64(x)) && (x >= 100 || x <= -100):
		return fmt.Sprintf("%.0f", x)
	case x >= 1000 || x <= -1000:
		return fmt.Sprintf("%.0f", x)
	case x >= 10 || x <= -10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}
