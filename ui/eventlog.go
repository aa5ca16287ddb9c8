package ui

import (
	"fmt"

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

// Rows returns the newest matching events, newest first.
func (f LogFilter) Rows(evs []view.Event) []LogRow {
	var out []LogRow
	for i := len(evs) - 1; i >= 0 && len(out) < logRows; i-- {
		e := evs[i]
		if (f.Kind != "" && e.Kind != f.Kind) || (f.Node != "" && e.Node != f.Node) || (!f.Quiet && e.Msg == "") {
			continue
		}
		r := LogRow{Key: e.Seq, Time: fmtUS(e.TimeUS), Kind: e.Kind, Node: e.Node, Msg: e.Msg, Class: "ev ev-" + e.Kind}
		if e.Topic != "" {
			r.Where = e.Topic
			if e.Partition != nil {
				r.Where += fmt.Sprintf("-%d", *e.Partition)
			}
		}
		if r.Msg == "" {
			r.Msg = fmt.Sprint(e.Data)
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
