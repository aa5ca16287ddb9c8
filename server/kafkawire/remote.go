package kafkawire

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	engineapi "github.com/brokerlab/brokerlab/engine/api"
	"github.com/brokerlab/brokerlab/engine/contract"
)

// The remote engine: the engine API (engine/api's JSON, the same requests
// and replies the page sends its own worker) about the live cluster, so
// a page can watch a real client's records land and break the cluster
// while the client runs. snapshot, events, trace_hash, configs and
// check_disk are engine/api's own; apply goes through Engine.Apply, so the
// journal has the commands; advance runs nothing (the wall clock drives
// this engine) and answers as an advance by 0 would; open opens nothing:
// it answers for the server's running scenario, which the attached page
// then shows, whatever scenario it asked for. export (the remote engine's
// own method) answers the session so far as a scenario (Engine.Export):
// the page's Share turns it into a run its own engine replays.

// Call answers one engine API request.
func (e *Engine) Call(req []byte) []byte {
	var r struct {
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(req, &r); err != nil {
		return remoteError(contract.CodeInvalidRequest, fmt.Sprintf("kafkawire: request is not a JSON object {\"method\", \"params\"}: %v", err))
	}
	switch r.Method {
	case "open":
		var reply contract.OpenReply
		e.Locked(func(c *clusterT) {
			reply = contract.OpenReply{EndUS: int64(c.Scenario.End / time.Microsecond), Steps: len(c.Scenario.Steps), TimeUS: int64(c.Now() / time.Microsecond)}
		})
		out, _ := json.Marshal(map[string]any{"result": reply})
		return out
	case "apply":
		var p struct {
			Commands []json.RawMessage `json:"commands"`
		}
		if err := json.Unmarshal(r.Params, &p); err != nil || len(p.Commands) == 0 {
			return remoteError(contract.CodeInvalidParams, "kafkawire: apply: \"commands\" must list at least one command")
		}
		raws := make([][]byte, len(p.Commands))
		for i, c := range p.Commands {
			raws[i] = c
		}
		if err := e.Apply(raws...); err != nil {
			return remoteError(contract.CodeInvalidParams, err.Error())
		}
		var now time.Duration
		e.Locked(func(c *clusterT) { now = c.Now() })
		out, _ := json.Marshal(map[string]any{"result": contract.ApplyReply{Applied: len(raws), TimeUS: int64(now / time.Microsecond)}})
		return out
	case "advance":
		req = []byte(`{"method":"advance","params":{"by":"0s"}}`)
	case "export":
		sc, now, err := e.Export()
		if err != nil {
			return remoteError(contract.CodeInvalidRequest, err.Error())
		}
		out, _ := json.Marshal(map[string]any{"result": contract.ExportReply{Scenario: sc, TimeUS: int64(now / time.Microsecond)}})
		return out
	}
	var out []byte
	e.Locked(func(c *clusterT) {
		if e.api == nil {
			e.api = engineapi.Attach(c, engineapi.Options{})
		}
		out = e.api.Call(req)
	})
	return out
}

func remoteError(code, msg string) []byte {
	out, _ := json.Marshal(map[string]any{"error": contract.Error{Code: code, Message: msg}})
	return out
}

// maxRemoteRequest bounds a request to the remote engine.
const maxRemoteRequest = 1 << 20

// Handler serves the remote engine: POST a request, get its reply.
func (e *Engine) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST an engine API request", http.StatusMethodNotAllowed)
			return
		}
		// Only the page itself: a JSON content type needs a CORS preflight
		// from another origin (which is never answered), and a browser's
		// Origin must be this server.
		if r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "Content-Type must be application/json", http.StatusUnsupportedMediaType)
			return
		}
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				http.Error(w, "the engine answers only its own page", http.StatusForbidden)
				return
			}
		}
		req, err := io.ReadAll(io.LimitReader(r.Body, maxRemoteRequest+1))
		if err != nil || len(req) > maxRemoteRequest {
			http.Error(w, "a request of at most 1 MiB", http.StatusRequestEntityTooLarge)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(e.Call(req))
	})
}
