// Command reactor is a stand-in for engine.wasm in the shim's tests: a Go
// wasip1 reactor with the engine's ABI (bl_alloc, bl_free, bl_call) whose
// methods exercise files under /data through package os.
package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"
	"unsafe"
)

var (
	buffers = map[uint32][]byte{} // keeps bl_alloc'd memory alive
	reply   []byte                // valid until the next call
)

//go:wasmexport bl_alloc
func blAlloc(size uint32) uint32 {
	b := make([]byte, size+1)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	buffers[p] = b
	return p
}

//go:wasmexport bl_free
func blFree(p uint32) { delete(buffers, p) }

//go:wasmexport bl_call
func blCall(p, n uint32) uint64 {
	reply = handle(buffers[p][:n])
	if len(reply) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&reply[0])))<<32 | uint64(len(reply))
}

type request struct {
	Method string `json:"method"`
	Params struct {
		Path  string `json:"path"`
		To    string `json:"to"`
		Data  string `json:"data"`
		At    int64  `json:"at"`
		Size  int64  `json:"size"`
		Bytes int    `json:"bytes"`
	} `json:"params"`
}

func handle(raw []byte) []byte {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return fail("INVALID_REQUEST", err)
	}
	p := req.Params
	switch req.Method {
	case "echo":
		return ok(map[string]any{"echo": string(raw)})
	case "write": // create parents, write data at offset, sync
		if err := os.MkdirAll(filepath.Dir(p.Path), 0o755); err != nil {
			return fail("IO", err)
		}
		f, err := os.OpenFile(p.Path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return fail("IO", err)
		}
		defer f.Close()
		if _, err := f.WriteAt([]byte(p.Data), p.At); err != nil {
			return fail("IO", err)
		}
		if err := f.Sync(); err != nil {
			return fail("IO", err)
		}
		st, err := f.Stat()
		if err != nil {
			return fail("IO", err)
		}
		return ok(map[string]any{"size": st.Size()})
	case "append":
		f, err := os.OpenFile(p.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fail("IO", err)
		}
		defer f.Close()
		if _, err := f.Write([]byte(p.Data)); err != nil {
			return fail("IO", err)
		}
		return ok(nil)
	case "read":
		b, err := os.ReadFile(p.Path)
		if err != nil {
			return fail("IO", err)
		}
		return ok(map[string]any{"data": string(b)})
	case "read_at": // positional read through Seek + Read and ReadAt
		f, err := os.Open(p.Path)
		if err != nil {
			return fail("IO", err)
		}
		defer f.Close()
		b := make([]byte, p.Bytes)
		n, err := f.ReadAt(b, p.At)
		if err != nil && n == 0 {
			return fail("IO", err)
		}
		if _, err := f.Seek(p.At, 0); err != nil {
			return fail("IO", err)
		}
		c := make([]byte, p.Bytes)
		m, _ := f.Read(c)
		return ok(map[string]any{"read_at": string(b[:n]), "seek_read": string(c[:m])})
	case "truncate":
		if err := os.Truncate(p.Path, p.Size); err != nil {
			return fail("IO", err)
		}
		return ok(nil)
	case "stat":
		st, err := os.Stat(p.Path)
		if err != nil {
			return fail("IO", err)
		}
		return ok(map[string]any{"size": st.Size(), "dir": st.IsDir()})
	case "list": // every path under p.Path, sorted
		var out []string
		err := filepath.WalkDir(p.Path, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				path += "/"
			}
			out = append(out, path)
			return nil
		})
		if err != nil {
			return fail("IO", err)
		}
		sort.Strings(out)
		return ok(map[string]any{"paths": out})
	case "readdir":
		ents, err := os.ReadDir(p.Path)
		if err != nil {
			return fail("IO", err)
		}
		names := []string{}
		for _, e := range ents {
			names = append(names, e.Name())
		}
		return ok(map[string]any{"names": names})
	case "rename":
		if err := os.Rename(p.Path, p.To); err != nil {
			return fail("IO", err)
		}
		return ok(nil)
	case "remove":
		if err := os.Remove(p.Path); err != nil {
			return fail("IO", err)
		}
		return ok(nil)
	case "remove_all":
		if err := os.RemoveAll(p.Path); err != nil {
			return fail("IO", err)
		}
		return ok(nil)
	case "clock":
		return ok(map[string]any{"unix_nano": time.Now().UnixNano(), "since": time.Since(start).Nanoseconds()})
	case "sleep":
		t0 := time.Now()
		time.Sleep(50 * time.Millisecond)
		return ok(map[string]any{"slept": time.Since(t0).Nanoseconds()})
	case "panic":
		panic("boom")
	case "panic_holding": // dies with an unlinked file still open
		f, err := os.Create(p.Path)
		if err != nil {
			return fail("IO", err)
		}
		f.Write([]byte("held"))
		os.Remove(p.Path)
		panic("boom while holding " + f.Name())
	}
	return fail("INVALID_REQUEST", errors.New("reactor: unknown method "+req.Method))
}

var start = time.Now()

func ok(result any) []byte {
	b, _ := json.Marshal(map[string]any{"result": result})
	return b
}

func fail(code string, err error) []byte {
	if errors.Is(err, syscall.ENOSPC) {
		code = "NO_SPACE"
	}
	if errors.Is(err, fs.ErrNotExist) {
		code = "NOT_FOUND"
	}
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": err.Error()}})
	return b
}

func main() {}
