// boot.js — starts the page: the engine worker first (exposed to the UI as
// globalThis.brokerlab.engine), then the UI (ui.wasm under wasm_exec.js). If
// the UI is missing, or the URL has ?demo, it shows a plain demo panel that
// opens a scenario in the worker and prints the snapshot.

import { EngineClient } from './engine-client.js';
import { RemoteEngine } from './engine-remote.js';

const $ = (sel) => document.querySelector(sel);

const DEMO_SCENARIO = {
  seed: 1,
  cluster: { brokers: 3 },
  steps: [
    { at: '0s', op: 'create_topic', topic: 'orders', partitions: 3, replication_factor: 3 },
    { at: '1s', op: 'produce', topic: 'orders', key: 'k1', value: 'hello' },
  ],
};

// engine.wasm downloads beside ui.wasm, or after it when ui.wasm is the
// dictionary it comes compressed against (see startUI, and EngineClient's
// loadAfter). With ?remote the page attaches to the server's engine
// instead (engine-remote.js: `go run ./server -kafka …`).
let uiFetched;
const engine = new URLSearchParams(location.search).has('remote')
  ? new RemoteEngine()
  : new EngineClient(undefined, { loadAfter: new Promise((resolve) => (uiFetched = resolve)) });
uiFetched ??= () => {};
globalThis.brokerlab = { engine };

// The header speaks the page's language: every element with data-text
// shows that text, or its translation for <html lang> (which ui.wasm sets).
const HEADER_TEXT = {
  ko: {
    storage: '저장소', engine: '엔진', 'starting…': '시작 중…', ready: '준비됨', memory: '메모리', opfs: 'OPFS',
    'Loading the playground…': '플레이그라운드를 불러오는 중…',
  },
};

function localizeHeader() {
  const table = HEADER_TEXT[document.documentElement.lang] || {};
  for (const el of document.querySelectorAll('[data-text]')) {
    el.textContent = table[el.dataset.text] ?? el.dataset.text;
  }
}
new MutationObserver(localizeHeader).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

engine.storage.then(({ mode, reason }) => {
  const el = $('#storage-mode');
  el.dataset.text = mode;
  el.textContent = mode;
  el.dataset.mode = mode;
  localizeHeader();
  $('#storage-reason').textContent = reason ? `(${reason})` : '';
});

engine.ready.then(
  (msg) => {
    setStatus('ready', 'ready');
    if (msg.stubbed && msg.stubbed.length) console.warn('engine imports answered with ENOSYS:', msg.stubbed);
    for (const line of msg.recovered || []) console.warn('storage:', line);
  },
  (err) => setStatus('error', err.message),
);

function setStatus(state, text) {
  const el = $('#engine-status');
  el.dataset.state = state;
  el.dataset.text = text;
  el.textContent = text;
  localizeHeader();
}

// startUI runs ui.wasm; false when it (or wasm_exec.js) is not there.
// It is fetched with cache: 'no-cache' (revalidated on every load) because
// its response is cacheable for a year: Chromium keeps a compression
// dictionary only from a fresh response, and for as long as it stays fresh.
async function startUI() {
  let waiting = false; // for the dictionary (uiFetched is called later)
  try {
    if (typeof globalThis.Go !== 'function') return false;
    const resp = await fetch('ui.wasm', { cache: 'no-cache' });
    if (!resp.ok) return false;
    const dictionaryFor = dictionaryOffered(resp);
    waiting = dictionaryFor !== null; // else the engine downloads beside the UI
    if (!waiting) uiFetched();
    const go = new globalThis.Go();
    const instantiating = WebAssembly.instantiateStreaming(resp, go.importObject);
    if (waiting) {
      // From the end of the download, not of the compile: the engine's
      // download and compile then overlap ui.wasm's compile. Not at all
      // when ui.wasm came from the cache (a 304): a dictionary from an
      // earlier visit is offered at once, or is gone.
      Promise.race([downloaded(resp.url), instantiating.then(() => null, () => null)])
        .then((entry) => entry || performance.getEntriesByName(resp.url).at(-1))
        .then((entry) => (entry && entry.transferSize < entry.encodedBodySize ? null : dictionaryKept(dictionaryFor)))
        .then(uiFetched);
    }
    const { instance } = await instantiating;
    go.run(instance).catch((e) => console.error('ui.wasm exited:', e));
    return true;
  } catch (e) {
    uiFetched();
    throw e;
  } finally {
    if (!waiting) uiFetched();
  }
}

