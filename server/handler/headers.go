package handler

import (
	"net/http"
	"strings"
)

// ContentSecurityPolicy is the page's policy. 'wasm-unsafe-eval' is what
// WebAssembly compilation needs (in the page for ui.wasm and in the worker
// for engine.wasm); nothing else is loosened: no inline script or style, no
// eval, no third-party origin.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders go on every response, errors included. COOP+COEP make the
// page cross-origin isolated (SharedArrayBuffer and Atomics.wait become
// available should the engine host ever need them); every resource is
// same-origin so nothing breaks.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", ContentSecurityPolicy},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
}

func setSecurityHeaders(h http.Header) {
	for _, kv := range securityHeaders {
		h.Set(kv[0], kv[1])
	}
}

// CloudflareHeaders returns a Cloudflare "_headers" file giving the static
// assets of the Worker build the same security headers as this handler
// (the Workers asset layer answers those requests without running Go).
func CloudflareHeaders() string {
	var b strings.Builder
	b.WriteString("/*\n")
	for _, kv := range securityHeaders {
		b.WriteString("  " + kv[0] + ": " + kv[1] + "\n")
	}
	return b.String()
}
