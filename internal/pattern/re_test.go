package pattern

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"testing"
)

// patterns use every piece of syntax the package takes, in the shapes the
// UI's and the lessons' patterns have.
var patterns = []string{
	`^[a-z0-9]+(-[a-z0-9]+)*$`,
	`^text\.(.+)\.json$`,
	`^[a-z]{2,3}(-[A-Z][A-Za-z0-9]+)?$`,
	`\]\(glossary:([^)]*)\)`,
	`\[([^\]]+)\]\(glossary:([^)]*)\)`,
	`^[A-Z][A-Z0-9_]*$`,
	`\{([a-z_0-9]+)\}`,
	`\$\{[0-9]+\}`,
	`\$([0-9]+)`,
	`^(?:api: )?(?:apply: )?(?:command \d+: )?(?:[a-z_]+: )?`,
	`^config: \w+ config ([\w.]+)="([^"]*)": (.*)$`,
	`^(\w+) must be at least (\d+), got (-?\d+)`,
	`^consumer "([^"]*)" is already (?:running|started)`,
	`^unknown broker (\d+) \(the cluster has brokers 1–(\d+)\)`,
	`^consumer \S+: (?P<how>.*?) failed: `,
	`after (?P<count>\d+) records(?: and (?P<how>.*))?$`,
	` as a (?P<member>.+?) \(`,
	`is fenced: (?P<why>.*) \((?P<timeout>[^()]*)\)$`,
	`^link (?P<a>\S+) ↔ (?P<b>\S+) degraded`,
	`.`,
	`^(?:(\S+) after (\d+) attempts?)$`,
	`^(?:(?:.*: )?no space left)$`,
	`^(?:(?P<r>.+); it was)$`,
	`^(?:a|ab|b)(c|bc?)$`,
	`(a+?)(a*)b`,
	`x{2}y{1,}z{0,2}`,
	`[^a-c\d]+`,
	`\W\D\s`,
	`a{`,
}

// TestSameAsRegexp checks every entry point against regexp's on random
// texts made of the patterns' own pieces.
func TestSameAsRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range patterns {
		std := regexp.MustCompile(p)
		ours := MustCompile(p)
		if !reflect.DeepEqual(std.SubexpNames(), ours.SubexpNames()) {
			t.Fatalf("%s: names %q, want %q", p, ours.SubexpNames(), std.SubexpNames())
		}
		tree := (&parser{s: p, names: []string{""}}).alt()
		matched := 0
		for n := 0; n < 3000; n++ {
			s := text(rng, tree)
			if std.MatchString(s) {
				matched++
			}
			if got, want := ours.MatchString(s), std.MatchString(s); got != want {
				t.Fatalf("%s on %q: MatchString %v, want %v", p, s, got, want)
			}
			if got, want := ours.FindStringSubmatch(s), std.FindStringSubmatch(s); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s on %q: FindStringSubmatch %q, want %q", p, s, got, want)
			}
			if got, want := ours.FindAllStringSubmatchIndex(s, -1), std.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s on %q: FindAllStringSubmatchIndex %v, want %v", p, s, got, want)
			}
			if got, want := ours.FindAllStringSubmatch(s, -1), std.FindAllStringSubmatch(s, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s on %q: FindAllStringSubmatch %q, want %q", p, s, got, want)
			}
			f := func(m string) string { return "<" + m + ">" }
			if got, want := ours.ReplaceAllStringFunc(s, f), std.ReplaceAllStringFunc(s, f); got != want {
				t.Fatalf("%s on %q: ReplaceAllStringFunc %q, want %q", p, s, got, want)
			}
		}
		if matched < 100 && p != `a{` {
			t.Errorf("%s: only %d of 3000 texts match", p, matched)
		}
	}
}

// TestRefuses checks that syntax outside the subset panics.
func TestRefuses(t *testing.T) {
	for _, p := range []string{`(?i)a`, `\pL`, `a**`, `(a*)*`, `(`, `a)`, `[a`, `\b`, `x{3,2}`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s compiled", p)
				}
			}()
			MustCompile(p)
		}()
	}
}

// pool are the runes texts are made of beside the patterns' own.
var pool = []rune("aAzZ09_ -:.,;=\"'()[]{}$\n\té–↔\uFFFD")

// text returns a random text from n's language, sometimes with pieces
// dropped, repeated or changed, so that near misses come up too.
func text(rng *rand.Rand, n *node) string {
	var b []rune
	var walk func(n *node)
	walk = func(n *node) {
		switch n.kind {
		case 'c':
			for {
				var r rune
				if !n.set.neg && rng.IntN(2) == 0 {
					k := 2 * rng.IntN(len(n.set.r)/2)
					r = n.set.r[k] + rune(rng.IntN(int(n.set.r[k+1]-n.set.r[k])+1))
				} else {
					r = pool[rng.IntN(len(pool))]
				}
				if n.set.has(r) || rng.IntN(20) == 0 {
					b = append(b, r)
					return
				}
			}
		case 'q':
			for _, s := range n.subs {
				walk(s)
			}
		case '|':
			walk(n.subs[rng.IntN(len(n.subs))])
		case '(':
			walk(n.subs[0])
		case '*':
			max := n.max
			if max < 0 {
				max = n.min + 3
			}
			for k := n.min + rng.IntN(max-n.min+1); k > 0; k-- {
				walk(n.subs[0])
			}
		}
	}
	if rng.IntN(4) == 0 {
		b = append(b, pool[rng.IntN(len(pool))])
	}
	walk(n)
	if rng.IntN(4) == 0 {
		walk(n)
	}
	switch rng.IntN(6) {
	case 0:
		if len(b) > 0 {
			i := rng.IntN(len(b))
			b = append(b[:i], b[i+1:]...)
		}
	case 1:
		b = append(b, pool[rng.IntN(len(pool))])
	}
	s := string(b)
	if rng.IntN(10) == 0 && len(s) > 0 {
		s = s[:rng.IntN(len(s))] // maybe mid-rune
	}
	return s
}
