package ui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/engine/view"
)

// LogFilter is the event log's filter.
type LogFilter struct {
	Kind  string // "" for all
	Node  string // "" for all
	Quiet bool   // also show events without a message
}

// logRows is how many events the log shows (the DOM stays small).
const logRows = 60

// LogRow is one shown line: an event, or a run of consecutive events that
// say the same thing (a client retrying), folded into one line.
type LogRow struct {
	Key   int64
	Time  string // the newest event's time
	Kind  string
	Node  string
	Where string
	Msg   string
	Class string
	// Count is how many consecutive events the line stands for (1 or more);
	// First is the oldest one's time when Count > 1.
	Count int
	First string
	// Boot marks events before the scenario's time 0, while the cluster
	// boots (cluster.BootTime): their times are negative.
	Boot bool
}

// Rows returns the newest matching events, newest first, consecutive
// repeats folded; data holds each event's raw data (shown for events
// without a message).
func (f LogFilter) Rows(evs []view.Event, data []json.RawMessage) []LogRow {
	var out []LogRow
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if (f.Kind != "" && e.Kind != f.Kind) || (f.Node != "" && e.Node != f.Node) || (!f.Quiet && e.Msg == "") {
			continue
		}
		var raw json.RawMessage
		if i < len(data) {
			raw = data[i]
		}
		r := LogRow{Key: e.Seq, Time: fmtUS(e.TimeUS), Kind: e.Kind, Node: e.Node, Msg: EventMessage(e, raw), Class: "ev ev-" + e.Kind,
			Count: 1, Boot: e.TimeUS < 0}
		if e.Topic != "" {
			r.Where = e.Topic
			if e.Partition != nil {
				r.Where += fmt.Sprintf("-%d", *e.Partition)
			}
		}
		if n := len(out); n > 0 && sameLine(out[n-1], r) {
			out[n-1].Count++
			out[n-1].First = r.Time
			continue
		}
		if len(out) == logRows {
			break
		}
		out = append(out, r)
	}
	return out
}

// sameLine reports whether two events would read the same in the log.
func sameLine(a, b LogRow) bool {
	return a.Kind == b.Kind && a.Node == b.Node && a.Where == b.Where && a.Msg == b.Msg && a.Boot == b.Boot
}

// EventMessage is the text the log shows for one event: its message, or
// its raw data when it has none. Every message the log shows passes here.
func EventMessage(e view.Event, data json.RawMessage) string {
	if e.Msg == "" {
		return string(data)
	}
	return EventText(e, data)
}

// fmtUS formats virtual time as seconds with milliseconds ("12.345 s").
func fmtUS(us int64) string {
	sign := ""
	if us < 0 {
		sign, us = "−", -us
	}
	return fmt.Sprintf("%s%d.%03d s", sign, us/1_000_000, us%1_000_000/1000)
}

// LogHTML renders rows as the log's inner markup, escaped: one Vugu node for
// the whole log (see ClusterLayout.SVG for why). A separator line says where
// the cluster's boot begins (events before time 0); a folded line ends with
// "× N".
func LogHTML(rows []LogRow) string {
	var b strings.Builder
	for i, r := range rows {
		if r.Boot && (i == 0 || !rows[i-1].Boot) {
			b.WriteString(`<li class="ev-boot-sep">`)
			b.WriteString(esc(T("log.boot")))
			b.WriteString(`</li>`)
		}
		b.WriteString(`<li class="`)
		b.WriteString(esc(r.Class))
		if r.Boot {
			b.WriteString(` ev-boot`)
		}
		b.WriteString(`"><time`)
		if r.Boot {
			b.WriteString(` title="`)
			b.WriteString(esc(T("log.boot.time")))
			b.WriteString(`"`)
		}
		b.WriteString(`>`)
		b.WriteString(esc(r.Time))
		b.WriteString(`</time><span class="kind">`)
		b.WriteString(esc(r.Kind))
		b.WriteString(`</span><span class="where">`)
		b.WriteString(esc(where(r)))
		b.WriteString(`</span><span class="msg">`)
		b.WriteString(esc(r.Msg))
		if r.Count > 1 {
			b.WriteString(` <span class="rep" title="`)
			b.WriteString(esc(Tf("log.repeat", r.Count, r.First)))
			b.WriteString(`">× `)
			b.WriteString(strconv.Itoa(r.Count))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</span></li>`)
	}
	return b.String()
}

func where(r LogRow) string {
	switch {
	case r.Node != "" && r.Where != "":
		return r.Node + " · " + r.Where
	case r.Node != "":
		return r.Node
	}
	return r.Where
}
