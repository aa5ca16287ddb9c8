package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Command is one command of a lesson's solution, with the step it belongs
// to: what lint plays and the UI's "Show solution" applies.
type Command struct {
	// Step is the index of the step in Lesson.Steps, Index the command's
	// index in that step's Solution.
	Step, Index int
	// At is the command's absolute virtual time, Op its op.
	At time.Duration
	Op string
	// Raw is the command as written in lesson.json.
	Raw json.RawMessage
}

// Path is where the command is in lesson.json, e.g. "steps[2].solution[0]".
func (c Command) Path() string { return fmt.Sprintf("steps[%d].solution[%d]", c.Step, c.Index) }

// Commands lists the lesson's solution step by step. Commands that did not
// load (see the loader's issues) are left out.
func (l *Lesson) Commands() []Command {
	var out []Command
	for i, st := range l.Steps {
		for j, raw := range st.Solution {
			h, err := commandHead(raw)
			if err != nil {
				continue
			}
			out = append(out, Command{Step: i, Index: j, At: h.at, Op: h.Op, Raw: raw})
		}
	}
	return out
}

// head is the part of a command every op has.
type head struct {
	At *string `json:"at"`
	Op string  `json:"op"`
	at time.Duration
}

// commandHead reads a command's "at" and "op".
func commandHead(raw json.RawMessage) (head, error) {
	var h head
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return h, fmt.Errorf(`a command must be an object {"at", "op", ...}`)
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return h, fmt.Errorf(`"at" and "op" must be strings`)
	}
	if h.Op == "" {
		return h, fmt.Errorf(`missing "op"`)
	}
	if h.At == nil {
		return h, fmt.Errorf(`%s: missing "at" (the absolute virtual time, e.g. "1.5s")`, h.Op)
	}
	at, err := time.ParseDuration(*h.At)
	if err != nil || at < 0 {
		return h, fmt.Errorf(`%s: "at" must be a virtual time such as "1.5s", not %q`, h.Op, *h.At)
	}
	h.at = at
	return h, nil
}

// openRecord is the learner op open_record: the learner opens one record
// in the record panel.
type openRecord struct {
	At        string `json:"at"`
	Op        string `json:"op"`
	Topic     string `json:"topic"`
	Partition *int32 `json:"partition"`
	Offset    *int64 `json:"offset"`
}

// OpenedBy returns the record an open_record command opens.
func OpenedBy(raw json.RawMessage) (RecordRef, error) {
	var o openRecord
	if err := strictDecode(raw, &o); err != nil {
		return RecordRef{}, fmt.Errorf("open_record: %v", err)
	}
	switch {
	case o.Topic == "":
		return RecordRef{}, fmt.Errorf(`open_record: missing "topic"`)
	case o.Partition == nil || *o.Partition < 0:
		return RecordRef{}, fmt.Errorf(`open_record: "partition" must be a partition number (0, 1, ...)`)
	case o.Offset == nil || *o.Offset < 0:
		return RecordRef{}, fmt.Errorf(`open_record: "offset" must be an offset (0, 1, ...)`)
	}
	return RecordRef{o.Topic, *o.Partition, *o.Offset}, nil
}

// validateSolution checks each step's commands: objects with "at" and
// "op", each op one the step's controls allow (a learner op needs
// inspect_record), "at" never going back across the steps.
func (l *Lesson) validateSolution(add func(path, format string, args ...any)) {
	var last time.Duration
	var lastPath string
	for i := range l.Steps {
		st := &l.Steps[i]
		for j, raw := range st.Solution {
			c := Command{Step: i, Index: j}
			p := c.Path()
			h, err := commandHead(raw)
			if err != nil {
				add(p, "%s: %v", p, err)
				continue
			}
			if ctl, ok := ControlFor(h.Op); ok {
				if !slices.Contains(st.Controls, ctl) {
					add(p, "%s: %s needs the control %q, which step %q does not enable", p, h.Op, ctl, st.ID)
				}
			} else if IsLearnerOp(h.Op) {
				if !slices.Contains(st.Controls, "inspect_record") {
					add(p, "%s: %s is done in the record panel, which step %q does not enable (add the control \"inspect_record\")", p, h.Op, st.ID)
				}
				if _, err := OpenedBy(raw); err != nil {
					add(p, "%s: %v", p, err)
				}
			} else {
				add(p, "%s: %s is not something a learner can do", p, h.Op)
			}
			if h.at < last {
				add(p, "%s: %s: at %v is before the previous command (%v, %s); commands must be in time order across the steps", p, h.Op, h.at, last, lastPath)
			} else {
				last, lastPath = h.at, p
			}
		}
		l.Solution = append(l.Solution, st.Solution...)
	}
}

// strictDecode decodes raw into v, refusing fields v does not have.
func strictDecode(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
