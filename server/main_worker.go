//go:build js && wasm

// Command server, built for GOOS=js, is the Cloudflare Worker: the Workers
// asset layer serves dist/ (with the _headers file for the security
// headers) and this handler answers whatever it does not have — /healthz and
// the 404s — with the same headers as the native server. Each request gets a
// fresh Go instance, so nothing here keeps state.
package main

import (
	"github.com/syumai/workers"

	"github.com/brokerlab/brokerlab/server/handler"
	"github.com/brokerlab/brokerlab/static"
)

func main() {
	workers.Serve(handler.New(handler.Config{Static: static.FS}))
}
