package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brokerlab/brokerlab/internal/nodejs"
)

// The runes the page puts in its markup, and the ones a learner may type:
// one, two, three and four UTF-8 bytes, and what HTML escaping rewrites.
var runePool = []rune("ab09 <>&\"'·–—★◆×−리더파티션오프셋🙂\u2028é")

// randText is a random string of runePool's runes, up to n of them.
func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range r.IntN(n + 1) {
		b.WriteRune(runePool[r.IntN(len(runePool))])
	}
	return b.String()
}

// renderBuffers writes what Vugu's Go renderer sends for one vg-html
// element: an opcodeSelectQuery whose selector is pad bytes long (it moves
// where the buffer ends, as the instructions before a real vg-html do),
// then writeSetInnerHTML's pieces, each flushed as a whole buffer of size
// bufLen. It follows domrender/renderer-js-instructions.go (Vugu v0.4.0)
// step by step: checkLenAndFlush, the byte cut `remaining[:maxLen-il.pos]`,
// the zero terminator written at flush.
func renderBuffers(markup string, pad, bufLen int) [][]byte {
	const (
		opSetInnerHTML    = 29
		opSelectQuery     = 36
		opBufferInnerHTML = 37
	)
	buf := make([]byte, bufLen)
	pos := 0
	var out [][]byte
	flush := func() {
		buf[pos] = 0
		out = append(out, append([]byte(nil), buf...))
		pos = 0
	}
	checkLenAndFlush := func(l int) {
		if pos+l > len(buf)-1 {
			flush()
		}
		if pos+l > len(buf)-1 {
			panic(fmt.Sprintf("%d bytes do not fit a %d-byte buffer", l, len(buf)))
		}
	}
	writeString := func(op byte, s string) {
		buf[pos] = op
		binary.BigEndian.PutUint32(buf[pos+1:], uint32(len(s)))
		copy(buf[pos+5:], s)
		pos += 5 + len(s)
	}
	sel := "#" + strings.Repeat("x", pad)
	checkLenAndFlush(5 + len(sel))
	writeString(opSelectQuery, sel)

	checkLenAndFlush(6)
	remaining := markup
	maxLen := len(buf) - 6
	for len(remaining) > maxLen-pos {
		chunk := remaining[:maxLen-pos]
		remaining = remaining[maxLen-pos:]
		checkLenAndFlush(len(chunk) + 5)
		writeString(opBufferInnerHTML, chunk)
		flush()
	}
	checkLenAndFlush(len(remaining) + 5)
	writeString(opSetInnerHTML, remaining)
	flush()
	return out
}

// harness runs the renderer script in Node over each case's buffers, with
// a one-element document, and prints the innerHTML each case ended with.
const harness = `
const fs = require('fs'), vm = require('vm');
globalThis.window = globalThis;
const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
window.vuguRenderArray = new Uint8Array(input.bufLen);
vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const bufs of input.cases) {
  window.vuguState = {};
  const el = { nodeType: 1, nodeName: 'DIV', innerHTML: '' };
  globalThis.document = { querySelector: () => el };
  for (const b of bufs) {
    window.vuguRenderArray.set(Buffer.from(b, 'base64'));
    window.vuguRender();
  }
  out.push(el.innerHTML);
}
process.stdout.write(JSON.stringify(out));
`

// runRenderer renders every markup through script in Node and returns the
// innerHTML each produced.
func runRenderer(t *testing.T, script string, markups []string, pads []int, bufLen int) []string {
	t.Helper()
	node := nodejs.Path(t)
	dir := t.TempDir()
	var in struct {
		BufLen int        `json:"bufLen"`
		Cases  [][][]byte `json:"cases"` // []byte marshals as base64
	}
	in.BufLen = bufLen
	for i, m := range markups {
		in.Cases = append(in.Cases, renderBuffers(m, pads[i], bufLen))
	}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"script.js": script, "harness.js": harness, "input.json": string(raw)}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, filepath.Join(dir, "harness.js"), filepath.Join(dir, "script.js"), filepath.Join(dir, "input.json"))
	outb, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s", err, msg)
	}
	var got []string
	if err := json.Unmarshal(outb, &got); err != nil {
		t.Fatalf("node printed %q: %v", outb, err)
	}
	if len(got) != len(markups) {
		t.Fatalf("node rendered %d cases, want %d", len(got), len(markups))
	}
	return got
}

