import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ERRNO } from '../errno.js';
import { MemoryStore, Volume } from '../volume.js';
import { WASI, WASIExit, WASI_FUNCTIONS, lineWriter } from '../wasi.js';
import { Guest } from './helpers.mjs';

const O = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 };
const READ_ONLY = 0x1fffffffn & ~(1n << 6n);

function setup(opts = {}) {
  const volume = opts.volume ?? new Volume(new MemoryStore());
  const wasi = new WASI({ volume, ...opts });
  return { wasi, g: new Guest(wasi), volume };
}

test('args and environ', () => {
  const { g } = setup({ args: ['engine.wasm', 'héllo'], env: ['GODEBUG=x=1'] });
  const [c, s] = [g.alloc(4), g.alloc(4)];
  assert.equal(g.call('args_sizes_get', c, s), 0);
  assert.equal(g.u32(c), 2);
  assert.equal(g.u32(s), 'engine.wasm\0héllo\0'.length + 1); // é is two bytes
  const [ptrs, buf] = [g.alloc(8), g.alloc(64)];
  assert.equal(g.call('args_get', ptrs, buf), 0);
  assert.equal(g.text(g.u32(ptrs + 4), 6), 'héllo');
  assert.equal(g.call('environ_sizes_get', c, s), 0);
  assert.equal(g.u32(c), 1);
  assert.equal(g.call('environ_get', ptrs, buf), 0);
  assert.equal(g.text(g.u32(ptrs), 11), 'GODEBUG=x=1');
});

test('clocks are fake and deterministic', () => {
  const read = (g, id) => {
    const p = g.alloc(8);
    assert.equal(g.call('clock_time_get', id, 0n, p), 0);
    return g.u64(p);
  };
  const a = setup().g;
  const b = setup().g;
  const seqA = [read(a, 0), read(a, 0), read(a, 1), read(a, 1)];
  const seqB = [read(b, 0), read(b, 0), read(b, 1), read(b, 1)];
  assert.deepEqual(seqA, seqB);
  assert.equal(seqA[0], 1640995200000000000n, 'realtime starts at 2022-01-01');
  assert.equal(seqA[1] - seqA[0], 1000000n, 'and moves 1 ms per reading');
  assert.ok(seqA[3] > seqA[2]);
  assert.equal(a.call('clock_time_get', 9, 0n, a.alloc(8)), ERRNO.INVAL);
});

test('random_get is seeded', () => {
  const bytes = (seed) => {
    const { g } = setup({ seed });
    const p = g.alloc(13);
    assert.equal(g.call('random_get', p, 13), 0);
    return [...new Uint8Array(g.wasi.memory.buffer, p, 13)];
  };
  assert.deepEqual(bytes(1), bytes(1));
  assert.notDeepEqual(bytes(1), bytes(2));
  assert.ok(bytes(1).some((b) => b !== 0));
});

test('one preopen, /data, at fd 3', () => {
  const { g } = setup();
  const p = g.alloc(8);
  assert.equal(g.call('fd_prestat_get', 3, p), 0);
  assert.equal(g.u32(p), 0);
  assert.equal(g.u32(p + 4), 5);
  const name = g.alloc(8);
  assert.equal(g.call('fd_prestat_dir_name', 3, name, 5), 0);
  assert.equal(g.text(name, 5), '/data');
  assert.equal(g.call('fd_prestat_dir_name', 3, name, 2), ERRNO.NAMETOOLONG);
  assert.equal(g.call('fd_prestat_get', 4, p), ERRNO.BADF, 'ends Go\'s preopen scan');
  const none = new Guest(new WASI({ volume: null }));
  assert.equal(none.call('fd_prestat_get', 3, p), ERRNO.BADF);
});

