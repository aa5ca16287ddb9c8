//go:build js && wasm

package builder

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"testing/fstest"
	"time"

	"github.com/brokerlab/brokerlab/engine/contract"
	"github.com/brokerlab/brokerlab/engine/view"
	"github.com/brokerlab/brokerlab/lessons"
	lb "github.com/brokerlab/brokerlab/lessons/builder"
	"github.com/brokerlab/brokerlab/lessons/lint"
	"github.com/brokerlab/brokerlab/lessons/session"
)

// sandboxKey is where the page saves the sandbox run (ui's sandboxKey).
const sandboxKey = "brokerlab.sandbox"

// page is the panel in the document.
type page struct {
	mu    sync.Mutex
	p     *Panel
	root  js.Value
	funcs []js.Func
	// events are the sandbox's trace events read so far (for the live
	// check), after sequence seq; lastUS is the time of the last check.
	events []view.Event
	seq    int64
	lastUS int64
}

// Start opens the builder on the sandbox run the page saved. It runs until
// the page goes away.
func Start() error {
	g := js.Global()
	run, err := loadRun()
	if err != nil {
		return err
	}
	ls, _ := lessons.Load()
	locale := g.Get("document").Get("documentElement").Get("lang").String()
	p, err := New(run, ls, locale)
	if err != nil {
		return err
	}
	doc := g.Get("document")
	root := doc.Call("getElementById", "builder")
	if !root.Truthy() {
		root = doc.Call("createElement", "aside")
		root.Set("id", "builder")
		root.Set("className", "builder")
		root.Call("setAttribute", "aria-labelledby", "bl-title")
		doc.Get("body").Call("appendChild", root)
	}
	doc.Get("body").Get("classList").Call("add", "building")
	pg := &page{p: p, root: root}
	pg.listen("input", pg.onInput)
	pg.listen("change", pg.onInput)
	pg.listen("click", pg.onClick)
	pg.draw()
	g.Get("brokerlab").Set("builderReady", true)
	go pg.liveLoop()
	return nil
}

func (pg *page) listen(event string, f func(js.Value)) {
	fn := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 {
			f(args[0])
		}
		return nil
	})
	pg.funcs = append(pg.funcs, fn)
	pg.root.Call("addEventListener", event, fn)
}

// draw puts the panel's markup in place, keeping the focused field.
func (pg *page) draw() {
	focus := ""
	if a := js.Global().Get("document").Get("activeElement"); a.Truthy() && a.Get("id").Type() == js.TypeString {
		focus = a.Get("id").String()
	}
	scroll := pg.root.Get("scrollTop")
	pg.root.Set("innerHTML", pg.p.Render())
	pg.root.Set("scrollTop", scroll)
	if focus != "" {
		if el := js.Global().Get("document").Call("getElementById", focus); el.Truthy() {
			el.Call("focus")
		}
	}
}

func (pg *page) onInput(ev js.Value) {
	t := ev.Get("target")
	if t.Get("id").String() == "bl-open" && ev.Get("type").String() == "change" {
		go pg.open(t.Get("files"))
		return
	}
	f := t.Get("dataset").Get("f")
	if f.Type() != js.TypeString {
		return
	}
	// A select changes with "change" only; a text field's "change" repeats
	// its last "input".
	if ev.Get("type").String() == "change" && t.Get("tagName").String() != "SELECT" {
		return
	}
	pg.mu.Lock()
	redraw := pg.p.Input(f.String(), t.Get("value").String())
	if redraw {
		pg.draw()
	}
	pg.mu.Unlock()
}

func (pg *page) onClick(ev js.Value) {
	t := ev.Get("target").Call("closest", "[data-a]")
	if !t.Truthy() {
		return
	}
	a := t.Get("dataset").Get("a").String()
	go pg.act(a) // may wait on the engine: never in the event's callback
}