func vuguScript(t *testing.T) string {
	t.Helper()
	dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/vugu/vugu/domrender").Output()
	if err != nil {
		t.Fatalf("go list github.com/vugu/vugu/domrender: %v", err)
	}
	s, err := Extract(filepath.Join(strings.TrimSpace(string(dir)), "renderer-js-script.go"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestInnerHTMLKeepsCharactersWhole is the property over the vg-html path
// (issue 11 item 7): random text with one- to four-byte characters, escaped
// as ui's markup builders escape it (html.EscapeString), cut into pieces
// exactly as Vugu's Go renderer cuts it, wherever the buffer ends, and
// decoded by the renderer script the page loads, comes out as the same
// markup — valid UTF-8, no U+FFFD. Vugu's script as it ships must fail the
// same check, or the test would not be testing the cut.
func TestInnerHTMLKeepsCharactersWhole(t *testing.T) {
	orig := vuguScript(t)
	patched, err := PatchInnerHTML(orig)
	if err != nil {
		t.Fatal(err)
	}
	const bufLen = 48 // small, so short strings are cut several times
	r := rand.New(rand.NewPCG(11, 7))
	var markups []string
	var pads []int
	for range 400 {
		markups = append(markups, html.EscapeString(randText(r, 120)))
		pads = append(pads, r.IntN(bufLen-12))
	}
	// The issue's own label, cut inside its "·" (C2 B7): the selector
	// instruction takes 5+1+pad bytes and the piece ends at bufLen-6.
	label := "leader B2 · epoch 0 · ISR [2,3] · HW 0"
	markups = append(markups, label)
	pads = append(pads, bufLen-6-5-1-strings.Index(label, "·")-1)

	got := runRenderer(t, patched, markups, pads, bufLen)
	for i, g := range got {
		if g != markups[i] || !utf8.ValidString(g) {
			t.Fatalf("case %d (selector pad %d): the patched renderer set\n%q\nwant\n%q", i, pads[i], g, markups[i])
		}
	}

	broken := 0
	for i, g := range runRenderer(t, orig, markups, pads, bufLen) {
		if g != markups[i] {
			broken++
			if !strings.ContainsRune(g, utf8.RuneError) {
				t.Errorf("case %d: Vugu's renderer changed the markup without a U+FFFD: %q", i, g)
			}
		}
	}
	if last := runRenderer(t, orig, markups[len(markups)-1:], pads[len(pads)-1:], bufLen)[0]; !strings.Contains(last, "B2 \uFFFD\uFFFD epoch") {
		t.Errorf("Vugu's renderer should turn the cut \"·\" into two U+FFFD as the issue reports; it set %q", last)
	}
	if broken == 0 {
		t.Fatal("Vugu's unpatched renderer kept every case whole: the test no longer reproduces the cut")
	}
	t.Logf("Vugu's unpatched renderer garbled %d of %d cases; the patched one none", broken, len(markups))
}

// TestPatchFailsOnUnknownScript: a renderer the patch does not recognise
// is an error, not a silently unpatched file.
func TestPatchFailsOnUnknownScript(t *testing.T) {
	orig := vuguScript(t)
	for _, s := range []string{"", strings.Replace(orig, "bufferedInnerHTML=(", "bufferedInnerHTML =(", 1)} {
		if _, err := PatchInnerHTML(s); err == nil {
			t.Errorf("PatchInnerHTML accepted a script it cannot patch (%d bytes)", len(s))
		}
	}
}
