import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ERRNO } from '../errno.js';
import { HEADER, OpfsPool } from '../opfs-pool.js';
import { Volume } from '../volume.js';
import { FakeDirectory } from './helpers.mjs';

const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);

function errnoOf(fn) {
  try {
    fn();
  } catch (e) {
    return e.errno;
  }
  return ERRNO.SUCCESS;
}

function readAll(vol, path) {
  const f = vol.openFile(path);
  const buf = new Uint8Array(vol.size(f));
  vol.read(f, buf, 0);
  vol.close(f);
  return dec(buf);
}

function writeFile(vol, path, text, at = 0) {
  const f = vol.openFile(path, { create: true });
  vol.write(f, enc(text), at);
  vol.sync(f);
  vol.close(f);
}

// reopen simulates a page reload: every handle goes, a new pool opens.
async function reopen(pool, dir, opts) {
  pool.close();
  dir.closeAll();
  const p = await OpfsPool.open(dir, opts);
  return [p, new Volume(p)];
}

test('a new pool pre-opens its slots, each a bare header (free)', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 8 });
  assert.equal(pool.total, 8);
  assert.equal(pool.free, 8);
  const names = (await dir.names()).sort();
  assert.deepEqual(names.slice(0, 2), ['dirs.bin', 'slot-00000.bin']);
  assert.equal(names.length, 9);
  assert.equal(dir.bytes('slot-00003.bin').length, HEADER);
  assert.equal(dir.flushes, 0, 'a free slot has nothing to make durable');
});

test('files and directories survive a reload', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 8 });
  let vol = new Volume(pool);
  vol.mkdir('broker-1');
  vol.mkdir('broker-1/orders-0');
  vol.mkdir('empty');
  writeFile(vol, 'broker-1/orders-0/00000.log', 'batch-1');
  writeFile(vol, 'broker-1/orders-0/00000.log', 'batch-2', 7);
  writeFile(vol, 'broker-1/meta.properties', 'node.id=1');
  writeFile(vol, 'gone', 'x');
  vol.unlink('gone');
  vol.rename('broker-1/meta.properties', 'broker-1/meta');
  assert.equal(pool.free, 6);
  // The bytes sit after the header, at the file's offset.
  const slot = vol.nodes.get('broker-1/orders-0/00000.log').slot;
  assert.equal(dec(dir.bytes(`slot-0000${slot}.bin`).subarray(HEADER)), 'batch-1batch-2');

  [pool, vol] = await reopen(pool, dir, { initial: 8 });
  assert.deepEqual(vol.list('').map((e) => e.name), ['broker-1', 'empty']);
  assert.deepEqual(vol.list('broker-1').map((e) => e.name), ['meta', 'orders-0']);
  assert.equal(readAll(vol, 'broker-1/orders-0/00000.log'), 'batch-1batch-2');
  assert.equal(readAll(vol, 'broker-1/meta'), 'node.id=1');
  assert.equal(errnoOf(() => vol.stat('gone')), ERRNO.NOENT);
  assert.equal(pool.total, 8);
  assert.equal(pool.free, 6);
  assert.deepEqual(vol.recovered, []);
});

test('sync flushes the file and the pending names, not before', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 4 });
  const vol = new Volume(pool);
  const before = dir.flushes;
  vol.mkdir('d');
  const f = vol.openFile('d/a', { create: true });
  vol.write(f, enc('x'), 0);
  assert.equal(dir.flushes, before, 'no flush until sync');
  vol.sync(f);
  assert.equal(dir.flushes, before + 2, 'the file (its header with it) and dirs.bin');
  vol.sync(f);
  assert.equal(dir.flushes, before + 3, 'later syncs flush only the file');
  vol.close(f);
});

test('a torn header frees its slot and leaves the rest alone', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 4 });
  let vol = new Volume(pool);
  writeFile(vol, 'a', 'AAA');
  writeFile(vol, 'b', 'BBB');
  const slotB = vol.nodes.get('b').slot;
  dir.files.get(`slot-0000${slotB}.bin`).bytes[16] ^= 0xff; // flip the path's byte
  [pool, vol] = await reopen(pool, dir, { initial: 4 });
  assert.equal(readAll(vol, 'a'), 'AAA');
  assert.equal(errnoOf(() => vol.stat('b')), ERRNO.NOENT);
  assert.equal(pool.free, 3);
});