test('files: open, write, seek, read, pread, pwrite, stat, truncate', () => {
  const { g } = setup();
  const [e, fd] = g.open('log', { oflags: O.CREAT });
  assert.equal(e, 0);
  assert.equal(fd, 4);
  const nw = g.alloc(4);
  const out = g.iov('hello ', 'world');
  assert.equal(g.call('fd_write', fd, out.vec, out.count, nw), 0);
  assert.equal(g.u32(nw), 11);
  const pos = g.alloc(8);
  assert.equal(g.call('fd_tell', fd, pos), 0);
  assert.equal(g.u64(pos), 11n);
  assert.equal(g.call('fd_seek', fd, -5n, 2, pos), 0); // 5 from the end
  assert.equal(g.u64(pos), 6n);
  const inp = g.iov(3, 10);
  assert.equal(g.call('fd_read', fd, inp.vec, inp.count, nw), 0);
  assert.equal(g.u32(nw), 5);
  assert.equal(g.text(inp.bufs[0][0], 3), 'wor');
  assert.equal(g.text(inp.bufs[1][0], 2), 'ld');
  assert.equal(g.call('fd_seek', fd, -100n, 1, pos), ERRNO.INVAL);

  const p = g.iov('HELLO');
  assert.equal(g.call('fd_pwrite', fd, p.vec, p.count, 0n, nw), 0);
  const r = g.iov(11);
  assert.equal(g.call('fd_pread', fd, r.vec, r.count, 0n, nw), 0);
  assert.equal(g.text(r.bufs[0][0], g.u32(nw)), 'HELLO world');
  assert.equal(g.call('fd_pread', fd, r.vec, r.count, 100n, nw), 0);
  assert.equal(g.u32(nw), 0, 'pread past EOF reads nothing');

  assert.equal(g.call('fd_filestat_set_size', fd, 4n), 0);
  const st = g.alloc(64);
  assert.equal(g.call('fd_filestat_get', fd, st), 0);
  assert.equal(g.view.getUint8(st + 16), 4, 'regular file');
  assert.equal(g.u64(st + 32), 4n);
  const [pp, pn] = g.str('log');
  assert.equal(g.call('path_filestat_get', 3, 0, pp, pn, st), 0);
  assert.equal(g.u64(st + 32), 4n);
  assert.equal(g.call('fd_sync', fd), 0);
  assert.equal(g.call('fd_datasync', fd), 0);
  assert.equal(g.call('fd_close', fd), 0);
  assert.equal(g.call('fd_close', fd), ERRNO.BADF);
});

test('rights, flags and path errors', () => {
  const { g } = setup();
  assert.deepEqual(g.open('nope'), [ERRNO.NOENT, 0]);
  assert.equal(g.open('d/x', { oflags: O.CREAT })[0], ERRNO.NOENT);
  assert.equal(g.open('../escape', { oflags: O.CREAT })[0], ERRNO.NOTCAPABLE);
  const [, fd] = g.open('f', { oflags: O.CREAT });
  assert.equal(g.open('f', { oflags: O.CREAT | O.EXCL })[0], ERRNO.EXIST);
  assert.equal(g.open('f/x', { oflags: O.CREAT })[0], ERRNO.NOTDIR);
  assert.equal(g.open('f', { oflags: O.DIRECTORY })[0], ERRNO.NOTDIR);
  g.call('fd_close', fd);

  // A read-only descriptor refuses writes, as on Linux.
  const [, ro] = g.open('f', { rights: READ_ONLY });
  const w = g.iov('x');
  assert.equal(g.call('fd_write', ro, w.vec, w.count, g.alloc(4)), ERRNO.BADF);
  assert.equal(g.call('fd_pwrite', ro, w.vec, w.count, 0n, g.alloc(4)), ERRNO.BADF);
  assert.equal(g.call('fd_filestat_set_size', ro, 0n), ERRNO.BADF);

  // O_APPEND writes at the end wherever the position is.
  const [, ap] = g.open('f', { fdflags: 1 });
  const nw = g.alloc(4);
  g.call('fd_write', ap, g.iov('ab').vec, 1, nw);
  g.call('fd_write', ap, g.iov('cd').vec, 1, nw);
  const fdstat = g.alloc(24);
  assert.equal(g.call('fd_fdstat_get', ap, fdstat), 0);
  assert.equal(g.view.getUint8(fdstat), 4);
  assert.equal(g.view.getUint16(fdstat + 2, true), 1, 'APPEND flag reported');
  assert.equal(g.call('fd_fdstat_set_flags', ap, 0), 0);
  const pos = g.alloc(8);
  g.call('fd_seek', ap, 0n, 0, pos);
  g.call('fd_write', ap, g.iov('X').vec, 1, nw);
  const r = g.iov(8);
  g.call('fd_pread', ap, r.vec, 1, 0n, nw);
  assert.equal(g.text(r.bufs[0][0], g.u32(nw)), 'Xbcd');

  // stdio: not seekable, stdin reads EOF.
  assert.equal(g.call('fd_seek', 1, 0n, 0, pos), ERRNO.SPIPE);
  assert.equal(g.call('fd_read', 0, r.vec, 1, nw), 0);
  assert.equal(g.u32(nw), 0);
  assert.equal(g.call('fd_fdstat_get', 1, fdstat), 0);
  assert.equal(g.view.getUint8(fdstat), 2, 'character device');
  assert.equal(g.call('fd_write', 99, w.vec, 1, nw), ERRNO.BADF);
});

