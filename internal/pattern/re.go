// Package pattern matches the fixed patterns of the UI's event texts, error
// sentences and lesson texts: the subset of Go's regexp syntax they use,
// with regexp's leftmost-first results, in a few KB of WebAssembly instead
// of regexp's (regexp, regexp/syntax and the unicode tables they pull in:
// ~400 KB of ui.wasm).
//
// Syntax: literal runes; . (any rune but \n); \d \w \s and their negations
// \D \W \S (ASCII, as in regexp); \ before punctuation; classes [a-z_\w.]
// and [^…]; groups (…), (?:…), (?P<name>…); | ; * + ? {n} {n,} {n,m} and
// their lazy forms; ^ and $ (start and end of the text). Anything else,
// and a repetition of something that can match nothing, panics in
// MustCompile: the patterns are constants, so a test catches it.
package pattern

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Regexp is a compiled pattern.
type Regexp struct {
	prog   []inst
	names  []string // group names, names[0] is the whole match
	begin  bool     // the pattern starts with ^
	prefix string   // literal text every match starts with

	mu    sync.Mutex
	spare *matcher // kept for the next search
}

type op uint8

const (
	opRune  op = iota // one rune in set
	opSplit           // try x, then y
	opJmp             // go to x
	opSave            // caps[n] = pos
	opBegin           // pos == 0
	opEnd             // pos == len(text)
	opMatch
)

type inst struct {
	op   op
	x, y int
	n    int
	set  *class
}

// class is a set of runes: ranges lo-hi pairs, negated or not.
type class struct {
	r   []rune
	neg bool
}

func (c *class) has(r rune) bool {
	for i := 0; i < len(c.r); i += 2 {
		if c.r[i] <= r && r <= c.r[i+1] {
			return !c.neg
		}
	}
	return c.neg
}

var (
	digit = []rune{'0', '9'}
	word  = []rune{'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}
	space = []rune{'\t', '\n', '\f', '\r', ' ', ' '}
)

// node is a parsed pattern.
type node struct {
	kind     byte // 'c' class, 'q' concat, '|' alt, '*' repeat, '(' group, '^', '$'
	set      *class
	subs     []*node
	min, max int // repeat; max -1 is unbounded
	lazy     bool
	capIdx   int // group: capture index, 0 for (?:…)
}

type parser struct {
	s     string
	i     int
	names []string
}

// MustCompile compiles expr, panicking when it is not in the subset.
func MustCompile(expr string) *Regexp {
	p := &parser{s: expr, names: []string{""}}
	n := p.alt()
	if p.i < len(p.s) {
		p.fail("unexpected )")
	}
	r := &Regexp{names: p.names}
	r.begin = startsWithBegin(n)
	c := compiler{r: r}
	c.emit(inst{op: opSave, n: 0})
	c.node(n)
	c.emit(inst{op: opSave, n: 1})
	c.emit(inst{op: opMatch})
	r.prefix = literalPrefix(r.prog)
	return r
}

// literalPrefix is the text of the single runes a program must match first.
func literalPrefix(prog []inst) string {
	var b []byte
	for _, in := range prog {
		switch {
		case in.op == opSave || in.op == opBegin:
			continue
		case in.op == opRune && !in.set.neg && len(in.set.r) == 2 && in.set.r[0] == in.set.r[1]:
			b = utf8.AppendRune(b, in.set.r[0])
			continue
		}
		break
	}
	return string(b)
}

func startsWithBegin(n *node) bool {
	switch n.kind {
	case '^':
		return true
	case 'q':
		return len(n.subs) > 0 && startsWithBegin(n.subs[0])
	case '(':
		return startsWithBegin(n.subs[0])
	}
	return false
}

func (p *parser) fail(why string) {
	panic("pattern: " + why + " in `" + p.s + "` at " + strconv.Itoa(p.i))
}

func (p *parser) alt() *node {
	subs := []*node{p.concat()}
	for p.i < len(p.s) && p.s[p.i] == '|' {
		p.i++
		subs = append(subs, p.concat())
	}
	if len(subs) == 1 {
		return subs[0]
	}
	return &node{kind: '|', subs: subs}
}

func (p *parser) concat() *node {
	q := &node{kind: 'q'}
	for p.i < len(p.s) && p.s[p.i] != '|' && p.s[p.i] != ')' {
		a := p.atom()
		a = p.repeat(a)
		q.subs = append(q.subs, a)
	}
	return q
}

func (p *parser) atom() *node {
	c := p.s[p.i]
	switch c {
	case '(':
		p.i++
		g := &node{kind: '('}
		switch {
		case hasPrefix(p.s[p.i:], "?:"):
			p.i += 2
		case hasPrefix(p.s[p.i:], "?P<"):
			p.i += 3
			j := p.i
			for j < len(p.s) && p.s[j] != '>' {
				j++
			}
			if j == len(p.s) {
				p.fail("unterminated group name")
			}
			g.capIdx = len(p.names)
			p.names = append(p.names, p.s[p.i:j])
			p.i = j + 1
		case p.i < len(p.s) && p.s[p.i] == '?':
			p.fail("unsupported group flag")
		default:
			g.capIdx = len(p.names)
			p.names = append(p.names, "")
		}
		g.subs = []*node{p.alt()}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			p.fail("missing )")
		}
		p.i++
		return g
	case '^', '$':
		p.i++
		return &node{kind: c}
	case '.':
		p.i++
		return &node{kind: 'c', set: &class{r: []rune{'\n', '\n'}, neg: true}}
	case '[':
		return p.class()
	case '\\':
		p.i++
		if set := p.escape(); set != nil {
			return &node{kind: 'c', set: set}
		}
		r, w := utf8.DecodeRuneInString(p.s[p.i:])
		p.i += w
		return &node{kind: 'c', set: &class{r: []rune{r, r}}}
	case '*', '+', '?':
		p.fail("missing argument to repetition")
	}
	r, w := utf8.DecodeRuneInString(p.s[p.i:])
	p.i += w
	return &node{kind: 'c', set: &class{r: []rune{r, r}}}
}

