// Package share turns a run (a sandbox's or a lesson's: its scenario, the
// journal of commands, the time reached and what the view showed) into a
// link and back: JSON, raw-DEFLATE-compressed, base64url, with a version in
// front. The decoder trusts nothing: every way a link can be broken gets
// an error in plain words (Problem), and nothing it decodes can ask for
// more than the limits below. DEFLATE itself comes from the caller (Codec):
// the browser has it built in, so the page does not ship one.
package share

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/brokerlab/brokerlab/lessons/session"
)

// Version is the link format this package writes for a run of a
// built-in lesson or a sandbox ("1." in front); BundleVersion the one for a
// run of a lesson the link carries whole (Run.Bundle, "2." in front: the
// lesson builder's share link, which plays a lesson nobody installed). The
// decoder reads both.
const (
	Version       = 1
	BundleVersion = 2
)

// Limits on what a link or a run file may hold.
const (
	// MaxLink is the longest link text (after the route) the page offers
	// to copy; a longer run is offered as a .brokerlab.json file.
	MaxLink = 8000
	// maxInput caps what Decode reads of a link and DecodeFile of a file.
	maxInput = 1 << 20
	// maxJSON caps the decompressed JSON: a small link that inflates to
	// gigabytes (a decompression bomb) stops here.
	maxJSON = 4 << 20
	// MaxCommands caps the commands of a journal.
	MaxCommands = 20_000
	// MaxTimeUS caps the time a run asks to be replayed to: two hours of
	// virtual time (a lesson runs minutes), so a link cannot keep a page
	// replaying for ever.
	MaxTimeUS = 2 * 3600 * 1_000_000
)

// Run is what a link holds.
type Run struct {
	// Lesson is the lesson's id, empty for a sandbox; LessonVersion is
	// ScenarioVersion of the lesson's scenario when the link was made (a
	// journal replays exactly only on the very same scenario).
	Lesson        string `json:"lesson,omitempty"`
	LessonVersion string `json:"lesson_version,omitempty"`
	// Step is the lesson step the learner was on (0-based).
	Step int `json:"step,omitempty"`
	// Scenario is the sandbox's scenario (absent for a lesson).
	Scenario json.RawMessage `json:"scenario,omitempty"`
	// Bundle is a whole lesson (lessons/builder's bundle: lesson.json and
	// its text), for a lesson that is not built in; the run is a run of it.
	Bundle  json.RawMessage `json:"bundle,omitempty"`
	Journal []session.Entry `json:"journal"`
	TimeUS  int64           `json:"time_us"`
	View    View            `json:"view"`
}

// View is what the cluster view showed.
type View struct {
	// Start is the first offset of the log strips' window; Follow keeps
	// the newest records in view instead.
	Start    int64 `json:"start,omitempty"`
	Follow   bool  `json:"follow,omitempty"`
	Internal bool  `json:"internal,omitempty"` // internal topics shown
	// Selected is the id of the record open in the record panel.
	Selected string `json:"selected,omitempty"`
}

// Problem is a link or file that cannot be opened; its message says why in
// plain words.
type Problem struct{ msg string }

func (p *Problem) Error() string { return p.msg }

func problem(format string, args ...any) error { return &Problem{fmt.Sprintf(format, args...)} }

// ScenarioVersion names a scenario's exact content: FNV-64a of its
// compacted JSON, 16 hex digits.
func ScenarioVersion(scenario json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, scenario) != nil {
		b.Reset()
		b.Write(scenario)
	}
	h := fnv.New64a()
	h.Write(b.Bytes())
	return fmt.Sprintf("%016x", h.Sum64())
}

// Codec is raw DEFLATE (RFC 1951): the browser's CompressionStream in the
// page, compress/flate natively. Inflate returns at most max+1 bytes.
type Codec interface {
	Deflate(data []byte) ([]byte, error)
	Inflate(z []byte, max int) ([]byte, error)
}

// Encode writes r as link text: "1." and the compressed JSON in base64url.
func Encode(r Run, c Codec) (string, error) {
	if err := r.check(); err != nil {
		return "", err
	}
	js, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	z, err := c.Deflate(js)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(r.version()) + "." + base64.RawURLEncoding.EncodeToString(z), nil
}

