package ui

import (
	"encoding/json"
	"fmt"
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

// LogRow is one shown event.
type LogRow struct {
	Key   int64
	Time  string
	Kind  string
	Node  string
	Where string
	Msg   string
	Class string
}

// Rows returns the newest matching events, newest first; data holds each
// event's raw data (shown for events without a message).
func (f LogFilter) Rows(evs []view.Event, data []json.RawMessage) []LogRow {
	var out []LogRow
	for i := len(evs) - 1; i >= 0 && len(out) < logRows; i-- {
		e := evs[i]
		if (f.Kind != "" && e.Kind != f.Kind) || (f.Node != "" && e.Node != f.Node) || (!f.Quiet && e.Msg == "") {
			continue
		}
		r := LogRow{Key: e.Seq, Time: fmtUS(e.TimeUS), Kind: e.Kind, Node: e.Node, Msg: EventText(e, dataAt(data, i)), Class: "ev ev-" + e.Kind}
		if e.Topic != "" {
			r.Where = e.Topic
			if e.Partition != nil {
				r.Where += fmt.Sprintf("-%d", *e.Partition)
			}
		}
		if r.Msg == "" && i < len(data) {
			r.Msg = string(data[i])
		}
		out = append(out, r)
	}
	return out
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
// the whole log (see ClusterLayout.SVG for why).
func LogHTML(rows []LogRow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(`<li class="`)
		b.WriteString(esc(r.Class))
		b.WriteString(`"><time>`)
		b.WriteString(esc(r.Time))
		b.WriteString(`</time><span class="kind">`)
		b.WriteString(esc(r.Kind))
		b.WriteString(`</span><span class="where">`)
		b.WriteString(esc(where(r)))
		b.WriteString(`</span><span class="msg">`)
		b.WriteString(esc(r.Msg))
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