// escape reads the letter after a backslash when it names a class (\d…),
// or checks that it is punctuation and leaves it to be read as a literal.
func (p *parser) escape() *class {
	if p.i >= len(p.s) {
		p.fail("trailing backslash")
	}
	c := p.s[p.i]
	var set *class
	switch c {
	case 'd':
		set = &class{r: digit}
	case 'D':
		set = &class{r: digit, neg: true}
	case 'w':
		set = &class{r: word}
	case 'W':
		set = &class{r: word, neg: true}
	case 's':
		set = &class{r: space}
	case 'S':
		set = &class{r: space, neg: true}
	default:
		if c < 0x80 && ('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			p.fail("unsupported escape")
		}
		return nil
	}
	p.i++
	return set
}

func (p *parser) class() *node {
	p.i++ // [
	set := &class{}
	if p.i < len(p.s) && p.s[p.i] == '^' {
		set.neg = true
		p.i++
	}
	first := true
	for {
		if p.i >= len(p.s) {
			p.fail("missing ]")
		}
		c := p.s[p.i]
		if c == ']' && !first {
			p.i++
			break
		}
		first = false
		if c == '[' {
			p.fail("nested class")
		}
		var lo rune
		if c == '\\' {
			p.i++
			if sub := p.escape(); sub != nil {
				if sub.neg {
					p.fail("negated class in class")
				}
				set.r = append(set.r, sub.r...)
				continue
			}
		}
		r, w := utf8.DecodeRuneInString(p.s[p.i:])
		p.i += w
		lo = r
		hi := lo
		if p.i+1 < len(p.s) && p.s[p.i] == '-' && p.s[p.i+1] != ']' {
			p.i++
			if p.s[p.i] == '\\' {
				p.i++
				if p.escape() != nil {
					p.fail("class in range")
				}
			}
			r, w := utf8.DecodeRuneInString(p.s[p.i:])
			p.i += w
			hi = r
			if hi < lo {
				p.fail("bad range")
			}
		}
		set.r = append(set.r, lo, hi)
	}
	return &node{kind: 'c', set: set}
}

func (p *parser) repeat(a *node) *node {
	if p.i >= len(p.s) {
		return a
	}
	min, max := 0, 0
	switch p.s[p.i] {
	case '*':
		min, max = 0, -1
		p.i++
	case '+':
		min, max = 1, -1
		p.i++
	case '?':
		min, max = 0, 1
		p.i++
	case '{':
		j := p.i + 1
		lo, j2 := digits(p.s, j)
		if j2 == j {
			return a // a literal {
		}
		j = j2
		hi := lo
		if j < len(p.s) && p.s[j] == ',' {
			j++
			hi = -1
			if v, j3 := digits(p.s, j); j3 > j {
				hi, j = v, j3
			}
		}
		if j >= len(p.s) || p.s[j] != '}' {
			return a
		}
		if hi != -1 && hi < lo {
			p.fail("bad repeat")
		}
		min, max = lo, hi
		p.i = j + 1
	default:
		return a
	}
	lazy := false
	if p.i < len(p.s) && p.s[p.i] == '?' {
		lazy = true
		p.i++
	}
	if p.i < len(p.s) && (p.s[p.i] == '*' || p.s[p.i] == '+' || (p.s[p.i] == '?' && !lazy)) {
		p.fail("repeated repetition")
	}
	if nullable(a) {
		p.fail("repetition of something that can match nothing")
	}
	return &node{kind: '*', subs: []*node{a}, min: min, max: max, lazy: lazy}
}

