// engine-client.js — the main thread's handle on the engine worker. The UI
// (ui.wasm via syscall/js, or plain JS) calls globalThis.brokerlab.engine:
//
//   const reply = await brokerlab.engine.call('{"method":"snapshot","params":{}}'); // JSON string
//   const obj = await brokerlab.engine.request('snapshot', {});                    // parsed
//   const s = await brokerlab.engine.storage;  // {mode: "opfs"|"memory", reason}

export class EngineClient {
  /**
   * loadAfter: engine.wasm is fetched once it settles (default: at once).
   * The page passes the end of ui.wasm's download: ui.wasm is the
   * dictionary engine.wasm comes compressed against (dcz), and Chromium
   * offers a dictionary only once it has all of it.
   */
  constructor(workerURL = new URL('./engine-worker.js', import.meta.url), { loadAfter = Promise.resolve() } = {}) {
    this.worker = new Worker(workerURL, { type: 'module', name: 'brokerlab-engine' });
    const load = () => this.worker.postMessage({ type: 'load' });
    loadAfter.then(load, load);
    this.pending = new Map();
    this.nextId = 1;
    this.storage = new Promise((resolve) => (this.resolveStorage = resolve));
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // callers that never await it should not see an unhandled rejection
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => this.fail(`engine worker failed: ${e.message || 'script error'}`);
  }

  receive(msg) {
    if (msg && msg.id !== undefined && this.pending.has(msg.id)) {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve(msg);
    } else if (msg && msg.type === 'storage') {
      this.resolveStorage({ mode: msg.mode, reason: msg.reason });
    } else if (msg && msg.type === 'ready') {
      this.resolveReady(msg);
    } else if (msg && msg.type === 'error') {
      this.rejectReady(new Error(msg.message));
    }
  }

  fail(message) {
    this.rejectReady(new Error(message));
    this.resolveStorage({ mode: 'memory', reason: message });
    const reply = JSON.stringify({ error: { code: 'ENGINE_UNAVAILABLE', message } });
    for (const resolve of this.pending.values()) resolve({ reply });
    this.pending.clear();
  }

  /** call sends a JSON request string and resolves to the JSON reply string. */
  async call(req) {
    return (await this.timedCall(req)).reply;
  }

  /**
   * timedCall is call resolving to {reply, timing, sent_ms}: the worker's
   * figures of the call (see engine-host.js createService, null when no
   * engine runs) and performance.now() when it was posted. inst names an
   * engine instance other than the page's (0): the worker starts it on
   * first use, on its own memory volume.
   */
  timedCall(req, inst = 0) {
    const id = this.nextId++;
    const sent_ms = performance.now();
    return new Promise((resolve) => {
      this.pending.set(id, (msg) => resolve({ reply: msg.reply, timing: msg.timing ?? null, sent_ms }));
      const body = typeof req === 'string' ? req : JSON.stringify(req);
      this.worker.postMessage(inst ? { id, req: body, inst } : { id, req: body });
    });
  }

  /** drop ends engine instance inst (not 0), started by a timedCall naming it. */
  drop(inst) {
    if (inst) this.worker.postMessage({ type: 'drop', inst });
  }

  /** request sends {method, params} and resolves to the parsed reply. */
  async request(method, params = {}) {
    return JSON.parse(await this.call(JSON.stringify({ method, params })));
  }
}
