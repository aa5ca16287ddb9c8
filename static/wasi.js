// wasi.js — Brokerlab's own WASI preview1 host for engine.wasm, a Go wasip1
// reactor. It implements what Go's runtime and os package import (see
// WASI_FUNCTIONS) and answers any other import with ENOSYS. Deterministic on
// purpose: the clocks are fake (they start at fixed values and move 1 ms per
// reading, as wazero's fake clocks do, so a Go timer never spins), random_get
// is a seeded generator, and /data is a Volume (memory or OPFS) rather than
// anything of the machine's. The fd_* and path_* functions are in wasi-fs.js.

import { ERRNO, WasiError, toErrno } from './errno.js';
import { resolvePath } from './volume.js';
import { fileImports } from './wasi-fs.js';

const MODULE = 'wasi_snapshot_preview1';
const FAKE_EPOCH_NS = 1640995200000000000n; // 2022-01-01T00:00:00Z, wazero's fake epoch
const TICK_NS = 1000000n;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** WASIExit is thrown by proc_exit; the host treats it as the instance ending. */
export class WASIExit extends Error {
  constructor(code) {
    super(`exit code ${code}`);
    this.name = 'WASIExit';
    this.code = code;
  }
}

/** lineWriter turns a byte stream into calls of sink(line), one per line. */
export function lineWriter(sink) {
  const decoder = new TextDecoder();
  let pending = '';
  return (bytes) => {
    pending += decoder.decode(bytes, { stream: true });
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      sink(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  };
}

/**
 * WASI is one guest's view of the world: arguments, environment, clocks and
 * its file descriptor table. Make one per instance; the Volume may outlive it.
 *
 *   const wasi = new WASI({ volume });
 *   const instance = new WebAssembly.Instance(module, wasi.importObject(module));
 *   wasi.initialize(instance);
 */
export class WASI {
  constructor({
    args = ['engine.wasm'],
    env = [],
    volume = null,
    preopen = '/data',
    seed = 0x5eed,
    stdout = lineWriter((l) => console.log(l)),
    stderr = lineWriter((l) => console.error(l)),
  } = {}) {
    this.args = args;
    this.env = env;
    this.volume = volume;
    this.stdout = stdout;
    this.stderr = stderr;
    this.memory = null;
    this.realtime = FAKE_EPOCH_NS - TICK_NS;
    this.monotonic = 0n;
    this.rng = seed >>> 0;
    /** Imports the module asked for that this shim does not implement. */
    this.stubbed = [];
    this.fds = new Map([
      [0, { kind: 'stdio', fd: 0 }],
      [1, { kind: 'stdio', fd: 1 }],
      [2, { kind: 'stdio', fd: 2 }],
    ]);
    if (volume && preopen) this.fds.set(3, { kind: 'dir', path: '', preopen });
    /** io counts the file calls and their wall time since the last resetIO (see ioFigures). */
    this.io = newIO();
    this.wasiImport = this.table();
  }

  /** importObject gives every import of module a function: ours or an ENOSYS stub. */
  importObject(module) {
    const imports = { [MODULE]: { ...this.wasiImport } };
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== 'function') continue;
      const ns = (imports[imp.module] ??= {});
      if (imp.name in ns) continue;
      ns[imp.name] = () => ERRNO.NOSYS;
      this.stubbed.push(`${imp.module}.${imp.name}`);
    }
    return imports;
  }

  /** initialize binds the instance's memory and runs the reactor's _initialize. */
  initialize(instance) {
    this.memory = instance.exports.memory;
    if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
  }

  /** dispose closes every file the guest left open (after a crash, say). */
  dispose() {
    for (const f of this.fds.values()) if (f.kind === 'file') this.volume.close(f.node);
    this.fds.clear();
  }

  // --- memory helpers -----------------------------------------------------

  view() {
    return new DataView(this.memory.buffer);
  }

  bytes(ptr, len) {
    return new Uint8Array(this.memory.buffer, ptr, len);
  }

  string(ptr, len) {
    try {
      return strictDecoder.decode(this.bytes(ptr, len));
    } catch {
      throw new WasiError(ERRNO.ILSEQ);
    }
  }

  iovecs(ptr, count) {
    const v = this.view();
    const out = [];
    for (let i = 0; i < count; i++) {
      out.push(this.bytes(v.getUint32(ptr + i * 8, true), v.getUint32(ptr + i * 8 + 4, true)));
    }
    return out;
  }

  fd(n, kind) {
    const f = this.fds.get(n);
    if (!f) throw new WasiError(ERRNO.BADF);
    if (kind && f.kind !== kind) {
      if (kind === 'dir') throw new WasiError(ERRNO.NOTDIR);
      throw new WasiError(f.kind === 'dir' ? ERRNO.ISDIR : ERRNO.BADF);
    }
    return f;
  }

  path(dirfd, ptr, len) {
    const dir = this.fd(dirfd, 'dir');
    return resolvePath(dir.path, this.string(ptr, len));
  }

  allocFd(entry) {
    let n = 3;
    while (this.fds.has(n)) n++;
    this.fds.set(n, entry);
    return n;
  }

  nextRandom() {
    // mulberry32: tiny and deterministic; the engine never relies on it.
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  stringsSizes(list, countPtr, sizePtr) {
    const v = this.view();
    v.setUint32(countPtr, list.length, true);
    v.setUint32(sizePtr, list.reduce((n, s) => n + encoder.encode(s).length + 1, 0), true);
    return ERRNO.SUCCESS;
  }

  stringsGet(list, ptrsPtr, bufPtr) {
    const v = this.view();
    for (const [i, s] of list.entries()) {
      const b = encoder.encode(s + '\0');
      v.setUint32(ptrsPtr + i * 4, bufPtr, true);
      this.bytes(bufPtr, b.length).set(b);
      bufPtr += b.length;
    }
    return ERRNO.SUCCESS;
  }

  clockNow(id) {
    if (id === 0) return (this.realtime += TICK_NS);
    if (id >= 1 && id <= 3) return (this.monotonic += TICK_NS);
    throw new WasiError(ERRNO.INVAL);
  }

  // --- the import table ---------------------------------------------------

  table() {
    const t = {
      args_sizes_get: (c, s) => this.stringsSizes(this.args, c, s),
      args_get: (p, b) => this.stringsGet(this.args, p, b),
      environ_sizes_get: (c, s) => this.stringsSizes(this.env, c, s),
      environ_get: (p, b) => this.stringsGet(this.env, p, b),

      clock_res_get: (id, ptr) => {
        if (id < 0 || id > 3) return ERRNO.INVAL;
        this.view().setBigUint64(ptr, TICK_NS, true);
        return ERRNO.SUCCESS;
      },
      clock_time_get: (id, _precision, ptr) => {
        this.view().setBigUint64(ptr, this.clockNow(id), true);
        return ERRNO.SUCCESS;
      },
      random_get: (ptr, len) => {
        const b = this.bytes(ptr, len);
        for (let i = 0; i < len; i += 4) {
          let r = this.nextRandom();
          for (let j = i; j < Math.min(i + 4, len); j++, r >>>= 8) b[j] = r & 0xff;
        }
        return ERRNO.SUCCESS;
      },
      proc_exit: (code) => {
        throw new WASIExit(code);
      },
      sched_yield: () => ERRNO.SUCCESS,

      // poll_oneoff: clock subscriptions fire at once and move the fake
      // monotonic clock to their deadline; fd subscriptions report ready.
      poll_oneoff: (inPtr, outPtr, nsubs, neventsPtr) => {
        if (nsubs === 0) return ERRNO.INVAL;
        const v = this.view();
        for (let i = 0; i < nsubs; i++) {
          const s = inPtr + i * 48;
          const e = outPtr + i * 32;
          const tag = v.getUint8(s + 8);
          v.setBigUint64(e, v.getBigUint64(s, true), true); // userdata
          v.setUint16(e + 8, ERRNO.SUCCESS, true);
          v.setUint8(e + 10, tag);
          v.setBigUint64(e + 16, 0n, true);
          v.setUint16(e + 24, 0, true);
          if (tag === 0) {
            const timeout = v.getBigUint64(s + 24, true);
            const abs = (v.getUint16(s + 40, true) & 1) === 1;
            const id = v.getUint32(s + 16, true);
            if (id === 0) {
              this.realtime = abs ? (timeout > this.realtime ? timeout : this.realtime) : this.realtime + timeout;
            } else {
              this.monotonic = abs ? (timeout > this.monotonic ? timeout : this.monotonic) : this.monotonic + timeout;
            }
          } else if (tag > 2) {
            v.setUint16(e + 8, ERRNO.INVAL, true);
          }
        }
        v.setUint32(neventsPtr, nsubs, true);
        return ERRNO.SUCCESS;
      },

      ...fileImports(this),
    };
    for (const [name, fn] of Object.entries(t)) t[name] = this.guard(IO_KIND[name] ? this.timed(IO_KIND[name], fn) : fn);
    return t;
  }

  /** resetIO starts a new count of file calls (the host does it before each engine call). */
  resetIO() {
    this.io = newIO();
  }

  // timed counts one file import of kind ("write", "sync", "read" or
  // "meta") and adds its wall time: the OPFS share of an engine call.
  timed(kind, fn) {
    const now = globalThis.performance ? () => performance.now() : () => Date.now();
    return (...args) => {
      const t0 = now();
      try {
        return fn(...args);
      } finally {
        const io = this.io;
        const ms = now() - t0;
        io[kind + '_ms'] += ms;
        io[kind + 's']++;
      }
    };
  }

  // guard turns whatever a call throws into an errno, so that a file-layer
  // failure can never trap the guest; only proc_exit unwinds.
  guard(fn) {
    return (...args) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof WASIExit) throw e;
        const errno = toErrno(e);
        if (errno === ERRNO.IO) console.error('wasi: unexpected failure', e);
        return errno;
      }
    };
  }
}

