// engine-remote.js — the page attached to a server's engine instead of
// its own worker: `go run ./server -kafka 127.0.0.1:9092`, then the page
// with ?remote. The cluster is the one real Kafka clients talk to; each
// engine request is POSTed to /engine (server/kafkawire remote.go), which
// answers as the worker would, except that the server owns the clock
// (advance runs nothing) and the scenario (open keeps the running one).
// The same interface as EngineClient: call, timedCall, request, storage,
// ready.

export class RemoteEngine {
  constructor(url = new URL('engine', location.href)) {
    this.url = url;
    this.storage = Promise.resolve({ mode: 'memory', reason: 'on the server' });
    this.ready = Promise.resolve({ type: 'ready', remote: true, stubbed: [], recovered: [] });
  }

  /** call sends a JSON request string and resolves to the JSON reply string. */
  async call(req) {
    return (await this.timedCall(req)).reply;
  }

  /** timedCall is call resolving to {reply, timing: null, sent_ms}. */
  async timedCall(req) {
    const sent_ms = performance.now();
    const body = typeof req === 'string' ? req : JSON.stringify(req);
    try {
      const resp = await fetch(this.url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' }, cache: 'no-store' });
      if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
      return { reply: await resp.text(), timing: null, sent_ms };
    } catch (e) {
      const reply = JSON.stringify({ error: { code: 'ENGINE_UNAVAILABLE', message: `the server's engine did not answer: ${e.message}` } });
      return { reply, timing: null, sent_ms };
    }
  }

  /** request sends {method, params} and resolves to the parsed reply. */
  async request(method, params = {}) {
    return JSON.parse(await this.call(JSON.stringify({ method, params })));
  }
}
