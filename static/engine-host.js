// engine-host.js — runs engine.wasm through the ABI of DESIGN.md §3 and
// answers the worker's messages. It has no browser dependency of its own
// (the worker passes in the storage and the compiled module), so Node's test
// runner drives it with a real Go reactor.

import { MemoryStore, Volume } from './volume.js';
import { WASI, WASIExit, lineWriter, wasiImports } from './wasi.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const now = globalThis.performance ? () => performance.now() : () => Date.now();

/** errorReply builds an ABI error reply as a JSON string. */
export function errorReply(code, message) {
  return JSON.stringify({ error: { code, message } });
}

/**
 * EngineHost owns one engine instance at a time. call() sends one JSON
 * request and returns the JSON reply; if the guest traps or exits, the host
 * starts a fresh instance on the same storage and replies ENGINE_CRASHED.
 */
export class EngineHost {
  constructor(module, { volume = null, wasiOptions = {}, log = (l) => console.error(l) } = {}) {
    this.module = module;
    this.volume = volume;
    this.wasiOptions = wasiOptions;
    this.log = log;
    this.instance = null;
    this.wasi = null;
    this.restarts = 0;
    this.stderrTail = [];
    /** What the last call cost (see call). */
    this.timing = { call_ms: 0, engine_ms: 0, copy_ms: 0, io: null };
    /** The wasi_snapshot_preview1 functions the module imports. */
    this.imports = wasiImports(module);
  }

  /** start makes a fresh instance and runs _initialize; it throws if that fails. */
  start() {
    this.stop();
    this.stderrTail = [];
    const stderr = lineWriter((line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 50) this.stderrTail.shift();
      this.log(line);
    });
    const wasi = new WASI({ volume: this.volume, stderr, ...this.wasiOptions });
    const instance = new WebAssembly.Instance(this.module, wasi.importObject(this.module));
    for (const name of ['bl_alloc', 'bl_free', 'bl_call', 'memory']) {
      if (!(name in instance.exports)) throw new Error(`engine.wasm does not export ${name}`);
    }
    this.wasi = wasi;
    wasi.initialize(instance);
    this.instance = instance;
    return this;
  }

  /** stubbed lists the imports answered with ENOSYS (should be empty). */
  get stubbed() {
    return this.wasi ? this.wasi.stubbed : [];
  }

  stop() {
    if (this.wasi) this.wasi.dispose();
    this.wasi = null;
    this.instance = null;
  }

  /**
   * call runs one request (a JSON string) and returns the reply (a JSON
   * string). Afterwards this.timing holds what it cost: call_ms (the whole
   * call), engine_ms (inside bl_call), copy_ms (request in, reply out and
   * decoded) and the file calls of the WASI shim meanwhile (io: write_ms,
   * writes, sync_ms, syncs, read_ms, reads, meta_ms, metas).
   */
  call(request) {
    const t0 = now();
    const reply = this.run(request);
    this.timing.call_ms = now() - t0;
    return reply;
  }

  run(request) {
    this.timing = { call_ms: 0, engine_ms: 0, copy_ms: 0, io: null };
    if (!this.instance) {
      try {
        this.start();
      } catch (e) {
        this.stop();
        return errorReply('ENGINE_CRASHED', `engine: cannot start: ${this.describe(e)}`);
      }
    }
    const ex = this.instance.exports;
    try {
      const t0 = now();
      const req = encoder.encode(request);
      const ptr = ex.bl_alloc(req.length) >>> 0;
      new Uint8Array(ex.memory.buffer, ptr, req.length).set(req);
      this.wasi.resetIO();
      const t1 = now();
      const r = ex.bl_call(ptr, req.length);
      const t2 = now();
      this.timing.io = this.wasi.io;
      const replyPtr = Number(BigInt.asUintN(64, r) >> 32n);
      const replyLen = Number(BigInt.asUintN(64, r) & 0xffffffffn);
      const reply = decoder.decode(new Uint8Array(ex.memory.buffer, replyPtr, replyLen));
      ex.bl_free(ptr);
      this.timing.engine_ms = t2 - t1;
      this.timing.copy_ms = t1 - t0 + (now() - t2);
      return replyLen === 0 ? errorReply('EMPTY_REPLY', 'engine: the engine returned an empty reply') : reply;
    } catch (e) {
      const why = this.describe(e);
      this.restarts++;
      this.stop();
      let restarted = 'it was restarted';
      try {
        this.start();
      } catch (e2) {
        this.stop();
        restarted = `restarting failed too (${this.describe(e2)})`;
      }
      return errorReply('ENGINE_CRASHED', `engine: crashed: ${why}; ${restarted}: open the scenario again`);
    }
  }

  // describe says why an instance died, with the guest's panic line if any.
  describe(e) {
    let why = e instanceof WASIExit ? `exit code ${e.code}` : `${e && e.name ? e.name + ': ' : ''}${e && e.message}`;
    const panic = this.stderrTail.find((l) => l.startsWith('panic:') || l.startsWith('fatal error:'));
    if (panic) why = `${panic} (${why})`;
    return why;
  }
}

