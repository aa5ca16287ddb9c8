// Package topicregex matches topic names against a regular expression in
// RE2 syntax (what Kafka's subscribed_topic_regex uses, through RE2J), in
// time linear in the name (a Pike VM), without the standard library's
// regexp, which cost engine.wasm 86 KB brotli. It supports literals, ".",
// character classes with ranges and negation, \d \w \s and their negations,
// escaped metacharacters, groups ((...) and (?:...)), alternation, the
// quantifiers * + ? {m} {m,} {m,n} (lazy forms too: same matches), and
// the anchors ^ and $. Anything else (flags, \b, named groups, Unicode
// classes) is refused with an error saying so: simplified against RE2J,
// which has them.
package topicregex

import (
	"strconv"
	"unicode/utf8"
)

// Regexp is a compiled expression.
type Regexp struct{ prog []inst }

// Error is a pattern the package cannot compile.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func fail(msg string) error { return &Error{msg} }

type op uint8

const (
	opChar  op = iota // one rune in set
	opSplit           // try x, then y
	opJmp             // go to x
	opBegin           // ^: at the start
	opEnd             // $: at the end
	opMatch
)

type inst struct {
	op   op
	x, y int
	set  *class
}

// class is a set of runes: ranges, possibly negated.
type class struct {
	ranges []rune // pairs lo, hi
	neg    bool
}

func (c *class) has(r rune) bool {
	in := false
	for i := 0; i < len(c.ranges); i += 2 {
		if c.ranges[i] <= r && r <= c.ranges[i+1] {
			in = true
			break
		}
	}
	return in != c.neg
}

// maxProg caps a compiled program: {m,n} copies its operand.
const maxProg = 10_000

// Compile parses pattern.
func Compile(pattern string) (*Regexp, error) {
	if !utf8.ValidString(pattern) {
		return nil, fail("the expression is not valid UTF-8")
	}
	p := &parser{s: pattern}
	n, err := p.alt()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.s) {
		return nil, fail("unexpected ) at position " + strconv.Itoa(p.i))
	}
	c := &compiler{}
	if err := c.gen(n); err != nil {
		return nil, err
	}
	c.add(inst{op: opMatch})
	return &Regexp{c.prog}, nil
}

