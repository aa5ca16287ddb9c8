// The shim and the engine host driving real Go wasip1 reactors (built from
// testdata/): what the browser worker does, minus the browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EngineHost, createService } from '../engine-host.js';
import { OpfsPool } from '../opfs-pool.js';
import { MemoryStore, Volume } from '../volume.js';
import { WASI_FUNCTIONS, wasiImports } from '../wasi.js';
import { FakeDirectory, reactorModule } from './helpers.mjs';

const quiet = () => {};

function host(volume = new Volume(new MemoryStore()), module = reactorModule('reactor')) {
  return new EngineHost(module, { volume, log: quiet }).start();
}

function call(h, method, params = {}) {
  return JSON.parse(h.call(JSON.stringify({ method, params })));
}

test('the shim implements every WASI import of a Go reactor', (t) => {
  for (const name of ['bare', 'reactor']) {
    const imports = wasiImports(reactorModule(name));
    t.diagnostic(`${name}: ${imports.length} imports: ${imports.join(' ')}`);
    assert.deepEqual(imports.filter((i) => !WASI_FUNCTIONS.includes(i)), [], `${name} needs more`);
    const h = host(undefined, reactorModule(name));
    assert.deepEqual(h.stubbed, []);
  }
  assert.ok(wasiImports(reactorModule('reactor')).includes('path_open'));
  assert.ok(!wasiImports(reactorModule('bare')).includes('path_open'));
});

test('the ABI round trip: bare reactor echoes', () => {
  const h = host(undefined, reactorModule('bare'));
  const req = JSON.stringify({ method: 'echo', params: { s: 'ünïcödé ✓'.repeat(1000) } });
  assert.equal(h.call(req), `{"result":${req}}`);
});

test('files under /data through Go os', () => {
  const h = host();
  assert.deepEqual(call(h, 'write', { path: '/data/b1/orders-0/00.log', data: 'hello' }), { result: { size: 5 } });
  assert.deepEqual(call(h, 'write', { path: '/data/b1/orders-0/00.log', data: 'HE', at: 0 }), { result: { size: 5 } });
  assert.deepEqual(call(h, 'write', { path: '/data/b1/orders-0/00.log', data: '!', at: 9 }), { result: { size: 10 } });
  assert.deepEqual(call(h, 'read', { path: '/data/b1/orders-0/00.log' }), { result: { data: 'HEllo\0\0\0\0!' } });
  assert.deepEqual(call(h, 'read_at', { path: '/data/b1/orders-0/00.log', at: 1, bytes: 3 }), {
    result: { read_at: 'Ell', seek_read: 'Ell' },
  });
  call(h, 'append', { path: '/data/b1/app', data: 'a' });
  call(h, 'append', { path: '/data/b1/app', data: 'b' });
  assert.deepEqual(call(h, 'read', { path: '/data/b1/app' }), { result: { data: 'ab' } });
  assert.deepEqual(call(h, 'truncate', { path: '/data/b1/orders-0/00.log', size: 2 }), { result: null });
  assert.deepEqual(call(h, 'stat', { path: '/data/b1/orders-0/00.log' }), { result: { size: 2, dir: false } });
  assert.deepEqual(call(h, 'stat', { path: '/data/b1' }), { result: { size: 0, dir: true } });
  assert.deepEqual(call(h, 'list', { path: '/data' }), {
    result: { paths: ['/data/', '/data/b1/', '/data/b1/app', '/data/b1/orders-0/', '/data/b1/orders-0/00.log'] },
  });
  assert.deepEqual(call(h, 'rename', { path: '/data/b1', to: '/data/b2' }), { result: null });
  assert.deepEqual(call(h, 'readdir', { path: '/data/b2' }), { result: { names: ['app', 'orders-0'] } });
  assert.equal(call(h, 'read', { path: '/data/b1/app' }).error.code, 'NOT_FOUND');
  assert.equal(call(h, 'remove', { path: '/data/b2' }).error.code, 'IO', 'directory not empty');
  assert.deepEqual(call(h, 'remove_all', { path: '/data/b2' }), { result: null });
  assert.deepEqual(call(h, 'readdir', { path: '/data' }), { result: { names: [] } });
  assert.equal(call(h, 'write', { path: '/elsewhere/x', data: 'x' }).error.code, 'IO', 'nothing outside /data');
});

