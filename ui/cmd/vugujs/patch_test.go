package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brokerlab/brokerlab/internal/nodejs"
)

// domTest drives the patched renderer with hand-written instruction
// buffers on a fake DOM that counts writes.
const domTest = `
const strs = (...ss) => ss;
function text(s) {
  return { nodeType: 3, nodeName: "#text", _d: s, writes: 0, nextSibling: null,
    get data() { return this._d }, set data(v) { this.writes++; this._d = v },
    get textContent() { return this._d }, set textContent(v) { this.writes++; this._d = v } };
}
function elem(name) {
  return { nodeType: 1, nodeName: name, attributes: [], firstChild: null, nextSibling: null, parentNode: null,
    _h: "", parses: 0, attrs: {}, attrWrites: 0,
    get innerHTML() { return this._h }, set innerHTML(v) { this.parses++; this._h = v },
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null },
    setAttribute(k, v) { this.attrWrites++; this.attrs[k] = String(v) } };
}
const mount = elem("DIV");
globalThis.window = globalThis;
globalThis.document = { querySelector: () => mount };
SCRIPT
const enc = new TextEncoder();
function render(ops) {
  const bytes = [];
  for (const op of ops) {
    if (typeof op === "number") { bytes.push(op); continue; }
    const b = enc.encode(op);
    bytes.push((b.length >>> 24) & 255, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255, ...b);
  }
  bytes.push(0);
  const a = window.vuguGetRenderArray();
  a.fill(0); a.set(bytes);
  window.vuguRender();
}
const SELECT = 7, ATTR = 6, HTML = 29, FIRST = 20, PARENT = 25, TEXT = 23;
const html = (h) => render([SELECT, "#app", "div", ATTR, "class", "x", HTML, h]);
const check = (what, got, want) => { if (got !== want) throw new Error(what + ": " + got + ", want " + want); };

html("<b>1</b>"); html("<b>1</b>"); html("<b>1</b>");
check("parses of the same markup three times", mount.parses, 1);
check("attribute writes of the same value three times", mount.attrWrites, 1);
html("<b>2</b>");
check("parses after the markup changed", mount.parses, 2);
check("markup", mount.innerHTML, "<b>2</b>");

// The element's children synced one by one: its markup is forgotten.
mount.firstChild = text("a"); mount.firstChild.parentNode = mount;
render([SELECT, "#app", "div", FIRST, TEXT, "a", PARENT]);
render([SELECT, "#app", "div", FIRST, TEXT, "a", PARENT]);
check("writes of an unchanged text node", mount.firstChild.writes, 0);
render([SELECT, "#app", "div", FIRST, TEXT, "b", PARENT]);
check("writes of a changed text node", mount.firstChild.writes, 1);
check("text", mount.firstChild.data, "b");
html("<b>2</b>");
check("parses of the old markup after the children changed", mount.parses, 3);
console.log("ok");
`

// TestPatchedRendererWritesOnlyChanges: the patches apply to the linked
// vugu's script, and the patched renderer skips unchanged markup, text and
// attributes but not markup whose children were synced since.
func TestPatchedRendererWritesOnlyChanges(t *testing.T) {
	dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/vugu/vugu/domrender").Output()
	if err != nil {
		t.Fatal(err)
	}
	orig, err := Extract(filepath.Join(strings.TrimSpace(string(dir)), "renderer-js-script.go"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := Patch(orig)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Patch(script); err == nil {
		t.Error("patching twice succeeded: the find strings must not survive their patch")
	}
	node := nodejs.Path(t)
	f := filepath.Join(t.TempDir(), "render_test.js")
	if err := os.WriteFile(f, []byte(strings.Replace(domTest, "SCRIPT", script, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, f).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("patched renderer: %v\n%s", err, out)
	}
	// The same test fails on the unpatched script: it measures something.
	if err := os.WriteFile(f, []byte(strings.Replace(domTest, "SCRIPT", orig, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, f).CombinedOutput(); err == nil || !strings.Contains(string(out), "parses of the same markup three times: 3, want 1") {
		t.Fatalf("the unpatched renderer should fail on its three parses of the same markup; it said: %v\n%s", err, out)
	}
}

// TestPatchesApplyTogether runs both patches in the order main does: each
// must still find its text in the other's output.
func TestPatchesApplyTogether(t *testing.T) {
	s, err := PatchInnerHTML(vuguScript(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Patch(s); err != nil {
		t.Fatal(err)
	}
}