func digits(s string, i int) (int, int) {
	v := 0
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' && j-i < 4 {
		v = v*10 + int(s[j]-'0')
		j++
	}
	return v, j
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func nullable(n *node) bool {
	switch n.kind {
	case 'c':
		return false
	case 'q':
		for _, s := range n.subs {
			if !nullable(s) {
				return false
			}
		}
		return true
	case '|':
		for _, s := range n.subs {
			if nullable(s) {
				return true
			}
		}
		return false
	case '*':
		return n.min == 0 || nullable(n.subs[0])
	case '(':
		return nullable(n.subs[0])
	}
	return true // ^ $
}

type compiler struct{ r *Regexp }

func (c *compiler) emit(i inst) int {
	c.r.prog = append(c.r.prog, i)
	return len(c.r.prog) - 1
}

// split emits a split whose first choice is the next instruction (or the
// target, when lazy is false for a loop exit); the caller patches it.
func (c *compiler) node(n *node) {
	switch n.kind {
	case 'c':
		c.emit(inst{op: opRune, set: n.set})
	case '^':
		c.emit(inst{op: opBegin})
	case '$':
		c.emit(inst{op: opEnd})
	case 'q':
		for _, s := range n.subs {
			c.node(s)
		}
	case '(':
		if n.capIdx > 0 {
			c.emit(inst{op: opSave, n: 2 * n.capIdx})
		}
		c.node(n.subs[0])
		if n.capIdx > 0 {
			c.emit(inst{op: opSave, n: 2*n.capIdx + 1})
		}
	case '|':
		var jumps []int
		for k, s := range n.subs {
			if k == len(n.subs)-1 {
				c.node(s)
				break
			}
			sp := c.emit(inst{op: opSplit})
			c.r.prog[sp].x = sp + 1
			c.node(s)
			jumps = append(jumps, c.emit(inst{op: opJmp}))
			c.r.prog[sp].y = len(c.r.prog)
		}
		for _, j := range jumps {
			c.r.prog[j].x = len(c.r.prog)
		}
	case '*':
		sub := n.subs[0]
		for k := 0; k < n.min; k++ {
			c.node(sub)
		}
		if n.max == -1 {
			// L: split body, out; body; jmp L
			sp := c.emit(inst{op: opSplit})
			c.node(sub)
			c.emit(inst{op: opJmp, x: sp})
			c.choose(sp, sp+1, len(c.r.prog), n.lazy)
			return
		}
		// (sub(sub(…)?)?)? for max-min optional copies
		var splits []int
		for k := n.min; k < n.max; k++ {
			sp := c.emit(inst{op: opSplit})
			splits = append(splits, sp)
			c.node(sub)
		}
		for _, sp := range splits {
			c.choose(sp, sp+1, len(c.r.prog), n.lazy)
		}
	}
}

// choose makes split sp prefer body (greedy) or out (lazy).
func (c *compiler) choose(sp, body, out int, lazy bool) {
	if lazy {
		body, out = out, body
	}
	c.r.prog[sp].x, c.r.prog[sp].y = body, out
}

// SubexpNames are the names of the groups, as regexp's: "" for the whole
// match and for unnamed groups.
func (r *Regexp) SubexpNames() []string { return r.names }

// matcher is one search's state.
type matcher struct {
	r       *Regexp
	s       string
	caps    []int
	visited []uint32 // (pc, pos) pairs already tried and failed
}

// match reports whether the text matches from pos, filling m.caps.
func (m *matcher) try(pc, pos int) bool {
	prog := m.r.prog
	for {
		k := pc*(len(m.s)+1) + pos
		if m.visited[k/32]&(1<<(k%32)) != 0 {
			return false
		}
		m.visited[k/32] |= 1 << (k % 32)
		in := &prog[pc]
		switch in.op {
		case opRune:
			if pos >= len(m.s) {
				return false
			}
			r, w := utf8.DecodeRuneInString(m.s[pos:])
			if !in.set.has(r) {
				return false
			}
			pos += w
			pc++
		case opSplit:
			if m.try(in.x, pos) {
				return true
			}
			pc = in.y
		case opJmp:
			pc = in.x
		case opSave:
			old := m.caps[in.n]
			m.caps[in.n] = pos
			if m.try(pc+1, pos) {
				return true
			}
			m.caps[in.n] = old
			return false
		case opBegin:
			if pos != 0 {
				return false
			}
			pc++
		case opEnd:
			if pos != len(m.s) {
				return false
			}
			pc++
		case opMatch:
			return true
		}
	}
}

