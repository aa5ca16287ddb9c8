package main

import (
	"fmt"
	"strings"
)

// patches make Vugu's renderer leave the DOM alone where a render changes
// nothing. Vugu re-sends the whole page on every render and its script
// wrote every text node and attribute and re-parsed every vg-html block
// (the cluster view's SVG, the event log, the panels) each time: style and
// layout for the whole page on every frame, and the record under the
// pointer or the keyboard focus replaced while the clock ran. Each find
// string must occur exactly once in the script of the linked vugu version;
// a vugu upgrade that changes them fails the build here instead of
// silently dropping a patch.
var patches = []struct{ why, find, repl string }{
	{
		"vg-html: parse only markup that differs from what this element was last given",
		`x.el.innerHTML=(x.bufferedInnerHTML||"")+e,x.bufferedInnerHTML=null;break}`,
		`{let vgH=(x.bufferedInnerHTML||"")+e;x.bufferedInnerHTML=null,x.el.__vgHTML!==vgH&&(x.el.innerHTML=vgH,x.el.__vgHTML=vgH)}break}`,
	},
	{
		// An element whose children Vugu syncs one by one no longer holds
		// the markup it was last given: forget it.
		"descending into an element forgets its vg-html markup",
		`if(!x.el)throw"must have current selection to use opcodeMoveToFirstChild";x.nextElMove="first_child";break}`,
		`if(!x.el)throw"must have current selection to use opcodeMoveToFirstChild";x.el.__vgHTML=void 0,x.nextElMove="first_child";break}`,
	},
	{
		"text: write only a changed text node",
		`}else x.el.textContent=e;break}case c:`,
		`}else x.el.data!==e&&(x.el.data=e);break}case c:`,
	},
	{
		"attributes: set only a changed value",
		`let t=C.readString(),n=C.readString();e.setAttribute(t,n),x.elAttrNames[t]=!0;break}`,
		`let t=C.readString(),n=C.readString();e.getAttribute(t)!==n&&e.setAttribute(t,n),x.elAttrNames[t]=!0;break}`,
	},
}

// Patch applies patches to Vugu's renderer script.
func Patch(script string) (string, error) {
	for _, p := range patches {
		if n := strings.Count(script, p.find); n != 1 {
			return "", fmt.Errorf("vugujs: patch %q: its text occurs %d times in vugu's renderer script, want once (did the vugu version change?)", p.why, n)
		}
		script = strings.Replace(script, p.find, p.repl, 1)
	}
	return script, nil
}
