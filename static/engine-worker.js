// engine-worker.js — the module Web Worker that runs engine.wasm. Messages
// in: {type: "load"} (engine.wasm may download now), {id, req: <JSON string>};
// messages out: {id, reply: <JSON string>}, plus {type: "storage", mode,
// reason}, then {type: "ready", ..., download} or {type: "error", message}
// once at start. All logic is in engine-host.js.

import { createService } from './engine-host.js';
import { openStorage } from './opfs-pool.js';

// The storage opens at once; engine.wasm downloads when the client says
// {type: "load"} (EngineClient's loadAfter: at once unless the page holds it
// back until ui.wasm, the dictionary it comes compressed against, is in).
let load;
const loadSaid = new Promise((resolve) => (load = resolve));

// download is engine.wasm's download as this worker's Resource Timing saw
// it (bytes on the wire, their content coding), sent with {type: "ready"}:
// the page's DevTools session does not see a worker's requests.
let download = null;

async function loadModule() {
  await loadSaid;
  const url = new URL('engine.wasm', import.meta.url);
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url.pathname}: HTTP ${resp.status} (has the wasm been built?)`);
  let module;
  try {
    module = await WebAssembly.compileStreaming(resp.clone());
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // a wrong Content-Type: compile the bytes instead
    module = await WebAssembly.compile(await resp.arrayBuffer());
  }
  const t = performance.getEntriesByName(url.href).at(-1);
  if (t) {
    download = {
      transfer_size: t.transferSize,
      encoded_body_size: t.encodedBodySize,
      decoded_body_size: t.decodedBodySize,
      content_encoding: t.contentEncoding ?? null,
    };
  }
  return module;
}

const service = createService({
  openStorage,
  loadModule,
  post: (msg) => self.postMessage(msg && msg.type === 'ready' ? { ...msg, download } : msg),
});

self.onmessage = (e) => (e.data && e.data.type === 'load' ? load() : service.handle(e.data));
