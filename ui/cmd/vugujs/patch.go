package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Vugu's renderer sends a vg-html value longer than its 16 KiB instruction
// buffer in pieces (domrender/renderer-js-instructions.go,
// writeSetInnerHTML: `chunk := remaining[:maxLen-il.pos]`). The cut is by
// bytes, wherever the buffer happens to end, so it can fall inside a
// multi-byte UTF-8 character; and the script decodes every piece on its own
// (readString: one TextDecoder.decode per string, no {stream: true}). A "·"
// (C2 B7) cut in two becomes "��" in the page, a "★" or a Korean syllable
// likewise: issue 11 item 7, seen in 2–5 % of cluster-view frames because
// the cluster SVG is longer than the buffer and the cut moves with the
// instructions written before it.
//
// PatchInnerHTML makes the script decode those pieces as one stream: each
// piece (opcode BufferInnerHTML) through one TextDecoder kept in the
// renderer's state with {stream: true}, which holds back an incomplete
// character until the next piece, and the last piece (opcode SetInnerHTML)
// through the same decoder without it, which ends the stream. Every other
// string the renderer reads fits in one buffer and is decoded whole, as
// before.
//
// The script is Vugu's minified constant; the patch fails, naming what it
// did not find, when a Vugu upgrade changes it, rather than ship a renderer
// that garbles text again.
func PatchInnerHTML(script string) (string, error) {
	const method = `readString(){`
	if n := strings.Count(script, method); n != 1 {
		return "", fmt.Errorf("vugujs: patch: expected one readString method in Vugu's renderer, found %d", n)
	}
	// readHTML(d, more) reads a string like readString, decoding it with d as
	// part of a stream that continues when more is true.
	script = strings.Replace(script, method,
		`readHTML(d,more){var n=this.dataView.getUint32(this.offset),s=d.decode(new Uint8Array(this.dataView.buffer,this.dataView.byteOffset+this.offset+4,n),{stream:more});return this.offset+=n+4,s}`+method, 1)
	for _, p := range []struct {
		what string
		re   *regexp.Regexp
		more string
	}{
		{"BufferInnerHTML", regexp.MustCompile(`case \w+:\{let \w+=(\w+)\.readString\(\);(\w+)\.bufferedInnerHTML=\(`), "!0"},
		{"SetInnerHTML", regexp.MustCompile(`case \w+:\{let \w+=(\w+)\.readString\(\);if\(!(\w+)\.el\)throw"opcodeSetInnerHTML`), "!1"},
	} {
		locs := p.re.FindAllStringSubmatchIndex(script, -1)
		if len(locs) != 1 {
			return "", fmt.Errorf("vugujs: patch: expected one %s case in Vugu's renderer, found %d", p.what, len(locs))
		}
		m := locs[0]
		decoder, state := script[m[2]:m[3]], script[m[4]:m[5]]
		whole := script[m[0]:m[1]]
		call := decoder + ".readString()"
		repl := strings.Replace(whole, call,
			fmt.Sprintf("%s.readHTML(%s.htmlDecoder=%s.htmlDecoder||new TextDecoder,%s)", decoder, state, state, p.more), 1)
		script = script[:m[0]] + repl + script[m[1]:]
	}
	return script, nil
}