// dictionaryOffered is the path the response's Use-As-Dictionary header
// says it is a compression dictionary for, when the browser has dictionary
// transport (link rel=compression-dictionary tells) and has not failed to
// offer it before (see dictionaryKept); null otherwise.
function dictionaryOffered(resp) {
  const match = /match="([^"]+)"/.exec(resp.headers.get('Use-As-Dictionary') || '');
  if (!match || !document.createElement('link').relList.supports('compression-dictionary')) return null;
  if (remembered(NO_DICTIONARY)) return null;
  return match[1];
}

// downloaded resolves to url's Resource Timing entry, which appears when
// the browser has the whole body.
function downloaded(url) {
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      const entry = list.getEntriesByName(url).at(-1);
      if (!entry) return;
      observer.disconnect();
      resolve(entry);
    });
    observer.observe({ type: 'resource', buffered: true });
  });
}

// dictionaryKept resolves once the browser offers the dictionary when it
// asks for path. Chromium registers a dictionary a little after its
// download ends (a disk write), so an engine.wasm fetched at once after
// ui.wasm could still come in brotli, 0.24 MB more. The server answers a
// HEAD in dcz exactly when the request named the dictionary. After a second
// of asking the engine downloads anyway, and loads in the next week do not
// ask again (a browser that blocks site data never offers dictionaries).
async function dictionaryKept(path) {
  for (const until = performance.now() + 1000; performance.now() < until; ) {
    try {
      const head = await fetch(path, { method: 'HEAD', cache: 'no-store' });
      if (!head.ok) break;
      if (head.headers.get('Content-Encoding') === 'dcz') return;
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  remember(NO_DICTIONARY);
}

const NO_DICTIONARY = 'brokerlab.no-dictionary';

// remembered reports whether remember(key) was called in the last week.
function remembered(key) {
  try {
    return Date.now() - Number(localStorage.getItem(key)) < 7 * 24 * 3600e3;
  } catch {
    return false;
  }
}

function remember(key) {
  try {
    localStorage.setItem(key, String(Date.now()));
  } catch {
    // storage refused: ask again next time
  }
}

async function openDemo() {
  const out = $('#demo-snapshot');
  out.dataset.state = 'busy';
  out.textContent = 'opening…';
  let scenario;
  try {
    scenario = JSON.parse($('#demo-scenario').value);
  } catch (e) {
    out.dataset.state = 'error';
    out.textContent = `The scenario is not valid JSON: ${e.message}`;
    return;
  }
  // The ABI (DESIGN.md §3): open takes the scenario as its params.
  let reply = await engine.request('open', scenario);
  if (!reply.error) reply = await engine.request('snapshot', {});
  out.dataset.state = reply.error ? 'error' : 'ok';
  out.textContent = JSON.stringify(reply, null, 2);
}

function showDemo() {
  $('#demo-scenario').value = JSON.stringify(DEMO_SCENARIO, null, 2);
  $('#demo-open').addEventListener('click', () => openDemo());
  $('#demo').hidden = false;
}

let uiStarted = false;
try {
  uiStarted = await startUI();
} catch (e) {
  console.error('ui.wasm failed to start:', e);
}
const loading = $('#app-loading');
if (loading && !uiStarted) {
  delete loading.dataset.text;
  loading.textContent = 'The UI is not built yet: the engine check below still works.';
}
if (!uiStarted || new URLSearchParams(location.search).has('demo')) showDemo();