/**
 * createService is the worker's message loop without the worker: boot()
 * opens storage, compiles the module and posts {type:"storage"} then
 * {type:"ready"} (or {type:"error"}); handle(msg) answers {id, req} with
 * {id, reply, timing}, one request at a time in arrival order. timing is
 * EngineHost's figures of the call plus wait_ms (queued in the worker),
 * after_prev_ms (the storage's work after the previous call) and
 * memory_bytes (the instance's wasm memory), or null when no engine runs.
 *
 * A request may name an engine instance ({id, req, inst}): instance 0 (or
 * none) is the page's, on the storage; any other is started on first use
 * from the same compiled module, on its own memory volume (the page's
 * Compare runs a second branch there), until {type: "drop", inst} ends it.
 *
 *   deps.openStorage() -> {mode, reason, volume, afterCall?}
 *   deps.loadModule()  -> WebAssembly.Module
 *   deps.post(message)
 */
export function createService({ openStorage, loadModule, post, log }) {
  let host = null;
  let storage = null;
  const others = new Map(); // instance id → EngineHost on its own memory volume
  let failure = 'engine: still starting';
  let queue = Promise.resolve();

  const booted = (async () => {
    try {
      // The module downloads and compiles while the storage opens.
      const loading = loadModule();
      loading.catch(() => {}); // awaited below, after the storage
      storage = await openStorage();
      post({ type: 'storage', mode: storage.mode, reason: storage.reason ?? null });
      const module = await loading;
      host = new EngineHost(module, { volume: storage.volume, log }).start();
      post({ type: 'ready', imports: host.imports, stubbed: host.stubbed, recovered: storage.volume.recovered });
    } catch (e) {
      failure = `engine: cannot start: ${e && e.message ? e.message : e}`;
      host = null;
      post({ type: 'error', message: failure });
    }
  })();

  // afterMS is how long the storage's work after the last call took: it
  // delays the next one, so the next reply reports it.
  let afterMS = 0;

  // instance is the engine a request names: the page's (0), or another
  // started on first use.
  function instance(inst) {
    if (!inst || !host) return host;
    let h = others.get(inst);
    if (!h) {
      h = new EngineHost(host.module, { volume: new Volume(new MemoryStore()), log }).start();
      others.set(inst, h);
    }
    return h;
  }

  async function serve(msg, receivedAt) {
    if (msg && msg.type === 'drop') {
      const h = others.get(msg.inst);
      if (h) h.stop();
      others.delete(msg.inst);
      return;
    }
    if (!msg || typeof msg !== 'object' || typeof msg.req !== 'string' || msg.id === undefined) {
      post({ id: msg && msg.id, reply: errorReply('INVALID_REQUEST', 'worker: expected {id, req: <JSON string>}') });
      return;
    }
    await booted;
    const start = now();
    let h = null;
    let reply;
    try {
      h = instance(msg.inst);
      reply = h ? h.call(msg.req) : errorReply('ENGINE_UNAVAILABLE', failure);
    } catch (e) {
      reply = errorReply('ENGINE_UNAVAILABLE', `engine: cannot start instance ${msg.inst}: ${e && e.message}`);
    }
    const memory = h && h.instance ? h.instance.exports.memory.buffer.byteLength : 0;
    const timing = h ? { ...h.timing, wait_ms: start - receivedAt, after_prev_ms: afterMS, memory_bytes: memory } : null;
    post({ id: msg.id, reply, timing });
    if (msg.inst) return; // the storage is instance 0's
    afterMS = 0;
    if (storage && storage.afterCall) {
      const t0 = now();
      try {
        await storage.afterCall();
      } catch (e) {
        (log || console.error)(`storage: ${e && e.message}`);
      }
      afterMS = now() - t0;
    }
  }

  return {
    booted,
    get host() {
      return host;
    },
    handle(msg) {
      const receivedAt = now();
      queue = queue.then(() => serve(msg, receivedAt));
      return queue;
    },
  };
}