func (pg *page) act(a string) {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	p := pg.p
	name, arg, _ := strings.Cut(a, ":")
	switch name {
	case "close":
		for _, f := range pg.funcs {
			pg.root.Call("removeEventListener", "input", f)
		}
		pg.root.Call("remove")
		js.Global().Get("document").Get("body").Get("classList").Call("remove", "building")
		js.Global().Get("brokerlab").Set("builderReady", false)
		return
	case "record", "stop":
		run, err := loadRun()
		if err != nil {
			p.Note = err.Error()
		} else if name == "record" {
			i, _ := strconv.Atoi(arg)
			p.StartRecording(i, run)
		} else {
			p.StopRecording(run)
		}
	case "check":
		if is := p.Check(); len(is) > 0 {
			p.Note, p.Verify, p.Verified = p.tr("fix"), nil, false
			break
		}
		p.Busy = p.tr("checking")
		pg.draw()
		pg.mu.Unlock()
		msgs, err := verify(p.D)
		pg.mu.Lock()
		p.Busy = ""
		if err != nil {
			msgs = append(msgs, err.Error())
		}
		p.Played(msgs)
		p.Note = p.tr("verified")
		if len(msgs) > 0 {
			p.Note = p.tf("problems", len(msgs))
		}
	case "export":
		if is := p.Check(); len(is) > 0 {
			p.Note = p.tr("fix")
			break
		}
		files, err := p.D.Files()
		if err == nil {
			var z []byte
			if z, err = lb.Zip(files); err == nil {
				name := p.D.Folder() + ".zip"
				download(name, z)
				p.Note = p.tf("exported", name)
			}
		}
		if err != nil {
			p.Note = err.Error()
		}
	case "share":
		if is := p.Check(); len(is) > 0 {
			p.Note = p.tr("fix")
			break
		}
		link, err := shareLink(p.D)
		if err != nil {
			p.Note = err.Error()
		} else {
			p.Link = link
			js.Global().Get("brokerlab").Set("builderLink", link)
		}
	default:
		if !p.Act(a) {
			return
		}
	}
	pg.draw()
}

// open reads the chosen files (a zip's entries, or the files themselves)
// into the draft.
func (pg *page) open(list js.Value) {
	var files []lb.File
	for i := 0; i < list.Get("length").Int(); i++ {
		f := list.Index(i)
		buf, err := await(f.Call("arrayBuffer"))
		if err != nil {
			continue
		}
		data := make([]byte, buf.Get("byteLength").Int())
		js.CopyBytesToGo(data, js.Global().Get("Uint8Array").New(buf))
		name := f.Get("name").String()
		if !strings.HasSuffix(name, ".zip") {
			files = append(files, lb.File{Name: name, Data: data})
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			continue
		}
		for _, zf := range zr.File {
			if zf.UncompressedSize64 > lb.MaxBundle {
				continue
			}
			r, err := zf.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(r, lb.MaxBundle))
			r.Close()
			if err == nil {
				files = append(files, lb.File{Name: zf.Name, Data: b})
			}
		}
	}
	pg.mu.Lock()
	pg.p.Open(files)
	pg.draw()
	pg.mu.Unlock()
}

// loadRun reads the sandbox run the page saved.
func loadRun() (Run, error) {
	var r Run
	s := js.Global().Get("localStorage").Call("getItem", sandboxKey)
	if s.Type() != js.TypeString {
		return r, errors.New("no sandbox run is saved: start the sandbox first")
	}
	if err := json.Unmarshal([]byte(s.String()), &r); err != nil {
		return r, fmt.Errorf("the saved sandbox run does not read: %v", err)
	}
	return r, nil
}

