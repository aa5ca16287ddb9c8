// engine-worker.js — the module Web Worker that runs engine.wasm. Messages in:
// {id, req: <JSON string>}; messages out: {id, reply: <JSON string>}, plus
// {type: "storage", mode, reason}, then {type: "ready", ...} or
// {type: "error", message} once at start. All logic is in engine-host.js.

import { createService } from './engine-host.js';
import { openStorage } from './opfs-pool.js';

async function loadModule() {
  const url = new URL('engine.wasm', import.meta.url);
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url.pathname}: HTTP ${resp.status} (has the wasm been built?)`);
  try {
    return await WebAssembly.compileStreaming(resp.clone());
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // a wrong Content-Type: compile the bytes instead
    return WebAssembly.compile(await resp.arrayBuffer());
  }
}

const service = createService({
  openStorage,
  loadModule,
  post: (msg) => self.postMessage(msg),
});

self.onmessage = (e) => service.handle(e.data);
