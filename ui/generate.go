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

// appendChild is VGNode.AppendChild kept out of line (see above).
//
//go:noinline
func appendChild(parent, child *vugu.VGNode) { parent.AppendChild(child) }