// matcher returns the state for searches in s, reusing the last one's
// memory; done gives it back.
func (r *Regexp) matcher(s string) *matcher {
	r.mu.Lock()
	m := r.spare
	r.spare = nil
	r.mu.Unlock()
	if m == nil {
		m = &matcher{r: r, caps: make([]int, 2*len(r.names))}
	}
	m.s = s
	n := (len(r.prog)*(len(s)+1) + 31) / 32
	if cap(m.visited) < n {
		m.visited = make([]uint32, n)
	}
	m.visited = m.visited[:n]
	return m
}

func (r *Regexp) done(m *matcher) {
	m.s = ""
	r.mu.Lock()
	r.spare = m
	r.mu.Unlock()
}

// find returns the submatch indexes of the leftmost match in m.s at or
// after start, or nil; they stay valid until the next find.
func (m *matcher) find(start int) []int {
	s, r := m.s, m.r
	if r.begin && (start > 0 || !strings.HasPrefix(s, r.prefix)) {
		return nil
	}
	cleared := false
	for pos := start; pos <= len(s); {
		if r.prefix != "" && !r.begin {
			i := strings.Index(s[pos:], r.prefix)
			if i < 0 {
				return nil
			}
			pos += i
		}
		if !cleared {
			clear(m.visited)
			cleared = true
		}
		for i := range m.caps {
			m.caps[i] = -1
		}
		if m.try(0, pos) {
			return m.caps
		}
		if r.begin || pos == len(s) {
			break
		}
		_, w := utf8.DecodeRuneInString(s[pos:])
		pos += w
	}
	return nil
}

// MatchString reports whether s contains a match.
func (r *Regexp) MatchString(s string) bool {
	m := r.matcher(s)
	defer r.done(m)
	return m.find(0) != nil
}

// FindStringSubmatch returns the leftmost match and its groups ("" for a
// group that did not take part), or nil.
func (r *Regexp) FindStringSubmatch(s string) []string {
	m := r.matcher(s)
	defer r.done(m)
	return r.strings(s, m.find(0))
}

func (r *Regexp) strings(s string, idx []int) []string {
	if idx == nil {
		return nil
	}
	out := make([]string, len(idx)/2)
	for i := range out {
		if idx[2*i] >= 0 {
			out[i] = s[idx[2*i]:idx[2*i+1]]
		}
	}
	return out
}

// FindAllStringSubmatchIndex returns the index pairs of up to n (all when
// n < 0) successive non-overlapping matches and their groups, as regexp's.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	var out [][]int
	prevEnd := -1
	m := r.matcher(s)
	defer r.done(m)
	for pos := 0; pos <= len(s) && (n < 0 || len(out) < n); {
		idx := m.find(pos)
		if idx == nil {
			break
		}
		idx = append([]int(nil), idx...)
		if idx[1] == idx[0] && idx[0] == prevEnd {
			// an empty match right after the previous one does not count
			if idx[0] >= len(s) {
				break
			}
			_, w := utf8.DecodeRuneInString(s[idx[0]:])
			pos = idx[0] + w
			continue
		}
		out = append(out, idx)
		prevEnd = idx[1]
		pos = idx[1]
		if idx[1] == idx[0] {
			if pos >= len(s) {
				break
			}
			_, w := utf8.DecodeRuneInString(s[pos:])
			pos += w
		}
	}
	return out
}

// FindAllStringSubmatch is FindAllStringSubmatchIndex as strings.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	var out [][]string
	for _, idx := range r.FindAllStringSubmatchIndex(s, n) {
		out = append(out, r.strings(s, idx))
	}
	return out
}

// ReplaceAllStringFunc replaces every match of r in s by repl(match).
func (r *Regexp) ReplaceAllStringFunc(s string, repl func(string) string) string {
	all := r.FindAllStringSubmatchIndex(s, -1)
	if all == nil {
		return s
	}
	var b []byte
	last := 0
	for _, idx := range all {
		b = append(b, s[last:idx[0]]...)
		b = append(b, repl(s[idx[0]:idx[1]])...)
		last = idx[1]
	}
	return string(append(b, s[last:]...))
}