// MatchString reports whether s contains a match (use ^ and $ to match
// the whole name).
func (re *Regexp) MatchString(s string) bool {
	cur, next := newSet(len(re.prog)), newSet(len(re.prog))
	for i := 0; ; {
		re.add(cur, 0, i, len(s)) // a match may start anywhere
		if cur.matched {
			return true
		}
		if i >= len(s) {
			return false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		next.clear()
		for _, pc := range cur.list {
			if in := re.prog[pc]; in.op == opChar && in.set.has(r) {
				re.add(next, in.x, i+size, len(s))
			}
		}
		i += size
		cur, next = next, cur
	}
}

// threads is a Pike VM's state set at one position: the rune-reading
// instructions reached (list), every instruction visited (seen, in).
type threads struct {
	list, seen []int
	in         []bool
	matched    bool
}

func newSet(n int) *threads { return &threads{in: make([]bool, n)} }

func (t *threads) clear() {
	for _, pc := range t.seen {
		t.in[pc] = false
	}
	t.list, t.seen, t.matched = t.list[:0], t.seen[:0], false
}

// add follows pc's empty moves at position pos of a string of length n.
func (re *Regexp) add(t *threads, pc, pos, n int) {
	if t.in[pc] {
		return
	}
	t.in[pc] = true
	t.seen = append(t.seen, pc)
	switch in := re.prog[pc]; in.op {
	case opChar:
		t.list = append(t.list, pc)
	case opMatch:
		t.matched = true
	case opJmp:
		re.add(t, in.x, pos, n)
	case opSplit:
		re.add(t, in.x, pos, n)
		re.add(t, in.y, pos, n)
	case opBegin:
		if pos == 0 {
			re.add(t, in.x, pos, n)
		}
	case opEnd:
		if pos == n {
			re.add(t, in.x, pos, n)
		}
	}
}

// node is a parsed expression.
type node struct {
	kind     byte // 'c' char set, 'a' alternation, 's' sequence, 'r' repeat, '^', '$'
	set      *class
	subs     []*node
	min, max int // repeat; max -1: unbounded
}

type parser struct {
	s string
	i int
}

func (p *parser) more() bool { return p.i < len(p.s) }

func (p *parser) alt() (*node, error) {
	var subs []*node
	for {
		n, err := p.seq()
		if err != nil {
			return nil, err
		}
		subs = append(subs, n)
		if !p.more() || p.s[p.i] != '|' {
			break
		}
		p.i++
	}
	if len(subs) == 1 {
		return subs[0], nil
	}
	return &node{kind: 'a', subs: subs}, nil
}

func (p *parser) seq() (*node, error) {
	seq := &node{kind: 's'}
	for p.more() && p.s[p.i] != '|' && p.s[p.i] != ')' {
		atom, err := p.atom()
		if err != nil {
			return nil, err
		}
		if atom, err = p.repeat(atom); err != nil {
			return nil, err
		}
		seq.subs = append(seq.subs, atom)
	}
	return seq, nil
}

func (p *parser) atom() (*node, error) {
	switch c := p.s[p.i]; c {
	case '(':
		p.i++
		if p.more() && p.s[p.i] == '?' {
			if p.i+1 < len(p.s) && p.s[p.i+1] == ':' {
				p.i += 2
			} else {
				return nil, fail("flags and named groups ((?...)) are not supported by the playground's regex")
			}
		}
		n, err := p.alt()
		if err != nil {
			return nil, err
		}
		if !p.more() || p.s[p.i] != ')' {
			return nil, fail("missing closing )")
		}
		p.i++
		return &node{kind: 's', subs: []*node{n}}, nil // a group may repeat a repetition
	case '[':
		return p.bracket()
	case '.':
		p.i++
		return &node{kind: 'c', set: &class{ranges: []rune{'\n', '\n'}, neg: true}}, nil
	case '^', '$':
		p.i++
		return &node{kind: c}, nil
	case '\\':
		set, err := p.escape(false)
		if err != nil {
			return nil, err
		}
		return &node{kind: 'c', set: set}, nil
	case '*', '+', '?':
		return nil, fail("missing argument to repetition operator " + string(c))
	case '{':
		if _, _, _, ok := repeatCount(p.s[p.i:]); ok {
			return nil, fail("missing argument to repetition operator {")
		}
	}
	r, size := utf8.DecodeRuneInString(p.s[p.i:])
	p.i += size
	return &node{kind: 'c', set: &class{ranges: []rune{r, r}}}, nil
}

// escape reads \x; in a bracket, \b etc. keep their meaning as classes.
func (p *parser) escape(inBracket bool) (*class, error) {
	p.i++
	if !p.more() {
		return nil, fail("trailing backslash at end of expression")
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case 'd', 'D':
		return &class{ranges: []rune{'0', '9'}, neg: c == 'D'}, nil
	case 'w', 'W':
		return &class{ranges: []rune{'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, neg: c == 'W'}, nil
	case 's', 'S':
		return &class{ranges: []rune{'\t', '\n', '\f', '\r', ' ', ' '}, neg: c == 'S'}, nil
	case 't':
		return &class{ranges: []rune{'\t', '\t'}}, nil
	case 'n':
		return &class{ranges: []rune{'\n', '\n'}}, nil
	}
	if c < 0x80 && !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return &class{ranges: []rune{rune(c), rune(c)}}, nil // an escaped punctuation mark
	}
	return nil, fail(`the escape \` + string(c) + ` is not supported by the playground's regex`)
}

func (p *parser) bracket() (*node, error) {
	p.i++
	set := &class{}
	if p.more() && p.s[p.i] == '^' {
		set.neg = true
		p.i++
	}
	first := true
	for {
		if !p.more() {
			return nil, fail("missing closing ]")
		}
		if p.s[p.i] == ']' && !first {
			p.i++
			break
		}
		first = false
		if p.s[p.i] == '[' && p.i+1 < len(p.s) && p.s[p.i+1] == ':' {
			return nil, fail("POSIX classes ([:alpha:]) are not supported by the playground's regex")
		}
		var lo rune
		if p.s[p.i] == '\\' {
			c, err := p.escape(true)
			if err != nil {
				return nil, err
			}
			if c.neg || len(c.ranges) != 2 || c.ranges[0] != c.ranges[1] {
				if c.neg {
					return nil, fail("negated classes inside [...] are not supported by the playground's regex")
				}
				set.ranges = append(set.ranges, c.ranges...)
				continue
			}
			lo = c.ranges[0]
		} else {
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			lo = r
			p.i += size
		}
		hi := lo
		if p.i+1 < len(p.s) && p.s[p.i] == '-' && p.s[p.i+1] != ']' {
			p.i++
			if p.s[p.i] == '\\' {
				c, err := p.escape(true)
				if err != nil {
					return nil, err
				}
				hi = c.ranges[0]
			} else {
				r, size := utf8.DecodeRuneInString(p.s[p.i:])
				hi = r
				p.i += size
			}
			if hi < lo {
				return nil, fail("invalid character class range " + string(lo) + "-" + string(hi))
			}
		}
		set.ranges = append(set.ranges, lo, hi)
	}
	return &node{kind: 'c', set: set}, nil
}

func (p *parser) repeat(atom *node) (*node, error) {
	for p.more() {
		min, max := 0, -1
		switch p.s[p.i] {
		case '*':
			p.i++
		case '+':
			min = 1
			p.i++
		case '?':
			max = 1
			p.i++
		case '{':
			m, n, size, ok := repeatCount(p.s[p.i:])
			if !ok {
				return atom, nil // not a repetition: a literal {, as RE2 reads it
			}
			if m > 1000 || n > 1000 || (n >= 0 && n < m) {
				return nil, fail("invalid repeat count " + p.s[p.i:p.i+size])
			}
			min, max = m, n
			p.i += size
		default:
			return atom, nil
		}
		if atom.kind == 'r' {
			return nil, fail("invalid nested repetition operator")
		}
		if p.more() && p.s[p.i] == '?' {
			p.i++ // lazy: the same strings match
		}
		atom = &node{kind: 'r', subs: []*node{atom}, min: min, max: max}
	}
	return atom, nil
}

// repeatCount reads {m}, {m,} or {m,n} at the start of s: the counts (n
// -1: unbounded) and its length; ok is false when s does not start with one.
func repeatCount(s string) (m, n, size int, ok bool) {
	end := 1
	for end < len(s) && s[end] != '}' {
		end++
	}
	if end == len(s) {
		return 0, 0, 0, false
	}
	body := s[1:end]
	lo, hi, comma := body, "", false
	for j := 0; j < len(body); j++ {
		if body[j] == ',' {
			lo, hi, comma = body[:j], body[j+1:], true
			break
		}
	}
	m, ok = count(lo)
	if !ok {
		return 0, 0, 0, false
	}
	n = m
	if comma {
		n = -1
		if hi != "" {
			if n, ok = count(hi); !ok {
				return 0, 0, 0, false
			}
		}
	}
	return m, n, end + 1, true
}

// count reads a repeat count: decimal digits, no sign, no leading zero
// (RE2 reads "{01}" as literal text).
func count(s string) (int, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1 << 30, true // too large: a repetition RE2 refuses
	}
	return n, true
}

type compiler struct{ prog []inst }

func (c *compiler) add(in inst) int {
	c.prog = append(c.prog, in)
	return len(c.prog) - 1
}

func (c *compiler) gen(n *node) error {
	if len(c.prog) > maxProg {
		return fail("the expression is too large")
	}
	switch n.kind {
	case 'c':
		c.add(inst{op: opChar, set: n.set, x: len(c.prog) + 1})
	case '^':
		c.add(inst{op: opBegin, x: len(c.prog) + 1})
	case '$':
		c.add(inst{op: opEnd, x: len(c.prog) + 1})
	case 's':
		for _, s := range n.subs {
			if err := c.gen(s); err != nil {
				return err
			}
		}
	case 'a':
		var jumps []int
		for i, s := range n.subs {
			split := -1
			if i < len(n.subs)-1 {
				split = c.add(inst{op: opSplit})
				c.prog[split].x = len(c.prog)
			}
			if err := c.gen(s); err != nil {
				return err
			}
			if split >= 0 {
				jumps = append(jumps, c.add(inst{op: opJmp}))
				c.prog[split].y = len(c.prog)
			}
		}
		for _, j := range jumps {
			c.prog[j].x = len(c.prog)
		}
	case 'r':
		sub := n.subs[0]
		for i := 0; i < n.min; i++ {
			if err := c.gen(sub); err != nil {
				return err
			}
		}
		if n.max < 0 { // x*: L: split body, out; body; jmp L
			split := c.add(inst{op: opSplit})
			c.prog[split].x = len(c.prog)
			if err := c.gen(sub); err != nil {
				return err
			}
			c.add(inst{op: opJmp, x: split})
			c.prog[split].y = len(c.prog)
			return nil
		}
		var splits []int
		for i := n.min; i < n.max; i++ { // each optional copy: split body, out
			s := c.add(inst{op: opSplit})
			c.prog[s].x = len(c.prog)
			splits = append(splits, s)
			if err := c.gen(sub); err != nil {
				return err
			}
		}
		for _, s := range splits {
			c.prog[s].y = len(c.prog)
		}
	}
	if len(c.prog) > maxProg {
		return fail("the expression is too large")
	}
	return nil
}
