package api

import "github.com/brokerlab/brokerlab/engine/cluster"

// Attach returns an engine that answers for a cluster already running
// under another host (the native server's -kafka engine, whose clock
// follows the wall clock): the same methods and replies, for a page
// attached to it. The host decides which methods it lets through.
func Attach(c *cluster.Cluster, opts Options) *Engine { return &Engine{opts: opts, cluster: c} }
