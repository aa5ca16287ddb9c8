package ui

import (
	"encoding/json"
	"fmt"

	"github.com/brokerlab/brokerlab/engine/contract"
)

// Cmd is one engine command, typed as the contract gives it.
type Cmd = contract.Command

// ptr is a pointer to v, for a command's optional fields.
func ptr[T any](v T) *T { return &v }

// EngineError is an error reply from the engine; the page shows its
// message, without the code.
type EngineError contract.Error

func (e *EngineError) Error() string { return e.Message }

// engineClient turns method calls into the JSON envelope of DESIGN.md §3.
type engineClient struct {
	p Platform
	// ic and inst send the calls to another engine instance of the
	// worker (inst > 0: Compare's second run).
	ic   instanceCaller
	inst int
	// Bytes counts reply bytes, for the figures the page publishes.
	Bytes int64
	// Last holds, per method, the last call's round trip and decode time in
	// milliseconds and its reply size.
	Last map[string]CallTiming
	// batchMS sums the round trips of the batches since startFrame: from
	// sending each batch's requests to its last reply.
	batchMS float64
	// engineMS sums the time inside the engine of every call the worker
	// measured.
	engineMS float64
}

// startFrame forgets the last frame's timings (Last and batchMS), so a
// frame's figures hold only its own calls.
func (c *engineClient) startFrame() {
	clear(c.Last)
	c.batchMS = 0
}

// CallTiming is the cost of one engine call: from sending it (or the
// previous reply of its batch) to its reply, and decoding the reply.
// Worker holds the worker's own figures of the call when the platform has
// them (see workerTimer).
type CallTiming struct {
	RoundTripMS, DecodeMS float64
	Bytes                 int
	Worker                WorkerTiming
}

// WorkerTiming is what one call cost inside the engine worker
// (static/engine-host.js): the whole call, the time inside the engine's
// bl_call, copying the request in and the reply out, waiting in the
// worker's queue, the storage's work after the previous call, and the WASI
// shim's file calls during this one (OPFS in the browser), and the size of
// the instance's wasm memory after it. Zero when the platform does not
// measure it.
type WorkerTiming struct {
	CallMS, EngineMS, CopyMS, WaitMS, AfterPrevMS float64
	WriteMS, SyncMS, ReadMS, MetaMS               float64
	Writes, Syncs, Reads, Metas                   int
	MemoryBytes                                   int64
}

// workerTimer is a Platform whose engine worker reports what each call of
// the last Call or CallBatch cost inside it (the browser).
type workerTimer interface {
	WorkerTimings() []WorkerTiming
}

// Call is one request of a batch: its method, params and where its result goes.
type Call struct {
	Method string
	Params any
	Out    any
}

// call runs method with params and decodes the result into out (if not nil).
// Call makes the client a session.Caller (lessons/session runs the lesson).
func (c *engineClient) Call(method string, params, out any) error { return c.call(method, params, out) }

func (c *engineClient) call(method string, params any, out any) error {
	return c.batch(Call{method, params, out})
}

// batch runs calls in order in one round trip. It decodes every reply and
// returns the first error.
func (c *engineClient) batch(calls ...Call) error {
	reqs := make([][]byte, len(calls))
	for i, cl := range calls {
		req, err := json.Marshal(contract.Request{Method: cl.Method, Params: cl.Params})
		if err != nil {
			return fmt.Errorf("ui: %s: %v", cl.Method, err)
		}
		reqs[i] = req
	}
	t0 := c.p.Now()
	var raws [][]byte
	var done []float64
	var err error
	if c.inst > 0 {
		raws, done, err = c.ic.CallBatchOn(c.inst, reqs)
	} else if len(reqs) == 1 {
		var raw []byte
		raw, err = c.p.Call(reqs[0])
		raws, done = [][]byte{raw}, []float64{c.p.Now()}
	} else {
		raws, done, err = c.p.CallBatch(reqs)
	}
	if err != nil {
		return err
	}
	if c.Last == nil {
		c.Last = map[string]CallTiming{}
	}
	c.batchMS += done[len(done)-1] - t0
	var worker []WorkerTiming
	if wt, ok := c.p.(workerTimer); ok {
		worker = wt.WorkerTimings()
	}
	var first error
	prev := t0
	for i, cl := range calls {
		t1 := c.p.Now()
		err := decodeReply(cl.Method, raws[i], cl.Out)
		ct := CallTiming{RoundTripMS: done[i] - prev, DecodeMS: c.p.Now() - t1, Bytes: len(raws[i])}
		if i < len(worker) {
			ct.Worker = worker[i]
			c.engineMS += worker[i].EngineMS
		}
		c.Last[cl.Method] = ct

		prev = done[i]
		c.Bytes += int64(len(raws[i]))
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

func decodeReply(method string, raw []byte, out any) error {
	var env contract.Reply
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("ui: %s: bad reply: %v", method, err)
	}
	if env.Error != nil {
		return (*EngineError)(env.Error)
	}
	if out != nil && len(env.Result) > 0 {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return fmt.Errorf("ui: %s: bad result: %v", method, err)
		}
	}
	return nil
}