test('Go reads a big directory across several fd_readdir calls', () => {
  const h = host();
  const want = [];
  for (let i = 0; i < 300; i++) {
    const name = `segment-${String(i).padStart(20, '0')}.log`;
    want.push(name);
    assert.ok(call(h, 'write', { path: `/data/many/${name}`, data: 'x' }).result);
  }
  assert.deepEqual(call(h, 'readdir', { path: '/data/many' }).result.names, want);
});

test('files outlive the instance: OPFS pool reopened, new instance reads them', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 8 });
  const h = host(new Volume(pool));
  call(h, 'write', { path: '/data/broker-1/meta.properties', data: 'node.id=1' });
  call(h, 'write', { path: '/data/broker-1/orders-0/0.log', data: 'rec' });
  h.stop();
  pool.close();
  dir.closeAll();

  const pool2 = await OpfsPool.open(dir, { initial: 8 });
  const h2 = host(new Volume(pool2));
  assert.deepEqual(call(h2, 'read', { path: '/data/broker-1/meta.properties' }), { result: { data: 'node.id=1' } });
  assert.deepEqual(call(h2, 'list', { path: '/data/broker-1' }).result.paths, [
    '/data/broker-1/',
    '/data/broker-1/meta.properties',
    '/data/broker-1/orders-0/',
    '/data/broker-1/orders-0/0.log',
  ]);
});

test('a full disk is an error reply, and earlier data stays', () => {
  const h = host(new Volume(new MemoryStore({ quota: 1000 })));
  call(h, 'write', { path: '/data/kept', data: 'k'.repeat(600) });
  const r = call(h, 'write', { path: '/data/big', data: 'b'.repeat(600) });
  assert.equal(r.error.code, 'NO_SPACE', JSON.stringify(r));
  assert.match(r.error.message, /no space left on device/i);
  assert.equal(call(h, 'read', { path: '/data/kept' }).result.data, 'k'.repeat(600));
});

test('a trap restarts the engine and says so', () => {
  const volume = new Volume(new MemoryStore());
  const h = host(volume);
  call(h, 'write', { path: '/data/survivor', data: 'still here' });
  const crash = call(h, 'panic');
  assert.equal(crash.error.code, 'ENGINE_CRASHED');
  assert.match(crash.error.message, /panic: boom/);
  assert.match(crash.error.message, /unreachable|exit code/, 'and how the instance died');
  assert.equal(h.restarts, 1);
  assert.deepEqual(call(h, 'read', { path: '/data/survivor' }), { result: { data: 'still here' } });
  // A bad request is an error reply from the guest, not a crash.
  assert.equal(JSON.parse(h.call('{not json')).error.code, 'INVALID_REQUEST');
  assert.equal(h.restarts, 1);
  // Open files of the dead instance are closed: an unlinked file's bytes go.
  assert.equal(volume.store.files.size, 1);
  assert.match(call(h, 'panic_holding', { path: '/data/held' }).error.message, /boom while holding/);
  assert.equal(h.restarts, 2);
  assert.equal(volume.store.files.size, 1, 'the held file was released');
});

test('time and randomness are deterministic across instances', () => {
  const a = call(host(), 'clock');
  const b = call(host(), 'clock');
  assert.deepEqual(a, b);
  assert.ok(a.result.unix_nano >= 1640995200000000000);
  const slept = call(host(), 'sleep');
  assert.ok(slept.result.slept >= 50e6, `time.Sleep returns (slept ${slept.result.slept} ns of fake time)`);
});