test('directories: create, open, remove, rename, unlink', () => {
  const { g, volume } = setup();
  const s = (x) => g.str(x);
  assert.equal(g.call('path_create_directory', 3, ...s('a')), 0);
  assert.equal(g.call('path_create_directory', 3, ...s('a')), ERRNO.EXIST);
  assert.equal(g.call('path_create_directory', 3, ...s('a/b')), 0);
  const [e, dfd] = g.open('a', { oflags: O.DIRECTORY, rights: READ_ONLY });
  assert.equal(e, 0);
  // Paths resolve against any directory descriptor.
  const out = g.alloc(4);
  const [xp, xn] = s('b/x');
  assert.equal(g.call('path_open', dfd, 0, xp, xn, O.CREAT, 0x1fffffffn, 0n, 0, out), 0);
  g.call('fd_close', g.u32(out));
  assert.equal(volume.stat('a/b/x').type, 'file');
  // Go opens a directory without O_DIRECTORY first; that works read-only.
  assert.equal(g.open('a', { rights: READ_ONLY })[0], 0);
  assert.equal(g.open('a')[0], ERRNO.ISDIR, 'not for writing');
  assert.equal(g.call('path_remove_directory', 3, ...s('a/b')), ERRNO.NOTEMPTY);
  assert.equal(g.call('path_unlink_file', 3, ...s('a/b')), ERRNO.ISDIR);
  assert.equal(g.call('path_rename', 3, ...s('a/b/x'), 3, ...s('a/y')), 0);
  assert.equal(g.call('path_unlink_file', 3, ...s('a/y')), 0);
  assert.equal(g.call('path_remove_directory', 3, ...s('a/b')), 0);
  assert.equal(g.call('path_readlink', 3, ...s('a'), g.alloc(8), 8, g.alloc(4)), ERRNO.INVAL);
  assert.equal(g.call('path_readlink', 3, ...s('zz'), g.alloc(8), 8, g.alloc(4)), ERRNO.NOENT);
  assert.equal(g.call('path_create_directory', dfd + 10, ...s('q')), ERRNO.BADF);
});

test('fd_readdir pages with cookies and cuts the last entry short', () => {
  const { g, volume } = setup();
  const names = [];
  for (let i = 0; i < 40; i++) names.push(`file-${String(i).padStart(3, '0')}-${'x'.repeat(i % 7)}`);
  for (const n of [...names].reverse()) volume.close(volume.openFile(n, { create: true }));
  volume.mkdir('sub');
  names.push('sub');

  // Read the way Go's os package does: parse whole entries, resume at the
  // d_next of the last whole one.
  const bufLen = 100;
  const buf = g.alloc(bufLen);
  const used = g.alloc(4);
  let cookie = 0n;
  const seen = [];
  let calls = 0;
  let truncated = 0;
  for (;;) {
    assert.equal(g.call('fd_readdir', 3, buf, bufLen, cookie, used), 0);
    calls++;
    const n = g.u32(used);
    if (n === 0) break;
    if (n === bufLen) truncated++;
    let off = 0;
    while (off + 24 <= n) {
      const namlen = g.u32(buf + off + 16);
      if (off + 24 + namlen > n) break;
      seen.push([g.text(buf + off + 24, namlen), g.view.getUint8(buf + off + 20)]);
      cookie = g.u64(buf + off);
      off += 24 + namlen;
    }
  }
  assert.deepEqual(seen.map((e) => e[0]), names.sort());
  assert.equal(seen.find((e) => e[0] === 'sub')[1], 3, 'directory type');
  assert.equal(seen.find((e) => e[0] === names[0])[1], 4, 'file type');
  assert.ok(calls > 10, `paged over ${calls} calls`);
  assert.ok(truncated > 0, 'some calls ended on a cut entry');
  assert.equal(g.call('fd_readdir', 1, buf, bufLen, 0n, used), ERRNO.NOTDIR);
});