test('two slots naming one path: the first wins, the clash is reported', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 4 });
  let vol = new Volume(pool);
  writeFile(vol, 'a', 'first');
  writeFile(vol, 'b', 'second');
  pool.rename(vol.nodes.get('b').slot, 'a'); // as a torn rename could leave it
  pool.flushMeta();
  [pool, vol] = await reopen(pool, dir, { initial: 4 });
  assert.equal(readAll(vol, 'a'), 'first');
  assert.equal(vol.recovered.length, 1);
  assert.match(vol.recovered[0], /dropped a \(slot 1\)/);
  assert.equal(pool.free, 3);
});

test('quota exceeded: ENOSPC, and what was stored stays', async () => {
  const dir = new FakeDirectory({ quota: 4 * HEADER + 200 }); // four slots' headers, 200 bytes of data
  let pool = await OpfsPool.open(dir, { initial: 4 });
  let vol = new Volume(pool);
  writeFile(vol, 'kept', 'x'.repeat(150));
  const f = vol.openFile('big', { create: true });
  assert.equal(errnoOf(() => vol.write(f, new Uint8Array(1000), 0)), ERRNO.NOSPC);
  assert.equal(errnoOf(() => vol.truncate(f, 1000)), ERRNO.NOSPC);
  vol.write(f, enc('fits'), 0);
  vol.sync(f);
  vol.close(f);
  [pool, vol] = await reopen(pool, dir, { initial: 4 });
  assert.equal(readAll(vol, 'kept'), 'x'.repeat(150));
  assert.equal(readAll(vol, 'big'), 'fits');
});

test('a burst past the free slots waits in memory, then gets files', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 4, minFree: 2, grow: 3, max: 12 });
  let vol = new Volume(pool);
  for (let i = 0; i < 7; i++) writeFile(vol, `f${i}`, `data ${i}`);
  assert.equal(pool.exhausted, true);
  assert.deepEqual([...pool.pending], [4, 5, 6]);
  assert.equal(dir.files.has('slot-00004.bin'), false, 'no OPFS file yet');
  assert.equal(readAll(vol, 'f5'), 'data 5');
  vol.unlink('f6'); // a pending slot can be freed too
  await pool.ensureFree();
  assert.equal(pool.exhausted, false);
  assert.deepEqual([...pool.pending], []);
  assert.ok(pool.free >= 2, `free ${pool.free}`);
  assert.ok(pool.total <= 12, `total ${pool.total}`);
  [pool, vol] = await reopen(pool, dir, { initial: 4, max: 12 });
  for (let i = 0; i < 6; i++) assert.equal(readAll(vol, `f${i}`), `data ${i}`);
  assert.equal(errnoOf(() => vol.stat('f6')), ERRNO.NOENT);
});

test('the pool never grows past max', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 4, minFree: 2, grow: 3, max: 12 });
  const vol = new Volume(pool);
  for (let i = 0; i < 12; i++) writeFile(vol, `f${i}`, 'x');
  await pool.ensureFree();
  assert.equal(pool.total, 12);
  assert.equal(pool.free, 0);
  assert.equal(errnoOf(() => vol.openFile('more', { create: true })), ERRNO.NOSPC);
  // Freed slots are reused before new files are made.
  vol.unlink('f0');
  assert.equal(pool.free, 1);
  writeFile(vol, 'again', 'y');
  assert.equal(vol.nodes.get('again').slot, 0);
});

test('a pending slot stays in memory while storage refuses, and is kept', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 1, minFree: 0 });
  const vol = new Volume(pool);
  writeFile(vol, 'a', 'A');
  writeFile(vol, 'b', 'B');
  dir.failOpenAfter = dir.opens; // quota: no new files
  await pool.ensureFree();
  assert.deepEqual([...pool.pending], [1]);
  assert.equal(readAll(vol, 'b'), 'B');
  dir.failOpenAfter = Infinity;
  await pool.ensureFree();
  assert.deepEqual([...pool.pending], []);
  assert.equal(dec(dir.bytes('slot-00001.bin').subarray(HEADER)), 'B');
});

