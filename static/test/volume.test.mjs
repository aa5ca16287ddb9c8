import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ERRNO } from '../errno.js';
import { MemoryStore, Volume, resolvePath } from '../volume.js';

function errnoOf(fn) {
  try {
    fn();
  } catch (e) {
    return e.errno;
  }
  return ERRNO.SUCCESS;
}

test('resolvePath normalises and stays inside the preopen', () => {
  const cases = [
    ['', 'a/b', 'a/b'],
    ['', 'a//b/', 'a/b'],
    ['', '.', ''],
    ['', './a/./b', 'a/b'],
    ['a', '../b', 'b'],
    ['a/b', './c/../d', 'a/b/d'],
    ['a/b', '../..', ''],
  ];
  for (const [base, rel, want] of cases) assert.equal(resolvePath(base, rel), want, `${base} + ${rel}`);
  assert.equal(errnoOf(() => resolvePath('', '..')), ERRNO.NOTCAPABLE);
  assert.equal(errnoOf(() => resolvePath('a', '../../x')), ERRNO.NOTCAPABLE);
  assert.equal(errnoOf(() => resolvePath('', '/etc/passwd')), ERRNO.NOTCAPABLE);
  assert.equal(errnoOf(() => resolvePath('', 'x'.repeat(256))), ERRNO.NAMETOOLONG);
  assert.equal(errnoOf(() => resolvePath('', 'a\0b')), ERRNO.INVAL);
});

function fill(vol) {
  vol.mkdir('b1');
  vol.mkdir('b1/orders-0');
  const f = vol.openFile('b1/orders-0/00.log', { create: true });
  vol.write(f, new TextEncoder().encode('hello'), 0);
  vol.close(f);
  vol.close(vol.openFile('b1/meta', { create: true }));
}

test('volume follows POSIX errors', () => {
  const vol = new Volume(new MemoryStore());
  fill(vol);
  const cases = [
    ['open missing', () => vol.openFile('nope'), ERRNO.NOENT],
    ['create under missing dir', () => vol.openFile('x/y', { create: true }), ERRNO.NOENT],
    ['create under a file', () => vol.openFile('b1/meta/x', { create: true }), ERRNO.NOTDIR],
    ['stat through a file', () => vol.stat('b1/meta/x'), ERRNO.NOTDIR],
    ['exclusive create of existing', () => vol.openFile('b1/meta', { create: true, excl: true }), ERRNO.EXIST],
    ['open a dir as file', () => vol.openFile('b1'), ERRNO.ISDIR],
    ['mkdir existing', () => vol.mkdir('b1'), ERRNO.EXIST],
    ['mkdir over file', () => vol.mkdir('b1/meta'), ERRNO.EXIST],
    ['mkdir -p is not implied', () => vol.mkdir('q/r'), ERRNO.NOENT],
    ['rmdir non-empty', () => vol.rmdir('b1'), ERRNO.NOTEMPTY],
    ['rmdir a file', () => vol.rmdir('b1/meta'), ERRNO.NOTDIR],
    ['rmdir root', () => vol.rmdir(''), ERRNO.BUSY],
    ['unlink a dir', () => vol.unlink('b1/orders-0'), ERRNO.ISDIR],
    ['unlink missing', () => vol.unlink('b1/zz'), ERRNO.NOENT],
    ['rename missing', () => vol.rename('zz', 'yy'), ERRNO.NOENT],
    ['rename dir into itself', () => vol.rename('b1', 'b1/orders-0/b1'), ERRNO.INVAL],
    ['rename file over dir', () => vol.rename('b1/meta', 'b1/orders-0'), ERRNO.ISDIR],
    ['rename dir over file', () => vol.rename('b1/orders-0', 'b1/meta'), ERRNO.NOTDIR],
    ['list a file', () => vol.list('b1/meta'), ERRNO.NOTDIR],
  ];
  for (const [name, fn, want] of cases) assert.equal(errnoOf(fn), want, name);
  // Nothing above changed the tree.
  assert.deepEqual(vol.list('b1').map((e) => `${e.name}:${e.type}`), ['meta:file', 'orders-0:dir']);
});

test('list is sorted and rename moves whole subtrees', () => {
  const vol = new Volume(new MemoryStore());
  fill(vol);
  for (const n of ['zeta', 'alpha', 'Mid']) vol.close(vol.openFile(n, { create: true }));
  assert.deepEqual(vol.list('').map((e) => e.name), ['Mid', 'alpha', 'b1', 'zeta']);

  vol.rename('b1', 'broker-1');
  assert.equal(errnoOf(() => vol.stat('b1')), ERRNO.NOENT);
  const f = vol.openFile('broker-1/orders-0/00.log');
  const buf = new Uint8Array(5);
  assert.equal(vol.read(f, buf, 0), 5);
  assert.equal(new TextDecoder().decode(buf), 'hello');
  vol.close(f);

  // A file renamed onto another replaces it.
  vol.rename('alpha', 'broker-1/meta');
  assert.deepEqual(vol.list('').map((e) => e.name), ['Mid', 'broker-1', 'zeta']);
  // A directory may replace an empty one, not a full one.
  vol.mkdir('empty');
  vol.rename('broker-1/orders-0', 'empty');
  assert.equal(vol.stat('empty/00.log').size, 5);
  vol.mkdir('other');
  assert.equal(errnoOf(() => vol.rename('other', 'broker-1')), ERRNO.NOTEMPTY);
});

test('an unlinked file lives until its last close', () => {
  const store = new MemoryStore();
  const vol = new Volume(store);
  const f = vol.openFile('log', { create: true });
  vol.write(f, new Uint8Array([1, 2, 3]), 0);
  vol.unlink('log');
  assert.equal(errnoOf(() => vol.stat('log')), ERRNO.NOENT);
  const buf = new Uint8Array(3);
  assert.equal(vol.read(f, buf, 0), 3);
  assert.equal(store.files.size, 1);
  vol.close(f);
  assert.equal(store.files.size, 0);
  assert.equal(store.used, 0);
});

test('memory store: a write past the quota is ENOSPC and loses nothing', () => {
  const vol = new Volume(new MemoryStore({ quota: 100 }));
  const f = vol.openFile('a', { create: true });
  vol.write(f, new Uint8Array(60).fill(7), 0);
  assert.equal(errnoOf(() => vol.write(f, new Uint8Array(50).fill(9), 60)), ERRNO.NOSPC);
  assert.equal(errnoOf(() => vol.truncate(f, 200)), ERRNO.NOSPC);
  assert.equal(vol.size(f), 60);
  const buf = new Uint8Array(60);
  vol.read(f, buf, 0);
  assert.ok(buf.every((b) => b === 7));
  // Overwriting in place needs no new space; shrinking frees some.
  vol.write(f, new Uint8Array(60).fill(8), 0);
  vol.truncate(f, 10);
  vol.write(f, new Uint8Array(80), 10);
  assert.equal(vol.size(f), 90);
});

test('truncate then extend reads zeros', () => {
  const vol = new Volume(new MemoryStore());
  const f = vol.openFile('a', { create: true });
  vol.write(f, new Uint8Array(10).fill(0xff), 0);
  vol.truncate(f, 2);
  vol.truncate(f, 10);
  const buf = new Uint8Array(10);
  assert.equal(vol.read(f, buf, 0), 10);
  assert.deepEqual([...buf], [0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(vol.read(f, buf, 10), 0, 'read at EOF');
});