// IO_KIND sorts the file imports for the figures of resetIO/io.
const IO_KIND = {
  fd_write: 'write',
  fd_pwrite: 'write',
  fd_read: 'read',
  fd_pread: 'read',
  fd_sync: 'sync',
  fd_datasync: 'sync',
  fd_seek: 'meta',
  fd_tell: 'meta',
  fd_close: 'meta',
  fd_filestat_get: 'meta',
  fd_filestat_set_size: 'meta',
  fd_allocate: 'meta',
  fd_readdir: 'meta',
  path_open: 'meta',
  path_filestat_get: 'meta',
  path_create_directory: 'meta',
  path_remove_directory: 'meta',
  path_unlink_file: 'meta',
  path_rename: 'meta',
};

function newIO() {
  return { write_ms: 0, writes: 0, sync_ms: 0, syncs: 0, read_ms: 0, reads: 0, meta_ms: 0, metas: 0 };
}

/** WASI_FUNCTIONS lists the preview1 functions this shim implements. */
export const WASI_FUNCTIONS = Object.freeze(Object.keys(new WASI().wasiImport).sort());

/** wasiImports lists the distinct wasi_snapshot_preview1 functions a module imports, sorted. */
export function wasiImports(module) {
  const names = WebAssembly.Module.imports(module)
    .filter((i) => i.module === MODULE && i.kind === 'function')
    .map((i) => i.name);
  return [...new Set(names)].sort();
}