test('growth stops quietly when storage refuses new files', async () => {
  const dir = new FakeDirectory({ failOpenAfter: 6 }); // dirs.bin + 5 slots
  const pool = await OpfsPool.open(dir, { initial: 4, minFree: 8, grow: 4 });
  await pool.ensureFree();
  assert.equal(pool.total, 5);
});

test('paths too long for a header are refused up front', async () => {
  const pool = await OpfsPool.open(new FakeDirectory(), { initial: 2 });
  const vol = new Volume(pool);
  let p = '';
  while (p.length < HEADER) p += (p ? '/' : '') + 'd'.repeat(200);
  assert.equal(errnoOf(() => vol.openFile(p, { create: true })), ERRNO.NOENT, 'parent missing comes first');
  const deep = [];
  for (let i = 0; i < 20; i++) {
    deep.push('d'.repeat(200));
    vol.mkdir(deep.join('/'));
  }
  deep.push('d'.repeat(200));
  assert.equal(errnoOf(() => vol.mkdir(deep.join('/'))), ERRNO.NAMETOOLONG);
  assert.equal(errnoOf(() => vol.openFile(deep.join('/'), { create: true })), ERRNO.NAMETOOLONG);
});

test('claims while the pool grows in the background never take a slot being opened', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 4, target: 8, minFree: 4, grow: 0, max: 40 });
  let vol = new Volume(pool);
  for (let i = 0; i < 4; i++) writeFile(vol, `a${i}`, `A${i}`);
  const growing = pool.topUp(); // reserves four slot indices and starts opening their files
  assert.equal(pool.free, 0, 'a slot whose file is still opening is not free');
  for (let i = 0; i < 3; i++) writeFile(vol, `b${i}`, `B${i}`);
  assert.equal(pool.pending.size, 3, 'the claims went to memory slots');
  for (const i of pool.pending) assert.ok(i >= 8, `memory slot ${i} is past the four being opened`);
  await growing;
  assert.equal(pool.free, 4);
  await pool.afterCall();
  await pool.growing;
  assert.equal(pool.pending.size, 0);
  [pool, vol] = await reopen(pool, dir, { initial: 4 });
  for (let i = 0; i < 4; i++) assert.equal(readAll(vol, `a${i}`), `A${i}`);
  for (let i = 0; i < 3; i++) assert.equal(readAll(vol, `b${i}`), `B${i}`);
});

test('a memory slot gets its file flushed only if the guest synced it', async () => {
  const dir = new FakeDirectory();
  const pool = await OpfsPool.open(dir, { initial: 1, minFree: 0 });
  const vol = new Volume(pool);
  writeFile(vol, 'a', 'A'); // takes the only slot file
  const b = vol.openFile('b', { create: true });
  vol.write(b, enc('B'), 0);
  vol.close(b);
  const slotB = vol.nodes.get('b').slot;
  assert.deepEqual([...pool.pending], [slotB]);
  const before = dir.flushes;
  await pool.materialize();
  assert.equal(dir.flushes, before, 'b was never synced: its file is written, not flushed');
  assert.deepEqual([...pool.dirty], [slotB], "b's name waits for the next sync, like any other");
  writeFile(vol, 'c', 'C'); // a memory slot again, synced: that sync flushes b's name too
  assert.equal(dir.flushes, before + 1);
  await pool.materialize();
  assert.equal(dir.flushes, before + 2, 'c, which the guest synced, is flushed in its file');
  assert.deepEqual([...pool.dirty], []);
  assert.equal(readAll(vol, 'b'), 'B');
  assert.equal(readAll(vol, 'c'), 'C');
});

test('afterCall writes dirs.bin once for many mkdirs, and does not wait for growth', async () => {
  const dir = new FakeDirectory();
  let pool = await OpfsPool.open(dir, { initial: 2, target: 2, minFree: 8 });
  let vol = new Volume(pool);
  const writes = dir.writes;
  for (let i = 0; i < 20; i++) vol.mkdir(`d${i}`);
  assert.equal(dir.writes, writes, 'no write per mkdir');
  await pool.afterCall();
  assert.equal(dir.writes, writes + 1, 'one write of dirs.bin');
  assert.ok(pool.growing, 'the growth goes on after afterCall resolved');
  await pool.growing;
  assert.ok(pool.free >= 8);
  [pool, vol] = await reopen(pool, dir, { initial: 2 });
  assert.equal(vol.list('').length, 20);
});