// liveLoop checks every goal against the sandbox's state about twice a
// second, on the page's engine (snapshots and events only: it changes
// nothing there).
func (pg *page) liveLoop() {
	eng := jsEngine{js.Global().Get("brokerlab").Get("engine")}
	for range time.Tick(600 * time.Millisecond) {
		if !js.Global().Get("brokerlab").Get("builderReady").Truthy() {
			return
		}
		pg.mu.Lock()
		goals := pg.p.Goals()
		pg.mu.Unlock()
		if len(goals) == 0 {
			continue
		}
		records := false
		for _, g := range goals {
			records = records || g.Pred.Records
		}
		var snap view.Snapshot
		params := contract.SnapshotParams{}
		if records {
			params.Records, params.MaxRecords = true, session.MaxRecords
		}
		if err := eng.call("snapshot", params, &snap); err != nil {
			continue
		}
		if snap.TimeUS < pg.lastUS { // rewound or started over
			pg.events, pg.seq = nil, 0
		}
		pg.lastUS = snap.TimeUS
		for {
			var r contract.EventsReply[view.Event]
			if err := eng.call("events", contract.EventsParams{After: pg.seq}, &r); err != nil {
				break
			}
			if r.Last < pg.seq { // the engine was opened again
				pg.events, pg.seq = nil, 0
				continue
			}
			pg.events = append(pg.events, r.Events...)
			if over := len(pg.events) - session.MaxEvents; over > 0 {
				pg.events = append(pg.events[:0:0], pg.events[over:]...)
			}
			pg.seq = r.Last
			if r.Last >= r.Total {
				break
			}
		}
		pg.mu.Lock()
		doc := js.Global().Get("document")
		for _, g := range goals {
			ok, detail := g.Pred.Eval(snap, pg.events, g.Params)
			pg.p.Live[g.ID] = Status{Known: true, Holds: ok, Detail: detail}
		}
		// Only the status lines change: no redraw under the author's typing.
		for i, st := range pg.p.D.Steps {
			for j, g := range st.Goals {
				el := doc.Call("getElementById", fmt.Sprintf("bl-goal-%d-%d-live", i, j))
				if !el.Truthy() {
					continue
				}
				s := pg.p.Live[g.ID]
				cls, msg := "unknown", pg.p.tr("live.unknown")
				if s.Known && s.Holds {
					cls, msg = "holds", pg.p.tr("live.holds")
				} else if s.Known {
					cls, msg = "not-yet", pg.p.tr("live.notyet")
				}
				if s.Detail != "" {
					msg += ": " + s.Detail
				}
				el.Set("className", "bl-live "+cls)
				el.Set("textContent", msg)
			}
		}
		pg.mu.Unlock()
	}
}

// verify loads the draft's export as the lessons' loader does and plays it
// on a second engine (the page's keeps the sandbox) as the lesson tests do.
func verify(d *lb.Draft) ([]string, error) {
	files, err := d.Files()
	if err != nil {
		return nil, err
	}
	fsys := fstest.MapFS{}
	for _, f := range files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	ls, err := lessons.LoadFS(fsys, ".", "lessons")
	if err != nil {
		return []string{err.Error()}, nil
	}
	if len(ls) != 1 {
		return nil, errors.New("the export did not load as one lesson")
	}
	l := ls[0]
	var out []string
	for _, is := range lint.Check(l) {
		out = append(out, is.String())
	}
	if len(out) > 0 {
		return out, nil
	}
	ev, err := await(js.Global().Get("brokerlab").Call("builderEngine"))
	if err != nil {
		return nil, err
	}
	eng := jsEngine{ev}
	return lint.Verify(func() lint.Caller { return eng }, l)
}

// jsEngine is an EngineClient (static/engine-client.js) as a lint.Caller
// and a session.Caller. Its calls block: never in an event callback.
type jsEngine struct{ v js.Value }

func (e jsEngine) Call(req []byte) ([]byte, error) {
	r, err := await(e.v.Call("call", string(req)))
	if err != nil {
		return nil, err
	}
	return []byte(r.String()), nil
}

func (e jsEngine) call(method string, params, result any) error {
	req, err := json.Marshal(contract.Request{Method: method, Params: params})
	if err != nil {
		return err
	}
	reply, err := e.Call(req)
	if err != nil {
		return err
	}
	return contract.Decode(reply, result)
}

// await waits for a promise.
func await(p js.Value) (js.Value, error) {
	done := make(chan js.Value, 1)
	fail := make(chan error, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- args[0]; return nil })
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		fail <- errors.New(args[0].Call("toString").String())
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	select {
	case v := <-done:
		return v, nil
	case err := <-fail:
		return js.Undefined(), err
	}
}

// download offers data as a file: a Blob behind a temporary link.
func download(name string, data []byte) {
	g := js.Global()
	arr := g.Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	blob := g.Get("Blob").New([]any{arr}, map[string]any{"type": "application/zip"})
	url := g.Get("URL").Call("createObjectURL", blob)
	a := g.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	g.Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	g.Get("URL").Call("revokeObjectURL", url)
}

// shareLink is the page's address with the draft's lesson in its fragment.
func shareLink(d *lb.Draft) (string, error) {
	code, err := ShareCode(d)
	if err != nil {
		return "", err
	}
	loc := js.Global().Get("location")
	return loc.Get("origin").String() + loc.Get("pathname").String() + "#shared/" + code, nil
}
