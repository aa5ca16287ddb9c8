//go:build js && wasm

package bridge

import (
	"errors"
	"syscall/js"
)

// Raw DEFLATE through the browser's CompressionStream and
// DecompressionStream ("deflate-raw"), so ui.wasm carries no DEFLATE of its
// own (share links, lessons/share). Both block until done: never call them
// from a DOM handler.

// await blocks until promise p settles.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	ok := js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	bad := js.FuncOf(func(this js.Value, args []js.Value) any {
		done <- result{err: errors.New(js.Global().Get("String").Invoke(args[0]).String())}
		return nil
	})
	defer ok.Release()
	defer bad.Release()
	p.Call("then", ok, bad)
	r := <-done
	return r.v, r.err
}

// stream is data as a ReadableStream piped through a (de)compression stream.
func stream(data []byte, kind string) js.Value {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	blob := js.Global().Get("Blob").New([]any{u8})
	return blob.Call("stream").Call("pipeThrough", js.Global().Get(kind).New("deflate-raw"))
}

// Deflate compresses data as raw DEFLATE.
func (b *Browser) Deflate(data []byte) ([]byte, error) {
	buf, err := await(js.Global().Get("Response").New(stream(data, "CompressionStream")).Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	u8 := js.Global().Get("Uint8Array").New(buf)
	out := make([]byte, u8.Length())
	js.CopyBytesToGo(out, u8)
	return out, nil
}

// Inflate decompresses raw DEFLATE, reading at most max+1 bytes: a caller
// that gets more than max stops there (a decompression bomb).
func (b *Browser) Inflate(z []byte, max int) ([]byte, error) {
	r := stream(z, "DecompressionStream").Call("getReader")
	var out []byte
	for len(out) <= max {
		chunk, err := await(r.Call("read"))
		if err != nil {
			return nil, err
		}
		if chunk.Get("done").Bool() {
			return out, nil
		}
		u8 := chunk.Get("value")
		n := u8.Length()
		start := len(out)
		out = append(out, make([]byte, n)...)
		js.CopyBytesToGo(out[start:], u8)
	}
	r.Call("cancel")
	return out, nil
}