// Decode reads link text made by Encode.
func Decode(s string, c Codec) (Run, error) {
	if len(s) > maxInput {
		return Run{}, problem("the link is too long (%d characters; at most %d)", len(s), maxInput)
	}
	v, data, ok := strings.Cut(s, ".")
	if !ok || v == "" {
		return Run{}, problem("the link is not a Brokerlab run (no version in front); was it cut short when copied?")
	}
	n, err := strconv.Atoi(v)
	if err != nil || (n != Version && n != BundleVersion) || strconv.Itoa(n) != v {
		return Run{}, problem("the link is in format version %q; this page reads versions %d and %d (was it made by a newer Brokerlab?)", v, Version, BundleVersion)
	}
	z, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return Run{}, problem("the link is damaged: it holds characters a link never has (%v); copy it again in full", err)
	}
	js, err := c.Inflate(z, maxJSON)
	if err != nil {
		return Run{}, problem("the link is cut short or damaged: its compressed data does not read (%v); copy it again in full", err)
	}
	if len(js) > maxJSON {
		return Run{}, problem("the link unpacks to more than %d MB: no run is that large, so it is refused", maxJSON>>20)
	}
	r, err := decodeJSON(js, "the link")
	if err == nil && r.version() != n {
		return Run{}, problem("the link says format version %d but holds a run of version %d", n, r.version())
	}
	return r, err
}

// version is the format a run is written in: BundleVersion when it
// carries its lesson.
func (r Run) version() int {
	if len(r.Bundle) > 0 {
		return BundleVersion
	}
	return Version
}

// fileMark names the version field of a run file.
const fileMark = "brokerlab_run"

// File writes r as a run file (.brokerlab.json): indented JSON with the
// version in front, for a run too long for a link.
func File(r Run) ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	js, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "{%q:%d,", fileMark, r.version())
	out.Write(js[1:])
	var ind bytes.Buffer
	if err := json.Indent(&ind, out.Bytes(), "", " "); err != nil {
		return nil, err
	}
	return append(ind.Bytes(), '\n'), nil
}

// DecodeFile reads a run file made by File.
func DecodeFile(b []byte) (Run, error) {
	if len(b) > maxJSON {
		return Run{}, problem("the file is larger than %d MB: no run is that large, so it is refused", maxJSON>>20)
	}
	var head map[string]json.RawMessage
	if err := json.Unmarshal(b, &head); err != nil {
		return Run{}, problem("the file is not a Brokerlab run: it is not a JSON object (%v)", err)
	}
	v, ok := head[fileMark]
	if !ok {
		return Run{}, problem("the file is not a Brokerlab run: it has no %q field", fileMark)
	}
	if string(v) != strconv.Itoa(Version) && string(v) != strconv.Itoa(BundleVersion) {
		return Run{}, problem("the file is in format version %s; this page reads versions %d and %d", v, Version, BundleVersion)
	}
	delete(head, fileMark)
	js, _ := json.Marshal(head)
	return decodeJSON(js, "the file")
}

// decodeJSON reads a run strictly and checks it.
func decodeJSON(js []byte, what string) (Run, error) {
	var r Run
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Run{}, problem("%s does not hold a run Brokerlab can read: %v", what, err)
	}
	if dec.More() {
		return Run{}, problem("%s holds more than one run", what)
	}
	if err := r.check(); err != nil {
		return Run{}, problem("%s: %v", what, err)
	}
	return r, nil
}

// check holds a run to the limits and to what a replay needs: a scenario
// or a lesson, commands that are JSON objects, times that never go back.
func (r Run) check() error {
	switch {
	case len(r.Bundle) > 0 && (r.Lesson != "" || len(r.Scenario) > 0):
		return problem("the run carries a lesson and names another lesson or a scenario")
	case len(r.Bundle) > 0 && !isObject(r.Bundle):
		return problem("the lesson the run carries is not a JSON object")
	case len(r.Bundle) > 0:
	case r.Lesson == "" && len(r.Scenario) == 0:
		return problem("the run names neither a lesson nor a scenario")
	case r.Lesson != "" && len(r.Scenario) > 0:
		return problem("the run names both a lesson and a scenario")
	case len(r.Scenario) > 0 && !isObject(r.Scenario):
		return problem("the run's scenario is not a JSON object")
	case r.TimeUS < 0 || r.TimeUS > MaxTimeUS:
		return problem("the run's time %s is outside 0 to %s", session.FormatUS(r.TimeUS), session.FormatUS(MaxTimeUS))
	case r.Step < 0:
		return problem("the run's step %d is negative", r.Step)
	}
	n, last := 0, int64(0)
	for i, e := range r.Journal {
		if e.AtUS < last || e.AtUS > r.TimeUS {
			return problem("journal entry %d is at %s: entries must be in time order and no later than the run's time %s", i+1, session.FormatUS(e.AtUS), session.FormatUS(r.TimeUS))
		}
		last = e.AtUS
		for j, c := range e.Commands {
			if !isObject(c) {
				return problem("journal entry %d, command %d is not a JSON object", i+1, j+1)
			}
		}
		if n += len(e.Commands); n > MaxCommands {
			return problem("the journal holds more than %d commands", MaxCommands)
		}
	}
	return nil
}

func isObject(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 1 && b[0] == '{' && json.Valid(b)
}