test('poll_oneoff fires clock subscriptions and moves the clock', () => {
  const { g } = setup();
  const now = () => {
    const p = g.alloc(8);
    g.call('clock_time_get', 1, 0n, p);
    return g.u64(p);
  };
  const before = now();
  const sub = g.alloc(48);
  g.view.setBigUint64(sub, 77n, true); // userdata
  g.view.setUint8(sub + 8, 0); // clock
  g.view.setUint32(sub + 16, 1, true); // monotonic
  g.view.setBigUint64(sub + 24, 5000000000n, true); // 5 s, relative
  const ev = g.alloc(32);
  const n = g.alloc(4);
  assert.equal(g.call('poll_oneoff', sub, ev, 1, n), 0);
  assert.equal(g.u32(n), 1);
  assert.equal(g.u64(ev), 77n);
  assert.equal(g.view.getUint16(ev + 8, true), 0);
  assert.ok(now() - before >= 5000000000n);
  assert.equal(g.call('poll_oneoff', sub, ev, 0, n), ERRNO.INVAL);
});

test('stdout and stderr arrive as lines; proc_exit throws', () => {
  const out = [];
  const err = [];
  const { g } = setup({ stdout: lineWriter((l) => out.push(l)), stderr: lineWriter((l) => err.push(l)) });
  const nw = g.alloc(4);
  g.call('fd_write', 1, g.iov('one\ntw').vec, 1, nw);
  g.call('fd_write', 1, g.iov('o\n').vec, 1, nw);
  g.call('fd_write', 2, g.iov('panic: x\n').vec, 1, nw);
  assert.deepEqual(out, ['one', 'two']);
  assert.deepEqual(err, ['panic: x']);
  assert.throws(() => g.call('proc_exit', 3), (e) => e instanceof WASIExit && e.code === 3);
  assert.equal(g.call('sched_yield'), 0);
});

test('a failing storage layer returns an errno, never a trap', () => {
  const store = new MemoryStore();
  const volume = new Volume(store);
  const { g } = setup({ volume });
  const [, fd] = g.open('f', { oflags: O.CREAT });
  const nw = g.alloc(4);
  const original = store.write;
  const quiet = console.error;
  try {
    store.write = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    assert.equal(g.call('fd_write', fd, g.iov('abc').vec, 1, nw), ERRNO.NOSPC);
    store.write = () => {
      throw new Error('something odd');
    };
    console.error = () => {};
    assert.equal(g.call('fd_write', fd, g.iov('abc').vec, 1, nw), ERRNO.IO);
    // A failure after some bytes landed is a short write.
    let calls = 0;
    store.write = (slot, src, at) => {
      if (calls++ > 0) throw new DOMException('full', 'QuotaExceededError');
      return original.call(store, slot, src, at);
    };
    assert.equal(g.call('fd_write', fd, g.iov('ab', 'cd').vec, 2, nw), 0);
    assert.equal(g.u32(nw), 2);
  } finally {
    store.write = original;
    console.error = quiet;
  }
});

// module builds a tiny wasm binary importing (i32)->i32 functions and
// re-exporting them, to see how unknown imports are answered.
function module(imports) {
  const bytes = [];
  const str = (s) => [s.length, ...new TextEncoder().encode(s)];
  const section = (id, body) => [id, body.length, ...body];
  const imp = imports.flatMap(([m, n]) => [...str(m), ...str(n), 0, 0]);
  const exp = imports.flatMap(([, n], i) => [...str(n), 0, i]);
  bytes.push(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
  bytes.push(...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]));
  bytes.push(...section(2, [imports.length, ...imp]));
  bytes.push(...section(7, [imports.length, ...exp]));
  return new WebAssembly.Module(new Uint8Array(bytes));
}

test('unknown imports get ENOSYS stubs, never undefined', () => {
  const mod = module([
    ['wasi_snapshot_preview1', 'sock_accept'],
    ['wasi_snapshot_preview1', 'fd_advise'],
    ['env', 'mystery'],
  ]);
  const wasi = new WASI();
  const inst = new WebAssembly.Instance(mod, wasi.importObject(mod));
  assert.equal(inst.exports.sock_accept(0), ERRNO.NOSYS);
  assert.equal(inst.exports.mystery(0), ERRNO.NOSYS);
  assert.deepEqual(wasi.stubbed, ['wasi_snapshot_preview1.sock_accept', 'env.mystery']);
  assert.ok(WASI_FUNCTIONS.includes('path_open') && !WASI_FUNCTIONS.includes('sock_accept'));
});
