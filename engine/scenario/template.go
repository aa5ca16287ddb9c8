package scenario

import (
	"strconv"
	"strings"
)

// Template is a compiled key/value template: "{i}" is the record's index
// in the step (from 0) and "{i%N}" its remainder by N. Compiling once and
// appending per record keeps a produce step of many records from parsing
// (and allocating) for each of them.
type Template struct {
	parts []tplPart
}

// tplPart is literal text followed by an optional placeholder.
type tplPart struct {
	lit string
	mod int // 0: no placeholder; -1: {i}; N > 0: {i%N}
}

// CompileTemplate parses a key/value template.
func CompileTemplate(tpl string) (Template, error) {
	if !strings.Contains(tpl, "{") {
		return Template{parts: []tplPart{{lit: tpl}}}, nil
	}
	var parts []tplPart
	rest := tpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if rest != "" {
				parts = append(parts, tplPart{lit: rest})
			}
			return Template{parts: parts}, nil
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return Template{}, errorf("template %q: unclosed '{'", tpl)
		}
		part := tplPart{lit: rest[:open]}
		expr := rest[open+1 : open+end]
		switch {
		case expr == "i":
			part.mod = -1
		case strings.HasPrefix(expr, "i%"):
			n, err := strconv.Atoi(expr[2:])
			if err != nil || n <= 0 || strconv.Itoa(n) != expr[2:] {
				return Template{}, errorf("template %q: {%s} needs a positive whole number after %%", tpl, expr)
			}
			part.mod = n
		default:
			return Template{}, errorf("template %q: unknown placeholder {%s} (use {i} or {i%%N})", tpl, expr)
		}
		parts = append(parts, part)
		rest = rest[open+end+1:]
	}
}

// Constant reports whether the template has no placeholder, so every
// record gets the same text.
func (t Template) Constant() bool {
	for _, p := range t.parts {
		if p.mod != 0 {
			return false
		}
	}
	return true
}

// Len is the length of record i's text.
func (t Template) Len(i int) int {
	n := 0
	for _, p := range t.parts {
		n += len(p.lit)
		switch {
		case p.mod < 0:
			n += decimalLen(i)
		case p.mod > 0:
			n += decimalLen(i % p.mod)
		}
	}
	return n
}

// Append appends record i's text to dst.
func (t Template) Append(dst []byte, i int) []byte {
	for _, p := range t.parts {
		dst = append(dst, p.lit...)
		switch {
		case p.mod < 0:
			dst = strconv.AppendInt(dst, int64(i), 10)
		case p.mod > 0:
			dst = strconv.AppendInt(dst, int64(i%p.mod), 10)
		}
	}
	return dst
}

// decimalLen is how many bytes strconv.AppendInt writes for v.
func decimalLen(v int) int {
	n := 1
	if v < 0 {
		n++ // the minus sign
	}
	for v >= 10 || v <= -10 {
		v /= 10
		n++
	}
	return n
}

// Expand fills a key/value template for record i (see Template).
func Expand(tpl string, i int) (string, error) {
	if !strings.Contains(tpl, "{") {
		return tpl, nil
	}
	t, err := CompileTemplate(tpl)
	if err != nil {
		return "", err
	}
	return string(t.Append(nil, i)), nil
}
