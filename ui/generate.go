package ui

import "github.com/vugu/vugu"

// The components' Go code is generated from the .vugu files and committed;
// TestGeneratedUpToDate fails when it is stale.
//
// The last step rewrites vugugen's vgparent.AppendChild(vgn), emitted once
// per element (900 times), into a call of appendChild: inlined at every
// element, VGNode.AppendChild's checks and pointer writes cost 0.04 MB
// brotli of ui.wasm; one call per built node costs nothing measurable.
//go:generate go tool vugugen -s -skip-go-mod -skip-main .
//go:generate gofmt -w 0_components_gen.go
//go:generate gofmt -r "vgparent.AppendChild(vgn) -> appendChild(vgparent, vgn)" -w 0_components_gen.go
//
// The same holds for building a node and adding an event handler: the
// rewrites below make them calls of textNode, elementNode and appendHandler
// (ui.wasm 7,465,262 -> 7,399,155 bytes, brotli -9 KB).
// TestGeneratedUpToDate applies every "go:generate gofmt -r" line of this file.
//go:generate gofmt -r "&vugu.VGNode{Type: vugu.VGNodeType(1), Data: a} -> textNode(a)" -w 0_components_gen.go
//go:generate gofmt -r "&vugu.VGNode{Type: vugu.VGNodeType(3), Namespace: \"\", Data: a, Attr: b} -> elementNode(a, b)" -w 0_components_gen.go
//go:generate gofmt -r "append(vgn.DOMEventHandlerSpecList, vugu.DOMEventHandlerSpec{EventType: a, Func: b}) -> appendHandler(vgn.DOMEventHandlerSpecList, a, b)" -w 0_components_gen.go
//
// Last, vugugen's unused import of "log" goes (see ui/cmd/droplog: ui.wasm
// -7.7 KB brotli); TestGeneratedUpToDate runs it too.
//go:generate go run ./cmd/droplog 0_components_gen.go

// appendChild is VGNode.AppendChild kept out of line (see above).
//
//go:noinline
func appendChild(parent, child *vugu.VGNode) { parent.AppendChild(child) }

// textNode is a text node (see the rewrites above).
//
//go:noinline
func textNode(data string) *vugu.VGNode {
	return &vugu.VGNode{Type: vugu.VGNodeType(1), Data: data}
}

// elementNode is an element with its static attributes.
//
//go:noinline
func elementNode(tag string, attr []vugu.VGAttribute) *vugu.VGNode {
	return &vugu.VGNode{Type: vugu.VGNodeType(3), Namespace: "", Data: tag, Attr: attr}
}

// appendHandler adds the handler of one DOM event to list.
//
//go:noinline
func appendHandler(list []vugu.DOMEventHandlerSpec, event string, f func(vugu.DOMEvent)) []vugu.DOMEventHandlerSpec {
	return append(list, vugu.DOMEventHandlerSpec{EventType: event, Func: f})
}