test('the worker service: storage, ready, replies in order, bad messages', async () => {
  const posted = [];
  const svc = createService({
    openStorage: async () => ({ mode: 'memory', reason: 'test', volume: new Volume(new MemoryStore()) }),
    loadModule: async () => reactorModule('reactor'),
    post: (m) => posted.push(m),
    log: quiet,
  });
  const done = [
    svc.handle({ id: 1, req: JSON.stringify({ method: 'write', params: { path: '/data/x', data: 'v' } }) }),
    svc.handle({ id: 2, req: JSON.stringify({ method: 'read', params: { path: '/data/x' } }) }),
    svc.handle({ id: 3, req: { not: 'a string' } }),
    svc.handle('garbage'),
  ];
  await Promise.all(done);
  assert.deepEqual(posted[0], { type: 'storage', mode: 'memory', reason: 'test' });
  assert.equal(posted[1].type, 'ready');
  assert.deepEqual(posted[1].stubbed, []);
  assert.deepEqual(posted.slice(2).map((m) => m.id), [1, 2, 3, undefined]);
  assert.deepEqual(JSON.parse(posted[3].reply), { result: { data: 'v' } });
  assert.equal(JSON.parse(posted[4].reply).error.code, 'INVALID_REQUEST');
  assert.equal(JSON.parse(posted[5].reply).error.code, 'INVALID_REQUEST');
  // Each reply says what the call cost in the worker: the write went
  // through the shim's file calls.
  const t = posted[2].timing;
  for (const k of ['call_ms', 'engine_ms', 'copy_ms', 'wait_ms', 'after_prev_ms']) assert.equal(typeof t[k], 'number', k);
  assert.ok(t.engine_ms <= t.call_ms);
  assert.ok(t.io.writes >= 1, `writes ${t.io.writes}`);
  assert.equal(posted[3].timing.io.writes, 0);
  assert.ok(posted[3].timing.io.reads >= 1);
});

test('the worker service without an engine answers ENGINE_UNAVAILABLE', async () => {
  const posted = [];
  let grown = 0;
  const svc = createService({
    openStorage: async () => ({ mode: 'memory', reason: null, volume: new Volume(new MemoryStore()), afterCall: async () => grown++ }),
    loadModule: async () => {
      throw new Error('/engine.wasm: HTTP 404');
    },
    post: (m) => posted.push(m),
    log: quiet,
  });
  await svc.handle({ id: 'a', req: '{"method":"snapshot"}' });
  assert.deepEqual(posted[0], { type: 'storage', mode: 'memory', reason: null });
  assert.deepEqual(posted[1], { type: 'error', message: 'engine: cannot start: /engine.wasm: HTTP 404' });
  const reply = JSON.parse(posted[2].reply);
  assert.equal(posted[2].id, 'a');
  assert.equal(reply.error.code, 'ENGINE_UNAVAILABLE');
  assert.match(reply.error.message, /HTTP 404/);
  assert.equal(grown, 1, 'storage upkeep runs after each call');
});

test('the worker service: a second engine instance on its own memory volume', async () => {
  const posted = [];
  const svc = createService({
    openStorage: async () => ({ mode: 'memory', reason: 'test', volume: new Volume(new MemoryStore()) }),
    loadModule: async () => reactorModule('reactor'),
    post: (m) => posted.push(m),
    log: quiet,
  });
  const write = (id, inst, data) => svc.handle({ id, inst, req: JSON.stringify({ method: 'write', params: { path: '/data/x', data } }) });
  const read = (id, inst) => svc.handle({ id, inst, req: JSON.stringify({ method: 'read', params: { path: '/data/x' } }) });
  await Promise.all([write(1, 0, 'page'), write(2, 1, 'compare'), read(3, 0), read(4, 1), read(5, undefined)]);
  const replies = Object.fromEntries(posted.filter((m) => m.id).map((m) => [m.id, m]));
  assert.deepEqual(JSON.parse(replies[3].reply), { result: { data: 'page' } });
  assert.deepEqual(JSON.parse(replies[4].reply), { result: { data: 'compare' } });
  assert.deepEqual(JSON.parse(replies[5].reply), { result: { data: 'page' } });
  assert.ok(replies[4].timing.memory_bytes >= 65536, `memory ${replies[4].timing.memory_bytes}`);
  // Dropped, the instance starts afresh on its next request: its files are gone.
  await svc.handle({ type: 'drop', inst: 1 });
  await read(6, 1);
  const r6 = JSON.parse(posted.find((m) => m.id === 6).reply);
  assert.ok(r6.error, `read after drop: ${JSON.stringify(r6)}`);
});
